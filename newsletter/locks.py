"""Exclusive locks on files in the site's state folder: ``flock``, through filelock where the
file system has none.

A lock is held by an open file handle (flock on Linux and macOS), not by the file's existence:
it dies with its process, even on SIGKILL, so a crashed run never leaves the site locked. Two
handles exclude each other even in one process, so the WSGI server's threads queue up too.
The file stays in place on release, so waiters share one inode.

``flock`` is called here rather than through filelock, which costs a send's start-up a twelfth
of its instructions (it imports logging, asyncio's pieces, inspect, decimal); filelock is
imported only where ``flock`` fails with ENOSYS (some network file systems), for its fallback.
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from newsletter.errors import NewsletterError

POLL_SECONDS = 0.01
# flock's answers when another handle holds the lock (some file systems say EACCES)
HELD_ELSEWHERE = frozenset({errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES})


@contextmanager
def exclusive_lock(path: Path, timeout: float,
                   busy: Callable[[], NewsletterError]) -> Iterator[None]:
    """Hold an exclusive lock on ``path``, waiting up to ``timeout`` s; else raise ``busy()``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    try:
        taken = _take(fd, timeout)
    except OSError as error:
        os.close(fd)
        if error.errno != errno.ENOSYS:
            raise
        with _without_flock(path, timeout, busy):
            yield
        return
    if not taken:
        os.close(fd)
        raise busy()
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _take(fd: int, timeout: float) -> bool:
    """flock ``fd``, trying every POLL_SECONDS for ``timeout`` s; False if it stays held."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError as error:
            if error.errno not in HELD_ELSEWHERE:
                raise
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL_SECONDS)


@contextmanager
def _without_flock(path: Path, timeout: float,
                   busy: Callable[[], NewsletterError]) -> Iterator[None]:
    """filelock's lock, which falls back to a lock file of its own where flock is missing."""
    import filelock

    lock = filelock.FileLock(path, timeout=timeout, poll_interval=POLL_SECONDS)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise busy() from None
    try:
        yield
    finally:
        lock.release()
