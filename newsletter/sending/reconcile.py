"""`reconcile`: ask the provider what became of each in-doubt reader (docs/reconcile.md).

Found at the provider -> ``sent`` with its message id. Provably absent (the search read the
batch's whole window, the batch is within the provider's retention and older than its indexing
delay) -> ``pending``, for the next send. Anything else stays ``in_doubt``, with the reason.
Findings are written a page at a time, so an interrupted run loses nothing and a rerun goes on
with who is still in doubt. It never sends mail. Run it under the site lock.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Callable, Iterator

from newsletter.providers import DECLARATIONS, InDoubtBatch, LookupFailed, make_provider
from newsletter.sending.doubt import (
    DoubtfulBatch,
    doubtful,
    flagged_posts,
    has_doubt,
    mark_found,
    note_reason,
    requeue_absent,
    unflag,
)

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.providers import Lookup, Provider
    from newsletter.sending.ledger import Ledger

WRITE_EVERY = 500  # findings written (and committed) this many at a time


@dataclass
class Reconciled:
    """What `reconcile` did for one post."""

    post_id: str
    provider: str
    in_doubt: int = 0  # before
    sent: int = 0  # found at the provider
    pending: int = 0  # provably never accepted: the next send delivers them
    still: Counter = field(default_factory=Counter)  # reason -> readers still in doubt
    note: str | None = None  # why nothing could be asked

    def as_dict(self) -> dict:
        return {"post": self.post_id, "provider": self.provider, "in_doubt": self.in_doubt,
                "sent": self.sent, "pending": self.pending,
                "still_in_doubt": [{"readers": n, "reason": r} for r, n in self.still.items()],
                "note": self.note}


def posts_in_doubt(ledger: Ledger, *, forget_stale: bool = False) -> list[str]:
    """Every post with readers in doubt; read from flags, so a cron run does not read every
    row. ``forget_stale``: drop the flag of a post whose doubts were settled otherwise
    (`send --resend-in-doubt`)."""
    found = []
    for post_id in flagged_posts(ledger):
        if has_doubt(ledger, post_id):
            found.append(post_id)
        elif forget_stale:
            unflag(ledger, post_id)
    return found


def no_lookup_note(name: str) -> str | None:
    """The line `reconcile` and `status` say for a provider with nothing to ask, else None."""
    if DECLARATIONS[name].lookup is not None:
        return None
    return (f"{name} keeps no record newsletter can search: reconcile cannot tell whether "
            "in-doubt messages went out")


def reconcile_posts(settings: Settings, ledger: Ledger, post_ids: list[str], *,
                    dry_run: bool = False, settle: float | None = None,
                    now: Callable[[], dt.datetime] | None = None) -> list[Reconciled]:
    """Reconcile the in-doubt readers of ``post_ids`` with ``settings``' provider."""
    name = settings.provider.name
    clock = now or (lambda: dt.datetime.now(dt.timezone.utc))
    lookup = DECLARATIONS[name].lookup
    reports = [Reconciled(post_id, name) for post_id in post_ids]
    provider = make_provider(settings) if lookup is not None else None
    try:
        for report in reports:
            _reconcile_post(ledger, report, provider, lookup, dry_run, settle, clock)
            if not dry_run and not has_doubt(ledger, report.post_id):
                unflag(ledger, report.post_id)
    finally:
        if provider is not None:
            provider.close()
    return reports


def _reconcile_post(ledger: Ledger, report: Reconciled, provider: Provider | None,
                    lookup: Lookup | None, dry_run: bool, settle: float | None,
                    clock: Callable[[], dt.datetime]) -> None:
    post_id, name = report.post_id, report.provider
    batches, unrecorded = doubtful(ledger, post_id)
    report.in_doubt = len(unrecorded) + sum(len(b.readers) for b in batches)
    stays = _Stays(ledger, report, dry_run)
    stays.add(unrecorded, "claimed before newsletter recorded its batches: check the "
                          "provider's log, or send --resend-in-doubt")
    if provider is None or lookup is None:
        report.note = no_lookup_note(name)
        stays.add([r for b in batches for r in b.readers], report.note)
        return
    now = clock()
    askable = []
    for batch in batches:
        if batch.provider != name:
            stays.add(batch.readers, f"sent through {batch.provider}; provider.name is now {name}")
        elif now - batch.claimed_at > lookup.retention:
            stays.add(batch.readers, f"sent {batch.claimed_at:%Y-%m-%d %H:%M} UTC, longer ago "
                                     f"than {name} is sure to keep messages "
                                     f"({lookup.retention.days} days)")
        else:
            askable.append(batch)
    if not askable:
        return
    found: set[str] = set()
    try:
        search = lookup.search(provider, post_id, [_wanted(b) for b in askable], now)
        for chunk in _chunks(search, found):
            report.sent += len(chunk)
            if not dry_run:
                mark_found(ledger, post_id, chunk)
    except LookupFailed as failure:
        stays.add([r for b in askable for r in b.readers - found],
                  f"the lookup failed: {provider.provider_text(failure)}")
        return
    delay = lookup.settle if settle is None else dt.timedelta(seconds=settle)
    for batch in askable:
        absent = batch.readers - found
        ready = (batch.given_up_at or batch.claimed_at) + delay
        if not absent:
            continue
        if now < ready:
            stays.add(absent, f"not found yet, and {name}'s search may lag behind: run "
                              f"reconcile again after {ready:%Y-%m-%d %H:%M} UTC")
            continue
        report.pending += len(absent)
        if not dry_run:
            requeue_absent(ledger, post_id, absent, f"not found at {name} by reconcile: "
                                                    "the next send delivers it")


def _wanted(batch: DoubtfulBatch) -> InDoubtBatch:
    return InDoubtBatch(batch.key, batch.subject, batch.claimed_at, frozenset(batch.readers))


def _chunks(search: Iterator[tuple[str, str]], found: set[str]) -> Iterator[list]:
    """The search's findings, each reader once, ``WRITE_EVERY`` at a time."""
    while taken := list(islice(search, WRITE_EVERY)):
        chunk = [(reader, message_id) for reader, message_id in taken
                 if reader not in found and not found.add(reader)]
        if chunk:
            yield chunk


class _Stays:
    """Readers left in doubt: counted by reason, and the reason written beside them."""

    def __init__(self, ledger: Ledger, report: Reconciled, dry_run: bool):
        self.ledger, self.report, self.dry_run = ledger, report, dry_run

    def add(self, readers, reason: str) -> None:
        readers = list(readers)
        if not readers:
            return
        self.report.still[reason] += len(readers)
        if not self.dry_run:
            note_reason(self.ledger, self.report.post_id, readers, reason)
