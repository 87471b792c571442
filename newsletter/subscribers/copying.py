"""Copying the subscriber files into the PostgreSQL store (`newsletter store copy`).

Readers go in chunks, each its own transaction, keyed by address: a copy stopped halfway is
run again and goes on where it stopped (a reader already there is left as it is), and a second
run of a finished copy adds nothing. At the end the copy counts, in the database, the readers
of the files: one missing fails the copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice

from newsletter.errors import StoreError, SubscriberError
from newsletter.subscribers.postgres_store import PostgresStore, insert
from newsletter.subscribers.rows import nul_problem
from newsletter.subscribers.store import SubscriberStore

CHUNK = 5000  # readers per transaction


@dataclass
class ListCopy:
    """What a copy of the list did."""

    readers: int = 0  # distinct readers in the files (suppression applied, as a send reads)
    added: int = 0  # of them, new to the database in this run
    problems: list[SubscriberError] = field(default_factory=list)  # rows not copied, and why


def copy_list(source: SubscriberStore, target: PostgresStore) -> ListCopy:
    """Copy every reader of ``source`` into ``target``; StoreError when the database does not
    hold each of them afterwards."""
    readers, problems = source.load()
    unstorable = {reader.key: problem for reader in readers
                  if (problem := nul_problem(reader, source.label(reader.source)))}
    if unstorable:  # PostgreSQL cannot hold them: named, and left behind
        problems = [*problems, *unstorable.values()]
        readers = [reader for reader in readers if reader.key not in unstorable]
    report = ListCopy(len(readers), 0, problems)
    stream = iter(readers)
    with target.connection() as db:
        while chunk := list(islice(stream, CHUNK)):
            with db.transaction():
                report.added += insert(db, chunk)
        found = db.execute("SELECT count(*) FROM subscribers WHERE key = ANY(%s)",
                           ([reader.key for reader in readers],)).fetchone()[0]
    if found != len(readers):
        raise StoreError(f"holds {found} of the {len(readers)} readers copied",
                         where=target.where, hint="run the copy again")
    return report
