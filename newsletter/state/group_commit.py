"""Group commit for a SQLite file written from many threads (``serve``'s).

Each durable commit is an fsync, and threads that each begin their own write transaction queue
for the file's write lock in SQLite's busy handler (sleeps of growing length). Instead, the
first thread to arrive commits; writes that arrive meanwhile wait and go in its next commit
together, one fsync for all of them, and each writer returns once its rows are on disk.
"""

from __future__ import annotations

import threading
from dataclasses import field
from typing import Callable, Generic, Sequence, TypeVar

from newsletter.records import record

Item = TypeVar("Item")
Result = TypeVar("Result")


def _held_lock() -> threading.Lock:
    lock = threading.Lock()
    lock.acquire()
    return lock


@record
class _Waiting(Generic[Item]):
    """One caller's write, waiting for a commit, and how it went. ``done`` is held until the
    commit is over: a bare lock is the cheapest wake-up there is (an Event takes a Condition
    and its locks)."""

    item: Item
    done: threading.Lock = field(default_factory=_held_lock)
    result: object = None
    error: BaseException | None = None


class GroupCommit(Generic[Item, Result]):
    """Writes from many threads, committed together.

    ``commit(items)`` writes every item in one transaction and returns one result per item in
    their order (or raises: every caller of that commit gets the error).
    """

    def __init__(self, commit: Callable[[Sequence[Item]], Sequence[Result]]):
        self._commit = commit
        self._queue = threading.Lock()  # guards _waiting and _leading
        self._waiting: list[_Waiting[Item]] = []
        self._leading = False  # a thread is committing (and will take what waits)

    def write(self, item: Item) -> Result:
        """Commit ``item`` (with whatever else is waiting); its result, once on disk."""
        waiting = _Waiting(item)
        with self._queue:
            self._waiting.append(waiting)
            leading = not self._leading
            self._leading = True
        if leading:
            self._commit_waiting()
        else:
            waiting.done.acquire()  # released by the thread that committed it
        if waiting.error is not None:
            raise waiting.error
        return waiting.result

    def _commit_waiting(self) -> None:
        """As the thread that commits: commit what waits, until nothing does."""
        while True:
            with self._queue:
                batch, self._waiting = self._waiting, []
                if not batch:
                    self._leading = False
                    return
            try:
                results = self._commit([waiting.item for waiting in batch])
                for waiting, result in zip(batch, results):
                    waiting.result = result
            except BaseException as error:  # every waiting write learns of it
                for waiting in batch:
                    waiting.error = error
            for waiting in batch:
                waiting.done.release()
