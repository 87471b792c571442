"""Where each reader is in the welcome series, in ``.newsletter/welcome.db``.

Who has which post is the ledger's business, as for a broadcast: a welcome email is a ledger row
(post, reader) like any other, claimed before it goes out, so each pair goes out at most once
and a reader who had a post as a broadcast is never sent it again. This store only remembers
the series' own facts:

- ``meta``: when the series was first enabled (``enabled_at``: readers who joined from then on
  get it) and when ``welcome enroll --all`` enrolled everyone else (``enrolled_all_at``);
- ``progress``: per reader, the post of the series a run last gave them, when that run ran
  (the next one is due ``every`` later), and whether the ledger has settled it (sent, failed
  or in doubt: until then the reader is due for it again, a run that stopped at a limit or died
  is resumed);
- ``sends``: each (post, reader) a welcome run gave, so `status` tells welcome emails apart
  from broadcasts.

A run records its readers' progress *before* it sends (a crash then leaves a reader due again,
and the ledger stops a second copy) and :meth:`WelcomeState.settle` marks them settled from
the ledger afterwards, and at the start of every run. Times are UTC seconds.
The whole schema is :data:`SCHEMA`, in one place, for a port to another store.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Callable, Iterable, Sequence

from newsletter.sending.states import SETTLED

WELCOME_FILE = "welcome.db"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS progress (
    address TEXT PRIMARY KEY,       -- the reader's key (address_key), as in the ledger
    step INTEGER NOT NULL,          -- position in [welcome] posts of the post last given
    post_id TEXT NOT NULL,          -- that post
    at INTEGER NOT NULL,            -- when the run that gave it ran, UTC seconds
    settled INTEGER NOT NULL        -- 1 once the ledger holds it sent, failed or in doubt
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS progress_unsettled ON progress (post_id) WHERE settled = 0;
CREATE TABLE IF NOT EXISTS sends (
    post_id TEXT NOT NULL,
    address TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (post_id, address)
) WITHOUT ROWID;
"""
ENABLED_AT = "enabled_at"
ENROLLED_ALL_AT = "enrolled_all_at"
BUSY_TIMEOUT_S = 10.0


class WelcomeState:
    """The welcome series' state of one site."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")  # progress is on disk before a send
        self.db.executescript(SCHEMA)

    @classmethod
    def open(cls, state_dir: Path) -> WelcomeState:
        return cls(state_dir / WELCOME_FILE)

    @classmethod
    def open_existing(cls, state_dir: Path) -> WelcomeState | None:
        """The site's state, or None when no welcome run ever ran (creates nothing)."""
        path = state_dir / WELCOME_FILE
        return cls(path) if path.exists() else None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> WelcomeState:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -- meta ----------------------------------------------------------------------------------

    def moment(self, key: str) -> int | None:
        """The time stored under ``key`` (ENABLED_AT, ENROLLED_ALL_AT), or None."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return int(row[0]) if row else None

    def record_moment(self, key: str, at: int, *, replace: bool = False) -> int:
        """Store ``at`` under ``key`` (kept if already set, unless ``replace``); the stored time."""
        verb = "REPLACE" if replace else "IGNORE"
        self.db.execute(f"INSERT OR {verb} INTO meta VALUES (?, ?)", (key, str(at)))
        return self.moment(key)

    # -- progress ------------------------------------------------------------------------------

    def progress(self, keys: Sequence[str]) -> dict[str, tuple[int, str, int, int]]:
        """{key: (step, post id, at, settled)} of those of ``keys`` that have started."""
        rows = self.db.execute(
            "SELECT address, step, post_id, at, settled FROM progress "
            "WHERE address IN (SELECT value FROM json_each(?))", (json.dumps(keys),))
        return {address: rest for address, *rest in rows}

    def give(self, given: Iterable[tuple[str, int, str]], at: int) -> None:
        """Record, in one transaction, that a run at ``at`` gives each (key, step, post id)."""
        rows = json.dumps(list(given))
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute(
            """INSERT OR REPLACE INTO progress
               SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'),
                      json_extract(value, '$[2]'), ?, 0 FROM json_each(?)""", (at, rows))
        self.db.execute(
            """INSERT OR REPLACE INTO sends
               SELECT json_extract(value, '$[2]'), json_extract(value, '$[0]'), ?
               FROM json_each(?)""", (at, rows))
        self.db.execute("COMMIT")

    def given(self, post_id: str, at: int) -> Callable[[list[str]], set[str]]:
        """The ``select`` of a campaign sending ``post_id``: of a chunk of keys, those the run
        at ``at`` gave that post and the ledger has not settled yet."""
        def select(keys: list[str]) -> set[str]:
            rows = self.db.execute(
                "SELECT address FROM progress WHERE address IN (SELECT value FROM json_each(?)) "
                "AND post_id = ? AND at = ? AND settled = 0", (json.dumps(keys), post_id, at))
            return {row[0] for row in rows}
        return select

    def settle(self, ledger_path: Path) -> None:
        """Mark settled every reader whose last post the ledger holds sent, failed or in doubt
        (call with no run in progress, after the ledger's own recovery)."""
        if not ledger_path.exists():
            return
        self.db.execute("ATTACH DATABASE ? AS ledger", (str(ledger_path),))
        try:
            self.db.execute(
                f"""UPDATE progress SET settled = 1 WHERE settled = 0 AND EXISTS (
                        SELECT 1 FROM ledger.deliveries d WHERE d.post_id = progress.post_id
                        AND d.address = progress.address
                        AND d.state IN ({', '.join('?' * len(SETTLED))}))""", SETTLED)
        finally:
            self.db.execute("DETACH DATABASE ledger")

    # -- reports -------------------------------------------------------------------------------

    def sent_counts(self, ledger_path: Path) -> dict[str, int]:
        """{post id: readers a welcome run gave it and the ledger holds as sent}."""
        if not ledger_path.exists():
            return {}
        self.db.execute("ATTACH DATABASE ? AS ledger", (str(ledger_path),))
        try:
            return dict(self.db.execute(
                """SELECT s.post_id, count(*) FROM sends s JOIN ledger.deliveries d
                   ON d.post_id = s.post_id AND d.address = s.address
                   WHERE d.state = 'sent' GROUP BY s.post_id"""))
        finally:
            self.db.execute("DETACH DATABASE ledger")
