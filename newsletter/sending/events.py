"""Delivery events: what the providers' webhooks said happened to each message after the
hand-off, kept in ``.newsletter/events.db`` or, with a store URL, the PostgreSQL store's
``events`` table (so every host serving the site shares them).

One row per provider event, keyed by (provider, the provider's event id): a webhook the
provider delivers again is stored once (``ON CONFLICT DO NOTHING``). Each row names the reader
(``address_key``) and the post, found by :class:`PostFinder`. A row is committed (SQLite's
``synchronous=FULL``, or PostgreSQL's commit) before the webhook is answered, so an event the
provider was told we have is kept. The schema is :data:`newsletter.state.EVENTS`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from newsletter.records import record
from newsletter.state import EVENTS, GroupCommit, postgres, sqlite

if TYPE_CHECKING:
    from newsletter.config import Settings

EVENTS_FILE = EVENTS.file

# The kinds stored; a webhook's other events are not kept.
DELIVERED, BOUNCED, SOFT_BOUNCE, DEFERRED = "delivered", "bounced", "soft_bounce", "deferred"
COMPLAINED, UNSUBSCRIBED, OPENED, CLICKED = "complained", "unsubscribed", "opened", "clicked"
TAKEN = "taken"  # the provider took the message in: word for `reconcile`, no funnel step
# An open or click made by a machine (Apple Mail Privacy Protection, a link scanner), as the
# provider marks it: it proves the message arrived, but nobody read or clicked.
MACHINE_OPENED, MACHINE_CLICKED = "machine_opened", "machine_clicked"
EVENT_KINDS = (DELIVERED, BOUNCED, SOFT_BOUNCE, DEFERRED, COMPLAINED, UNSUBSCRIBED, OPENED, CLICKED,
               MACHINE_OPENED, MACHINE_CLICKED, TAKEN)

ONE_CLICK_PROVIDER = "newsletter"  # the provider of a one-click unsubscribe's event (web/app)

COLUMNS = "provider, event_id, kind, post_id, reader, occurred_at, detail"
INSERT = (f"INSERT INTO events ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (provider, event_id) DO NOTHING")
INSERT_ONE = INSERT.replace("?", "%s")  # PostgreSQL: one row (a one-click's count)
# PostgreSQL: a webhook's events in one statement; its row count is how many were new.
INSERT_MANY = (f"INSERT INTO events ({COLUMNS}) SELECT * FROM unnest(%s::text[], %s::text[], "
               "%s::text[], %s::text[], %s::text[], %s::float8[], %s::text[]) "
               "ON CONFLICT (provider, event_id) DO NOTHING")

# Each reader's latest delivery (d) and bounce (b) of a post, whether a bounce was hard, and
# whether they were deferred with neither (w: the provider is still trying).
# (Times are never negative: -1 stands for "none".)
OUTCOMES = ("SELECT SUM(CASE WHEN d > coalesce(b, -1) THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN b >= coalesce(d, -1) THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN hard = 1 AND b >= coalesce(d, -1) THEN 1 ELSE 0 END), "
            "COUNT(*) FROM ("
            "SELECT MAX(CASE WHEN kind = ? THEN occurred_at END) AS d, "
            "MAX(CASE WHEN kind IN (?, ?) THEN occurred_at END) AS b, "
            "MAX(CASE WHEN kind = ? THEN 1 ELSE 0 END) AS hard FROM events "
            "WHERE post_id = ? AND kind IN (?, ?, ?, ?) GROUP BY reader) AS outcome")

@record(frozen=True)
class DeliveryEvent:
    """One event as stored."""

    provider: str
    event_id: str
    kind: str
    reader: str  # address_key
    post_id: str | None
    occurred_at: float
    detail: str = ""


class Connections:
    """One SQLite connection per thread (waitress serves on several), all closed together."""

    def __init__(self, open_one):
        self._open = open_one
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def get(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = self._open()
            with self._lock:
                self._all.append(db)
        return db

    def forget(self) -> None:
        """Close this thread's connection (after a failed write: one SQLite opened while the
        folder was read-only stays read-only); the next use opens afresh."""
        db = getattr(self._local, "db", None)
        if db is not None:
            self._local.db = None
            with self._lock:
                self._all.remove(db)
            db.close()

    def rows(self, query: str, params: Sequence = ()) -> list[tuple]:
        return self.get().execute(query, params).fetchall()

    def close(self) -> None:
        with self._lock:
            every, self._all = self._all, []
        for db in every:
            db.close()
        self._local = threading.local()


class InDatabase:
    """The same reads on the PostgreSQL store (``?`` placeholders become ``%s``); closes the
    Database only when it opened it."""

    def __init__(self, database: postgres.Database, schema, owned: bool):
        self.database, self.schema, self._owned = database, schema, owned

    def rows(self, query: str, params: Sequence = ()) -> list[tuple]:
        with self.database.connection(self.schema) as db:
            return db.execute(query.replace("?", "%s"), tuple(params)).fetchall()

    def close(self) -> None:
        if self._owned:
            self.database.close()


class EventStore:
    """The delivery events of one site: its file, or the PostgreSQL store's ``database``."""

    def __init__(self, state_dir: Path, database: postgres.Database | None = None,
                 owned: bool = False):
        self.path = Path(state_dir) / EVENTS_FILE
        self._connections = Connections(self._connect) if database is None \
            else InDatabase(database, EVENTS, owned)
        self._writes = GroupCommit(self._insert)  # serve's threads: one fsync for a burst

    def _connect(self) -> sqlite3.Connection:
        return sqlite.open_kind(self.path, EVENTS, check_same_thread=False)

    def close(self) -> None:
        self._connections.close()

    def record(self, events: Sequence[DeliveryEvent]) -> int:
        """Store ``events`` in one transaction; return how many were new (not seen before)."""
        if not events:
            return 0
        rows = [(e.provider, e.event_id, e.kind, e.post_id, e.reader, e.occurred_at, e.detail)
                for e in events]
        if isinstance(self._connections, InDatabase):
            with self._connections.database.connection(EVENTS) as db:
                if len(rows) == 1:  # a one-click's count: seven arrays cost more than the row
                    return db.execute(INSERT_ONE, rows[0]).rowcount
                return db.execute(INSERT_MANY, [list(column) for column in zip(*rows)]).rowcount
        return self._writes.write(rows)

    def _insert(self, writes: Sequence[list[tuple]]) -> list[int]:
        """Every waiting write in one transaction (:class:`GroupCommit`); how many of each
        were new."""
        new = []
        try:
            with sqlite.immediate(self._connections.get()) as db:
                for rows in writes:
                    before = db.total_changes
                    db.executemany(INSERT, rows)
                    new.append(db.total_changes - before)
        except sqlite3.Error:
            self._connections.forget()
            raise
        return new

    def readers_by_kind(self, post_id: str) -> Counter:
        """kind -> how many different readers of ``post_id`` had an event of that kind."""
        rows = self._connections.rows(
            "SELECT kind, COUNT(DISTINCT reader) FROM events WHERE post_id = ? GROUP BY kind",
            (post_id,))
        return Counter(dict(rows))

    def outcomes(self, post_id: str) -> tuple[int, int, int, int]:
        """(delivered, bounced, of those hard, deferred with neither yet) readers of
        ``post_id``, each counted once, by the later of their delivery and their bounce: a
        bounce can come back after the receiver took the message, and webhooks arrive in any
        order (a tie is a bounce)."""
        row = self._connections.rows(OUTCOMES, (
            DELIVERED, BOUNCED, SOFT_BOUNCE, BOUNCED, post_id, DELIVERED, BOUNCED, SOFT_BOUNCE,
            DEFERRED))[0]
        delivered, bounced, hard, readers = (int(figure or 0) for figure in row)
        return delivered, bounced, hard, readers - delivered - bounced

    def machine_only(self, post_id: str) -> Counter:
        """machine kind -> how many readers of ``post_id`` a machine opened (or clicked) for
        with no open (or click) of their own."""
        rows = self._connections.rows(
            "SELECT kind, COUNT(DISTINCT reader) FROM events AS e WHERE post_id = ? AND kind IN "
            "(?, ?) AND NOT EXISTS (SELECT 1 FROM events AS own WHERE own.post_id = e.post_id "
            "AND own.reader = e.reader AND own.kind = CASE e.kind WHEN ? THEN ? ELSE ? END) "
            "GROUP BY kind", (post_id, MACHINE_OPENED, MACHINE_CLICKED, MACHINE_OPENED, OPENED,
                              CLICKED))
        return Counter(dict(rows))

    def readers_heard_of(self, post_id: str, readers: Sequence[str]) -> list[str]:
        """Those of ``readers`` a provider's webhook told of a message of ``post_id`` to (a
        one-click unsubscribe, which names no post, is not one)."""
        if not readers:
            return []
        rows = self._connections.rows(
            f"SELECT DISTINCT reader FROM events WHERE post_id = ? AND kind IN "
            f"({', '.join('?' * len(EVENT_KINDS))}) AND reader IN "
            f"({', '.join('?' * len(readers))}) AND provider <> ?",
            (post_id, *EVENT_KINDS, *readers, ONE_CLICK_PROVIDER))
        return [reader for (reader,) in rows]

    def first_events(self, kinds: Sequence[str]) -> dict[str, float]:
        """reader -> when their first event of one of ``kinds`` happened (Unix seconds)."""
        return dict(self._connections.rows(first_events_query(len(kinds)), (*kinds, *kinds)))


