"""`newsletter store copy --to postgresql://...`: a site's files into an empty PostgreSQL
store, counted, resumable; and `subscribers export` the same from either store afterwards."""

from __future__ import annotations

import json
import re

import psycopg
import pytest
from fake_providers import write_provider_settings, write_settings

from newsletter.addresses import address_key
from newsletter.config import load_settings
from newsletter.sending import DeliveryEvent, EventStore
from newsletter.subscribers import Suppression, open_store, record_suppressions
from tests.conftest import copy_example_site, invoke
from tests.pg_support import pg_url, use_postgresql  # noqa: F401 (fixture)


def a_site_with_history(site):
    """The example site after a send, an unsubscribe and a reader added."""
    assert invoke(site, "send", "what-matters", "--yes").exit_code == 0
    assert invoke(site, "subscribers", "remove", "grace@example.org").exit_code == 0
    assert invoke(site, "subscribers", "add", "new@example.net", "--tag", "late").exit_code == 0
    return site


def counts(url) -> dict[str, int]:
    with psycopg.connect(url) as db:
        return {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("subscribers", "deliveries", "runs", "ledger_meta")}


def test_copy_moves_list_and_ledger_and_export_is_the_same_from_postgresql(site, pg_url):
    a_site_with_history(site)
    exported = invoke(site, "subscribers", "export").stdout  # stderr: the bad row, left out
    result = invoke(site, "store", "copy", "--to", pg_url)
    assert result.exit_code == 0, result.output
    assert "subscribers: 6 reader(s), 6 new to the store" in result.output
    assert "deliveries: 4 row(s), 4 new to the store" in result.output
    assert "copied and counted" in result.output
    with psycopg.connect(pg_url) as db:
        sent = {address for (address,) in db.execute(
            "SELECT address FROM deliveries WHERE state = 'sent'")}
    assert sent == {"ada@example.com", "grace@example.org", "katherine@example.org",
                    "edsger@example.com"}
    use_postgresql(site, pg_url)
    for path in (site / "subscribers").iterdir():
        path.unlink()
    assert invoke(site, "subscribers", "export").stdout == exported


def test_a_copy_run_again_adds_nothing_and_one_stopped_halfway_is_finished(site, pg_url):
    a_site_with_history(site)
    invoke(site, "store", "copy", "--to", pg_url)
    whole = counts(pg_url)
    again = invoke(site, "store", "copy", "--to", pg_url)
    assert "subscribers: 6 reader(s), 0 new to the store" in again.output
    assert counts(pg_url) == whole
    with psycopg.connect(pg_url, autocommit=True) as db:  # as if the copy had stopped
        db.execute("DELETE FROM deliveries WHERE address LIKE '%%.org'")
        db.execute("DELETE FROM subscribers WHERE position > 3")
    resumed = invoke(site, "store", "copy", "--to", pg_url)
    assert resumed.exit_code == 0, resumed.output
    assert "deliveries: 4 row(s), 2 new to the store" in resumed.output
    assert counts(pg_url) == whole


@pytest.mark.parametrize("row, counted", [
    ("INSERT INTO deliveries (post_id, address, state, created_at, updated_at) VALUES "
     "('/posts/elsewhere', 'x@example.com', 'sent', '', '')",
     "the table deliveries holds 5 rows, the files 4"),
    # The list is counted whole as the tables are: a store already holding a reader the files
    # lack is not taken for a copy of them (the two lists would be merged).
    ("INSERT INTO subscribers (key, email, address, status, subscribed_at) VALUES "
     "('x@example.com', 'x@example.com', 'x@example.com', 'active', '')",
     "the table subscribers holds 7 readers, the files 6"),
])
def test_a_copy_into_a_store_holding_other_rows_fails_its_count_in_one_line(site, pg_url, row,
                                                                              counted):
    a_site_with_history(site)
    invoke(site, "store", "copy", "--to", pg_url)
    with psycopg.connect(pg_url, autocommit=True) as db:
        db.execute(row)
    result = invoke(site, "store", "copy", "--to", pg_url)
    assert result.exit_code == 1
    assert result.output.endswith(f"error: the PostgreSQL store: {counted}; copy into an empty "
                                  "store (a new database or schema)\n")


