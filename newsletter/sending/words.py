"""A post's status in words, shared by `newsletter posts`, `status` and the preview pages.

Before sending starts a post's status is its class (draft, scheduled, ready, ...); afterwards the
ledger's counts say more: "sent 4 of 4", or "sent 3 of 4 (1 in doubt)" for a partial campaign.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from newsletter.config import Settings
from newsletter.posts import Post, PostStatus, classify
from newsletter.sending.ledger import LEDGER_FILE, Ledger
from newsletter.sending.states import REPORT_ORDER, State

_CLASS_WORDS = {PostStatus.PAGE: "page (not emailed)", PostStatus.OPTED_OUT: "newsletter: false"}
BEFORE_SINCE = ("before-since", "before since (not sent by --due)")


def ledger_counts(settings: Settings) -> dict[str, Counter]:
    """Ledger rows per state for each post id; empty when nothing was ever sent from the site."""
    if not (settings.state_dir / LEDGER_FILE).exists():
        return {}
    with Ledger.open_existing(settings) as ledger:
        return ledger.counts()


def status_words(post: Post, now: dt.datetime, counts: dict[str, Counter],
                 since: dt.datetime | None = None) -> tuple[str, str]:
    """(kind, words) for a post; kind is "sent", "partial", "before-since" or the post's class.

    A published post dated before ``since`` is one `send --due` never sends: said so, because
    a wrong year in its date would otherwise go unnoticed.
    """
    states = counts.get(post.id)
    if states:
        done, total = states["sent"], sum(states.values())
        others = ", ".join(f"{states[state]} {state.words}"
                           for state in REPORT_ORDER[1:] if states[state])
        words = f"sent {done} of {total}" + (f" ({others})" if others else "")
        return ("sent" if done == total else "partial"), words
    status = classify(post, now)
    if (since is not None and status in (PostStatus.READY, PostStatus.SCHEDULED)
            and post.date < since):
        return BEFORE_SINCE
    return status.value, _CLASS_WORDS.get(status, status.value)


def state_summary(counts: Counter) -> str:
    """"sent 3, failed 0, in doubt 1, pending 0" (and "in flight N" while rows are submitting)."""
    return ", ".join(f"{state.words} {counts[state]}" for state in REPORT_ORDER
                     if counts[state] or state is not State.SUBMITTING)
