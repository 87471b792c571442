"""The subscriber list behaves the same on both stores: the files and PostgreSQL run these
same tests (tests/pg_support.py's ``store_site``), so the two cannot drift apart."""

from __future__ import annotations

import re

import pytest

from newsletter.config import load_settings
from newsletter.subscribers import Status, Suppression, open_store, record_suppressions
from tests.conftest import invoke
from tests.pg_support import each_store, list_into_store, pg_url, store_site  # noqa: F401 (fixtures)


def active_addresses(site) -> list[str]:
    store = open_store(load_settings(site, {}))
    return [reader.address for reader in store.active()]


def test_counts_by_status_are_the_same_on_both_stores(store_site):
    result = invoke(store_site, "subscribers", "count")
    assert result.exit_code == 0, result.output
    assert "unsubscribed        1" in result.output
    assert "total               5" in result.output


def test_add_list_remove_round_trip(store_site):
    assert invoke(store_site, "subscribers", "add", "New@Example.COM", "--name", "New",
                  "--tag", "a", "--tag", "b").output == "added New@example.com\n"
    assert "New@example.com\tNew\tactive\ta,b" in invoke(store_site, "subscribers",
                                                          "list").output
    assert invoke(store_site, "subscribers", "add", "new@example.com").output == \
        "new@example.com is already subscribed\n"
    assert invoke(store_site, "subscribers", "remove", "new@example.com").output == \
        "unsubscribed new@example.com\n"
    assert invoke(store_site, "subscribers", "remove", "new@example.com").output == \
        ("new@example.com had already left the list (unsubscribed, bounced or complained); "
         "nothing changed\n")
    assert "New@example.com" not in invoke(store_site, "subscribers", "list", "--status",
                                           "active").output


def test_a_reader_who_left_is_only_brought_back_with_resubscribe(store_site):
    result = invoke(store_site, "subscribers", "add", "alan@example.com")
    assert result.exit_code == 2
    assert result.output.startswith("error: ")
    assert result.output.endswith("alan@example.com is unsubscribed; pass --resubscribe only "
                                  "if they asked to come back\n")
    assert "alan@example.com" not in active_addresses(store_site)
    assert invoke(store_site, "subscribers", "add", "alan@example.com",
                  "--resubscribe").output == "alan@example.com is active again\n"
    assert "alan@example.com" in active_addresses(store_site)


def test_a_suppression_wins_at_once_and_a_running_send_sees_it(store_site):
    """What a one-click unsubscribe does: recorded, in effect for every read, and among the
    suppressed keys a send asks for before its next batch."""
    settings = load_settings(store_site, {})
    sending = open_store(settings)
    first = next(iter(sending.active()))
    assert first.key not in sending.suppressed_addresses()
    serving = open_store(settings)  # another process's view of the same list
    record_suppressions(serving, [Suppression(first.address, "unsubscribed", "one-click")],
                        record_unknown=True)
    assert first.key in sending.suppressed_addresses()
    assert first.address not in active_addresses(store_site)
    assert not serving.is_active(first.address) and serving.is_listed(first.address)


def test_a_suppression_of_an_unlisted_address_keeps_a_record_so_no_import_mails_it(store_site):
    store = open_store(load_settings(store_site, {}))
    record_suppressions(store, [Suppression("stranger@example.org", "complained", "webhook")],
                        record_unknown=True)
    readers, _ = store.load()
    assert [(r.address, r.status) for r in readers if r.address == "stranger@example.org"] == [
        ("stranger@example.org", Status.COMPLAINED)]


def test_a_reader_who_left_keeps_their_status_whatever_comes_later(store_site):
    store = open_store(load_settings(store_site, {}))
    record_suppressions(store, [Suppression("alan@example.com", "bounced", "webhook")])
    readers, _ = store.load()
    assert {r.address: r.status for r in readers}["alan@example.com"] == Status.UNSUBSCRIBED


@pytest.mark.parametrize("tag", ["founding", "FOUNDING"])
def test_a_segment_by_tag_is_the_same_on_both_stores(store_site, tag):
    store = open_store(load_settings(store_site, {}))
    everyone = [r.address for r in store.active()]
    tagged = [r.address for r in store.active(tags=[tag])]
    assert tagged and set(tagged) < set(everyone)


def test_export_writes_the_same_csv_from_either_store(store_site, site):
    result = invoke(store_site, "subscribers", "export")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "email,name,status,tags,subscribed_at"
    assert "alan@example.com,Alan Turing,unsubscribed,founding,2026-02-01T08:15:00+00:00" in \
        result.output.splitlines()
    assert len(result.output.splitlines()) == 6