def first_events_query(kinds: int) -> str:
    """Each reader's first event of ``kinds`` kinds (given twice), post by post through
    ``events_by_post`` (post_id, kind, ...), then of no post: not a read of every event, which
    a list's history made on each `/report` (2 s at 3 million delivered events; 200 posts to
    100,000 readers make 20 million)."""
    marks = ", ".join("?" * kinds)
    return ("WITH RECURSIVE p(id) AS (SELECT min(post_id) FROM events UNION ALL "
            "SELECT (SELECT min(post_id) FROM events WHERE post_id > p.id) FROM p "
            "WHERE p.id IS NOT NULL) "
            "SELECT reader, MIN(occurred_at) FROM ("
            f"SELECT reader, occurred_at FROM events WHERE post_id IN (SELECT id FROM p) "
            f"AND kind IN ({marks}) UNION ALL "
            f"SELECT reader, occurred_at FROM events WHERE post_id IS NULL AND kind IN ({marks})"
            ") AS departures GROUP BY reader")


def open_events(settings: Settings) -> EventStore | None:
    """The site's event store, or None when no event was ever recorded in the files (creates
    no file; on the PostgreSQL store, its table)."""
    if settings.store_url:
        return EventStore(settings.state_dir,
                          postgres.Database(settings.store_url, site=settings.site.url), owned=True)
    state_dir = settings.state_dir
    return EventStore(state_dir) if (Path(state_dir) / EVENTS_FILE).exists() else None
