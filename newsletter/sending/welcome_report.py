"""What `welcome status`, `status` and `send --due --dry-run` say about the welcome series, and
`welcome enroll --all`. Nothing here sends, and only enrolling writes."""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from dataclasses import replace
from typing import TYPE_CHECKING, Iterable

from newsletter.errors import InputError
from newsletter.posts import Post, load_posts
from newsletter.records import record
from newsletter.sending.ledger import Ledger
from newsletter.sending.welcome import (
    Decision,
    Series,
    decide,
    existing_state,
    load_series,
    open_state,
    roster_of,
    series_posts,
)
from newsletter.sending.welcome_state import ENABLED_AT, ENROLLED_ALL_AT
from newsletter.subscribers import open_store

if TYPE_CHECKING:
    from newsletter.config import Settings


@record(frozen=True)
class WelcomeStatus:
    """The series at ``now``: per post, readers sent, due now and waiting."""

    series: Series
    decision: Decision
    sent: dict[str, int]  # post id -> readers the series sent it to

    def rows(self) -> list[tuple[Post, int, int, int]]:
        """(post, sent, due now, waiting) per post of the series, in order."""
        return [(post, self.sent.get(post.id, 0), self.decision.due[step],
                 self.decision.waiting[step]) for step, post in enumerate(self.series.posts)]


def welcome_status(settings: Settings, now: dt.datetime,
                   broadcasting: Iterable[str] = ()) -> WelcomeStatus:
    """Count the series at ``now`` as a run would decide it (one pass over the list),
    after it broadcast the posts in ``broadcasting`` to every reader."""
    posts, problems = load_posts(settings)
    chosen = series_posts(settings, posts, problems)
    state = existing_state(settings)
    with state or nullcontext(), Ledger.open_existing(settings) or nullcontext() as ledger:
        series = load_series(settings, chosen, state, posts)
        decision = decide(series, roster_of(open_store(settings), state), ledger, state,
                          int(now.timestamp()), broadcast=broadcasting)
        sent = state.sent_counts() if state else {}
    return WelcomeStatus(series, decision, sent)


def welcome_sent(settings: Settings) -> dict[str, int]:
    """{post id: readers the series sent it to}, for `status` to tell apart from broadcasts."""
    state = existing_state(settings)
    if state is None:
        return {}
    with state:
        return state.sent_counts()


def outside_the_series(settings: Settings, now: dt.datetime) -> int:
    """Active readers `welcome enroll --all` would put in the series at ``now``."""
    if not settings.welcome.enabled:
        raise InputError("the welcome series is not enabled", where="newsletter.toml",
                         hint="set enabled = true under [welcome] first")
    posts, problems = load_posts(settings)
    chosen = series_posts(settings, posts, problems)
    roster = roster_of(open_store(settings))
    at = int(now.timestamp())
    with open_state(settings) as state:
        series = load_series(settings, chosen, state)
        if series.enabled_at is None:  # enrolling starts the series now
            series = replace(series, enabled_at=at)
        with state.standing(roster, series.terms, at) as standing:
            return standing.outside()


def enroll_all(settings: Settings, now: dt.datetime) -> None:
    """Put every reader on the list at ``now`` into the series (the series starts now if no
    run started it yet)."""
    at = int(now.timestamp())
    with open_state(settings) as state:
        state.record_moment(ENABLED_AT, at)
        state.record_moment(ENROLLED_ALL_AT, at, replace=True)
