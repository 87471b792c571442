"""How many messages went to the provider in each minute: what `[provider] daily_limit` and
`hourly_limit` are counted against (:mod:`newsletter.sending.limits`).

Kept in ``.newsletter/sendlog.db`` (in PostgreSQL, the ``send_log`` table every host's senders
count into), apart from the ledger: one row per minute, so a rolling 24 hours is a sum over at
most 1,440 rows whatever the list's length, and nothing here is needed to know who has a post.
Every claimed batch is counted when it is claimed (before its request can leave), broadcasts
and welcome emails alike; a batch that then fails still counts, so the count errs on the safe
side of the provider's own. A run reserves each batch with :meth:`SendLog.reserve`: the room
left is read and the batch counted in one transaction holding the log's lock (SQLite's write
lock; in PostgreSQL an advisory lock), so two senders, on one host or two, never spend the
same room.

The schema is :data:`newsletter.state.SEND_LOG`, with every other kind of state's.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from newsletter.state import SEND_LOG, sqlite

SEND_LOG_FILE = SEND_LOG.file
KEEP = dt.timedelta(days=2)  # older minutes count against no limit
DAY = dt.timedelta(days=1)
RESERVING = 0x6E6C736C  # PostgreSQL advisory lock held while a batch is reserved ("nlsl")
# What the limits allow at a moment, given the minutes counted in the day before it.
Room = Callable[[dt.datetime, list[tuple[dt.datetime, int]]], int]


def minute_of(moment: dt.datetime) -> str:
    """The row key of the minute holding ``moment``."""
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M")


class SendLog:
    """Messages sent per minute, for one site (its SQLite file)."""

    TABLE = "sends"
    MARK = "?"

    def __init__(self, path: Path):
        # Durable: counted before the batch can leave. Nothing counted yet on a read-only site.
        self.db = sqlite.open_kind_or_empty(path, SEND_LOG)

    @classmethod
    def open(cls, settings) -> SendLog | PostgresSendLog:
        """The site's send log, in PostgreSQL when the site has a store URL."""
        if settings.store_url:
            return PostgresSendLog(settings.store_url, settings.site.url)
        return cls(settings.state_dir / SEND_LOG_FILE)

    def close(self) -> None:
        self.db.close()

    def reserve(self, at: dt.datetime, wanted: int, room: Room) -> tuple[int, int]:
        """Count up to ``wanted`` messages sent at ``at``, as many as ``room`` allows after
        every sender's count (read under the log's lock); (how many it counted, the room
        there was)."""
        with self._locked():
            free = room(at, self.minutes_since(at - DAY))
            given = min(wanted, free)
            if given:
                self._add(at, given)
        return given, free

    def _locked(self):
        return sqlite.immediate(self.db)

    def _add(self, at: dt.datetime, messages: int) -> None:
        """Count ``messages`` sent at ``at`` (and forget minutes too old to matter)."""
        mark = self.MARK
        self.db.execute(f"INSERT INTO {self.TABLE} VALUES ({mark}, {mark}) ON CONFLICT (minute) "
                        "DO UPDATE SET messages = "
                        f"{self.TABLE}.messages + excluded.messages", (minute_of(at), messages))
        self.db.execute(f"DELETE FROM {self.TABLE} WHERE minute < {mark}",
                        (minute_of(at - KEEP),))

    def minutes_since(self, start: dt.datetime) -> list[tuple[dt.datetime, int]]:
        """(minute, messages) counted after ``start``, oldest first."""
        rows = self.db.execute(f"SELECT minute, messages FROM {self.TABLE} "
                               f"WHERE minute > {self.MARK} ORDER BY minute",
                               (minute_of(start),))
        return [(dt.datetime.fromisoformat(minute).replace(tzinfo=dt.timezone.utc), messages)
                for minute, messages in rows]


class PostgresSendLog(SendLog):
    """The send log in the PostgreSQL store, shared by every host's senders; one connection,
    held for the log's life."""

    TABLE = "send_log"
    MARK = "%s"

    def __init__(self, url: str, site: str | None = None):
        from newsletter.state import postgres  # never loaded for a site on files

        self.database = postgres.Database(url, site=site)
        self._lent = self.database.connection(SEND_LOG)
        self.db = postgres.Guarded(self._lent.__enter__())
        self._lock = postgres.advisory("pg_advisory_xact_lock")

    def close(self) -> None:
        self._lent.__exit__(None, None, None)
        self.database.close()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self.db.transaction():
            self.db.execute(self._lock, (RESERVING,))
            yield
