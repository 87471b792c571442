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
from dataclasses import field
from typing import TYPE_CHECKING, Callable, Iterator

from newsletter.providers import DECLARATIONS, InDoubtBatch, LookupFailed, make_provider
from newsletter.records import record
from newsletter.sending.doubt import DoubtfulBatch, Doubts
from newsletter.sending.doubt_pg import doubts

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.providers import Lookup, Provider
    from newsletter.sending.events import EventStore
    from newsletter.sending.ledger import Ledger
    from newsletter.sending.ledger_pg import PostgresLedger

WRITE_EVERY = 500  # findings written (and committed) this many at a time


@record
class Reconciled:
    """What `reconcile` did for one post."""

    post_id: str
    provider: str
    in_doubt: int = 0  # before
    sent: int = 0  # found at the provider (in its search, or its webhook events)
    heard: int = 0  # of ``sent``, those its webhook events told of
    pending: int = 0  # provably never accepted: the next send delivers them
    still: Counter = field(default_factory=Counter)  # reason -> readers still in doubt
    note: str | None = None  # why nothing could be asked

    def as_dict(self) -> dict:
        return {"post": self.post_id, "provider": self.provider, "in_doubt": self.in_doubt,
                "sent": self.sent, "pending": self.pending,
                "still_in_doubt": [{"readers": n, "reason": r} for r, n in self.still.items()],
                "note": self.note}


def posts_in_doubt(ledger: Ledger | PostgresLedger, *, forget_stale: bool = False) -> list[str]:
    """Every post with readers in doubt; read from flags, so a cron run does not read every
    row. ``forget_stale``: drop the flag of a post whose doubts were settled otherwise
    (`send --resend-in-doubt`)."""
    found, rows = [], doubts(ledger)
    for post_id in rows.flagged_posts():
        if rows.has_doubt(post_id):
            found.append(post_id)
        elif forget_stale:
            rows.unflag(post_id)
    return found


def no_lookup_note(name: str) -> str | None:
    """The line `reconcile` and `status` say for a provider with nothing to ask, else None."""
    if DECLARATIONS[name].lookup is not None:
        return None
    return (f"{name} keeps no record newsletter can search: reconcile cannot tell whether "
            "in-doubt messages went out")


def reconcile_posts(settings: Settings, ledger: Ledger | PostgresLedger, post_ids: list[str],
                    *, dry_run: bool = False, settle: float | None = None,
                    now: Callable[[], dt.datetime] | None = None) -> list[Reconciled]:
    """Reconcile the in-doubt readers of ``post_ids`` with ``settings``' provider."""
    name = settings.provider.name
    clock = now or (lambda: dt.datetime.now(dt.timezone.utc))
    lookup = DECLARATIONS[name].lookup
    reports = [Reconciled(post_id, name) for post_id in post_ids]
    provider = make_provider(settings) if lookup is not None else None
    rows = doubts(ledger)
    events = _open_events(settings) if post_ids else None
    try:
        for report in reports:
            heard = _heard_of(rows, events, report, dry_run)
            _reconcile_post(rows, report, provider, lookup, dry_run, settle, clock, heard)
            if not dry_run and not rows.has_doubt(report.post_id):
                rows.unflag(report.post_id)
    finally:
        if provider is not None:
            provider.close()
        if events is not None:
            events.close()
    return reports


def _open_events(settings: Settings) -> EventStore | None:
    """The site's delivery events (imported here: the module loads the PostgreSQL store's,
    which a send from files never needs unless someone is in doubt)."""
    from newsletter.sending.events import open_events

    return open_events(settings)


def _heard_of(rows: Doubts, events: EventStore | None, report: Reconciled,
              dry_run: bool) -> set[str]:
    """Readers in doubt whom a provider's webhook has told of a message of this post
    (delivered, bounced, opened...): the provider took it, whatever its search can say (a
    SendGrid account without the Email Activity add-on has none). They become sent (a dry
    run: returned instead)."""
    heard: set[str] = set()
    if events is None:
        return heard
    for told in rows.heard_of(report.post_id, events, WRITE_EVERY):
        if dry_run:
            heard.update(told)
            report.heard += len(told)
        else:  # sent under no message id of the provider's: the webhook's events name none
            report.heard += rows.mark_found(report.post_id, [(reader, None) for reader in told])
    return heard


