"""The sign-up journal: each accepted sign-up, on disk before the form is answered, and the
counts the abuse limits are made of. SQLite, in ``.newsletter/signups.db``.

A row moves ``received`` ──▶ ``mailing`` ──▶ ``done``, or ``received`` ──▶ ``done`` when no
confirmation goes out (the address is active, complained, or over a limit). ``mailed_at`` marks
the rows whose confirmation email was handed to the provider: the per-address and daily limits
count them, the per-client limit counts every row. ``spent_at`` marks the sign-ups a
confirmation used up: confirming one spends every sign-up of that address, so no older link
undoes a later unsubscribe. Rows stay a day (or as long as a confirmation link lives, if longer)
for those counts, for the consent record and for their links, then go.

Nothing here holds an IP address: ``client`` is a salted hash of the client's network
(:mod:`newsletter.web.client`). States and limits: docs/signup.md#journal-states.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from newsletter.addresses import address_key
from newsletter.errors import SiteLockedError
from newsletter.locks import exclusive_lock
from newsletter.records import record
from newsletter.state import SIGNUPS, sqlite
from newsletter.subscribers import Signup

JOURNAL_FILE = SIGNUPS.file
LOCK_FILE = "signups.lock"  # held by the worker that has the journal
HOUR, DAY = 3600.0, 86400.0
BUSY_TIMEOUT = 10.0  # seconds; the form's threads and the worker share the file
class Refused(Exception):
    """A sign-up over a limit that the sender should hear about: ``client`` or ``daily``."""

    def __init__(self, limit: str):
        super().__init__(limit)
        self.limit = limit


@record(frozen=True)
class Limits:
    """Confirmation emails per inbox and hour, sign-ups per client and hour, emails a day."""

    per_address: int
    per_client: int
    per_day: int


@record(frozen=True)
class Entry:
    """One journalled sign-up."""

    id: int
    signup: Signup
    page: str
    client: str
    state: str
    spent: bool = False  # a confirmation of this address used it: its link confirms nothing


class SignupJournal:
    """The journal of one site; safe to use from every thread of the server."""

    orphans_any_time = False

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

    def _transaction(self):
        # the write lock first: counts and insert see one state
        return sqlite.immediate(self._db())

    @contextmanager
    def turn(self) -> Iterator[None]:
        """This process's worker has the journal for the block; SiteLockedError at once when
        another process's worker has it (a lock file beside the journal)."""
        with exclusive_lock(self.path.with_name(LOCK_FILE), 0,
                            lambda: SiteLockedError("busy")):
            yield

    def close(self) -> None:
        """Close every thread's connection (once the threads are done with them)."""
        with self._lock:
            for db in self._connections:
                db.close()
            self._connections.clear()
        self._local = threading.local()

    def admit(self, signup: Signup, page: str, client: str, limits: Limits, *,
              trapped: bool = False) -> None:
        """Journal a sign-up; Refused("client") or Refused("daily") when over a limit.

        One statement, so one commit and one trip into SQLite for a sign-up within the limits
        (the limits are checked inside the INSERT, atomically); only a refusal asks which.
        A ``trapped`` sign-up (a bot's) is journalled alike, ``done`` and without its address,
        name, tags or page: it costs the same and counts towards its client's limit.
        """
        admit_into(self._db(), signup, page, client, limits, trapped)

    def pending(self, limit: int, state: str = "received") -> list[Entry]:
        """The oldest sign-ups in ``state``: ``received`` ones wait for the worker, ``mailing``
        ones (at start) were being mailed when the server stopped."""
        rows = self._db().execute(f"SELECT {COLUMNS} FROM signups WHERE state = ? ORDER BY id "
                                  "LIMIT ?", (state, limit)).fetchall()
        return [_entry(row) for row in rows]

    def orphans(self, limit: int) -> list[Entry]:
        """The sign-ups a stopped server left ``mailing``: asked only as the worker starts (one
        worker mails for the site, so no other is mailing them then), not ``orphans_any_time``
        (its own emails on their way would be among them)."""
        return self.pending(limit, "mailing")

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
                    recent = mailed_to_inbox(db, entry.signup.address, now - HOUR)
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

    def signup(self, signup_id: int, key: str) -> Entry | None:
        """Sign-up ``signup_id`` if the journal still has it and it is of the address ``key``."""
        row = self._db().execute(f"SELECT {COLUMNS} FROM signups WHERE id = ? AND key = ?",
                                 (signup_id, key)).fetchone()
        return _entry(row) if row else None

    @contextmanager
    def together(self) -> Iterator[None]:
        """Nothing here: the journal and the CSV list cannot share a transaction (a link spent
        by a server killed before the consent is written stays spent)."""
        yield

    def spend(self, signup_id: int, key: str, now: float) -> bool:
        """Use up sign-up ``signup_id`` of ``key`` for a confirmation, and with it every other
        sign-up of that address; False if it was spent already (or is unknown)."""
        with self._transaction() as db:
            unspent = db.execute("SELECT 1 FROM signups WHERE id = ? AND key = ? AND spent_at "
                                 "IS NULL", (signup_id, key)).fetchone()
            if unspent:
                db.execute("UPDATE signups SET spent_at = ? WHERE key = ? AND spent_at IS NULL",
                           (now, key))
        return unspent is not None

    def unspend(self, key: str, spent_at: float) -> None:
        """Undo :meth:`spend` at ``spent_at``: the confirmation could not be recorded."""
        with self._transaction() as db:
            db.execute("UPDATE signups SET spent_at = NULL WHERE key = ? AND spent_at = ?",
                       (key, spent_at))

    def purge(self, before: float) -> int:
        """Forget done sign-ups received, and mailed, before ``before`` (Unix time): their
        links have expired. How many went."""
        with self._transaction() as db:
            return db.execute("DELETE FROM signups WHERE state = 'done' AND "
                              "max(received_at, coalesce(mailed_at, 0)) < ?", (before,)).rowcount

    @staticmethod
    def _mailed_since(db: sqlite3.Connection, since: float) -> int:
        return db.execute("SELECT count(*) FROM signups WHERE mailed_at > ?",
                          (since,)).fetchone()[0]