def test_a_copy_counts_an_unlisted_address_the_journal_keeps_as_a_reader(site, pg_url):
    """A complaint from an address the list lacks is a reader of the files (no import may
    mail them), so the copy holds them and its count agrees."""
    a_site_with_history(site)
    record_suppressions(open_store(load_settings(site, {})),
                        [Suppression("stranger@example.org", "complained", "webhook")],
                        record_unknown=True)
    result = invoke(site, "store", "copy", "--to", pg_url)
    assert result.exit_code == 0, result.output
    assert "subscribers: 7 reader(s), 7 new to the store" in result.output


def test_the_delivery_events_move_too_and_the_funnel_reads_the_same(site, pg_url):
    a_site_with_history(site)
    post = json.loads(invoke(site, "status", "what-matters", "--json").output)["post"]
    events = EventStore(site / ".newsletter")
    try:
        events.record([DeliveryEvent("postmark", f"pm-{n}", kind, address_key(address), post,
                                     1_800_000_000.0 + n)
                       for n, (kind, address) in enumerate((
                           ("delivered", "ada@example.com"), ("bounced", "edsger@example.com"),
                           ("delivered", "katherine@example.org"),
                           ("bounced", "ada@example.com")))])  # bounced back after delivery
    finally:
        events.close()
    before = json.loads(invoke(site, "status", "what-matters", "--json").output)
    result = invoke(site, "store", "copy", "--to", pg_url)
    assert "events: 4 row(s), 4 new to the store" in result.output
    use_postgresql(site, pg_url)
    after = json.loads(invoke(site, "status", "what-matters", "--json").output)
    assert (after["delivered"], after["bounced"]) == (1, 2) and after == before


def test_the_welcome_series_and_the_send_log_move_too_and_read_the_same(site, pg_url):
    write_settings(site, "welcome", enabled=True, posts=["what-matters"], every="1d")
    write_provider_settings(site, name="outbox", daily_limit=100)
    env = {"NEWSLETTER_SECRET": "test-secret"}
    assert invoke(site, "send", "--due", env=env).exit_code == 0  # the broadcast; series starts
    assert invoke(site, "subscribers", "add", "new@example.net").exit_code == 0
    assert invoke(site, "send", "--due", env=env).exit_code == 0  # the newcomer's welcome
    moved = site / "moved.csv"  # a reader moved from another service: not in the series
    moved.write_text("email\nmoved@example.net\n")
    assert invoke(site, "subscribers", "import", str(moved)).exit_code == 0
    before = invoke(site, "welcome", "status").output
    assert "/posts/what-matters: sent 1, due now 0, waiting 0" in before
    result = invoke(site, "store", "copy", "--to", pg_url)
    assert result.exit_code == 0, result.output
    for line in ("welcome_meta: 1 row(s), 1 new", "welcome_progress: 1 row(s), 1 new",
                 "welcome_sent: 1 row(s), 1 new", "welcome_arrivals: 1 row(s), 1 new"):
        assert line in result.output
    assert re.search(r"send_log: [12] row\(s\)", result.output), result.output
    use_postgresql(site, pg_url)
    for path in (site / "subscribers").iterdir():
        path.unlink()
    assert invoke(site, "welcome", "status").output == before
    with psycopg.connect(pg_url) as db:  # 4 broadcast, 1 welcome: counted against the limit
        assert db.execute("SELECT sum(messages) FROM send_log").fetchone()[0] == 5


def test_a_messy_list_reads_the_same_from_postgresql_after_the_copy(site, pg_url):
    # The copy streams the files in two reads (so a million readers fit in flat memory); what
    # lands must still be the list as every command reads it: one row per reader, the first
    # copy's values, a later copy that left winning, the journal's unfolded changes applied.
    (site / "subscribers" / "imported.csv").write_text(
        "email,name,status\n"
        "ADA@example.com,Ada Again,active\n"          # a repeat: the first file's copy wins
        "grace@example.org,,unsubscribed\n"           # a later copy that left wins
        "mary@example.net,Mary,active\n"
        "mary@example.net,Mary Two,unconfirmed\n"     # unconfirmed in a repeat
        "not an address,Nobody,active\n"              # a problem, never copied
        "joan@example.net,Joan,active\n")
    assert invoke(site, "subscribers", "remove", "joan@example.net").exit_code == 0
    exported = invoke(site, "subscribers", "export").stdout  # stderr: the bad row, left out
    listed = invoke(site, "subscribers", "list").output.split("warning:")[0]  # the bad row
    result = invoke(site, "store", "copy", "--to", pg_url)
    assert result.exit_code == 0, result.output
    assert "subscribers: 7 reader(s), 7 new to the store" in result.output
    assert "imported.csv:6" in result.output  # the row that is not an address, named
    use_postgresql(site, pg_url)
    for path in (site / "subscribers").iterdir():
        path.unlink()
    assert invoke(site, "subscribers", "export").stdout == exported
    assert invoke(site, "subscribers", "list").output == listed
    assert "grace@example.org" in exported and ",unsubscribed," in exported


