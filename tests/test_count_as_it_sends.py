"""`send --yes` on a long list whose roster is stale reads the list once, counting as it sends,
and still names every row it could not use."""

from __future__ import annotations

from conftest import invoke
from sending_support import ledger_states, site_settings, write_readers
from tests.pg_support import pg_url, store_site  # noqa: F401 (fixtures)

import newsletter.cli.send as send_command
from newsletter.sending import reader_feed


def test_a_long_list_is_read_once_and_its_bad_rows_are_still_reported(site, monkeypatch):
    monkeypatch.setattr(send_command, "COUNT_FIRST_MAX_BYTES", 0)  # every list is "long"
    monkeypatch.setattr(reader_feed, "HELPER_MIN_BYTES", 0)  # read in the helper process
    addresses = write_readers(site, 30)
    with (site / "subscribers" / "subscribers.csv").open("a") as csv:
        csv.write("not-an-email,Bob,active\n")

    result = invoke(site, "send", "what-matters", "--yes")

    assert result.exit_code == 0, result.output
    assert "Recipients: counted as they are sent" in result.output
    assert "Sent 30, failed 0, in doubt 0, pending 0." in result.output
    assert "'not-an-email' is not a valid address" in result.output
    assert "1 subscriber row(s) skipped" in result.output
    assert sorted(ledger_states(site_settings(site))) == sorted(addresses)
    assert not (site / ".newsletter" / "roster.db").exists()  # no count pass before the send
    again = invoke(site, "send", "what-matters", "--yes")
    assert again.exit_code == 0 and "Nothing left to send" in again.output


def test_a_dry_run_or_a_question_still_counts_first(site, monkeypatch):
    monkeypatch.setattr(send_command, "COUNT_FIRST_MAX_BYTES", 0)
    write_readers(site, 12)
    assert "Recipients: 12" in invoke(site, "send", "what-matters", "--dry-run").output


def test_a_long_list_on_either_store_is_counted_as_it_is_sent(store_site, monkeypatch):  # noqa: F811
    """PostgreSQL too: each sender's count was a pass over the list before its first batch."""
    monkeypatch.setattr(send_command, "COUNT_FIRST_MAX_BYTES", 0)
    monkeypatch.setattr(send_command, "COUNT_FIRST_MAX_ROWS", 0)
    first = invoke(store_site, "send", "what-matters", "--yes")
    assert first.exit_code == 0, first.output
    assert "Recipients: counted as they are sent" in first.output
    assert "Sent 4, failed 0, in doubt 0, pending 0." in first.output
    again = invoke(store_site, "send", "what-matters", "--yes")
    assert again.exit_code == 0 and "Nothing left to send" in again.output
    for address in ("ada@example.com", "edsger@example.com", "grace@example.org",
                    "katherine@example.org"):
        assert invoke(store_site, "subscribers", "remove", address).exit_code == 0
    nobody = invoke(store_site, "send", "what-matters", "--yes")
    assert nobody.exit_code == 1 and "error: the list is empty" in nobody.output
