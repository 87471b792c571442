"""How many messages went to the provider in each minute: what `[provider] daily_limit` and
`hourly_limit` are counted against (:mod:`newsletter.sending.limits`).

Kept in ``.newsletter/sendlog.db``, apart from the ledger: one row per minute, so a rolling 24
hours is a sum over at most 1,440 rows whatever the list's length, and nothing here is needed
to know who has a post. Every claimed batch is counted when it is claimed (before its request
can leave), broadcasts and welcome emails alike; a batch that then fails still counts, so the
count errs on the safe side of the provider's own.

The schema is :data:`newsletter.state.SEND_LOG`, with every other kind of state's.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from newsletter.state import SEND_LOG, sqlite

SEND_LOG_FILE = SEND_LOG.file
KEEP = dt.timedelta(days=2)  # older minutes count against no limit


def minute_of(moment: dt.datetime) -> str:
    """The row key of the minute holding ``moment``."""
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M")


class SendLog:
    """Messages sent per minute, for one site."""

    def __init__(self, path: Path):
        # Durable: counted before the batch can leave.
        self.db = sqlite.open_kind(path, SEND_LOG)

    @classmethod
    def open(cls, state_dir: Path) -> SendLog:
        return cls(state_dir / SEND_LOG_FILE)

    def close(self) -> None:
        self.db.close()

    def add(self, at: dt.datetime, messages: int) -> None:
        """Count ``messages`` sent at ``at`` (and forget minutes too old to matter)."""
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute("INSERT INTO sends VALUES (?, ?) ON CONFLICT (minute) DO UPDATE "
                        "SET messages = messages + excluded.messages", (minute_of(at), messages))
        self.db.execute("DELETE FROM sends WHERE minute < ?", (minute_of(at - KEEP),))
        self.db.execute("COMMIT")

    def minutes_since(self, start: dt.datetime) -> list[tuple[dt.datetime, int]]:
        """(minute, messages) counted after ``start``, oldest first."""
        rows = self.db.execute("SELECT minute, messages FROM sends WHERE minute > ? "
                               "ORDER BY minute", (minute_of(start),))
        return [(dt.datetime.fromisoformat(minute).replace(tzinfo=dt.timezone.utc), messages)
                for minute, messages in rows]
