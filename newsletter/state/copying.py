"""Copying the SQLite files of a site into the PostgreSQL store, table by table
(`newsletter store copy`).

Rows go in chunks, each its own transaction, and a row already there (same key) is left alone:
a copy stopped halfway is run again and goes on; a finished one adds nothing the second time.
Each table is then counted on both sides, and a difference fails the copy (the database was
not empty, or a row did not arrive).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from newsletter.errors import StoreError
from newsletter.records import record
from newsletter.state import owner, postgres, sqlite
from newsletter.state.ledger_file import refuse_lost
from newsletter.state.ledger_schema import LEDGER
from newsletter.state.migrations import Schema
from newsletter.state.tables import EVENTS, JOURNAL, SEND_LOG, SIGNUPS, WELCOME

CHUNK = 5000


@record(frozen=True)
class Table:
    schema: Schema  # the kind, and so the SQLite file
    source: str  # its name in SQLite
    target: str  # its name in PostgreSQL
    columns: tuple[str, ...]
    booleans: tuple[str, ...] = ()  # 0/1 in SQLite
    serial: str | None = None  # a BIGSERIAL column whose sequence must pass the copied ids
    # Text that came from outside (a provider's answer, a webhook, a form), which SQLite kept
    # with NUL bytes before they were refused at the door: PostgreSQL's text cannot hold one.
    outside: tuple[str, ...] = ()


# The webhook tokens are left behind: each is kept a few minutes only. The roster is a cache.
TABLES = (
    Table(LEDGER, "deliveries", "deliveries",
          ("id", "post_id", "address", "state", "attempts", "reason", "provider",
           "provider_message_id", "message_id", "created_at", "updated_at", "batch"),
          serial="id", outside=("reason", "provider_message_id")),
    # What `reconcile` asks the provider about a batch in doubt (its key, when it was claimed).
    Table(LEDGER, "batches", "batches",
          ("id", "post_id", "provider", "key", "subject", "claimed_at"), serial="id"),
    Table(LEDGER, "meta", "ledger_meta", ("key", "value")),
    Table(LEDGER, "runs", "runs", ("id", "post_id", "segment", "started_at", "ended_at"),
          serial="id"),
    Table(JOURNAL, "changes", "journal_changes",
          ("id", "key", "address", "status", "reason", "record_unknown", "at", "folded_at"),
          booleans=("record_unknown",), serial="id", outside=("reason",)),
    Table(SIGNUPS, "signups", "signups",
          ("id", "address", "key", "name", "tags", "page", "client", "received_at", "state",
           "mailed_at", "spent_at"), serial="id", outside=("name", "page")),
    Table(EVENTS, "events", "events",
          ("provider", "event_id", "kind", "post_id", "reader", "occurred_at", "detail"),
          outside=("event_id", "post_id", "reader", "detail")),
    Table(SEND_LOG, "sends", "send_log", ("minute", "messages")),
    Table(WELCOME, "meta", "welcome_meta", ("key", "value")),
    Table(WELCOME, "progress", "welcome_progress",
          ("address", "step", "post_id", "at", "settled", "joined")),
    Table(WELCOME, "sent", "welcome_sent", ("post_id", "readers")),
    Table(WELCOME, "arrivals", "welcome_arrivals", ("address", "at", "joins")),
)


@record(frozen=True)
class Copied:
    table: str
    rows: int  # in the files (and, verified, in the database)
    added: int  # new to the database in this run


def claim_for_copy(db, site: str) -> None:
    """Before `store copy` writes a row: the store is ``site``'s (a copy that stopped, or one
    run again), or empty and recorded as ``site``'s now; else StoreError, nothing written (the
    files of one site merged into another's state would mail its readers). Under the
    migrations' lock, so two copies starting at once do not both find it empty."""
    with db.transaction():
        db.execute(postgres.advisory("pg_advisory_xact_lock"), (postgres.MIGRATION_LOCK,))
        if (site_of := owner.recorded(db)) is not None:
            owner.refuse_another(site_of, site)
            return
        held = [table for table in ("subscribers", *(t.target for t in TABLES), "used_tokens")
                if db.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0]]
        if held:
            raise StoreError(f"is not empty ({', '.join(held)}: rows no copy of this site "
                             "wrote)", where=postgres.WHERE,
                             hint="copy into an empty store (a new database or schema)")
        owner.record(db, site)


def copy_tables(state_dir: Path, db) -> list[Copied]:
    """Copy every table of the site's SQLite files into ``db`` (migrated by the caller);
    StoreError, before any row is copied, when the ledger is lost (ledger_file.refuse_lost)."""
    refuse_lost(state_dir / LEDGER.file)
    report = []
    for table in TABLES:
        path = state_dir / table.schema.file
        if not path.exists():
            report.append(Copied(table.target, 0, 0))
            continue
        with closing(sqlite.open_kind(path, table.schema)) as source:
            report.append(_copy(table, source, db))
    return report


def _copy(table: Table, source: sqlite3.Connection, db) -> Copied:
    names = ", ".join(table.columns)
    marks = ", ".join(["%s"] * len(table.columns))
    flags = [table.columns.index(name) for name in table.booleans]
    texts = [table.columns.index(name) for name in table.outside]
    rows = source.execute(f"SELECT {names} FROM {table.source} ORDER BY 1")
    added = 0
    while chunk := rows.fetchmany(CHUNK):
        if flags:
            chunk = [tuple(bool(v) if i in flags else v for i, v in enumerate(row))
                     for row in chunk]
        if any("\0" in row[i] for row in chunk for i in texts if isinstance(row[i], str)):
            chunk = [tuple(v.replace("\0", "") if i in texts and isinstance(v, str) else v
                           for i, v in enumerate(row)) for row in chunk]
        with db.transaction(), db.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table.target} ({names}) VALUES ({marks}) "
                               "ON CONFLICT DO NOTHING", chunk)
            added += max(cursor.rowcount, 0)
    if table.serial:
        db.execute(f"SELECT setval(pg_get_serial_sequence('{table.target}', '{table.serial}'), "
                   f"greatest((SELECT max({table.serial}) FROM {table.target}), 1))")
    here = source.execute(f"SELECT count(*) FROM {table.source}").fetchone()[0]
    there = db.execute(f"SELECT count(*) FROM {table.target}").fetchone()[0]
    if here != there:
        raise StoreError(f"the table {table.target} holds {there} rows, the files {here}",
                         where=postgres.WHERE,
                         hint="copy into an empty store (a new database or schema)")
    return Copied(table.target, here, added)
