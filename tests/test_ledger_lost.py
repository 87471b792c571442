"""A ledger file deleted or broken between runs: no command takes it for "nothing sent yet"."""

from __future__ import annotations

from conftest import invoke
from pg_support import pg_url  # noqa: F401 (fixture)


def outbox_files(site) -> list[str]:
    return sorted(path.name for path in (site / "outbox").rglob("*.eml"))


def test_a_deleted_ledger_stops_every_command_instead_of_mailing_everyone_again(site):
    assert invoke(site, "send", "what-matters", "--yes").exit_code == 0
    sent = outbox_files(site)
    for part in (site / ".newsletter").glob("ledger.db*"):
        part.unlink()
    for command in (("send", "what-matters", "--yes"), ("send", "--due"), ("status",),
                    ("posts",), ("reconcile",)):
        result = invoke(site, *command)
        assert result.exit_code == 1, command
        assert result.output.count("\n") == 1, command
        assert "ledger.db is gone" in result.output
        assert "restore .newsletter/ledger.db from a backup" in result.output
    assert outbox_files(site) == sent  # nobody mailed twice
    # Starting over is a choice the writer makes, by deleting the file the refusal names.
    (site / ".newsletter" / "ledger.made").unlink()
    assert invoke(site, "status").output.startswith("Nothing sent yet")


def test_store_migrate_and_copy_make_no_empty_ledger_over_a_lost_one(site, pg_url):
    assert invoke(site, "send", "what-matters", "--yes").exit_code == 0
    for part in (site / ".newsletter").glob("ledger.db*"):
        part.unlink()
    for command in (("store", "migrate"), ("store", "copy", "--to", pg_url)):
        result = invoke(site, *command)
        assert result.exit_code == 1, command
        assert "ledger.db is gone" in result.output.splitlines()[-1]
    assert not (site / ".newsletter" / "ledger.db").exists()
    assert "ledger.db is gone" in invoke(site, "send", "what-matters", "--yes").output


def test_a_corrupted_ledger_is_one_line_and_sends_nothing(site):
    assert invoke(site, "send", "what-matters", "--yes").exit_code == 0
    sent = outbox_files(site)
    for part in (site / ".newsletter").glob("ledger.db-*"):
        part.unlink()
    (site / ".newsletter" / "ledger.db").write_bytes(b"not a ledger at all\n" * 100)
    for command in (("send", "what-matters", "--yes"), ("status",)):
        result = invoke(site, *command)
        assert result.exit_code == 1, command
        assert "ledger.db cannot be read as a ledger" in result.output
        assert "deleting it would send every post again" in result.output
    assert outbox_files(site) == sent
