"""The site lock: one `send` at a time per site."""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

from newsletter.errors import SiteLockedError
from newsletter.locks import exclusive_lock

if TYPE_CHECKING:
    from newsletter.config import Settings

LOCK_FILE = "send.lock"
HOLDER_FILE = "send.pid"  # who holds the lock, only for the message a second run prints


@contextmanager
def site_lock(settings: Settings) -> Iterator[None]:
    """Hold the site's send lock, or raise SiteLockedError at once if another run holds it.

    On the PostgreSQL store senders may share a campaign: the ledger itself decides who
    claims each reader and who may recover (:mod:`newsletter.sending.ledger_pg`), so no file
    lock is taken.
    """
    if settings.store_url:
        yield
        return
    path = settings.state_dir / LOCK_FILE
    holder = settings.state_dir / HOLDER_FILE

    def busy() -> SiteLockedError:
        try:
            pid = holder.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            pid = ""
        return SiteLockedError(
            f"another send is running on this site{f' (pid {pid})' if pid else ''}",
            where=str(path), hint="wait for it to finish; runs never interleave",
        )

    with exclusive_lock(path, 0, busy):
        holder.write_text(str(os.getpid()), encoding="ascii")
        yield
