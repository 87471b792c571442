"""When a run's ledger commits reach the disk: a claim before its request leaves, not when it
is committed.

A send commits twice a batch: its claim (the readers `submitting`) and its outcome. With each
commit waiting for the disk (synchronous=FULL: an fsync of the write-ahead log), the send's
one busy thread waited for the disk twice a batch, most of a fast send's wall time on a busy
disk. Within a run every commit is made without waiting (synchronous=NORMAL), and the worker
that sends a batch first syncs the log (:meth:`LogSync.sync`): the claim is on disk before its
request leaves, as FULL promised, while the send builds the next batch. SQLite syncs the log
before each checkpoint copies it into the database, so nothing reaches the database unsynced.
An outcome reaches the disk with the next batch's sync or the run's end (a FULL commit); lost
to a power cut, it would leave its readers `submitting`, which recover() makes in_doubt: never
a reader mailed twice. The run's other commits (a pending or doubt flag) go the same way: the
write-ahead log keeps commits in order, so a power cut loses a tail of them, never one commit
while a later one survives.

The syncs are grouped: an fsync covers every commit written before it began, so a worker whose
claim an fsync begun after it already covered sends without one of its own. Batches waiting on
the disk together (at a provider that answers at once, the disk is the pace: the fsyncs of one
file queue in the kernel) then share one fsync instead of taking turns, each ~5-10 ms on this
machine's disk.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, TypeVar

from newsletter.errors import DISK_HINT, NotSentError

T = TypeVar("T")


class LogSync:
    """The write-ahead log of one ledger connection, synced on demand during a run."""

    def __init__(self, db: sqlite3.Connection, path: Path):
        self.db = db
        self.log = Path(f"{path}-wal")  # SQLite's name for it
        self._fd: int | None = None
        # Deferred commits made so far, and how many of them an fsync has covered: a sync
        # whose commits an fsync begun after them covered has nothing left to wait for.
        self._commits = self._synced = 0
        self._counting, self._syncing = threading.Lock(), threading.Lock()

    @contextmanager
    def run(self) -> Iterator[None]:
        """Around a run: its commits do not wait for the disk (synchronous=NORMAL, set once for
        the run: set and reset around each commit, it was two more statements a commit, each a
        turn of the GIL the send's main thread waited for); a claim's (:meth:`deferred`) is
        synced by :meth:`sync`. The commit after the run waits for the disk again, and with it
        every commit of the run."""
        self._fd = os.open(self.log, os.O_RDONLY)  # the connection keeps the log while open
        relaxed = not self.db.in_transaction  # a transaction may not change it
        if relaxed:
            self.db.execute("PRAGMA synchronous=NORMAL")
        try:
            yield
        finally:
            os.close(self._fd)
            self._fd = None
            if relaxed:
                self.db.execute("PRAGMA synchronous=FULL")

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """A commit of the run, counted for :meth:`sync` once written (or failed: one sync
        more, no harm)."""
        try:
            yield
        finally:
            if self._fd is not None:
                with self._counting:
                    self._commits += 1

    def sync(self) -> None:
        """Every claim and outcome of the run committed so far on disk (from any thread);
        NotSentError if the disk fails: the batch that asked must not leave."""
        if self._fd is None:
            return  # outside a run every commit waited for the disk
        wanted = self._commits  # the caller's own commit among them
        with self._syncing:
            if self._synced >= wanted:
                return  # an fsync begun after those commits were written covered them
            written = self._commits
            try:
                os.fsync(self._fd)
            except OSError as error:
                raise NotSentError(f"the ledger could not be written to disk ({error.strerror}); "
                                   "nothing was sent", hint=DISK_HINT) from None
            self._synced = written

    def synced(self, job: Callable[..., T]) -> Callable[..., T]:
        """``job``, run once every commit so far is on disk (:meth:`sync`)."""
        def after_sync(*args, **kwargs) -> T:
            self.sync()
            return job(*args, **kwargs)
        return after_sync


def already_synced(job: Callable[..., T]) -> Callable[..., T]:
    """``job`` as it is: for a store whose every commit waits for the disk (PostgreSQL)."""
    return job
