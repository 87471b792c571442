"""Unsubscribe tokens kept between sends: a reader's token depends only on the secret and the
address, so each post need not seal it again.

``.newsletter/tokens.db`` holds (address, token) rows and an id of the secret they were made
with (an HMAC of a fixed text under the secret: the secret itself is never stored). Opened
with another secret, the file is emptied first, so a changed NEWSLETTER_SECRET never hands
out a token made with the old one. A token is what every email to that reader carries
anyway; the file is readable by its owner only. A cache: if it cannot be opened or written,
tokens are simply made again.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import sqlite3
from pathlib import Path
from typing import Callable

from newsletter.state import sqlite

logger = logging.getLogger(__name__)

TOKENS_FILE = "tokens.db"


def secret_id(secret: str) -> str:
    """Names the secret without revealing it."""
    return hmac.digest(secret.encode(), b"newsletter token cache", hashlib.sha256).hex()[:32]


class TokenCache:
    """Tokens by address, for one secret."""

    def __init__(self, state_dir: Path | None, secret: str, keep: bool = True):
        """``state_dir`` None: no cache (a store that keeps no files), tokens made each send.
        ``keep`` False: tokens made are not written (whoever asks keeps them elsewhere)."""
        self.db: sqlite3.Connection | None = None
        self.keep = keep
        if state_dir is None:
            return
        try:
            self.db = self._open(state_dir / TOKENS_FILE, secret_id(secret))
            # Empty and not to be filled (a first send to every reader): nothing to look up.
            if not keep and self.db.execute("SELECT 1 FROM tokens LIMIT 1").fetchone() is None:
                self.close()
        except (OSError, sqlite3.Error) as error:
            logger.debug("no token cache (%s): tokens are made for this send", error)

    @staticmethod
    def _open(path: Path, wanted: str) -> sqlite3.Connection:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600, exist_ok=True)
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # a cache: a lost write is made again
            db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS tokens (address TEXT PRIMARY KEY, "
                       "token TEXT NOT NULL) WITHOUT ROWID")
            found = db.execute("SELECT value FROM meta WHERE name = 'secret'").fetchone()
            if found is None or found[0] != wanted:
                db.execute("BEGIN IMMEDIATE")
                db.execute("DELETE FROM tokens")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('secret', ?)", (wanted,))
                db.execute("COMMIT")
        except BaseException:
            db.close()
            raise
        return db

    def tokens(self, addresses: list[str], make: Callable[[list[str]], list[str]]) -> list[str]:
        """The token of each address: from the cache, else made (``make`` of a list: one
        token each) and kept."""
        if self.db is None:
            return make(addresses)
        try:
            known = dict(self.db.execute(
                f"SELECT address, token FROM tokens WHERE address IN "
                f"({','.join('?' * len(addresses))})", addresses))
        except sqlite3.Error:
            known = {}
        missing = [address for address in addresses if address not in known]
        made = dict(zip(missing, make(missing)))
        if made and self.keep:
            try:
                self._keep(made)
            except sqlite3.Error as error:  # full disk, read-only folder: made again next time
                logger.debug("token cache not written: %s", error)
        return [known.get(address) or made[address] for address in addresses]

    def _keep(self, made: dict[str, str]) -> None:
        """Write ``made`` in one transaction: row by row (autocommit) was a commit a token,
        three quarters of a first send's token cost (1 s of CPU for 100,000 readers)."""
        with sqlite.immediate(self.db) as db:
            db.executemany("INSERT OR REPLACE INTO tokens VALUES (?, ?)", made.items())

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

