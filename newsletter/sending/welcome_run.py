"""The welcome series' part of a `send --due` run, after the broadcasts.

The run first marks settled what the ledger settled since the last one, decides who is due
(:func:`newsletter.sending.welcome.decide`), records it, then sends each post of the series to
the readers it was given to: the post's normal email (with ``[welcome] intro`` above it),
through :func:`newsletter.sending.campaign.send_post`, the ledger and the sending limits, like a
broadcast. The first run with the series enabled records that moment: readers who joined
before it are not in the series unless ``welcome enroll --all`` put them there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import field
from typing import TYPE_CHECKING

from newsletter.check import Finding
from newsletter.errors import InputError
from newsletter.records import record
from newsletter.sending.campaign import send_post
from newsletter.sending.send_report import SendReport
from newsletter.sending.preflight import prepare_welcome
from newsletter.sending.schedule import FINISHED_KEY
from newsletter.sending.welcome import (
    decide,
    existing_state,
    load_series,
    open_state,
    roster_of,
    series_posts,
)
from newsletter.sending.welcome_state import ENABLED_AT
from newsletter.state import PENDING_PREFIX

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.posts import Post
    from newsletter.providers import Provider
    from newsletter.sending.ledger import Ledger
    from newsletter.sending.limits import Budget
    from newsletter.subscribers import ReaderStore


@record
class WelcomeOutcome:
    """What a run did with one post of the series."""

    post: Post
    report: SendReport
    warnings: list[Finding] = field(default_factory=list)

    @property
    def problem(self) -> str | None:
        """Readers the writer must look at (failed, in doubt, or a run stopped), if any."""
        report = self.report
        left = {"failed": report.failed, "in doubt": report.in_doubt}
        if not report.limit_reached:
            left["pending"] = report.pending
        detail = ", ".join(f"{words} {n}" for words, n in left.items() if n)
        if not (detail or report.stopped):
            return None
        why = report.stopped or (report.problems[0] if report.problems else None)
        return (detail or "stopped") + (f" ({why})" if why else "")


@record
class WelcomeRun:
    """The series' part of one run."""

    outcomes: list[WelcomeOutcome] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)  # why a post of the series was not sent
    due: int = 0  # readers due now
    given: int = 0  # of those, the ones the sending limits had room for

    @property
    def left(self) -> int:
        """Readers due now whom this run did not reach (the limits, the provider's quota)."""
        reached = sum(o.report.done - o.report.pending for o in self.outcomes)
        return self.due - reached


def send_welcome(settings: Settings, posts: list[Post], problems: list, ledger: Ledger,
                 store: ReaderStore, provider: Provider, budget: Budget | None,
                 now: dt.datetime, broadcasting: set[str]) -> WelcomeRun:
    """Send each reader their welcome post that is due at ``now`` (posts in ``broadcasting``
    are left to this run's broadcast)."""
    run = WelcomeRun()
    at = int(now.timestamp())
    with open_state(settings) as state:
        series_list = series_posts(settings, posts, problems)
        state.settle(ledger)
        state.reopen(ledger, [post.id for post in series_list
                              if ledger.may_have_pending(post.id)])
        series = load_series(settings, series_list, state, posts)
        room = None if budget is None else budget.left
        decision = decide(series, roster_of(store, state), ledger, state, at, room=room,
                          give=True, held_back=broadcasting)
        run.due, run.given = sum(decision.due.values()), sum(decision.given.values())
        try:
            for step in sorted(decision.given):
                post = series.posts[step]
                email, warnings, broken = prepare_welcome(settings, post, now)
                if broken:
                    run.broken.append(broken)
                    continue
                report = send_post(settings, email, provider, store=store, ledger=ledger,
                                   budget=budget, select=state.given(post.id, at))
                if ledger.get_meta(FINISHED_KEY.format(post_id=post.id)):
                    # Readers left pending here are the series' to resume, not a reason to
                    # walk the finished broadcast's whole list again: the flag goes, whoever
                    # is pending (clear_pending would keep it for them on PostgreSQL).
                    ledger.delete_meta(PENDING_PREFIX + post.id)
                run.outcomes.append(WelcomeOutcome(post, report, warnings))
                if report.stopped or report.limit_reached:
                    break
        finally:
            state.settle(ledger)
    return run


def start_series(settings: Settings, now: dt.datetime) -> None:
    """Record that the series started at ``now``, unless an earlier run did: readers who join
    from then on are in it, even while a limit or a stopped broadcast keeps a run from its
    part (a run records it too, even if [welcome] posts needs fixing first)."""
    with open_state(settings) as state:
        state.record_moment(ENABLED_AT, int(now.timestamp()))


def welcome_waiting(settings: Settings, ledger: Ledger, store: ReaderStore, now: dt.datetime,
                    loaded: tuple[list, list], broadcasting: set[str]) -> int:
    """Readers due a welcome email at ``now`` (the posts in ``broadcasting`` left to the
    broadcast): those a run stopped at a limit before the series leaves for the next runs."""
    state = existing_state(settings)
    if state is None:  # never started: nobody is in the series
        return 0
    with state:
        try:
            series = load_series(settings, series_posts(settings, *loaded), state, loaded[0])
        except InputError:  # [welcome] posts names no post: the series sends nothing
            return 0
        return decide(series, roster_of(store), ledger, state, int(now.timestamp()),
                      held_back=broadcasting).due.total()
