"""`subscribers import` into the PostgreSQL list: the readers of the file staged in a TEMP
table, then merged a chunk at a time, all in one transaction (an import that fails changes
nothing), each reader by the rules the files store applies to its copies
(:func:`~newsletter.subscribers.edits.leave`, :func:`~newsletter.subscribers.edits.merge_reader`),
so both stores count the same outcomes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Callable, Iterable

from newsletter.state import postgres
from newsletter.subscribers.import_stage import DatabaseStage
from newsletter.subscribers.postgres_store import PostgresStore, insert, suppress_in
from newsletter.subscribers.adding import with_details
from newsletter.subscribers.saved_whole import SavedWhole
from newsletter.subscribers.rows import LEFT, Status, Subscriber, suppresses

if TYPE_CHECKING:
    from newsletter.subscribers.imports import ImportSummary

CHUNK = 2000  # readers looked up (and locked) per statement


def import_into_database(store: PostgresStore, readers: Iterable[Subscriber], reason: str,
                         resubscribe: bool, summary: ImportSummary,
                         adding: Callable[[list[str]], None] | None = None) -> None:
    """Stage ``readers`` in a TEMP table, then merge each into the list, all in one
    transaction; the outcomes go to ``summary``, the keys of new readers to ``adding`` (before
    the transaction commits). A list changed is then vacuumed and analysed (postgres.settle)."""
    with store.connection() as db, SavedWhole() as saving:
        with db.transaction():
            stage = DatabaseStage(db)
            summary.repeated = stage.add(readers)
            for chunk in stage.chunks(CHUNK):
                listed = {key: (status or Status.ACTIVE.value, name, tags)
                          for key, status, name, tags in db.execute(
                              "SELECT key, status, name, tags FROM subscribers "
                              "WHERE key = ANY(%s) ORDER BY key FOR UPDATE",
                              ([reader.key for reader in chunk],))}
                leaving, updates, new = [], [], []
                for reader in chunk:
                    if reader.key not in listed:
                        new.append(reader)
                        continue
                    outcome, update = _merge(listed[reader.key], reader, resubscribe)
                    setattr(summary, outcome, getattr(summary, outcome) + 1)
                    if update is not None:
                        updates.append((*update, reader.key))
                    if outcome == "updated" and reader.status in LEFT:
                        leaving.append((reader.key, reader.address, reader.status.value, reason))
                with db.cursor() as cursor:
                    cursor.executemany("UPDATE subscribers SET status = %s, name = %s, tags = %s "
                                       "WHERE key = %s", updates)
                if leaving:
                    suppress_in(db, leaving, record_unknown=False)
                if adding and (active := [reader.key for reader in new if reader.active]):
                    adding(active)
                summary.added += insert(db, [_stamped(reader) for reader in new])
            saving.begin()  # the COMMIT: Ctrl-C then could not tell whether the import was made
        if summary.added or summary.updated:  # made: Ctrl-C still waits (SavedWhole)
            postgres.settle(db, ("subscribers", "journal_changes"))


def _merge(row: tuple[str, str, str], reader: Subscriber, resubscribe: bool
           ) -> tuple[str, tuple[str, str, str] | None]:
    """The ImportSummary field for ``reader`` against its row (status, name, tags), and the
    row's new (status, name, tags) when it changes (a leaver's status: by the journal)."""
    status, name, tags = row
    left = suppresses(status) and status != Status.UNCONFIRMED.value
    if reader.status in LEFT:
        return ("unchanged", None) if left else ("updated", None)
    if not reader.active:
        return "unchanged", None
    if left and not resubscribe:
        return "skipped", None
    after = (Status.ACTIVE.value if suppresses(status) else status,
             *with_details(name, tags, reader.name, reader.tags))
    return ("unchanged", None) if after == row else ("updated", after)


def _stamped(reader: Subscriber) -> Subscriber:
    """A new reader as a new row of the files gets it: signed up now when the file says not."""
    if reader.subscribed_at:
        return reader
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    return dataclasses.replace(reader, subscribed_at=now)
