"""The suppression journal: unsubscribes, bounces and complaints, durable at once, folded later.

Rewriting a long subscriber file for every one-click unsubscribe made each one wait for the
whole list (docs/subscribers.md#the-suppression-journal). Instead, each change is one row
appended to ``.newsletter/journal.db`` (SQLite, WAL, ``synchronous=FULL``: on disk before the
endpoint answers 200), and takes effect at once: every read of the list treats a journalled
address as suppressed. :mod:`newsletter.subscribers.folding` later writes many changes into
the CSV files in one rewrite and marks them folded.

Folded rows are kept for a while (``KEEP_FOLDED``): a running send follows the journal by id
(:meth:`Journal.since`), and must see every change made after it read the files, folded or not;
a confirmation link must not bring back an address that left after it was sent
(:meth:`Journal.left_since`).
The ``state`` table also records the files as the last locked write left them, an ``epoch``
that grows when a write finds them changed by hand (so a send re-reads them then), and a
``generation`` that grows with every write that may add or reactivate a reader (so the roster
of active readers is rebuilt then; folds only take readers away).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import threading
from pathlib import Path
from typing import Iterable, Sequence

from newsletter.config import MAX_CONFIRM_WITHIN_DAYS
from newsletter.errors import NewsletterError
from newsletter.records import record
from newsletter.state import JOURNAL, GroupCommit, sqlite

JOURNAL_FILE = JOURNAL.file
# Longer than a confirmation link lives: a link is checked against every leave since it was
# sent (signups.left_since).
KEEP_FOLDED = dt.timedelta(days=MAX_CONFIRM_WITHIN_DAYS + 1)
BUSY_TIMEOUT = 30.0  # seconds: appends from many threads and processes queue for the write lock
# The newest unfolded change of a reader, if it says what a new one says: its time moves on.
REPEATED = ("UPDATE changes SET at = ? WHERE id = (SELECT max(id) FROM changes WHERE key = ? "
            "AND folded_at IS NULL) AND status = ? AND record_unknown >= ?")

@record(frozen=True)
class Entry:
    """One journalled change."""

    id: int
    key: str
    address: str
    status: str
    reason: str
    record_unknown: bool


@record(frozen=True)
class Marks:
    """The files as the last locked write left them (None: no write recorded yet), and the
    counters of edits by hand (``epoch``) and of writes that may add readers (``generation``)."""

    files: tuple | None = None
    epoch: int = 0
    generation: int = 0


@record(frozen=True)
class Pending:
    """What the journal held at one moment: read it before the files it overlays."""

    entries: tuple[Entry, ...]  # not yet folded, in id order
    last_id: int  # the newest id, folded or not
    marks: Marks
    pruned_through: int  # folded rows up to this id may be gone

    def statuses(self) -> dict[str, str]:
        """key -> the strongest status journalled for it (complained > bounced > unsubscribed)."""
        return strongest(self.entries)


NOTHING = Pending((), 0, Marks(), 0)
STRENGTH = {"complained": 0, "bounced": 1, "unsubscribed": 2}  # a complaint hurts most


def strongest(entries: Iterable[Entry]) -> dict[str, str]:
    """key -> the strongest status among ``entries``."""
    found: dict[str, str] = {}
    for entry in entries:
        known = found.get(entry.key)
        if known is None or STRENGTH[entry.status] < STRENGTH[known]:
            found[entry.key] = entry.status
    return found


def stamp(when: dt.datetime) -> str:
    """``when`` as the journal writes a change's time (``at``): ISO 8601 in UTC, to the
    millisecond, so times compare as text (:meth:`Journal.left_since`)."""
    return when.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds")


def now() -> str:
    return stamp(dt.datetime.now(dt.timezone.utc))


class Journal:
    """The journal of one site's list; safe to share between threads (one connection each)."""

    def __init__(self, state_dir: Path):
        self.path = Path(state_dir) / JOURNAL_FILE
        self._local = threading.local()
        self._appends = GroupCommit(self._insert)

    def _db(self) -> sqlite3.Connection:
        local = self._local
        # A connection belongs to its thread and its process (a forked helper opens its own).
        if getattr(local, "pid", None) != os.getpid():
            # Durable: an append is on disk before the unsubscribe is answered, even if the
            # power fails right after (NORMAL in WAL mode could lose the last commits).
            try:
                db = sqlite.open_kind(self.path, JOURNAL, timeout=BUSY_TIMEOUT)
            except sqlite3.OperationalError:
                raise  # a full disk, a read-only folder: said as such, the journal is fine
            except sqlite3.DatabaseError as error:
                raise NewsletterError(
                    f"not a suppression journal ({error})", where=str(self.path),
                    hint="restore it from a backup: it may hold unsubscribes the subscriber "
                         "files do not have yet") from None
            local.db, local.pid = db, os.getpid()
        return local.db

    def append(self, changes: Iterable[tuple[str, str, str, str]], record_unknown: bool,
               folded: bool = False) -> None:
        """Journal (key, address, status, reason) changes; on disk when this returns.
        ``folded``: a locked write has already written them into the files (sends still
        follow them by id).

        Group commit: appends that arrive from other threads while one commits go in the next
        commit together, one fsync for all of them (a burst of one-click POSTs).
        """
        stamp = now()
        rows = [(key, address, status, reason, int(record_unknown), stamp,
                 stamp if folded else None) for key, address, status, reason in changes]
        if rows:
            self._appends.write(rows)

    def _insert(self, appends: Sequence[list[tuple]]) -> list[None]:
        """Write the rows; one the journal holds unfolded already (the same reader and status:
        a one-click link posted again) only moves that row's time, so repeats cannot fill the
        disk, and a confirmation link sent before the last of them still counts as sent
        before the reader left (:meth:`left_since`)."""
        try:
            with sqlite.immediate(self._db()) as db:
                for row in (row for rows in appends for row in rows):
                    key, _, status, _, record_unknown, at, folded_at = row
                    if folded_at is None and db.execute(
                            REPEATED, (at, key, status, record_unknown)).rowcount:
                        continue
                    db.execute("INSERT INTO changes (key, address, status, reason, "
                               "record_unknown, at, folded_at) VALUES (?, ?, ?, ?, ?, ?, ?)", row)
        except sqlite3.Error:
            self._forget()
            raise
        return [None] * len(appends)

    def _forget(self) -> None:
        """Close this thread's connection after a failed write: one SQLite opened while the
        folder was read-only stays read-only (every later append would fail). The next append
        opens afresh."""
        db = getattr(self._local, "db", None)
        self._local.db = self._local.pid = None
        if db is not None:
            db.close()

    def pending(self) -> Pending:
        """The unfolded changes and the journal's marks, read in one transaction."""
        if not self.path.exists():
            return NOTHING  # nothing was ever journalled; a read creates no file
        db = self._db()
        db.execute("BEGIN")
        try:
            rows = db.execute("SELECT id, key, address, status, reason, record_unknown "
                              "FROM changes WHERE folded_at IS NULL ORDER BY id").fetchall()
            last = db.execute("SELECT coalesce(max(id), 0) FROM changes").fetchone()[0]
            state = dict(db.execute("SELECT name, value FROM state"))
        finally:
            db.execute("COMMIT")
        entries = tuple(Entry(id_, key, address, status, reason, bool(unknown))
                        for id_, key, address, status, reason, unknown in rows)
        return Pending(entries, last, _marks(state), int(state.get("pruned_through", 0)))

    def since(self, last_id: int) -> tuple[dict[str, str], int, int]:
        """(key -> status of every change after ``last_id``, folded or not; the newest id;
        pruned_through). Cheap: a send calls it before every batch."""
        if not self.path.exists():
            return {}, last_id, 0
        db = self._db()
        rows = db.execute("SELECT id, key, status FROM changes WHERE id > ? ORDER BY id",
                          (last_id,)).fetchall()
        pruned = db.execute("SELECT value FROM state WHERE name = 'pruned_through'").fetchone()
        found: dict[str, str] = {}
        for id_, key, status in rows:
            last_id = id_
            if key not in found or STRENGTH[status] < STRENGTH[found[key]]:
                found[key] = status
        return found, last_id, int(pruned[0]) if pruned else 0

    def left_since(self, key: str, since: dt.datetime) -> bool:
        """True if the address ``key`` unsubscribed, bounced or complained at ``since`` or
        later (while ``since`` is within ``KEEP_FOLDED``)."""
        return bool(self._db().execute(
            "SELECT EXISTS (SELECT 1 FROM changes WHERE key = ? AND at >= ?)",
            (key, stamp(since))).fetchone()[0])

    def mark_folded(self, ids: Iterable[int]) -> None:
        """Record that these changes are in the CSV files; forget ones folded long ago."""
        ids = list(ids)
        db = self._db()
        stamp = now()
        cutoff = (dt.datetime.now(dt.timezone.utc) - KEEP_FOLDED).isoformat()
        with sqlite.immediate(db):
            db.executemany("UPDATE changes SET folded_at = ? WHERE id = ?",
                           [(stamp, id_) for id_ in ids])
            gone = db.execute("SELECT max(id) FROM changes WHERE folded_at < ?",
                              (cutoff,)).fetchone()[0]
            if gone:
                db.execute("DELETE FROM changes WHERE folded_at < ?", (cutoff,))
                db.execute("INSERT OR REPLACE INTO state VALUES ('pruned_through', "
                           "max(?, coalesce((SELECT value FROM state WHERE name = "
                           "'pruned_through'), 0)))", (gone,))

    def marks(self) -> Marks:
        """The files as the last locked write left them, and the epoch and generation."""
        if not self.path.exists():
            return Marks()
        return _marks(dict(self._db().execute("SELECT name, value FROM state")))

    def record_files(self, before: tuple, after: tuple, adds_readers: bool) -> None:
        """After a locked write: the files are now ``after``. If they were not as the last
        write left them when this one read them (``before``), someone edited them by hand,
        and the epoch grows so that a running send reads them again; a write that may have
        added or reactivated readers grows the generation."""
        marks = self.marks()
        epoch = marks.epoch + (marks.files != before)  # (or no write recorded: who can tell)
        generation = marks.generation + adds_readers
        with sqlite.immediate(self._db()) as db:
            db.executemany("INSERT OR REPLACE INTO state VALUES (?, ?)",
                           [("files", json.dumps(after)), ("epoch", str(epoch)),
                            ("generation", str(generation))])


def _marks(state: dict[str, str]) -> Marks:
    files = state.get("files")
    return Marks(tuple(tuple(entry) for entry in json.loads(files)) if files else None,
                 int(state.get("epoch", 0)), int(state.get("generation", 0)))
