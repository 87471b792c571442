"""Webhook tokens already used, so that a captured webhook cannot be sent again.

Mailgun signs only ``timestamp + token``, not the event data: within the timestamp window (the
8 hours Mailgun retries for) one captured signature block could carry any other event
(docs/providers.md#mailgun-webhooks).
Mailgun's advice is to refuse a token seen before. Each accepted token is kept in SQLite
(``.newsletter/webhook-tokens.db``, shared by every thread and process serving the site) until
its timestamp leaves the window, after which the timestamp check refuses it anyway.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from newsletter.state import WEBHOOK_TOKENS, postgres, sqlite
from newsletter.web.webhooks.common import RETRY_WINDOW


class UsedTokens:
    """The signature tokens this site has accepted, each until its window closes."""

    def __init__(self, state_dir: Path, window: float = RETRY_WINDOW):
        self.path = Path(state_dir) / WEBHOOK_TOKENS.file
        self.window = window

    def _connect(self) -> sqlite3.Connection:
        return sqlite.open_kind(self.path, WEBHOOK_TOKENS)

    def claim(self, provider: str, token: str, signed_at: float, now: float) -> bool:
        """True the first time ``token`` is seen (it is kept until the window closes), False
        for a replay. Expired tokens are forgotten on the way."""
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM used_tokens WHERE expires < ?", (now,))
            cursor = db.execute("INSERT OR IGNORE INTO used_tokens VALUES (?, ?, ?)",
                                (provider, token, signed_at + self.window))
            db.execute("COMMIT")
            return cursor.rowcount == 1

    def release(self, provider: str, token: str) -> None:
        """Forget a token whose request was not applied, so the provider's retry is accepted."""
        with closing(self._connect()) as db:
            db.execute("DELETE FROM used_tokens WHERE provider = ? AND token = ?",
                       (provider, token))


class UsedTokensInPostgres:
    """:class:`UsedTokens` in the PostgreSQL store: one table for every host serving the site,
    so a token accepted by one is refused by all."""

    def __init__(self, database: postgres.Database, window: float = RETRY_WINDOW):
        self.database = database
        self.window = window

    def claim(self, provider: str, token: str, signed_at: float, now: float) -> bool:
        with self.database.connection(WEBHOOK_TOKENS) as db, db.transaction():
            db.execute("DELETE FROM used_tokens WHERE expires < %s", (now,))
            cursor = db.execute(
                "INSERT INTO used_tokens VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                (provider, token, signed_at + self.window))
            return cursor.rowcount == 1

    def release(self, provider: str, token: str) -> None:
        with self.database.connection(WEBHOOK_TOKENS) as db:
            db.execute("DELETE FROM used_tokens WHERE provider = %s AND token = %s",
                       (provider, token))


def used_tokens(settings, database: postgres.Database | None
                ) -> UsedTokens | UsedTokensInPostgres:
    """The site's used tokens: in the PostgreSQL store when it has one (``database``)."""
    if database is not None:
        return UsedTokensInPostgres(database)
    return UsedTokens(settings.state_dir)
