"""The files store: one SQLite file per kind of state in the site's state folder
(``.newsletter/``), opened and migrated one way.

A file this process may not write (a read-only mount, a site owned by another user, the file
itself chmod 444) is opened read-only, so that the commands that only look (`status`, `posts`,
`check`, the dry runs) read it as it is; a command that writes to it fails at its first write,
with SQLite's "readonly database", which the CLI says as a read-only folder (cli/disk.py).
"""

from __future__ import annotations

import os
import sqlite3
from urllib.parse import quote
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from newsletter.errors import DISK_HINT, StateFolderError
from newsletter.state.migrations import Schema, run_step
from newsletter.state.scratch import writable_folder

BUSY_TIMEOUT = 10.0  # seconds a connection waits for another one's write
MEMORY = ":memory:"  # SQLite's name for a database of this connection's own


def connect(path: Path, *, durable: bool = True, timeout: float = BUSY_TIMEOUT,
            check_same_thread: bool = True) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), write-ahead logged.

    ``durable``: synchronous=FULL, a commit is on disk when it returns, even across a power cut
    (what the ledger, the journal and the sign-ups promise); else NORMAL (a cache).
    """
    if path.exists() and not writable(path):
        return _connect_read_only(path, timeout, check_same_thread)
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


def writable(path: Path) -> bool:
    """Whether this process may write the SQLite file ``path`` and make its ``-wal`` and
    ``-shm`` files beside it (False on a read-only file system, for root too)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def _connect_read_only(path: Path, timeout: float,
                       check_same_thread: bool) -> sqlite3.Connection:
    """``path`` opened for reading only. Where its write-ahead log's index cannot be made (a
    read-only folder) it is opened as immutable: nobody can change it there either."""
    uri = f"file:{quote(str(path.resolve()))}"
    try:
        return _probed(f"{uri}?mode=ro", timeout, check_same_thread)
    except sqlite3.OperationalError:
        return _probed(f"{uri}?immutable=1", timeout, check_same_thread)


def _probed(uri: str, timeout: float, check_same_thread: bool) -> sqlite3.Connection:
    """A connection to ``uri`` that has read the file (SQLite opens it lazily)."""
    db = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=timeout,
                         check_same_thread=check_same_thread)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
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


def open_kind_or_empty(path: Path, schema: Schema) -> sqlite3.Connection:
    """:func:`open_kind`, or an empty file of ``schema`` in memory where ``path`` does not
    exist and its folder may not be written (a read-only site): what a command that only
    looks reads there. A command that writes has refused before (the site lock)."""
    if path.exists() or writable_folder(path.parent):
        return open_kind(path, schema)
    return open_kind(Path(MEMORY), schema)
