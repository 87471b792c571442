"""One migrations mechanism for every kind of state, `newsletter store migrate`, and the
refusal of a store made by a newer newsletter (docs/store.md)."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from newsletter.state import JOURNAL, LEDGER, SEND_LOG, SIGNUPS, WEBHOOK_TOKENS, WELCOME
from tests.conftest import invoke, run_cli

DURABLE = (LEDGER, JOURNAL, SIGNUPS, WEBHOOK_TOKENS, SEND_LOG, WELCOME)


def recorded(path) -> list[str]:
    with closing(sqlite3.connect(path)) as db:
        return [name for (name,) in db.execute("SELECT name FROM migrations ORDER BY rowid")]


def test_store_migrate_makes_every_kind_of_state_then_has_nothing_to_do(site):
    first = invoke(site, "store", "migrate")
    assert first.exit_code == 0, first.output
    for schema in DURABLE:
        path = site / ".newsletter" / schema.file
        assert recorded(path) == list(schema.names)
        assert f"{path}: {len(schema.migrations)} migration(s) applied" in first.output
    again = invoke(site, "store", "migrate")
    assert again.output.count("up to date") == len(DURABLE)


def test_a_journal_made_before_migrations_were_recorded_keeps_its_unsubscribes(site):
    """Files an earlier version made by hand (CREATE TABLE IF NOT EXISTS, no record) are
    adopted by their first migration, rows intact."""
    path = site / ".newsletter" / JOURNAL.file
    path.parent.mkdir()
    with closing(sqlite3.connect(path)) as db:
        db.execute("""CREATE TABLE changes (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT
            NULL, address TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL,
            record_unknown INTEGER NOT NULL, at TEXT NOT NULL, folded_at TEXT)""")
        db.execute("CREATE TABLE state (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("INSERT INTO changes VALUES (1, 'grace@example.com', 'grace@example.com', "
                   "'unsubscribed', 'one-click', 1, '2026-01-01', NULL)")
        db.commit()
    assert invoke(site, "store", "migrate").exit_code == 0
    assert recorded(path) == list(JOURNAL.names)
    listed = invoke(site, "subscribers", "list", "--status", "unsubscribed").output
    assert "grace@example.com" in listed


@pytest.mark.parametrize("schema", DURABLE, ids=lambda schema: schema.kind)
def test_every_command_refuses_a_store_a_newer_newsletter_made_in_one_line(site, schema):
    invoke(site, "store", "migrate")
    path = site / ".newsletter" / schema.file
    with closing(sqlite3.connect(path)) as db:
        db.execute("INSERT INTO migrations VALUES ('m900_from_the_future', '')")
        db.commit()
    before = path.read_bytes()
    result = run_cli(site, "store", "migrate")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {path}: made by a newer newsletter (its schema has migration "
        "m900_from_the_future, which this version does not know); upgrade newsletter to the "
        "version that wrote it, or newer\n")
    assert path.read_bytes() == before


def test_send_and_status_refuse_a_newer_ledger_and_send_nothing(site):
    invoke(site, "store", "migrate")
    path = site / ".newsletter" / LEDGER.file
    with closing(sqlite3.connect(path)) as db:
        db.execute("INSERT INTO migrations VALUES ('m900_from_the_future', '')")
        db.commit()
    for args in (("status",), ("send", "what-matters", "--yes")):
        result = run_cli(site, *args, env={"NEWSLETTER_SECRET": "s" * 32})
        assert result.returncode == 1, result.stderr
        assert result.stderr.splitlines()[-1].startswith(
            f"error: {path}: made by a newer newsletter"), result.stderr
        assert "Traceback" not in result.stderr
    assert not (site / "outbox").exists() or not any((site / "outbox").iterdir())
