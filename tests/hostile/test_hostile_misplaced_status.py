"""A hand-edited row whose status is out of place: never mailed, named on every path.

Before: ``ann@example.net,Ann Lee,,unsubscribed`` (a cell typed in too many) put Ann's
"unsubscribed" in the tags column and left the status cell empty, and a row with more cells than
the header pushed it past the header: both read as active, and the send mailed a reader who
had left. Such a row now suppresses its address and is reported as ``file:line``.
"""

from __future__ import annotations

from conftest import invoke
from pg_support import pg_url, store_site  # noqa: F401 (fixtures)

LEAVERS = ("ann@example.net,Ann Lee,,unsubscribed\n"      # a cell too many: status in tags
           "zed@example.net,Zed,,active,,,bounced\n")      # cells past the header
PROBLEMS = ("subscribers/subscribers.csv:7: the status cell is empty but column 'tags' says "
            "'unsubscribed'", "subscribers/subscribers.csv:8: 7 cells where the header names 5")


def hand_edited(site):
    with (site / "subscribers" / "subscribers.csv").open("a", encoding="utf-8") as list_file:
        list_file.write(LEAVERS)


def test_a_leaver_whose_status_moved_is_not_mailed_and_every_command_names_the_row(site):
    hand_edited(site)
    sent = invoke(site, "send", "what-matters", "--yes")
    assert sent.exit_code == 0, sent.output
    mailed = {path.stem for path in (site / "outbox" / "what-matters").glob("*.eml")}
    assert mailed == {"ada@example.com", "grace@example.org", "katherine@example.org",
                      "edsger@example.com"}
    assert all(problem in sent.stderr for problem in PROBLEMS)

    checked = invoke(site, "subscribers", "check")
    assert checked.exit_code == 2
    assert all(problem in checked.stdout + checked.stderr for problem in PROBLEMS)
    assert "invalid rows        2" in invoke(site, "subscribers", "count").stdout
    listed = invoke(site, "subscribers", "list", "--status", "active").stdout
    exported = invoke(site, "subscribers", "export").stdout
    assert "ann@" not in listed + exported and "zed@" not in listed + exported
    # Growing the list after a send (the appended rows read alone) is read the same way.
    hand_edited(site)
    again = invoke(site, "send", "what-matters", "--yes")
    assert again.exit_code == 0, again.output
    assert len(list((site / "outbox" / "what-matters").glob("*.eml"))) == 4


def test_adding_the_reader_again_asks_for_the_row_to_be_fixed_first(site):
    hand_edited(site)
    for flags in ((), ("--resubscribe",)):
        added = invoke(site, "subscribers", "add", "ann@example.net", *flags)
        assert added.exit_code == 2
        assert added.stderr == ("error: subscribers/subscribers.csv:7: ann@example.net's row has "
                                "more cells than its header: whether they left is a guess; fix "
                                "that row by hand first (`newsletter subscribers check`)\n")


def test_an_import_with_a_status_out_of_place_imports_nothing_on_either_store(store_site,
                                                                              tmp_path):
    incoming = tmp_path / "incoming.csv"
    incoming.write_text("email,name,status,tags\nnew@example.net,New,,\n"
                        "ann@example.net,Ann Lee,,unsubscribed\n", encoding="utf-8")
    before = invoke(store_site, "subscribers", "export").stdout
    result = invoke(store_site, "subscribers", "import", str(incoming))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {incoming}:3: the status cell is empty but "
                                    "column 'tags' says 'unsubscribed'")
    assert result.stderr.count("\n") == 1
    assert invoke(store_site, "subscribers", "export").stdout == before


def test_a_sign_up_of_an_address_whose_row_is_out_of_place_is_not_mailed_and_is_named(site,
                                                                                        caplog):
    import logging

    from signup_support import configure_signup, emails_to, settle, sign_up, signup_endpoint

    caplog.set_level(logging.WARNING)
    configure_signup(site)
    hand_edited(site)
    listed = (site / "subscribers" / "subscribers.csv").read_bytes()
    with signup_endpoint(site) as (base, app):
        answers = [sign_up(base, address) for address in ("ann@example.net", "new@example.net")]
        settle(app)
    assert [answer.status_code for answer in answers] == [200, 200]
    assert answers[0].text == answers[1].text  # nobody learns who is listed
    assert emails_to(site, "new@example.net") and not emails_to(site, "ann@example.net")
    after = (site / "subscribers" / "subscribers.csv").read_bytes()
    assert after.startswith(listed)  # ann's row as it was; new's unconfirmed row after it
    assert after[len(listed):].startswith(b"new@example.net,,unconfirmed,")
    warned = [r.getMessage() for r in caplog.records if "ann@example.net" in r.getMessage()]
    assert warned == ["sign-up of ann@example.net not mailed: its row in subscribers/ has its "
                      "status out of place (`newsletter subscribers check` names the line); fix "
                      "that row, then ask them to sign up again"]


def test_a_link_sent_before_the_row_moved_out_of_place_waits_for_the_fix(site, caplog):
    import logging

    import requests
    from signup_support import (
        configure_signup,
        confirm_path,
        emails_to,
        settle,
        sign_up,
        signup_endpoint,
    )

    caplog.set_level(logging.WARNING)
    configure_signup(site)
    list_file = site / "subscribers" / "subscribers.csv"
    with signup_endpoint(site) as (base, app):
        sign_up(base, "nora@example.net")
        settle(app)
        link = base + confirm_path(emails_to(site, "nora@example.net")[0])
        fine = list_file.read_text()
        list_file.write_text(fine.replace("nora@example.net,,unconfirmed,",
                                          "nora@example.net,,,unsubscribed"))  # a slip by hand
        edited = list_file.read_bytes()
        pressed = requests.post(link, data={"confirm": "yes"}, timeout=30)
        assert pressed.status_code == 409
        assert "owner must fix first" in pressed.text
        assert list_file.read_bytes() == edited
        assert any("confirmation of nora@example.net not recorded" in r.getMessage()
                   for r in caplog.records)
        list_file.write_text(fine)  # fixed: the reader's link works again
        again = requests.post(link, data={"confirm": "yes"}, timeout=30)
    assert again.status_code == 200 and "You are subscribed" in again.text
    assert "nora@example.net,,active," in list_file.read_text()


def test_an_import_naming_a_reader_whose_row_is_out_of_place_leaves_the_row_and_says_so(
        site, tmp_path):
    """Before: `import --resubscribe` set that row's status cell to active on a guess, leaving
    "unsubscribed" among Ann's tags, while `subscribers add --resubscribe` refused."""
    hand_edited(site)
    listed = (site / "subscribers" / "subscribers.csv").read_bytes()
    incoming = tmp_path / "members.csv"
    incoming.write_text("email,name\nann@example.net,Ann\n")
    for flags in ((), ("--resubscribe",)):
        result = invoke(site, "subscribers", "import", str(incoming), *flags)
        assert result.exit_code == 0, result.output
        assert "added 0, updated 0, unchanged 0, skipped 1, invalid 0" in result.stdout
        assert ("1 reader(s) left as they are: their row here has its status out of place; fix "
                "it first (`newsletter subscribers check`)") in result.stdout
        assert "--resubscribe only with their consent" not in result.stdout
        assert (site / "subscribers" / "subscribers.csv").read_bytes() == listed
