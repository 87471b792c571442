"""The folder of subscriber files and the site's state folder beside it: which files there are,
their version, how problems name them, and the list's lock.

This is all the reading and the folding of the list need to know about where it lives, so
they take a :class:`ListFolder` and never the store that uses them (the store is one).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from newsletter.errors import SubscriberError
from newsletter.locks import exclusive_lock
from newsletter.subscribers.journal import Journal

DEFAULT_FILE = "subscribers.csv"  # where `add` and `import` write new readers
LOCK_FILE = "subscribers.lock"  # in the site's state folder (.newsletter/)
LOCK_TIMEOUT = 30.0  # seconds a writer waits for another writer


def file_version(name: str, stat: os.stat_result) -> tuple[str, int, int, int, int]:
    """What marks a version of one list file: every write replaces a file, so a new inode
    marks it even within one mtime tick; the change time, an edit whose mtime and size were
    put back (`cp -p`, `rsync -t`, `touch -r`)."""
    return (name, stat.st_ino, stat.st_mtime_ns, stat.st_size, stat.st_ctime_ns)


class ListFolder:
    """``subscribers/*.csv`` of one site, its suppression journal and its lock."""

    def __init__(self, settings=None, *, directory: Path | None = None,
                 state_dir: Path | None = None, lock_timeout: float = LOCK_TIMEOUT):
        self.directory = Path(directory or settings.subscribers_dir)
        self.state_dir = Path(state_dir or settings.state_dir)
        self.root = self.directory.parent  # problems name files relative to the site
        self.lock_timeout = lock_timeout
        self.journal = Journal(self.state_dir)

    @property
    def default_path(self) -> Path:
        """subscribers.csv, where new readers and new suppression records go."""
        return self.directory / DEFAULT_FILE

    def files(self) -> list[Path]:
        """Every subscriber file, in name order; SubscriberError for a symbolic link among
        them (reading one would take another file's lines, and show them in problems, as
        readers; the first write would replace the link with a copy of the list) or anything
        else that is no plain file."""
        found = sorted(self.directory.glob("*.csv")) if self.directory.is_dir() else []
        for path in found:
            if path.is_symlink():
                raise SubscriberError(
                    "a symbolic link: the list is read and written only as plain files",
                    where=self.label(path), hint="put the file it points to in its place (or "
                                                 "link the whole subscribers folder)")
            if not path.is_file():  # a named pipe waited forever for a writer to open it
                raise SubscriberError(
                    "not a file (a folder, a pipe or a device): the list is read only from "
                    "plain files", where=self.label(path),
                    hint="move it out of subscribers/ (or rename it without .csv)")
        return found

    def label(self, path: Path) -> str:
        """How problems name ``path``: relative to the site folder."""
        return str(path.relative_to(self.root)) if path.is_relative_to(self.root) else str(path)

    def signature(self) -> tuple:
        """The version of the files, a :func:`file_version` each."""
        stats = []
        for path in self.files():
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue  # replaced or removed while listing: the next call sees it
            stats.append(file_version(path.name, stat))
        return tuple(stats)

    def size(self) -> int:
        """Bytes in every subscriber file."""
        return sum(entry[3] for entry in self.signature())

    @contextmanager
    def locked(self, timeout: float | None = None) -> Iterator[None]:
        """Hold the list's lock (waiting up to ``timeout``, default ``lock_timeout`` seconds)."""
        timeout = self.lock_timeout if timeout is None else timeout
        lock = self.state_dir / LOCK_FILE
        with exclusive_lock(lock, timeout, lambda: SubscriberError(
                f"the subscriber list stayed locked for {timeout:g} s", where=str(lock),
                hint="another newsletter command is changing it; try again")):
            yield

    def wait_for_writes(self) -> None:
        """Return once no locked change to the list (an import) is under way; SubscriberError
        if one lasts past ``lock_timeout``."""
        with self.locked():
            pass

    @contextmanager
    def writing(self, timeout: float | None = None, adds_readers: bool = False
                ) -> Iterator[None]:
        """Hold the list's lock for a write, and record the files it leaves (so that a running
        send can tell this write from an edit by hand: :meth:`Journal.record_files`);
        ``adds_readers``: the write may add or reactivate readers."""
        with self.locked(timeout):
            # A write killed halfway leaves its temporary file; no other write runs now.
            for leftover in self.directory.glob(".*.tmp"):
                leftover.unlink(missing_ok=True)
            before = self.signature()
            yield
            self.journal.record_files(before, self.signature(), adds_readers)
