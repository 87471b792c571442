"""Accounting for every reader: the ledger's counts, and the active readers it does not hold.

`status` and `posts` show, per post, the ledger's rows by state and the readers active now
whom no run has reached yet ("not yet sent": after a stopped run, or after new sign-ups), so
the numbers add up to the list. Before anything reads a post's ledger, a dead run's
``submitting`` rows become ``in_doubt`` (:func:`recover_dead_runs`), so nothing is shown "in
flight" when no send is running.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Iterable, Mapping

from newsletter.errors import SiteLockedError, SubscriberError
from newsletter.sending.ledger import LEDGER_FILE, Ledger
from newsletter.sending.lock import site_lock
from newsletter.sending.states import SETTLED, State
from newsletter.subscribers import SubscriberStore

if TYPE_CHECKING:
    from newsletter.config import Settings

BATCH = 1000  # readers per ledger query
EVERY_STATE = tuple(State)


@dataclass
class LedgerReport:
    """What the ledger says about each post, and who it has not reached."""

    counts: dict[str, Counter]  # post id -> ledger rows by state
    unsent: dict[str, int]  # post id -> active readers (of its segment) the ledger lacks
    recovered: int | None  # rows of a dead run now in doubt; None: a send is running
    problems: list[SubscriberError] = field(default_factory=list)  # rows the list cannot use


def recover_dead_runs(settings: Settings) -> int | None:
    """Turn the ``submitting`` rows of runs that died into ``in_doubt``; return how many, or
    None when a send holds the site lock (its rows really are on their way)."""
    if not (settings.state_dir / LEDGER_FILE).exists():
        return 0
    try:
        with site_lock(settings), Ledger.open(settings) as ledger:
            return ledger.recover()
    except SiteLockedError:
        return None


def ledger_report(settings: Settings, segments: Mapping[str, Iterable[str]],
                  only: str | None = None) -> LedgerReport:
    """Recover dead runs, then count each post's ledger rows (or only the post ``only``) and
    the active readers of its segment (``segments``: post id -> newsletter_tags; none or
    empty: everyone) that the ledger does not hold."""
    recovered = recover_dead_runs(settings)
    ledger = Ledger.open_existing(settings)
    if ledger is None:
        return LedgerReport({}, {}, recovered)
    with ledger:
        counts = ledger.counts(only)
        wanted = {post_id: (EVERY_STATE, tuple(segments.get(post_id, ()))) for post_id in counts}
        problems: list[SubscriberError] = []
        unsent = readers_missing(SubscriberStore(settings), ledger, wanted, problems)
    return LedgerReport(counts, unsent, recovered, problems)


def readers_missing(store: SubscriberStore, ledger: Ledger | None,
                    wanted: Mapping[str, tuple[Iterable[State], Iterable[str]]],
                    problems: list[SubscriberError] | None = None) -> dict[str, int]:
    """For each post id: how many active readers (holding one of its tags, if it has any)
    the ledger does not hold in its states; in one pass over the list, however many posts."""
    posts = {post_id: (tuple(states), frozenset(tag.lower() for tag in tags))
             for post_id, (states, tags) in wanted.items()}
    missing = dict.fromkeys(posts, 0)
    readers = iter(store.active(problems))
    while batch := list(islice(readers, BATCH)):
        for post_id, (states, tags) in posts.items():
            keys = [reader.key for reader in batch
                    if not tags or not tags.isdisjoint(tag.lower() for tag in reader.tags)]
            held = ledger.settled(post_id, keys, states) if ledger and keys else ()
            missing[post_id] += len(keys) - len(held)
    return missing


def count_recipients(store: SubscriberStore, ledger: Ledger | None, post_id: str,
                     states: Iterable[State] = SETTLED,
                     problems: list[SubscriberError] | None = None,
                     tags: Iterable[str] = ()) -> int:
    """How many readers a run would send to now (invalid rows go to ``problems``, if given)."""
    return readers_missing(store, ledger, {post_id: (states, tags)}, problems)[post_id]