COLUMNS = "id, address, name, tags, page, client, received_at, state, spent_at"
MAILED_LIKE = "SELECT key FROM signups WHERE mailed_at > ? AND key LIKE ? ESCAPE '!'"
# Mail services that deliver ``j.ane@`` to ``jane@``: dots in the local part name no inbox.
DOTLESS_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
ADMIT = ("INSERT INTO signups (address, key, name, tags, page, state, client, received_at)"
         " SELECT ?, ?, ?, ?, ?, ?, ?, ?"
         " WHERE (SELECT count(*) FROM signups WHERE client = ? AND received_at > ?) < ?"
         " AND (SELECT count(*) FROM signups WHERE mailed_at > ?) < ?")
FROM_CLIENT = "SELECT count(*) FROM signups WHERE client = ? AND received_at > ?"


def admit_into(db, signup: Signup, page: str, client: str, limits: Limits, trapped: bool,
               mark: str = "?") -> None:
    """:meth:`SignupJournal.admit` on ``db``, whose driver marks parameters with ``mark``
    (SQLite ``?``, PostgreSQL ``%s``): the one statement of either store."""
    now = signup.received_at.timestamp()
    kept = (("", "", "", "", "", "done") if trapped else
            (signup.address, address_key(signup.address), signup.name,
             ",".join(signup.tags), page, "received"))
    inserted = db.execute(ADMIT.replace("?", mark), (
        *kept, client, now, client, now - HOUR, limits.per_client, now - DAY,
        limits.per_day)).rowcount
    if not inserted:
        (from_client,) = db.execute(FROM_CLIENT.replace("?", mark),
                                    (client, now - HOUR)).fetchone()
        raise Refused("client" if from_client >= limits.per_client else "daily")


def inbox_key(address: str) -> str:
    """The inbox ``address`` reaches, as far as the per-address limit can tell: most services
    deliver a sub-address (``jane+news@``) to ``jane@``, Gmail its dotted spellings too. Only
    for counting: the email goes to the address as written."""
    local, _, domain = address_key(address).rpartition("@")
    local = local.split("+", 1)[0] or local
    if domain in DOTLESS_DOMAINS:
        local = local.replace(".", "") or local
    return f"{local}@{domain}"


def mailed_to_inbox(db, address: str, since: float, mark: str = "?") -> int:
    """Confirmation emails mailed since ``since`` to any spelling of ``address``'s inbox, on
    ``db`` (parameters marked with ``mark``); the journal holds a day of rows."""
    inbox = inbox_key(address)
    local, _, domain = inbox.rpartition("@")
    start = local[:1] if domain in DOTLESS_DOMAINS else local  # what every spelling starts with
    pattern = _like(start) + "%@" + _like(domain)
    rows = db.execute(MAILED_LIKE.replace("?", mark), (since, pattern)).fetchall()
    return sum(inbox_key(key) == inbox for (key,) in rows)


def _like(text: str) -> str:
    """``text`` as a literal in a LIKE pattern (``!`` escapes)."""
    return re.sub(r"[!%_]", r"!\g<0>", text)


def _entry(row: tuple) -> Entry:
    id_, address, name, tags, page, client, received_at, state, spent_at = row
    moment = dt.datetime.fromtimestamp(received_at, dt.timezone.utc)
    signup = Signup(address, name, tuple(tag for tag in tags.split(",") if tag), moment)
    return Entry(id_, signup, page, client, state, spent_at is not None)
