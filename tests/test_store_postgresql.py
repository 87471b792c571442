"""The PostgreSQL store as a writer sets it up: `[store] url`, `store migrate`, a schema from
a newer newsletter refused, and no SQLite file made in that mode (docs/store.md)."""

from __future__ import annotations

import psycopg

from newsletter.state import (
    EVENTS,
    JOURNAL,
    LEDGER,
    LIST,
    SEND_LOG,
    SIGNUPS,
    WEBHOOK_TOKENS,
    WELCOME,
)
from tests.conftest import invoke, run_cli
from tests.pg_support import pg_url, use_postgresql  # noqa: F401 (fixture)

KINDS = (LIST, LEDGER, JOURNAL, SIGNUPS, WEBHOOK_TOKENS, EVENTS, SEND_LOG, WELCOME)


def test_store_migrate_builds_every_table_once_and_makes_no_sqlite_file(site, pg_url):
    use_postgresql(site, pg_url)
    first = invoke(site, "store", "migrate")
    assert first.exit_code == 0, first.output
    for schema in KINDS:
        assert (f"the PostgreSQL store ({schema.kind}): {len(schema.migrations)} migration(s) "
                "applied") in first.output
    with psycopg.connect(pg_url) as db:
        tables = {name for (name,) in db.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}
    assert {"subscribers", "deliveries", "ledger_meta", "runs", "journal_changes", "signups",
            "used_tokens", "events", "send_log", "welcome_meta", "welcome_progress",
                "welcome_sent", "newsletter_migrations"} <= tables
    assert invoke(site, "store", "migrate").output.count("up to date") == len(KINDS)
    invoke(site, "subscribers", "add", "new@example.org")
    invoke(site, "subscribers", "remove", "new@example.org")
    assert list(site.rglob("*.db")) == []


def test_a_database_a_newer_newsletter_migrated_is_refused_in_one_line(site, pg_url):
    use_postgresql(site, pg_url)
    invoke(site, "store", "migrate")
    with psycopg.connect(pg_url, autocommit=True) as db:
        db.execute("INSERT INTO newsletter_migrations (kind, name) "
                   "VALUES ('list', 'm900_from_the_future')")
    for args in (("store", "migrate"), ("subscribers", "add", "x@example.org")):
        result = run_cli(site, *args)
        assert result.returncode == 1
        assert result.stderr == (
            "error: the PostgreSQL store (list): made by a newer newsletter (its schema has "
            "migration m900_from_the_future, which this version does not know); upgrade "
            "newsletter to the version that wrote it, or newer\n")
    with psycopg.connect(pg_url) as db:
        assert db.execute("SELECT count(*) FROM subscribers").fetchone()[0] == 0