def _reconcile_post(rows: Doubts, report: Reconciled, provider: Provider | None,
                    lookup: Lookup | None, dry_run: bool, settle: float | None,
                    clock: Callable[[], dt.datetime], heard: set[str]) -> None:
    """Ask the provider about the readers of ``report``'s post still in doubt (but for
    ``heard``, a dry run's readers already known to be sent)."""
    post_id, name = report.post_id, report.provider
    batches, old = rows.doubtful_batches(post_id), rows.unrecorded(post_id)
    report.in_doubt = len(old) + sum(batch.size for batch in batches) + (
        0 if dry_run else report.heard)  # a real run has marked those sent already
    report.sent = report.heard
    old = [reader for reader in old if reader not in heard]
    stays = _Stays(rows, report, dry_run)
    stays.add(old, "claimed before newsletter recorded its batches: check the provider's log, "
                   "or send --resend-in-doubt")
    if provider is None or lookup is None:
        report.note = no_lookup_note(name)
        stays.add_batches(batches, rows.left_in_doubt(post_id, batches, heard), report.note)
        return
    now = clock()
    askable = []
    for batch in batches:
        if batch.provider != name:
            reason = f"sent through {batch.provider}; provider.name is now {name}"
        elif now - batch.claimed_at > lookup.retention:
            reason = (f"sent {batch.claimed_at:%Y-%m-%d %H:%M} UTC, longer ago than {name} is "
                      f"sure to keep messages ({lookup.retention.days} days)")
        else:
            askable.append(batch)
            continue
        stays.add_batches([batch], rows.left_in_doubt(post_id, [batch], heard), reason)
    if not askable:
        return
    found: set[str] = set(heard)  # a dry run's findings; a real run writes them instead
    try:
        search = lookup.search(provider, post_id, [
            InDoubtBatch(b.key, b.subject, b.claimed_at, b.given_up_at) for b in askable], now)
        for chunk in _chunks(search):
            if dry_run:
                found.update(rows.matched(post_id, [reader for reader, _ in chunk]))
            else:
                report.sent += rows.mark_found(post_id, chunk)
    except LookupFailed as failure:
        left = rows.left_in_doubt(post_id, askable, found)
        stays.add_batches(askable, left, f"the lookup failed: {provider.provider_text(failure)}")
        return
    finally:
        report.sent += len(found - heard)
    left = rows.left_in_doubt(post_id, askable, found)
    delay = lookup.settle if settle is None else dt.timedelta(seconds=settle)
    ready = [b for b in askable if left.get(b.id) and b.given_up_at + delay <= now]
    for batch in askable:
        if left.get(batch.id) and batch.given_up_at + delay > now:
            stays.add_batches([batch], left, f"not found yet, and {name}'s search may lag "
                                             f"behind: run reconcile again after "
                                             f"{batch.given_up_at + delay:%Y-%m-%d %H:%M} UTC")
    report.pending += sum(left[b.id] for b in ready)
    if ready and not dry_run:
        rows.requeue_batches(post_id, ready, f"not found at {name} by reconcile: the next "
                                                "send delivers it")


def _chunks(search: Iterator[tuple[str, str]]) -> Iterator[list[tuple[str, str]]]:
    """The search's findings, ``WRITE_EVERY`` at a time; those made before a failed read too."""
    chunk: list[tuple[str, str]] = []
    try:
        for finding in search:
            chunk.append(finding)
            if len(chunk) == WRITE_EVERY:
                yield chunk
                chunk = []
    except LookupFailed:
        if chunk:
            yield chunk
        raise
    if chunk:
        yield chunk


class _Stays:
    """Readers left in doubt: counted by reason, and the reason written beside them."""

    def __init__(self, rows: Doubts, report: Reconciled, dry_run: bool):
        self.rows, self.report, self.dry_run = rows, report, dry_run

    def add(self, readers, reason: str) -> None:
        readers = list(readers)
        if not readers:
            return
        self.report.still[reason] += len(readers)
        if not self.dry_run:
            self.rows.note_reason(self.report.post_id, readers, reason)

    def add_batches(self, batches: list[DoubtfulBatch], left: dict[int, int],
                    reason: str) -> None:
        """``batches``' readers still in doubt (``left``: how many each)."""
        count = sum(left.get(batch.id, 0) for batch in batches)
        if not count:
            return
        self.report.still[reason] += count
        if not self.dry_run:
            self.rows.note_batches(self.report.post_id, batches, reason)
