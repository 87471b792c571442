"""The PostgreSQL store: every kind of state in one database (docs/store.md).

Connections come from the store URL (``Settings.store_url``; the password from PGPASSWORD or
inside NEWSLETTER_STORE_URL). No message here quotes the URL: it may hold the password, and
psycopg's own messages name the host and port only. Migrations are recorded per kind in
``newsletter_migrations``; an advisory lock keeps two hosts from applying them at once.
"""

from __future__ import annotations

import os
import threading
import weakref
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Iterable, Iterator

from newsletter.state import owner
from newsletter.state.guarded import Guarded, storable  # noqa: F401 - postgres.*, as before
from newsletter.state.ledger_schema import LEDGER
from newsletter.state.migrations import Schema, run_step, too_new
from newsletter.state.pg_errors import WHERE, unusable
from newsletter.state.tables import (
    EVENTS,
    JOURNAL,
    LIST,
    SEND_LOG,
    SIGNUPS,
    WEBHOOK_TOKENS,
    WELCOME,
)

if TYPE_CHECKING:
    import psycopg

CONNECT_TIMEOUT = 10  # seconds
POOL_SIZE = 10  # connections a process keeps at most: serve's 8 threads, the sign-up worker, 1 more
MIGRATION_LOCK = 0x6E6C6D67  # pg_advisory_xact_lock key while migrating ("nlmg")
# Every kind the store holds (the list is a kind of its own only here: the files keep CSV).
IN_POSTGRESQL = (LIST, LEDGER, JOURNAL, SIGNUPS, WEBHOOK_TOKENS, EVENTS, SEND_LOG, WELCOME)
MIGRATIONS_TABLE = """CREATE TABLE IF NOT EXISTS newsletter_migrations (
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, name)
)"""


def advisory(function: str) -> str:
    """``SELECT function(key, this schema)``: advisory locks are the database's, so each is
    keyed by the site's schema too, and sites (or tests) sharing a database never hold each
    other's."""
    return f"SELECT {function}(%s, hashtext(current_schema()))"


def connect(url: str) -> psycopg.Connection:
    """A connection in autocommit mode (transactions are explicit); StoreError if the server
    cannot be reached or refuses."""
    import psycopg

    try:
        return psycopg.connect(url, autocommit=True, **connection_options(url))
    except psycopg.Error as error:
        raise unusable(error, url) from None


