"""Many readers in doubt at once, as a send whose batches all timed out leaves them: for the
SIGKILL test and bench/bench_reconcile.py. The ledger is the real one (claims with their batch
keys, then marked in doubt); the fake provider's log holds the batches it took in."""

from __future__ import annotations

import datetime as dt

from fake_lookups import Logged

from newsletter.providers import batch_key
from newsletter.sending import Ledger, State

POST = "/posts/what-matters"
SUBJECT = "What matters"


def reader(number: int) -> str:
    return f"reader{number:06d}@example.org"


def seed_in_doubt(settings, server, count: int, *, accepted=lambda number: number % 2 == 0,
                  batch_size: int = 500, per_second: float = 1000.0,
                  hours_ago: float = 1.0) -> set[str]:
    """``count`` readers of POST in doubt, in batches claimed ``hours_ago`` at ``per_second``
    readers a second; the provider took in the ``accepted`` ones. Returns those."""
    start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=hours_ago)
    taken, logged = set(), []
    with Ledger.open(settings) as ledger:
        for first in range(0, count, batch_size):
            numbers = range(first, min(count, first + batch_size))
            at = start + dt.timedelta(seconds=first / per_second)
            addresses = [reader(n) for n in numbers]
            ledger.claim(POST, addresses, settings.provider.name,
                         at=at.isoformat(timespec="milliseconds"),
                         key=batch_key(POST, addresses), subject=SUBJECT)
            ledger.mark(POST, addresses, State.IN_DOUBT, "read timeout")
            for n in numbers:
                if accepted(n):
                    taken.add(reader(n))
                    logged.append(Logged(at.timestamp() + (n - first) / per_second, reader(n),
                                         f"pm-{n}", POST, {"post": POST, "reader": reader(n)},
                                         SUBJECT, stream=settings.provider.message_stream))
        ledger.db.execute("UPDATE deliveries SET updated_at = ? WHERE post_id = ?",
                          ((start + dt.timedelta(seconds=count / per_second)).isoformat(), POST))
    server.sent_log.extend_sorted(logged)
    return taken


def states(settings) -> dict[str, str]:
    with Ledger.open(settings) as ledger:
        return dict(ledger.db.execute("SELECT address, state FROM deliveries WHERE post_id = ?",
                                      (POST,)).fetchall())