def test_a_reader_added_joins_at_a_time_to_the_second_on_both_stores(store_site):
    """The list writes its times to the second (as its sign-ups and imports do); PostgreSQL
    wrote the journal's milliseconds for `subscribers add`, and its export showed them."""
    assert invoke(store_site, "subscribers", "add", "new@example.net").exit_code == 0
    exported = invoke(store_site, "subscribers", "export").output.splitlines()
    added = next(line for line in exported if line.startswith("new@example.net,"))
    assert re.fullmatch(r"new@example\.net,,active,,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00",
                        added), added


IMPORT = ("email,name,status,tags\n"
          "new@example.net,New,,weekly\n"          # added
          "gone@example.net,,unsubscribed,\n"      # added, as a suppression record
          "ada@example.com,,unsubscribed,\n"       # active here, left there: leaves here
          "alan@example.com,Alan,,\n"              # unsubscribed here: skipped
          "grace@example.org,,active,navy\n"       # a new tag: updated
          "katherine@example.org,,unconfirmed,\n"  # unconfirmed there: stays active
          "edsger@example.com,Edsger Dijkstra,,\n"  # as listed: unchanged
          "NEW@example.net,,,\n"                   # twice in the file: a repeat
          "not-an-address,,,\n")                   # invalid


def listed(site) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    readers, _ = open_store(load_settings(site, {})).load()
    return {reader.address: (reader.status.value, reader.name, reader.tags)
            for reader in readers}


def test_import_merges_with_the_same_outcomes_on_both_stores(store_site, tmp_path,
                                                              monkeypatch):
    from newsletter.subscribers import postgres_import

    monkeypatch.setattr(postgres_import, "CHUNK", 2)  # several chunks in one transaction
    path = tmp_path / "list.csv"
    path.write_text(IMPORT)
    result = invoke(store_site, "subscribers", "import", str(path))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-4:] == [
        "list.csv: newsletter subscriber file, 8 reader(s): active 5, unsubscribed 2, "
        "unconfirmed 1",
        "added 2, updated 2, unchanged 2, skipped 1, invalid 1",
        "1 row(s) repeat a reader listed above them in the file (one reader, every row's tags; "
        "a leaver's status wins)",
        "1 reader(s) unsubscribed, bounced or complained here and were left so; "
        "--resubscribe only with their consent"]
    after = listed(store_site)
    assert after["new@example.net"] == ("active", "New", ("weekly",))
    assert after["gone@example.net"][0] == "unsubscribed"
    assert after["ada@example.com"] == ("unsubscribed", "Ada Lovelace", ("founding",))
    assert after["alan@example.com"][0] == "unsubscribed"
    assert after["grace@example.org"] == ("active", "Grace Hopper", ("navy",))
    assert after["katherine@example.org"][0] == "active"
    assert "ada@example.com" not in active_addresses(store_site)
    again = invoke(store_site, "subscribers", "import", str(path), "--resubscribe")
    assert "added 0, updated 1, unchanged 6, skipped 0, invalid 1" in again.output
    assert listed(store_site)["alan@example.com"] == ("active", "Alan Turing", ("founding",))
    assert not list(store_site.rglob(".import-*"))  # the staged readers are gone


def test_an_import_refused_changes_nothing_on_either_store(store_site, tmp_path):
    before = listed(store_site)
    path = tmp_path / "list.csv"
    path.write_text("email,name,Subscribed\nw1@example.com,W,yes\n")
    result = invoke(store_site, "subscribers", "import", str(path))
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {path}: column 'Subscribed' holds a status")
    assert listed(store_site) == before


def test_columns_of_its_own_export_in_the_order_the_list_wrote_them(site, each_store):
    # PostgreSQL keeps them in a JSONB object, which orders keys by length: "zip" before
    # "referrer" before "company".
    (site / "subscribers" / "list.csv").write_text(
        "email,name,company,referrer,zip\n"
        "one@example.com,One,Acme,a friend,12345\n"
        "two@example.com,Two,,,\n", encoding="utf-8")
    list_into_store(site)

    lines = invoke(site, "subscribers", "export").output.splitlines()

    assert lines[0] == "email,name,status,tags,subscribed_at,company,referrer,zip"
    assert "one@example.com,One,active,,,Acme,a friend,12345" in lines
