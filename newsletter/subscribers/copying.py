"""Copying the subscriber files into the PostgreSQL store (`newsletter store copy`), and the
store's list back into a file (`store copy --to files`).

Readers go in chunks, each its own transaction, keyed by address: a copy stopped halfway is
run again and goes on where it stopped (a reader already there is left as it is, but for one who
left in the files since: suppression wins), and a second run of a finished copy adds nothing.
Each chunk is counted in the database as it goes in: a reader missing fails the copy; and so
does a reader the files lack, counted at the end (the store was not empty).
"""

from __future__ import annotations

import os
from dataclasses import field
from itertools import islice
from pathlib import Path
from typing import Iterator

from newsletter.errors import StoreError, SubscriberError
from newsletter.records import record
from newsletter.subscribers.export import export_readers
from newsletter.subscribers.postgres_store import WRITABLE, PostgresStore, insert
from newsletter.subscribers.rows import LEFT, Subscriber, nul_problem
from newsletter.subscribers.store import SubscriberStore

CHUNK = 5000  # readers per transaction


@record
class ListCopy:
    """What a copy of the list did."""

    readers: int = 0  # distinct readers in the files (suppression applied, as a send reads)
    added: int = 0  # of them, new to the database in this run
    problems: list[SubscriberError] = field(default_factory=list)  # rows not copied, and why


def copy_list(source: SubscriberStore, target: PostgresStore) -> ListCopy:
    """Copy every reader of ``source`` into ``target``, a chunk at a time (memory stays flat
    however long the list); StoreError when the database does not hold each of them after."""
    report = ListCopy()
    stream = _storable(source, report.problems)
    with target.connection() as db:
        while chunk := list(islice(stream, CHUNK)):
            keys = list({reader.key for reader in chunk})
            with db.transaction():
                report.added += insert(db, chunk)
                carry_left(db, chunk)
                found = db.execute("SELECT count(*) FROM subscribers WHERE key = ANY(%s)",
                                   (keys,)).fetchone()[0]
            if found != len(keys):
                raise StoreError(f"holds {found} of the {len(keys)} readers of a chunk copied",
                                 where=target.where, hint="run the copy again")
            report.readers += len(keys)
        there = db.execute("SELECT count(*) FROM subscribers").fetchone()[0]
    if there != report.readers:
        raise StoreError(f"the table subscribers holds {there} readers, the files "
                         f"{report.readers}", where=target.where,
                         hint="copy into an empty store (a new database or schema)")
    return report


def carry_left(db, chunk: list[Subscriber]) -> None:
    """Readers who left in the files since an earlier run copied them leave here too
    (suppression wins; only an active or unconfirmed row moves, as a suppression does)."""
    if left := [reader for reader in chunk if reader.status in LEFT]:
        db.execute("UPDATE subscribers SET status = g.status FROM unnest(%s::text[], "
                   "%s::text[]) AS g(key, status) WHERE subscribers.key = g.key "
                   "AND subscribers.status = ANY(%s)",
                   ([r.key for r in left], [r.status.value for r in left], list(WRITABLE)))


def _storable(source: SubscriberStore, problems: list[SubscriberError]) -> Iterator[Subscriber]:
    """The readers of ``source``; those PostgreSQL cannot hold are named in ``problems``."""
    for reader in source.each_reader(problems):
        # A reader only the journal holds (a suppression of an address the list lacks) has no
        # file, and no NUL: their address was checked.
        if reader.source and (problem := nul_problem(reader, source.label(reader.source))):
            problems.append(problem)
        else:
            yield reader


def refuse_own_list(directory: Path) -> None:
    """SubscriberError when ``directory`` holds a list already (the files' from before the
    move, say): the store's list would be read beside it."""
    if held := sorted(path.name for path in directory.glob("*.csv")):
        raise SubscriberError(f"holds a list already ({', '.join(held)})",
                              where=str(directory), hint="move those files aside (keep them "
                              "until the copy is checked), then copy again")


def spool_list_back(source: PostgresStore, directory: Path) -> tuple[int, Path]:
    """Write the store's list beside ``directory``'s list files, every cell as the store
    holds it: (the readers written, the file; moved to ``subscribers.csv`` by the caller
    once the rest of the state is in place)."""
    refuse_own_list(directory)
    directory.mkdir(parents=True, exist_ok=True)
    spool = directory / ".subscribers.csv.copying"  # not read as the list: no .csv suffix
    with spool.open("w", encoding="utf-8", newline="") as stream:
        written = export_readers(source, stream, as_written=True)
        stream.flush()
        os.fsync(stream.fileno())
    return written, spool
