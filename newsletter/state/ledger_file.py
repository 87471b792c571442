"""Opening the ledger's SQLite file, and refusing to start a new one over a lost one.

The ledger is the only record of who has each post: a new, empty one takes every post as never
sent, and the next `send` or `send --due` would mail every reader again. So the first time a
ledger is opened a small file beside it (``ledger.made``) records that it exists; while that
file is there and ``ledger.db`` is not (deleted by hand, a partial restore), every command that
reads or writes the ledger refuses, instead of sending everyone again or saying "nothing sent
yet", and so do `store migrate` and `store copy`, which would make or copy an empty one. The
same goes for a ledger file SQLite cannot read (corrupted, truncated).
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Iterator

from newsletter.errors import StoreError
from newsletter.state import sqlite
from newsletter.state.ledger_schema import LEDGER

logger = logging.getLogger(__name__)

LEDGER_FILE = LEDGER.file
MADE_FILE = "ledger.made"
# What to do, said by each refusal; the refusing command has changed nothing.
LOST_HINT = (f"restore .newsletter/{LEDGER_FILE} from a backup; only if every post really should "
             f"count as never sent, delete .newsletter/{MADE_FILE}")
UNREADABLE_HINT = (f"restore .newsletter/{LEDGER_FILE} from a backup (deleting it would send "
                   "every post again to every reader)")


def connect_ledger(path: Path) -> sqlite3.Connection:
    """The ledger file ``path``, made if new (unless one was lost: :func:`refuse_lost`),
    migrated."""
    refuse_lost(path)  # a new ledger over a lost one would send everyone again
    # FULL (sqlite.connect): a commit is on disk when it returns, even across power loss.
    # NORMAL (WAL) would survive a killed process but could lose the last claims to a power
    # cut, and a lost claim is a reader mailed twice; a send's own commits are synced before
    # each request instead (sending/ledger_sync.py). `status` may read while a send writes
    # (the busy timeout).
    with readable(path):
        db = sqlite.connect(path)
    try:
        # Copy the log into the database every 10,000 pages (~40 MB) instead of 1,000: a page
        # rewritten by several batches in between is copied once (the signup-order runs of
        # bench/bench_providers.py show the gain).
        db.execute("PRAGMA wal_autocheckpoint=10000")
        with readable(path):
            for name in sqlite.migrate(db, LEDGER, str(path)):
                logger.info("ledger migration %s applied", name)
    except BaseException:
        db.close()
        raise
    note_made(path)
    return db


def ledger_on_disk(state_dir: Path) -> bool:
    """True if the site has a ledger, or had one that is gone (opening it then refuses)."""
    return (state_dir / LEDGER_FILE).exists() or (state_dir / MADE_FILE).exists()


def refuse_lost(path: Path) -> None:
    """StoreError when ``path`` (a ledger file) is missing but a ledger was made beside it."""
    made = path.with_name(MADE_FILE)
    if path.exists() or not made.exists():
        return
    raise StoreError(f"{path.name} is gone, but this site's ledger was made "
                     f"{made.read_text(encoding='utf-8').strip() or 'earlier'}: a new one would "
                     "send every post again to every reader",
                     where=str(path.parent), hint=LOST_HINT)


def note_made(path: Path) -> None:
    """Record that the ledger ``path`` exists (once; a folder that cannot take it is left be:
    the ledger itself works without it)."""
    made = path.with_name(MADE_FILE)
    if not made.exists():
        with suppress(OSError):
            made.write_text(f"on {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC\n",
                            encoding="utf-8")


@contextmanager
def readable(path: Path) -> Iterator[None]:
    """A ledger file SQLite cannot read (not a database, malformed) as one StoreError; a lock,
    a full disk or a read-only folder (OperationalError) is left to say itself."""
    try:
        yield
    except sqlite3.OperationalError:
        raise
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path.name} cannot be read as a ledger ({error})",
                         where=str(path.parent), hint=UNREADABLE_HINT) from None

