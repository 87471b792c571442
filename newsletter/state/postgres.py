"""The PostgreSQL store: every kind of state in one database (docs/store.md).

Connections come from the store URL (``Settings.store_url``; the password from PGPASSWORD or
inside NEWSLETTER_STORE_URL). No message here quotes the URL: it may hold the password, and
psycopg's own messages name the host and port only. Migrations are recorded per kind in
``newsletter_migrations``; an advisory lock keeps two hosts from applying them at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsletter.errors import StoreError
from newsletter.state.migrations import Schema, run_step

if TYPE_CHECKING:
    import psycopg

WHERE = "the PostgreSQL store"
CONNECT_TIMEOUT = 10  # seconds
MIGRATION_LOCK = 0x6E6C6D67  # pg_advisory_xact_lock key while migrating ("nlmg")
MIGRATIONS_TABLE = """CREATE TABLE IF NOT EXISTS newsletter_migrations (
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, name)
)"""


def connect(url: str) -> psycopg.Connection:
    """A connection in autocommit mode (transactions are explicit); StoreError if the server
    cannot be reached or refuses."""
    import psycopg

    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT)
    except psycopg.Error as error:
        raise unusable(error) from None


def unusable(error: Exception) -> StoreError:
    """One line for a failure of the database (the server's first line, no URL)."""
    first = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return StoreError(f"cannot be used ({first})", where=WHERE,
                      hint="check that the server runs, and the store URL and PGPASSWORD")


def applied(db: psycopg.Connection, kind: str) -> list[str]:
    """The migrations of ``kind`` recorded in the database (none in a new one)."""
    if db.execute("SELECT to_regclass('newsletter_migrations')").fetchone()[0] is None:
        return []
    return [name for (name,) in db.execute(
        "SELECT name FROM newsletter_migrations WHERE kind = %s", (kind,))]


def migrate(db: psycopg.Connection, schema: Schema) -> list[str]:
    """Bring ``schema``'s tables to this version; the names applied. StoreError when a newer
    newsletter made them."""
    where = f"{WHERE} ({schema.kind})"
    if not schema.missing(applied(db, schema.kind), where):
        return []
    with db.transaction():
        db.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        db.execute(MIGRATIONS_TABLE)
        todo = schema.missing(applied(db, schema.kind), where)  # again, under the lock
        for migration in todo:
            run_step(migration.postgresql, db)
            db.execute("INSERT INTO newsletter_migrations (kind, name) VALUES (%s, %s)",
                       (schema.kind, migration.name))
    return [migration.name for migration in todo]
