"""`subscribers add` and `remove` on each store: what they say, and what they record."""

from __future__ import annotations

from tests.conftest import invoke
from tests.pg_support import pg_url, store_site  # noqa: F401  (fixtures)


def _status_of(site, address: str) -> str | None:
    for line in invoke(site, "subscribers", "list").output.splitlines():
        cells = line.split("\t")
        if cells[0].lower() == address.lower():
            return cells[2]
    return None


def test_remove_of_an_address_not_listed_records_it_so_no_import_adds_them(store_site,
                                                                             tmp_path):
    result = invoke(store_site, "subscribers", "remove", "Who@Example.com")
    assert result.exit_code == 0
    assert result.output == ("Who@example.com is not on the list; recorded as unsubscribed "
                             "(never imported or mailed)\n")
    assert _status_of(store_site, "who@example.com") == "unsubscribed"
    incoming = tmp_path / "more.csv"
    incoming.write_text("email,name\nwho@example.com,Who\n")
    assert invoke(store_site, "subscribers", "import", str(incoming)).exit_code == 0
    assert _status_of(store_site, "who@example.com") == "unsubscribed"
    again = invoke(store_site, "subscribers", "remove", "who@example.com")
    assert again.output == ("who@example.com had already left the list (unsubscribed, "
                            "bounced or complained); nothing changed\n")


def test_add_resubscribe_says_the_reader_is_active_again(store_site):
    result = invoke(store_site, "subscribers", "add", "alan@example.com", "--resubscribe")
    assert result.exit_code == 0
    assert result.output == "alan@example.com is active again\n"
    assert _status_of(store_site, "alan@example.com") == "active"
    new = invoke(store_site, "subscribers", "add", "new@example.com", "--resubscribe")
    assert new.output == "added new@example.com\n"


def test_add_of_an_unconfirmed_reader_asks_for_their_consent_not_their_return(store_site):
    import os

    from newsletter.config.loading import load_settings
    from newsletter.subscribers import open_store

    invoke(store_site, "subscribers", "add", "u@example.com")  # then a sign-up not confirmed
    open_store(load_settings(store_site, dict(os.environ))).set_status("u@example.com",
                                                                        "unconfirmed")
    result = invoke(store_site, "subscribers", "add", "u@example.com")
    assert result.exit_code == 2
    assert "u@example.com is unconfirmed" in result.output
    assert "come back" not in result.output
    assert "--resubscribe" in result.output and "confirm" in result.output.split(";")[1]
    assert _status_of(store_site, "u@example.com") == "unconfirmed"


def test_an_import_with_two_address_columns_imports_nothing(store_site, tmp_path):
    incoming = tmp_path / "people.csv"
    incoming.write_text("email,name,E-mail Address\nann@example.com,Ann,boss@example.com\n")
    result = invoke(store_site, "subscribers", "import", str(incoming))
    assert result.exit_code == 2
    assert result.output == (f"error: {incoming}: two address columns ('email', "
                             "'E-mail Address'): nothing was imported; keep the one that holds "
                             "the readers' addresses\n")
    assert _status_of(store_site, "ann@example.com") is None
    assert _status_of(store_site, "boss@example.com") is None


def _tags_of(site, address: str) -> str:
    line = next(line for line in invoke(site, "subscribers", "list").output.splitlines()
                if line.startswith(address + "\t"))
    return line.split("\t")[3]


def test_add_of_a_listed_reader_with_tags_adds_the_tags_it_lacks(store_site):
    result = invoke(store_site, "subscribers", "add", "katherine@example.org",
                    "--tag", "space", "--tag", "weekly", "--tag", "ünï")
    assert result.exit_code == 0
    assert result.output == "katherine@example.org is already subscribed; name or tags added\n"
    assert _tags_of(store_site, "katherine@example.org") == "math,space,weekly,ünï"
    again = invoke(store_site, "subscribers", "add", "katherine@example.org", "--tag", "weekly")
    assert again.output == "katherine@example.org is already subscribed\n"
    named = invoke(store_site, "subscribers", "add", "grace@example.org", "--name", "G. H.")
    assert named.output == "grace@example.org is already subscribed\n"  # her name stands
    back = invoke(store_site, "subscribers", "add", "alan@example.com", "--resubscribe",
                  "--tag", "returning")
    assert back.output == "alan@example.com is active again\n"
    assert _tags_of(store_site, "alan@example.com") == "founding,returning"


def test_a_tag_the_reader_has_in_another_case_is_not_added_again(store_site, tmp_path):
    """Before: importing 'Founding' for a reader tagged 'founding' gave 'founding,Founding',
    one tag to `send --tag`, which ignores case, but two in the list and its export."""
    incoming = tmp_path / "tags.csv"
    incoming.write_text('email,tags\nada@example.com,"Founding, New, new"\n')
    result = invoke(store_site, "subscribers", "import", str(incoming))
    assert "updated 1," in result.output
    assert _tags_of(store_site, "ada@example.com") == "founding,New"
    again = invoke(store_site, "subscribers", "add", "ada@example.com", "--tag", "NEW")
    assert again.output == "ada@example.com is already subscribed\n"