def test_a_copy_run_again_carries_a_reader_who_left_the_files_since(site, pg_url):
    """Suppression wins: an unsubscribe the files took after the first run (serve kept going,
    or the copy stopped) reaches the store with the next run; the reader was left active."""
    a_site_with_history(site)
    assert invoke(site, "store", "copy", "--to", pg_url).exit_code == 0
    assert invoke(site, "subscribers", "remove", "ada@example.com").exit_code == 0
    again = invoke(site, "store", "copy", "--to", pg_url)
    assert again.exit_code == 0, again.output
    with psycopg.connect(pg_url) as db:
        assert db.execute("SELECT status FROM subscribers WHERE key = %s",
                          (address_key("ada@example.com"),)).fetchone() == ("unsubscribed",)


def another_site(tmp_path, reader="stranger@example.net"):
    """A second blog (its own address and list), to point at the first one's store."""
    other = copy_example_site(tmp_path / "other")
    settings = other / "newsletter.toml"
    settings.write_text(settings.read_text().replace('url = "https://blog.example.com"',
                                                     'url = "https://other.example.net"'))
    (other / "subscribers" / "subscribers.csv").write_text(f"email,name\n{reader},Stranger\n")
    return other


def test_a_copy_into_another_sites_store_is_refused_before_a_row_is_written(site, pg_url,
                                                                           tmp_path):
    """The copy wrote the other blog's readers into this one's list (and unsubscribed those
    who left there) before its count refused: the next send mailed a stranger."""
    a_site_with_history(site)
    assert invoke(site, "store", "copy", "--to", pg_url).exit_code == 0
    before = counts(pg_url)
    other = another_site(tmp_path, reader="ada@example.com")
    assert invoke(other, "subscribers", "remove", "ada@example.com").exit_code == 0
    result = invoke(other, "store", "copy", "--to", pg_url)
    assert result.exit_code == 1
    assert result.output.startswith(
        "error: the PostgreSQL store: holds the state of the site https://blog.example.com, "
        "not of this one (https://other.example.net); give each site a store of its own")
    assert len(result.output.splitlines()) == 1
    assert counts(pg_url) == before
    with psycopg.connect(pg_url) as db:
        assert db.execute("SELECT status FROM subscribers WHERE key = 'ada@example.com'"
                          ).fetchone() == ("active",)


def test_a_copy_into_a_store_holding_rows_no_copy_wrote_is_refused_before_writing(site,
                                                                                  pg_url):
    """A store made before it recorded its site, holding another list: refused, not merged."""
    use_postgresql(site, pg_url)
    assert invoke(site, "subscribers", "add", "stranger@example.net").exit_code == 0
    with psycopg.connect(pg_url, autocommit=True) as db:
        db.execute("DELETE FROM newsletter_site")  # as a store from before the record
    settings = site / "newsletter.toml"
    settings.write_text(settings.read_text().split("\n[store]")[0])
    result = invoke(site, "store", "copy", "--to", pg_url)
    assert result.exit_code == 1
    assert result.output == ("error: the PostgreSQL store: is not empty (subscribers: rows no "
                             "copy of this site wrote); copy into an empty store (a new "
                             "database or schema)\n")
    assert counts(pg_url)["subscribers"] == 1