def connection_options(url: str) -> dict[str, int | str]:
    """UTF-8 text whatever the URL, PGCLIENTENCODING or the database say (another failed a
    name in a traceback); libpq's ``connect_timeout`` unless the URL or PGCONNECT_TIMEOUT does."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    try:
        written = "connect_timeout" in conninfo_to_dict(url)
    except psycopg.Error:  # a URL libpq cannot read: connecting says why
        written = False
    written = written or os.environ.get("PGCONNECT_TIMEOUT")  # the operator's wins
    return {"client_encoding": "UTF8", **({} if written else {"connect_timeout": CONNECT_TIMEOUT})}


@contextmanager
def opened(url: str) -> Iterator[psycopg.Connection]:
    """:func:`connect` for the block, closed after it; a failure of the database inside it
    is one StoreError too (a user without the rights, say), never a traceback."""
    import psycopg

    db = connect(url)
    try:
        yield db
    except psycopg.Error as error:
        raise unusable(error, url) from None
    finally:
        db.close()


def settle(db: psycopg.Connection, tables: Iterable[str]) -> None:
    """VACUUM (ANALYZE) ``tables`` after a bulk write (`store copy --to`, an import): the
    planner's statistics and the visibility map are there for the first send, not left to
    autovacuum (off on some servers; where it is on, it would run beside that send)."""
    for table in tables:
        db.execute(f"VACUUM (ANALYZE) {table}")


def applied(db: psycopg.Connection, kind: str) -> list[str]:
    """The migrations of ``kind`` recorded in the database (none in a new one)."""
    return recorded(db).get(kind, [])


def recorded(db: psycopg.Connection) -> dict[str, list[str]]:
    """{kind: its migrations recorded in the database}, read in one query."""
    if db.execute("SELECT to_regclass('newsletter_migrations')").fetchone()[0] is None:
        return {}
    found: dict[str, list[str]] = {}
    for kind, name in db.execute("SELECT kind, name FROM newsletter_migrations"):
        found.setdefault(kind, []).append(name)
    return found


def refuse_newer(have: dict[str, list[str]]) -> None:
    """StoreError when a newer newsletter migrated or made any kind (the database: one store)."""
    for schema in IN_POSTGRESQL:
        schema.missing(have.get(schema.kind, ()), f"{WHERE} ({schema.kind})")
    for kind in sorted(set(have) - {schema.kind for schema in IN_POSTGRESQL}):
        raise too_new(f"{WHERE} ({kind})", sorted(have[kind])[-1])


def migrate(db: psycopg.Connection, schema: Schema) -> list[str]:
    """Bring ``schema``'s tables to this version; the names applied. StoreError when a newer
    newsletter made them."""
    where = f"{WHERE} ({schema.kind})"
    if not schema.missing(applied(db, schema.kind), where):
        return []
    with db.transaction():
        db.execute(advisory("pg_advisory_xact_lock"), (MIGRATION_LOCK,))
        db.execute(MIGRATIONS_TABLE)
        todo = schema.missing(applied(db, schema.kind), where)  # again, under the lock
        for migration in todo:
            run_step(migration.postgresql, db)
            db.execute("INSERT INTO newsletter_migrations (kind, name) VALUES (%s, %s)",
                       (schema.kind, migration.name))
    return [migration.name for migration in todo]


class Database:
    """One process's way into the store, every kind of state migrated before its first use and
    every failure of the database one StoreError. Safe to share between threads. With
    ``pooled`` (``serve``: threads answer at once) a pool of connections, else one connection
    lent to one block at a time. The URL is never shown (it may hold the password).

    Every Database a process opens is closed by :func:`close_all` (the CLI does it as each
    command ends), so none is left holding a server connection. With ``site`` (a `[site]
    url`), the store must be that site's (state/owner.py).
    """

    def __init__(self, url: str, pooled: bool = False, site: str | None = None):
        self._url = url
        self._pooled = pooled
        self._site = site
        self._pool = None
        self._single: psycopg.Connection | None = None
        self._migrated: set[str] = set()
        self._lock = threading.RLock()  # one opening at a time; the single connection's lender
        self._held = threading.local()  # db: the connection this thread's open block holds
        _OPEN.add(self)

    def __repr__(self) -> str:
        return "Database(url hidden)"

    def companion(self) -> Database:
        """Another Database of the same store, one connection not pooled: for a session the
        caller keeps open (and closes)."""
        return Database(self._url, site=self._site)

    @contextmanager
    def connection(self, *kinds: Schema) -> Iterator[psycopg.Connection]:
        """A connection in autocommit mode for the block, the ``kinds`` it uses migrated
        (inside a :meth:`shared` block of this thread, that block's connection)."""
        import psycopg

        held = getattr(self._held, "db", None)
        try:
            if held is not None:
                self._migrated_for(held, kinds)
                yield held
                return
            with self._lent() as db:
                self._migrated_for(db, kinds)
                yield db
        except (psycopg.Error, *_pool_errors()) as error:
            raise unusable(error, self._url) from None

    @contextmanager
    def shared(self) -> Iterator[None]:
        """Every :meth:`connection` block of this thread inside this one uses one connection:
        a request that reads and writes several kinds takes one from the pool, checked once
        (a connection the server ended is replaced then, not handed on to fail)."""
        if getattr(self._held, "db", None) is not None:
            yield  # already inside one
            return
        with self.connection() as db:
            self._held.db = db
            try:
                yield
            finally:
                self._held.db = None

    def _migrated_for(self, db: psycopg.Connection, kinds: tuple[Schema, ...]) -> None:
        kinds = kinds if self._site is None else (LIST, *kinds)  # the site's record: a list table
        todo = [schema for schema in kinds if schema.kind not in self._migrated]
        if todo:  # what every kind has, in one look; migrated only where one lacks
            have = recorded(db)
            refuse_newer(have)
            site = self._site if LIST in todo else None  # until it passes, asked each time
            owner.check(db, site)  # another site's store: refused before it is migrated
            for schema in todo:
                if schema.missing(have.get(schema.kind, ()), f"{WHERE} ({schema.kind})"):
                    migrate(db, schema)
            owner.check(db, site)  # recorded now, in a store just made or from before
            self._migrated.update(schema.kind for schema in todo)

    @contextmanager
    def _lent(self) -> Iterator[psycopg.Connection]:
        if self._pooled:
            with self._opened_pool().connection() as db:
                yield db
            return
        with self._lock:
            if self._single is None or self._single.closed:
                self._single = connect(self._url)
            yield self._single

    def _opened_pool(self):
        with self._lock:
            if self._pool is None:
                from psycopg_pool import ConnectionPool

                connect(self._url).close()  # an unreachable server: one line saying why
                # Checked as each is lent: one the server ended while it idled (a restart, a
                # failover, an idle timeout) is replaced, not handed to a request to fail.
                pool = ConnectionPool(self._url, min_size=1, max_size=POOL_SIZE, open=False,
                                      kwargs={"autocommit": True,
                                              **connection_options(self._url)},
                                      timeout=CONNECT_TIMEOUT, name="newsletter",
                                      check=ConnectionPool.check_connection)
                try:
                    pool.open(wait=True, timeout=CONNECT_TIMEOUT)
                except BaseException:
                    pool.close()
                    raise
                self._pool = pool
            return self._pool

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None
            if self._single is not None:  # advisory locks freed now, not as the server ends
                with suppress(Exception):  # the session (the next run may be sooner)
                    self._single.execute("SELECT pg_advisory_unlock_all()")
                self._single.close()
                self._single = None


_OPEN: weakref.WeakSet[Database] = weakref.WeakSet()


def close_all() -> None:
    """Close every Database this process opened."""
    for database in list(_OPEN):
        database.close()


def _pool_errors() -> tuple[type[Exception], ...]:
    from psycopg_pool import PoolTimeout, TooManyRequests

    return (PoolTimeout, TooManyRequests)
