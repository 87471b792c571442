"""A post's funnel: what the ledger handed over, and what the delivery events say happened.

Accepted (the ledger's ``sent``, and the readers it holds in doubt, or in flight as a send
runs, whom the provider's webhooks told of: the provider took their message, `reconcile` or
the send makes them sent), then
delivered or bounced (hard or soft: whichever came last for the reader, so the two never add
up past accepted) or no word yet (the rest of accepted: still deferred, say), complained,
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
    MACHINE_CLICKED,
    MACHINE_OPENED,
    OPENED,
    UNSUBSCRIBED,
    EventStore,
    open_events,
)
from newsletter.sending.states import State

if TYPE_CHECKING:
    from newsletter.config import Settings

# The funnel's steps after the hand-off, in the order reports show them.
# "no_word_yet": accepted, but neither delivered nor bounced yet (still deferred, or its events
# never came), so the first three add up to accepted.
STEPS = ("delivered", "bounced", "no_word_yet", "complained", "unsubscribed", "opened",
         "clicked")
# The figure `status --json` prints after a step, telling part of it (or beside it) apart.
PARTS = {"bounced": "hard_bounced", "no_word_yet": "deferred", "opened": "opened_by_machine",
         "clicked": "clicked_by_machine"}
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
    # Readers not in ``opened`` (``clicked``) whom a machine opened (clicked) for, as the
    # provider marked it: Apple Mail Privacy Protection, a link scanner. None when untracked.
    opened_by_machine: int | None = None
    clicked_by_machine: int | None = None
    deferred: int = 0  # of ``no_word_yet``, those the provider said it is still trying
    # Of the readers in flight (a send running now: the ledger records them once the provider
    # answers), those whose delivery or bounce came first: without them, delivered outran
    # accepted as a send went on, and "no word yet" hid it at 0.
    heard_in_flight: int = 0

    @property
    def no_word_yet(self) -> int:
        """Readers accepted whom no delivery or bounce has come for (yet)."""
        return max(0, self.accepted - self.delivered - self.bounced)

    @property
    def accepted(self) -> int:
        """Readers the provider took: sent, and in doubt but told of by its events."""
        return self.sent + self.heard + self.heard_in_flight

    def as_json(self) -> dict:
        """The figures `status --json` prints: ``accepted`` before the steps after it, and
        each step's part after it (``hard_bounced`` after ``bounced``, as `status` prints "13
        (9 hard)", ``opened_by_machine`` after ``opened``)."""
        figures = asdict(self)
        parts = {step: (part, figures.pop(part)) for step, part in PARTS.items()}
        del figures["heard"], figures["heard_in_flight"]
        steps = {step: figures.pop(step, getattr(self, step)) for step in STEPS}
        figures["accepted"] = self.accepted
        for step, count in steps.items():
            figures[step] = count
            if step in parts:
                figures.update([parts[step]])
        return figures

    def steps(self) -> list[tuple[str, int | None]]:
        """(step, readers) after "accepted", untracked ones included as None."""
        return [(step, getattr(self, step)) for step in STEPS]

    def part_text(self, step: str) -> str:
        """What a step's figure holds or leaves out, as `status` and the report say it after
        the figure ("9 hard" after bounced), or ""."""
        if step == "accepted":  # readers the ledger does not yet call sent
            return "; ".join(words for count, words in (
                (self.heard, f"{self.heard:,} in doubt, told of by webhooks: run reconcile"),
                (self.heard_in_flight, f"{self.heard_in_flight:,} in flight, told of by webhooks"))
                if count)
        if step == "bounced" and self.bounced:
            return f"{self.hard_bounced:,} hard"
        if step == "no_word_yet" and self.deferred:
            return f"{self.deferred:,} deferred: the provider is still trying"
        machine = getattr(self, f"{step}_by_machine", None)
        if machine:  # Apple Mail Privacy Protection, a scanner: docs/events.md
            return f"+{machine:,} by a machine only, not counted"
        return ""

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
        machine = store.machine_only(post_id) if store is not None else Counter()
        delivered, bounced, hard, deferred = (store.outcomes(post_id) if store is not None
                                              else (0, 0, 0, 0))
        heard, in_flight = (_heard_of(settings, post_id, store, state) if rows[state] else 0
                            for state in (State.IN_DOUBT, State.SUBMITTING))
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
        hard_bounced=hard, heard=heard, deferred=deferred, heard_in_flight=in_flight,
        opened_by_machine=machine[MACHINE_OPENED] if tracking.opens else None,
        clicked_by_machine=machine[MACHINE_CLICKED] if tracking.clicks else None)


def _heard_of(settings: Settings, post_id: str, store: EventStore | None,
              state: State) -> int:
    """How many of the post's readers in doubt (or in flight: ``state``) the provider's
    webhooks told of: without them, a send killed mid-run showed "delivered 5, 500.0%" of one
    reader accepted."""
    if store is None:
        return 0
    from newsletter.sending.doubt_pg import doubts
    from newsletter.sending.ledger import Ledger

    ledger = Ledger.open_existing(settings)
    if ledger is None:
        return 0
    with ledger:
        return sum(map(len, doubts(ledger).heard_of(post_id, store, HEARD_CHUNK, state)))


def no_events_note(settings: Settings, funnel: Funnel) -> str | None:
    """What `status` and the report say instead of a funnel of zeros when the provider sends
    no delivery events at all (SMTP, the outbox: no webhooks), else None: "delivered 0, 0.0%"
    read as if nothing had arrived."""
    if any(count for step, count in funnel.steps() if step != "no_word_yet"):
        return None
    from newsletter.providers import DECLARATIONS

    name = settings.provider.name
    if name not in DECLARATIONS or DECLARATIONS[name].webhook:
        return None
    return f"{name} sends no delivery events: what happened after it is not known here"