def test_remove_of_a_reader_who_bounced_does_not_call_them_unsubscribed(store_site):
    import os

    from newsletter.config.loading import load_settings
    from newsletter.subscribers import Suppression, open_store, record_suppressions

    record_suppressions(open_store(load_settings(store_site, dict(os.environ))),
                        [Suppression("grace@example.org", "bounced", "test")],
                        record_unknown=True)
    result = invoke(store_site, "subscribers", "remove", "grace@example.org")
    assert result.exit_code == 0
    assert result.output == ("grace@example.org had already left the list (unsubscribed, "
                             "bounced or complained); nothing changed\n")
    assert _status_of(store_site, "grace@example.org") == "bounced"


def test_an_import_listing_a_reader_unconfirmed_then_active_confirms_them(store_site, tmp_path):
    # Two lists pasted into one file: the active copy confirms the unconfirmed one as it
    # confirms one on the list, whichever comes first (Bo, unconfirmed first, stayed so)
    incoming = tmp_path / "merged.csv"
    incoming.write_text("email,name,status\nbo@example.com,,unconfirmed\nBO@example.com,Bo,"
                        "active\ncy@example.com,Cy,active\ncy@example.com,,unconfirmed\n")
    result = invoke(store_site, "subscribers", "import", str(incoming))
    assert "added 2, updated 0, unchanged 0," in result.output
    assert "2 row(s) repeat a reader listed above them in the file" in result.output
    assert (_status_of(store_site, "bo@example.com"), _status_of(store_site, "cy@example.com")
            ) == ("active", "active")
    assert invoke(store_site, "subscribers", "list", "--status", "active").output.count(
        "\tBo\tactive") == 1


def test_an_import_with_two_status_columns_imports_nothing(store_site, tmp_path):
    # The last one was read: Ada, "unsubscribed" in the first and "active" in the second,
    # stayed active
    incoming = tmp_path / "people.csv"
    incoming.write_text("email,status,Status\nada@example.com,unsubscribed,active\n"
                        "new.s@example.com,active,active\n")
    result = invoke(store_site, "subscribers", "import", str(incoming))
    assert result.exit_code == 2
    assert result.output == (f"error: {incoming}: two status columns ('status', 'Status'): "
                             "nothing was imported; keep the one that holds the readers' "
                             "statuses\n")
    assert _status_of(store_site, "new.s@example.com") is None


def test_an_import_listing_a_reader_once_per_tag_gives_them_every_tag(store_site, tmp_path):
    # An export of one row per reader and list: the first row's tags were kept, the rest lost
    incoming = tmp_path / "by-list.csv"
    incoming.write_text("email,name,tags\nann@example.com,,weekly\nANN@example.com,Ann,Monthly\n"
                        "ann@example.com,,WEEKLY;events\n")
    result = invoke(store_site, "subscribers", "import", str(incoming))
    assert "added 1, updated 0, unchanged 0," in result.output
    assert "2 row(s) repeat a reader listed above them in the file" in result.output
    assert _tags_of(store_site, "ann@example.com") == "weekly,Monthly,events"
    assert invoke(store_site, "subscribers", "list", "--tag", "events").output.startswith(
        "ann@example.com\tAnn\tactive\t")


def test_remove_of_a_typo_of_a_listed_reader_names_them_and_changes_nothing(store_site):
    result = invoke(store_site, "subscribers", "remove", "grcae@example.org")
    assert result.exit_code == 2
    assert result.output.startswith("error: grcae@example.org is not on the list; did you mean "
                                    "grace@example.org? nothing changed; ")
    assert "--unlisted" in result.output
    assert _status_of(store_site, "grcae@example.org") is None
    assert _status_of(store_site, "grace@example.org") == "active"
    meant = invoke(store_site, "subscribers", "remove", "grace@example.org")
    assert meant.output == "unsubscribed grace@example.org\n"
    assert _status_of(store_site, "grace@example.org") == "unsubscribed"


def test_remove_unlisted_records_an_address_near_a_listed_one(store_site):
    result = invoke(store_site, "subscribers", "remove", "ada@exmaple.com", "--unlisted")
    assert result.exit_code == 0
    assert result.output == ("ada@exmaple.com is not on the list; recorded as unsubscribed "
                             "(never imported or mailed)\n")
    assert _status_of(store_site, "ada@exmaple.com") == "unsubscribed"
    assert _status_of(store_site, "ada@example.com") == "active"


def test_a_typo_of_a_reader_who_left_or_of_a_big_list_is_recorded_as_before(site, monkeypatch):
    left = invoke(site, "subscribers", "remove", "alna@example.com")  # alan left already
    assert left.exit_code == 0 and "recorded as unsubscribed" in left.output
    import importlib

    near = importlib.import_module("newsletter.subscribers.typo_hints")
    monkeypatch.setattr(near, "NEAR_LIST_LIMIT", 4)  # the example list has 5 readers
    big = invoke(site, "subscribers", "remove", "grcae@example.org")
    assert big.exit_code == 0 and "did you mean" not in big.output
    assert _status_of(site, "grcae@example.org") == "unsubscribed"
    assert _status_of(site, "grace@example.org") == "active"


def test_near_addresses_are_a_typo_away_in_the_local_part_or_the_domain():
    from newsletter.addresses import near_addresses

    listed = ["Ann@gmail.com", "anne@example.org", "bob@example.org", "bo@example.net"]
    assert near_addresses("ann@gmial.com", listed) == ["Ann@gmail.com"]
    assert near_addresses("ANE@example.org", listed) == ["anne@example.org"]
    assert near_addresses("b@example.org", listed) == []  # bob@: two letters off a short name
    assert near_addresses("bob@example.org", listed) == []  # listed itself is no typo
