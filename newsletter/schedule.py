"""Which posts are due (to come), and the site lock: one `send` at a time per site."""

from __future__ import annotations

import fcntl
import logging
import os
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

from newsletter.errors import SiteLockedError

if TYPE_CHECKING:
    from newsletter.config import Settings

logger = logging.getLogger(__name__)

LOCK_FILE = "send.lock"


@contextmanager
def site_lock(settings: Settings) -> Iterator[None]:
    """Hold the site's send lock, or raise SiteLockedError at once if another run holds it."""
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    path = settings.state_dir / LOCK_FILE
    # The lock is the flock on the file, not the file itself: it dies with the process (even on
    # SIGKILL), so a crashed run never leaves the site locked. flock rather than lockf: it also
    # excludes a second handle in the same process. The pid inside is only for the message.
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip()
            raise SiteLockedError(
                f"another send is running on this site{f' (pid {holder})' if holder else ''}",
                where=str(path),
                hint="wait for it to finish; runs never interleave",
            ) from None
        try:
            handle.truncate(0)
            handle.write(str(os.getpid()))
            handle.flush()
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
