"""Delivery events: what the providers' webhooks said happened to each message after the
hand-off, kept in ``.newsletter/events.db``.

One row per provider event, keyed by (provider, the provider's event id): a webhook the
provider delivers again is stored once. Each row names the reader (``address_key``) and the
post, found by :class:`PostFinder`. A row is committed (``synchronous=FULL``) before the
webhook is answered, so an event the provider was told we have is on disk.

The schema is :data:`SCHEMA`, in one place, in SQL that SQLite and PostgreSQL both take
(``ON CONFLICT DO NOTHING``, no SQLite-only types); only the ``?`` placeholders would change.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from newsletter.sending.ledger import LEDGER_FILE
from newsletter.sending.states import State

EVENTS_FILE = "events.db"
BUSY_TIMEOUT = 10.0  # seconds a writer waits for another thread's or process's commit

# The kinds stored; a webhook's other events are not kept.
DELIVERED, BOUNCED, SOFT_BOUNCE, DEFERRED = "delivered", "bounced", "soft_bounce", "deferred"
COMPLAINED, UNSUBSCRIBED, OPENED, CLICKED = "complained", "unsubscribed", "opened", "clicked"
KINDS = (DELIVERED, BOUNCED, SOFT_BOUNCE, DEFERRED, COMPLAINED, UNSUBSCRIBED, OPENED, CLICKED)

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS events (
           provider TEXT NOT NULL,       -- postmark, sendgrid, mailgun, resend; newsletter: ours
           event_id TEXT NOT NULL,       -- the provider's id of the event
           kind TEXT NOT NULL,           -- one of KINDS
           post_id TEXT,                 -- NULL: no post could be found for it
           reader TEXT NOT NULL,         -- the recipient's address_key
           occurred_at DOUBLE PRECISION NOT NULL,  -- Unix seconds
           detail TEXT NOT NULL,
           PRIMARY KEY (provider, event_id))""",
    "CREATE INDEX IF NOT EXISTS events_by_post ON events (post_id, kind, reader)",
)
INSERT = ("INSERT INTO events (provider, event_id, kind, post_id, reader, occurred_at, detail) "
          "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (provider, event_id) DO NOTHING")


@dataclass(frozen=True)
class DeliveryEvent:
    """One event as stored."""

    provider: str
    event_id: str
    kind: str
    reader: str  # address_key
    post_id: str | None
    occurred_at: float
    detail: str = ""


class _Connections:
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

    def close(self) -> None:
        with self._lock:
            every, self._all = self._all, []
        for db in every:
            db.close()
        self._local = threading.local()


class EventStore:
    """The delivery events of one site."""

    def __init__(self, state_dir: Path):
        self.path = Path(state_dir) / EVENTS_FILE
        self._connections = _Connections(self._connect)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT,
                             check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")  # on disk before the provider hears 200
        for statement in SCHEMA:
            db.execute(statement)
        return db

    def close(self) -> None:
        self._connections.close()

    def record(self, events: Sequence[DeliveryEvent]) -> int:
        """Store ``events`` in one transaction; return how many were new (not seen before)."""
        if not events:
            return 0
        db = self._connections.get()
        db.execute("BEGIN IMMEDIATE")
        try:
            before = db.total_changes
            db.executemany(INSERT, [(e.provider, e.event_id, e.kind, e.post_id, e.reader,
                                     e.occurred_at, e.detail) for e in events])
            new = db.total_changes - before
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        return new

    def readers_by_kind(self, post_id: str) -> Counter:
        """kind -> how many different readers of ``post_id`` had an event of that kind."""
        rows = self._connections.get().execute(
            "SELECT kind, COUNT(DISTINCT reader) FROM events WHERE post_id = ? GROUP BY kind",
            (post_id,))
        return Counter(dict(rows))

    def bounced_readers(self, post_id: str) -> int:
        """Readers of ``post_id`` with a bounce, hard or soft (each counted once)."""
        return self._connections.get().execute(
            "SELECT COUNT(DISTINCT reader) FROM events WHERE post_id = ? AND kind IN (?, ?)",
            (post_id, BOUNCED, SOFT_BOUNCE)).fetchone()[0]

    def first_events(self, kinds: Sequence[str]) -> dict[str, float]:
        """reader -> when their first event of one of ``kinds`` happened (Unix seconds)."""
        rows = self._connections.get().execute(
            f"SELECT reader, MIN(occurred_at) FROM events WHERE kind IN "
            f"({', '.join('?' * len(kinds))}) GROUP BY reader", tuple(kinds))
        return dict(rows)


def open_events(state_dir: Path) -> EventStore | None:
    """The site's event store, or None when no event was ever recorded (creates nothing)."""
    return EventStore(state_dir) if (Path(state_dir) / EVENTS_FILE).exists() else None


# Rows whose message may have reached the reader: an event can be about them.
MAILED = (State.SENT, State.IN_DOUBT, State.SUBMITTING)
POST_IDS_FOR = 60.0  # seconds the ledger's list of posts is reused
POST_IDS_MISS = 5.0  # an unknown tag re-reads it at most this often


class PostFinder:
    """Which post an event is about.

    The post its message was tagged with, when the ledger holds that post for the reader; else
    (no tag, or one the ledger does not know, e.g. a provider's tag-safe form of the id) the
    post the ledger most recently mailed the reader; else None.
    """

    def __init__(self, state_dir: Path):
        self.path = Path(state_dir) / LEDGER_FILE
        self._connections = _Connections(self._connect)
        self._post_ids: tuple[float, frozenset[str]] = (float("-inf"), frozenset())
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        # Only reads, of the table every ledger version has; a send writes meanwhile (WAL).
        return sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT,
                               check_same_thread=False)

    def close(self) -> None:
        self._connections.close()

    def post_for(self, reader: str, tag: str) -> str | None:
        """The post of an event about ``reader`` whose message was tagged ``tag`` ("": none)."""
        if not self.path.exists():
            return None
        posts = self._known_posts(tag)
        if tag in posts and self._mailed_at(tag, reader) is not None:
            return tag
        when = {post: self._mailed_at(post, reader) for post in posts}
        mailed = {post: at for post, at in when.items() if at is not None}
        if not mailed:
            return None
        loose = _loose(tag)
        same = [post for post in mailed if loose and _loose(post) == loose]
        return same[0] if len(same) == 1 else max(mailed, key=mailed.__getitem__)

    def _mailed_at(self, post_id: str, reader: str) -> str | None:
        row = self._connections.get().execute(
            "SELECT state, updated_at FROM deliveries WHERE post_id = ? AND address = ?",
            (post_id, reader)).fetchone()
        return row[1] if row and row[0] in MAILED else None

    def _known_posts(self, tag: str) -> frozenset[str]:
        """The ledger's post ids, re-read after a while, or soon when ``tag`` is not one."""
        now = time.monotonic()
        with self._lock:
            loaded, posts = self._post_ids
            stale = now - loaded > POST_IDS_FOR or (tag and tag not in posts
                                                     and now - loaded > POST_IDS_MISS)
            if stale:
                rows = self._connections.get().execute("SELECT DISTINCT post_id FROM deliveries")
                posts = frozenset(row[0] for row in rows)
                self._post_ids = (now, posts)
            return posts


def _loose(text: str) -> str:
    """Letters and digits only, lower-cased: how a tag a provider made safe still matches."""
    return re.sub(r"[^0-9a-z]+", "", text.lower())

