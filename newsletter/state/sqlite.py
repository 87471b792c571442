"""The files store: one SQLite file per kind of state in the site's state folder
(``.newsletter/``), opened and migrated one way."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from newsletter.errors import DISK_HINT, StateFolderError
from newsletter.state.migrations import Schema, run_step

BUSY_TIMEOUT = 10.0  # seconds a connection waits for another one's write


def connect(path: Path, *, durable: bool = True, timeout: float = BUSY_TIMEOUT,
            check_same_thread: bool = True) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), write-ahead logged.

    ``durable``: synchronous=FULL, a commit is on disk when it returns, even across a power cut
    (what the ledger, the journal and the sign-ups promise); else NORMAL (a cache).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, isolation_level=None, timeout=timeout,
                         check_same_thread=check_same_thread)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
    except BaseException:
        db.close()
        raise
    return db


@contextmanager
def immediate(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, its lock taken at once (BEGIN IMMEDIATE), rolled back on error,
    the COMMIT's own included (a full disk): the connection is never left inside it."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
        db.execute("COMMIT")
    finally:
        if db.in_transaction:
            db.execute("ROLLBACK")


def applied(db: sqlite3.Connection) -> list[str]:
    """The migrations recorded in this file (none in a new one)."""
    exists = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                        "AND name = 'migrations'").fetchone()
    return [row[0] for row in db.execute("SELECT name FROM migrations")] if exists else []


def migrate(db: sqlite3.Connection, schema: Schema, where: str) -> list[str]:
    """Bring the file to ``schema``; the names applied. StoreError when a newer newsletter made
    it. Reads first: a reader (`status`) never waits for a running send's write lock."""
    if not schema.missing(applied(db), where):
        return []
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
        todo = schema.missing(applied(db), where)  # again, under the lock: another may have
        for migration in todo:
            run_step(migration.sqlite, db)
            db.execute("INSERT INTO migrations VALUES (?, datetime('now'))", (migration.name,))
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return [migration.name for migration in todo]


def open_kind(path: Path, schema: Schema, *, durable: bool = True,
              timeout: float = BUSY_TIMEOUT, check_same_thread: bool = True
              ) -> sqlite3.Connection:
    """The file of ``schema`` (by default ``schema.file`` in the state folder), made if new,
    migrated; StateFolderError naming it when its folder cannot hold it."""
    try:
        db = connect(path, durable=durable, timeout=timeout, check_same_thread=check_same_thread)
    except (OSError, sqlite3.OperationalError) as error:
        raise StateFolderError(f"cannot open {path.name} ({error})", where=str(path.parent),
                         hint=DISK_HINT) from None
    try:
        migrate(db, schema, str(path))
    except BaseException:
        db.close()
        raise
    return db
