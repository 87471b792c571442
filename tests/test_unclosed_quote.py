"""A quote left open in a subscriber file: reported with its line by every command that reads
the list, the rows after it still read, and the file never rewritten until the writer fixes it."""

from __future__ import annotations

from urllib.parse import unquote

from conftest import invoke
from sending_support import site_settings
from web_server import statuses

from newsletter.subscribers import SubscriberStore

LIST = ("email,name,status\n"
        "p@example.com,P,active\n"
        'q@example.com,"Unclosed,active\n'  # line 3: the quote never closes
        "r@example.com,R,active\n"
        's@example.com,"Smith, S",active\n'
        "t@example.com,T,unsubscribed\n"
        "u@example.com,U,active\n")
PROBLEM = "subscribers/list.csv:3: unclosed quote"


def broken_site(site):
    (site / "subscribers" / "subscribers.csv").unlink()
    path = site / "subscribers" / "list.csv"
    path.write_text(LIST)
    return path


def test_check_reports_the_line_and_count_and_send_say_so(site):
    path = broken_site(site)
    check = invoke(site, "subscribers", "check")
    assert check.exit_code == 2
    assert check.output.splitlines()[0] == (
        f"{PROBLEM}; close the quote (or remove it); the file is not changed by any command "
        "until then")
    count = invoke(site, "subscribers", "count")
    assert "active              4" in count.output and "invalid rows        1" in count.output
    dry = invoke(site, "send", "what-matters", "--dry-run")
    assert f"warning: {PROBLEM}" in dry.output
    assert "Recipients: 4" in dry.output
    assert path.read_text() == LIST


def test_no_reader_after_the_quote_is_lost_from_sending(site):
    broken_site(site)
    result = invoke(site, "send", "what-matters", "--yes")
    assert result.exit_code == 0, result.output
    mailed = {unquote(p.stem) for p in (site / "outbox" / "what-matters").glob("*.eml")}
    assert mailed == {"p@example.com", "r@example.com", "s@example.com", "u@example.com"}


def test_a_command_that_would_rewrite_it_stops_with_that_line(site, tmp_path):
    path = broken_site(site)
    for args in (("remove", "u@example.com"), ("add", "r@example.com", "--resubscribe")):
        result = invoke(site, "subscribers", *args)
        assert result.exit_code == 2, args
        assert result.output.startswith(f"error: {PROBLEM};"), result.output
    incoming = tmp_path / "more.csv"
    incoming.write_text("email,name,status\nr@example.com,Rita,unsubscribed\n"
                        "new@example.com,New,\n")
    assert invoke(site, "subscribers", "import", str(incoming)).output.startswith(
        f"error: {PROBLEM};")
    assert path.read_text() == LIST
    assert statuses(site)["r@example.com"] == "active"  # nothing of the import took effect
    assert not (site / "subscribers" / "subscribers.csv").exists()
    # A change that does not touch its readers goes ahead, in another file.
    assert invoke(site, "subscribers", "add", "new@example.com").exit_code == 0
    assert path.read_text() == LIST


def test_an_import_of_a_file_with_an_unclosed_quote_imports_nothing(site, tmp_path):
    incoming = tmp_path / "export.csv"
    incoming.write_text(LIST)
    before = (site / "subscribers" / "subscribers.csv").read_bytes()
    result = invoke(site, "subscribers", "import", str(incoming))
    assert result.exit_code == 2
    assert result.output == (f"error: {incoming}:3: unclosed quote; close the quote and import "
                             "again; nothing was imported\n")
    assert (site / "subscribers" / "subscribers.csv").read_bytes() == before


def test_status_accounts_for_every_reader(site):
    broken_site(site)
    invoke(site, "send", "what-matters", "--yes")
    (site / "subscribers" / "list.csv").write_text(LIST + "v@example.com,V,active\n")
    status = invoke(site, "status", "what-matters")
    assert status.output.splitlines()[0] == (
        "/posts/what-matters: sent 4, failed 0, in doubt 0, pending 0, not yet sent 1")
    assert f"warning: {PROBLEM}" in status.output
    store = SubscriberStore(site_settings(site))
    readers, problems = store.load()
    # p r s u v active, t unsubscribed, q reported: all seven rows accounted for.
    assert len(readers) + len(problems) == 7


NOTED = ("email,name,status,notes\n"
         'v@example.com,V,active,"Met at the fair with\n'
         'w@example.com, who asked not to be added"\n'  # a closed quote: the note's own line
         "x@example.com,X,unsubscribed,\n")


def test_a_closed_quoted_note_whose_line_starts_with_an_address_is_one_cell(site, tmp_path):
    (site / "subscribers" / "subscribers.csv").write_text(NOTED)
    check = invoke(site, "subscribers", "check")
    assert check.exit_code == 0, check.output
    assert set(statuses(site)) == {"v@example.com", "x@example.com"}
    assert invoke(site, "subscribers", "remove", "v@example.com").exit_code == 0

    ghost = tmp_path / "members.csv"  # Ghost's export, a member's note on two lines
    ghost.write_text("id,email,name,note,subscribed_to_emails,complimentary_plan,"
                     "stripe_customer_id,created_at,deleted_at,labels,tiers\n"
                     '1,y@example.com,Y,"Referred by\nz@example.com, a reader",true,false,,'
                     "2024-01-15T10:00:00.000Z,,,\n")
    result = invoke(site, "subscribers", "import", str(ghost))
    assert result.exit_code == 0, result.output
    assert "1 reader(s): active 1" in result.output
    assert statuses(site)["y@example.com"] == "active" and "z@example.com" not in statuses(site)


LAST = ("email,name,status\n"
        "p@example.com,P,active\n"
        'q@example.com,"Unclosed,active\n')  # line 3, the last: the quote runs into the end


def test_a_quote_left_open_on_the_last_row_is_reported_too(site, tmp_path):
    # nothing starts like a row after it, so it once read as a reader named "Unclosed,active"
    path = broken_site(site)
    path.write_text(LAST)
    check = invoke(site, "subscribers", "check")
    assert check.exit_code == 2
    assert check.output.splitlines()[0].startswith(f"{PROBLEM}; close the quote")
    result = invoke(site, "send", "what-matters", "--yes")
    assert result.exit_code == 0, result.output
    assert {unquote(p.stem) for p in (site / "outbox" / "what-matters").glob("*.eml")} == {
        "p@example.com"}
    # a row added after it would be swallowed by the quote: the file is left as it is
    assert invoke(site, "subscribers", "remove", "p@example.com").exit_code == 2
    assert path.read_text() == LAST
    incoming = tmp_path / "export.csv"
    incoming.write_text(LAST.rstrip("\n"))  # no line end after it either
    imported = invoke(site, "subscribers", "import", str(incoming))
    assert imported.exit_code == 2
    assert imported.output.startswith(f"error: {incoming}:3: unclosed quote;")
