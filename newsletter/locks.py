"""Exclusive locks on files in the site's state folder, through filelock.

A lock is held by an open file handle (flock on Linux and macOS), not by the file's existence:
it dies with its process, even on SIGKILL, so a crashed run never leaves the site locked. Two
handles exclude each other even in one process, so the WSGI server's threads queue up too.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import filelock

from newsletter.errors import NewsletterError


@contextmanager
def exclusive_lock(path: Path, timeout: float,
                   busy: Callable[[], NewsletterError]) -> Iterator[None]:
    """Hold an exclusive lock on ``path``, waiting up to ``timeout`` s; else raise ``busy()``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(path, timeout=timeout, poll_interval=0.01)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise busy() from None
    try:
        yield
    finally:
        lock.release()
