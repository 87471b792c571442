"""The roster: the list's active readers as a SQLite table, to count them against the ledger.

How many readers a send would reach, and how many no run has reached yet, compare the whole
list with the ledger. Reading a long list takes seconds, so the readers a send would read
(:func:`newsletter.subscribers.reading.stream_active`: key and tags of each) are kept in
``.newsletter/roster.db``, a cache rebuilt when the files may hold a reader it lacks: they
changed by hand, or a write may have added or reactivated someone (the journal's generation,
docs/subscribers.md#the-suppression-journal). Folds only take readers away, and so do the
journal's changes since the build: they come with the roster as ``gone``, for the counting
query to leave out. On a site whose state folder this process may not write (read-only), the
roster is built for this process alone, outside the site (state/scratch.py).
"""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from newsletter.errors import SubscriberError
from newsletter.records import record
from newsletter.state import ROSTER, joined_seconds, scratch_or, sqlite

if TYPE_CHECKING:
    from newsletter.subscribers.store import SubscriberStore

ROSTER_FILE = ROSTER.file


@record(frozen=True)
class Roster:
    """A roster that is current once ``gone`` is left out of it."""

    path: Path
    gone: frozenset[str]  # keys journalled since the roster was built
    problems: tuple[SubscriberError, ...]  # the rows the build could not use, as it met them

    def joined(self, size: int = 5000) -> Iterator[list[tuple[str, int | None]]]:
        """(key, when they joined in UTC seconds, None if not known) of the active readers,
        ``size`` at a time, in list order."""
        with closing(_connect(self.path)) as db:
            rows = db.execute("SELECT key, joined FROM readers ORDER BY rowid")
            while chunk := rows.fetchmany(size):
                yield [row for row in chunk if row[0] not in self.gone] if self.gone else chunk


def fresh_roster(store: SubscriberStore) -> Roster:
    """The site's roster, rebuilt first if the files may hold readers it lacks."""
    return current_roster(store) or _build(store, scratch_or(store.state_dir) / ROSTER_FILE)


def current_roster(store: SubscriberStore) -> Roster | None:
    """The site's roster if it is current (with ``gone``), else None: rebuilding it reads the
    whole list, which a send reads anyway (cli/send.py counts as it sends instead)."""
    path = store.state_dir / ROSTER_FILE
    built = _state(path)
    if built is not None:
        marks = store.journal.marks()
        signature = store.signature()
        # Files a locked write left, with no edit by hand since the build: the roster is
        # current only if the build itself read files the journal knew (not, say, a folder
        # gone for a run and then put back as it was).
        same_files = signature == built["signature"] or (
            built["vouched"] and marks.files == signature and marks.epoch == built["epoch"])
        if same_files and marks.generation == built["generation"]:
            changes, _, pruned_through = store.journal.since(built["last_id"])
            if pruned_through <= built["last_id"]:
                return Roster(path, frozenset(changes), _problems(path))
    return None


def _state(path: Path) -> dict | None:
    if not path.exists():
        return None
    try:
        with closing(_connect(path)) as db:
            if tuple(sqlite.applied(db)) != ROSTER.names:  # another version's: built again
                return None
            state = dict(db.execute("SELECT name, value FROM state"))
    except sqlite3.DatabaseError:  # a cache: a broken one is simply built again
        return None
    return {"signature": tuple(tuple(entry) for entry in json.loads(state["signature"])),
            "epoch": int(state["epoch"]), "generation": int(state["generation"]),
            "last_id": int(state["last_id"]), "vouched": state.get("vouched") == "1"}


def _problems(path: Path) -> tuple[SubscriberError, ...]:
    with closing(_connect(path)) as db:
        return tuple(SubscriberError(message, where=where or None, hint=hint or None)
                     for message, where, hint in db.execute(
                         "SELECT message, where_, hint FROM problems ORDER BY rowid"))


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def _build(store: SubscriberStore, path: Path) -> Roster:
    """Read the list as a send would, into a new roster file swapped in whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{ROSTER_FILE}.{os.getpid()}.tmp")
    temp.unlink(missing_ok=True)
    problems: list[SubscriberError] = []
    try:
        _fill(store, temp, problems)
    except BaseException:  # a full disk, a read-only folder: no half-built file left to fill it
        temp.unlink(missing_ok=True)
        raise
    os.replace(temp, path)
    return Roster(path, frozenset(), tuple(problems))


def _fill(store: SubscriberStore, temp: Path, problems: list[SubscriberError]) -> None:
    """Write the readers ``store`` holds, and the ``problems`` met reading them, into ``temp``."""
    db = _connect(temp)
    try:
        db.execute("PRAGMA journal_mode=OFF")  # a cache: nothing to recover after a crash
        db.execute("PRAGMA synchronous=OFF")
        sqlite.migrate(db, ROSTER, str(temp))
        db.execute("BEGIN")
        db.executemany("INSERT INTO readers VALUES (?, ?, ?)", (
            (reader.key, "|" + "|".join(tag.lower() for tag in reader.tags) + "|",
             joined_seconds(reader.subscribed_at))
            for reader in store.active(problems)))
        db.executemany("INSERT INTO problems VALUES (?, ?, ?)",
                       [(p.message, p.where or "", p.hint or "") for p in problems])
        view = store.suppression_snapshot()  # what the read above saw
        vouched = store.journal.marks().files == tuple(view.signature)
        db.executemany("INSERT INTO state VALUES (?, ?)", [
            ("signature", json.dumps(view.signature)), ("epoch", str(view.epoch)),
            ("generation", str(view.generation)), ("last_id", str(view.last_id)),
            ("vouched", "1" if vouched else "0")])
        db.execute("COMMIT")
    finally:
        db.close()