def test_a_second_site_pointed_at_a_sites_store_is_refused_by_every_command(site, pg_url,
                                                                            tmp_path):
    """Two blogs given one store URL shared one list: the second's send mailed the first's
    readers its post, and its status counted them."""
    use_postgresql(site, pg_url)
    assert invoke(site, "subscribers", "add", "reader@example.org").exit_code == 0
    other = another_site(tmp_path)
    use_postgresql(other, pg_url.replace("127.0.0.1", "localhost"))  # the same store
    for args in (("subscribers", "list"), ("status",), ("send", "--due"),
                 ("send", "what-matters", "--yes"), ("store", "migrate"),
                 ("store", "copy", "--to", pg_url)):
        result = invoke(other, *args, env={"NEWSLETTER_SECRET": "test-secret"})
        assert result.exit_code == 1, (args, result.output)
        assert result.output.startswith("error: the PostgreSQL store: holds the state of the "
                                        "site https://blog.example.com, not of this one"), args
    assert not (other / "outbox").exists()
    with psycopg.connect(pg_url) as db:  # nothing changed: not even the ledger's tables made
        assert db.execute("SELECT to_regclass('deliveries')").fetchone() == (None,)
    assert "reader@example.org" in invoke(site, "subscribers", "list").output


def test_copy_to_files_brings_the_store_back_and_every_command_says_the_same(site, pg_url,
                                                                             tmp_path):
    """The way back: with only the list exported, the files had no ledger, and `send --due`
    mailed every post again to every reader who had it."""
    write_settings(site, "welcome", enabled=True, posts=["what-matters"], every="1d")
    a_site_with_history(site)
    (site / "subscribers" / "more.csv").write_text(
        "email,name,status,company\nat@example.net,@jane,active,=Sums Ltd\n")
    env = {"NEWSLETTER_SECRET": "test-secret"}
    assert invoke(site, "store", "copy", "--to", pg_url).exit_code == 0
    use_postgresql(site, pg_url)
    aside = tmp_path / "before-the-move"
    (site / "subscribers").rename(aside)
    assert invoke(site, "subscribers", "add", "later@example.net").exit_code == 0
    assert invoke(site, "send", "--due", env=env).exit_code == 0  # on PostgreSQL now
    commands = (("status",), ("posts",), ("status", "what-matters", "--json"),
                ("welcome", "status"), ("subscribers", "list"), ("subscribers", "count"),
                ("send", "--due", "--dry-run", "--now", "2026-12-31T09:00"))
    on_postgresql = [invoke(site, *args, env=env).output for args in commands]
    exported = invoke(site, "subscribers", "export").output

    refused = invoke(site, "store", "copy", "--to", "files")  # the files from before the move
    assert refused.exit_code == 1
    assert refused.output.startswith(f"error: {site / '.newsletter'}: holds state of its own "
                                     "(ledger.db, journal.db")
    (site / ".newsletter").rename(tmp_path / "state-before-the-move")
    result = invoke(site, "store", "copy", "--to", "files")
    assert result.exit_code == 0, result.output
    held = counts(pg_url)
    assert f"subscribers: {held['subscribers']} reader(s)" in result.output
    assert f"deliveries: {held['deliveries']} row(s)" in result.output
    settings = site / "newsletter.toml"
    settings.write_text(settings.read_text().split("\n[store]")[0])

    assert [invoke(site, *args, env=env).output for args in commands] == on_postgresql
    assert invoke(site, "subscribers", "export").output == exported
    assert "at@example.net,@jane,active" in (site / "subscribers" / "subscribers.csv").read_text()
    again = invoke(site, "send", "--due", env=env)
    assert again.exit_code == 0 and again.output == "", again.output


def test_a_server_of_another_site_is_refused_at_every_request_not_only_the_first(site, pg_url):
    """`serve` keeps one Database for its life: a refusal must not be forgotten by the next
    request, which would then read and write the other site's list."""
    from newsletter.errors import StoreError
    from newsletter.state import LIST, postgres

    use_postgresql(site, pg_url)
    assert invoke(site, "subscribers", "add", "reader@example.org").exit_code == 0
    database = postgres.Database(pg_url, pooled=True, site="https://other.example.net")
    try:
        for _ in range(2):
            with pytest.raises(StoreError, match="holds the state of the site"):
                with database.connection(LIST) as db:
                    db.execute("SELECT count(*) FROM subscribers")
    finally:
        database.close()
