"""The sign-up journal: each accepted sign-up, on disk before the form is answered, and the
counts the abuse limits are made of. SQLite, in ``.newsletter/signups.db``.

A row moves ``received`` ──▶ ``mailing`` ──▶ ``done``, or ``received`` ──▶ ``done`` when no
confirmation goes out (the address is active, complained, or over a limit). ``mailed_at`` marks
the rows whose confirmation email was handed to the provider: the per-address and daily limits
count them, the per-client limit counts every row. Rows stay a day (or as long as a confirmation
link lives, if longer) for those counts and for the consent record, then go.

Nothing here holds an IP address: ``client`` is a salted hash of the client's network
(:mod:`newsletter.web.client`). States and limits: docs/signup.md#journal-states.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from newsletter.addresses import address_key
from newsletter.state import SIGNUPS, sqlite
from newsletter.subscribers import Signup

JOURNAL_FILE = SIGNUPS.file
HOUR, DAY = 3600.0, 86400.0
BUSY_TIMEOUT = 10.0  # seconds; the form's threads and the worker share the file
class Refused(Exception):
    """A sign-up over a limit that the sender should hear about: ``client`` or ``daily``."""

    def __init__(self, limit: str):
        super().__init__(limit)
        self.limit = limit


@dataclass(frozen=True)
class Limits:
    """Confirmation emails per address and hour, sign-ups per client and hour, emails a day."""

    per_address: int
    per_client: int
    per_day: int


@dataclass(frozen=True)
class Entry:
    """One journalled sign-up."""

    id: int
    signup: Signup
    page: str
    client: str
    state: str


class SignupJournal:
    """The journal of one site; safe to use from every thread of the server."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._db()  # made or migrated now: a broken file stops the server before it answers

    def _db(self) -> sqlite3.Connection:
        """This thread's connection (SQLite connections stay in their thread)."""
        db = getattr(self._local, "db", None)
        if db is None:
            # Durable: on disk before the form is answered. Any thread may close it (close()).
            db = sqlite.open_kind(self.path, SIGNUPS, timeout=BUSY_TIMEOUT,
                                  check_same_thread=False)
            self._local.db = db
            with self._lock:
                self._connections.append(db)
        return db

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        db = self._db()
        db.execute("BEGIN IMMEDIATE")  # the write lock first: counts and insert see one state
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def close(self) -> None:
        """Close every thread's connection (once the threads are done with them)."""
        with self._lock:
            for db in self._connections:
                db.close()
            self._connections.clear()
        self._local = threading.local()

    def admit(self, signup: Signup, page: str, client: str, limits: Limits) -> None:
        """Journal a sign-up; Refused("client") or Refused("daily") when over a limit.

        One statement, so one commit and one trip into SQLite for a sign-up within the limits
        (the limits are checked inside the INSERT, atomically); only a refusal asks which.
        """
        now = signup.received_at.timestamp()
        db = self._db()
        inserted = db.execute(
            "INSERT INTO signups (address, key, name, tags, page, client, received_at, state)"
            " SELECT ?, ?, ?, ?, ?, ?, ?, 'received'"
            " WHERE (SELECT count(*) FROM signups WHERE client = ? AND received_at > ?) < ?"
            " AND (SELECT count(*) FROM signups WHERE mailed_at > ?) < ?",
            (signup.address, address_key(signup.address), signup.name, ",".join(signup.tags),
             page, client, now, client, now - HOUR, limits.per_client, now - DAY,
             limits.per_day)).rowcount
        if not inserted:
            (from_client,) = db.execute(
                "SELECT count(*) FROM signups WHERE client = ? AND received_at > ?",
                (client, now - HOUR)).fetchone()
            raise Refused("client" if from_client >= limits.per_client else "daily")

    def pending(self, limit: int, state: str = "received") -> list[Entry]:
        """The oldest sign-ups in ``state``: ``received`` ones wait for the worker, ``mailing``
        ones (at start) were being mailed when the server stopped."""
        rows = self._db().execute("SELECT * FROM signups WHERE state = ? ORDER BY id LIMIT ?",
                                  (state, limit)).fetchall()
        return [_entry(row) for row in rows]

    def busy(self) -> bool:
        """True while any sign-up is not done."""
        found = self._db().execute(
            "SELECT 1 FROM signups WHERE state IN ('received', 'mailing') LIMIT 1").fetchone()
        return found is not None

    def claim(self, entries: list[Entry], mailable: list[bool], limits: Limits,
              now: float) -> tuple[list[Entry], bool]:
        """Mark which sign-ups get a confirmation email now, within the limits.

        Returns those entries, and whether the daily cap stopped any. The others are done.
        """
        claimed, capped = [], False
        with self._transaction() as db:
            today = self._mailed_since(db, now - DAY)
            for entry, wanted in zip(entries, mailable):
                allowed = wanted and today < limits.per_day
                capped = capped or (wanted and not allowed)
                if allowed:
                    (recent,) = db.execute(
                        "SELECT count(*) FROM signups WHERE key = ? AND mailed_at > ?",
                        (address_key(entry.signup.address), now - HOUR)).fetchone()
                    allowed = recent < limits.per_address
                if allowed:
                    db.execute("UPDATE signups SET state = 'mailing', mailed_at = ? WHERE id = ?",
                               (now, entry.id))
                    claimed.append(entry)
                    today += 1
                else:
                    db.execute("UPDATE signups SET state = 'done' WHERE id = ?", (entry.id,))
        return claimed, capped

    def finish(self, entries: list[Entry]) -> None:
        """These sign-ups' emails were handed over (or given up on)."""
        with self._transaction() as db:
            db.executemany("UPDATE signups SET state = 'done' WHERE id = ?",
                           [(entry.id,) for entry in entries])

    def latest(self, key: str) -> Entry | None:
        """The most recent sign-up of an address (by its key), if the journal still has it."""
        row = self._db().execute("SELECT * FROM signups WHERE key = ? ORDER BY id DESC LIMIT 1",
                                 (key,)).fetchone()
        return _entry(row) if row else None

    def purge(self, before: float) -> int:
        """Forget done sign-ups received before ``before`` (Unix time); how many went."""
        with self._transaction() as db:
            return db.execute("DELETE FROM signups WHERE state = 'done' AND received_at < ?",
                              (before,)).rowcount

    @staticmethod
    def _mailed_since(db: sqlite3.Connection, since: float) -> int:
        return db.execute("SELECT count(*) FROM signups WHERE mailed_at > ?",
                          (since,)).fetchone()[0]


def _entry(row: tuple) -> Entry:
    id_, address, _, name, tags, page, client, received_at, state, _ = row
    moment = dt.datetime.fromtimestamp(received_at, dt.timezone.utc)
    signup = Signup(address, name, tuple(tag for tag in tags.split(",") if tag), moment)
    return Entry(id_, signup, page, client, state)
