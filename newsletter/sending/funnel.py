"""A post's funnel: what the ledger handed over, and what the delivery events say happened.

Accepted (the ledger's ``sent``, and the readers it holds in doubt whom the provider's
webhooks told of: the provider took their message, `reconcile` makes them sent), then
delivered or bounced (hard or soft: whichever came last for the reader, so the two never add
up past accepted), complained,
unsubscribed (from this post) and, while ``[tracking]`` turns them on, opened and clicked,
each counted in different readers, so an event the provider sent twice, or a reader who opened
the email five times, counts once. `status POST --json` and the preview server's report show it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from typing import TYPE_CHECKING

from newsletter.records import record
from newsletter.sending.events import (
    CLICKED,
    COMPLAINED,
    OPENED,
    UNSUBSCRIBED,
    EventStore,
    open_events,
)
from newsletter.sending.states import State

if TYPE_CHECKING:
    from newsletter.config import Settings

# The funnel's steps after the hand-off, in the order reports show them.
STEPS = ("delivered", "bounced", "complained", "unsubscribed", "opened", "clicked")
HEARD_CHUNK = 500  # readers in doubt asked of the event store at a time


@record(frozen=True)
class Funnel:
    """One post's figures; ``opened`` and ``clicked`` are None when not tracked."""

    post: str
    sent: int
    in_doubt: int
    failed: int
    pending: int
    delivered: int
    bounced: int
    complained: int
    unsubscribed: int
    opened: int | None
    clicked: int | None
    hard_bounced: int = 0  # of ``bounced``, the hard ones
    heard: int = 0  # of ``in_doubt``, those the provider's webhook events told of

    @property
    def accepted(self) -> int:
        """Readers the provider took: sent, and in doubt but told of by its events."""
        return self.sent + self.heard

    def as_json(self) -> dict:
        """The figures `status --json` prints: ``accepted`` before the steps after it, and
        ``hard_bounced`` after ``bounced``, as `status` prints "13 (9 hard)"."""
        figures = asdict(self)
        del figures["hard_bounced"], figures["heard"]
        steps = {step: figures.pop(step) for step in STEPS}
        figures["accepted"] = self.accepted
        for step, count in steps.items():
            figures[step] = count
            if step == "bounced":
                figures["hard_bounced"] = self.hard_bounced
        return figures

    def steps(self) -> list[tuple[str, int | None]]:
        """(step, readers) after "accepted", untracked ones included as None."""
        return [(step, getattr(self, step)) for step in STEPS]

    def share(self, count: int | None) -> float | None:
        """``count`` as a share of the readers the provider accepted (None without either)."""
        return None if count is None or not self.accepted else count / self.accepted

    def share_text(self, count: int | None) -> str:
        """``count``'s share as reports print it, to a tenth of a percent: one complaint in
        thousands is "<0.1%", not "0.0%" (as if none), and all but a few ">99.9%", not
        "100.0%"; "" without a share."""
        share = self.share(count)
        if share is None:
            return ""
        if 0 < share < 0.0005:
            return "<0.1%"
        if 0.9995 <= share < 1:
            return ">99.9%"
        return f"{share:.1%}"


def post_funnel(settings: Settings, post_id: str, rows: Counter,
                events: EventStore | None = None) -> Funnel:
    """The funnel of ``post_id`` from its ledger rows by state (``rows``) and the event store
    (opened here when not given)."""
    store = events if events is not None else open_events(settings)
    try:
        readers = store.readers_by_kind(post_id) if store is not None else Counter()
        delivered, bounced, hard = store.outcomes(post_id) if store is not None else (0, 0, 0)
        heard = _heard_in_doubt(settings, post_id, store) if rows[State.IN_DOUBT] else 0
    finally:
        if events is None and store is not None:
            store.close()
    tracking = settings.tracking
    return Funnel(
        post=post_id, sent=rows[State.SENT], in_doubt=rows[State.IN_DOUBT],
        failed=rows[State.FAILED], pending=rows[State.PENDING],
        delivered=delivered, bounced=bounced, complained=readers[COMPLAINED],
        unsubscribed=readers[UNSUBSCRIBED],
        opened=readers[OPENED] if tracking.opens else None,
        clicked=readers[CLICKED] if tracking.clicks else None,
        hard_bounced=hard, heard=heard)


def _heard_in_doubt(settings: Settings, post_id: str, store: EventStore | None) -> int:
    """How many of the post's readers in doubt the provider's webhooks told of: without them,
    a send killed mid-run showed "delivered 5, 500.0%" of one reader accepted."""
    if store is None:
        return 0
    from newsletter.sending.doubt_pg import doubts
    from newsletter.sending.ledger import Ledger

    ledger = Ledger.open_existing(settings)
    if ledger is None:
        return 0
    with ledger:
        return sum(map(len, doubts(ledger).heard_of(post_id, store, HEARD_CHUNK)))
