"""The welcome series: which reader gets which post of ``[welcome] posts`` now.

A reader is in the series when they joined (``subscribed_at``: confirmed, imported or added) at
or after the series was first enabled, or when ``welcome enroll --all`` enrolled the list as it
was then. Their first post is due ``first_after`` after they joined (or were enrolled), each
next one ``every`` after the run that gave them the last; a post the ledger already holds for
them (a broadcast they had) is skipped. :func:`decide` walks the active readers once, a chunk
at a time, so its memory does not grow with the list: readers who left are not in it, so an
unsubscribe stops the series at once.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import TYPE_CHECKING, Iterable

from newsletter.errors import ConfigError, PostNotFoundError
from newsletter.posts import find_post
from newsletter.sending.welcome_state import ENABLED_AT, ENROLLED_ALL_AT, WelcomeState

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.posts import Post
    from newsletter.sending.ledger import Ledger
    from newsletter.subscribers import SubscriberStore

CHUNK = 5000  # readers decided together: one look-up of their progress


@dataclass(frozen=True)
class Series:
    """The series as settings and state say: its posts, its spacing, who is in it."""

    posts: tuple[Post, ...]
    every: int  # seconds between two posts
    first_after: int  # seconds from joining to the first
    enabled_at: int | None  # readers who joined from then on are in it; None: not started
    enrolled_all_at: int | None  # `enroll --all`: everyone who joined before then is in it

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(post.id for post in self.posts)

    def start(self, joined: int | None) -> int | None:
        """When a reader who joined at ``joined`` entered the series; None: not in it."""
        if joined is not None and self.enabled_at is not None and joined >= self.enabled_at:
            return joined
        if self.enrolled_all_at is not None and (joined is None or joined < self.enrolled_all_at):
            return max(joined or 0, self.enrolled_all_at)
        return None


@dataclass
class Decision:
    """One pass over the list: per step of the series, readers due now, waiting, and given."""

    due: Counter = field(default_factory=Counter)  # step -> readers due now
    waiting: Counter = field(default_factory=Counter)  # step -> readers whose next is not due
    given: Counter = field(default_factory=Counter)  # step -> readers this run sends it to
    finished: int = 0  # readers past the last post


def series_posts(settings: Settings, posts: list[Post], problems: list) -> tuple[Post, ...]:
    """The posts ``[welcome] posts`` names, in order; ConfigError naming one that is no post."""
    found = []
    for name in settings.welcome.posts:
        try:
            found.append(find_post(posts, name, problems))
        except PostNotFoundError as error:
            raise ConfigError(f"welcome.posts: {error.message}", where="newsletter.toml",
                              hint="name each post by its id, slug or file name "
                                   "(`newsletter posts` lists them)") from None
    return tuple(found)


def load_series(settings: Settings, posts: tuple[Post, ...],
                state: WelcomeState | None) -> Series:
    """The series of ``posts`` as the settings and ``state`` (None: never started) say."""
    welcome = settings.welcome
    return Series(posts, int(welcome.spacing.total_seconds()),
                  int(welcome.delay.total_seconds()), state and state.moment(ENABLED_AT),
                  state and state.moment(ENROLLED_ALL_AT))


def welcome_post(settings: Settings, post: Post) -> Post:
    """The post as a welcome email carries it: with ``[welcome] intro`` above its first line."""
    intro = settings.welcome.intro
    if not intro:
        return post
    line = intro.format(site=settings.site.title)
    return replace(post, body=f"{line}\n\n{post.body}", body_line=post.body_line - 2)


def joined_at(text: str) -> int | None:
    """A reader's ``subscribed_at`` in UTC seconds (a time without a zone is UTC); None when
    it is empty or not a time."""
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return int(moment.timestamp())


def decide(series: Series, store: SubscriberStore, ledger: Ledger | None,
           state: WelcomeState | None,
           now: int, *, room: int | None = None, give: bool = False,
           held_back: Iterable[str] = ()) -> Decision:
    """Walk the active readers once and decide who is due for which post at ``now``.

    With ``give``, record (before anything is sent) that this run gives each due reader their
    post, to at most ``room`` readers (the sending limits' room; None: no limit). Posts in
    ``held_back`` (being broadcast by this run) are given to nobody now.
    """
    decision = Decision()
    held = {step for step, post_id in enumerate(series.ids) if post_id in held_back}
    readers = store.active()
    while chunk := list(islice(readers, CHUNK)):
        due = _due_by_time(series, chunk, state, now, decision)
        due = _skip_received(series, due, ledger)
        given = []
        for key, step in due:
            if step in held:
                decision.waiting[step] += 1
                continue
            decision.due[step] += 1
            if give and (room is None or len(given) + sum(decision.given.values()) < room):
                given.append((key, step, series.ids[step]))
        if given:
            state.give(given, now)
            decision.given.update(step for _, step, _ in given)
    return decision


def _due_by_time(series: Series, chunk: list, state: WelcomeState | None, now: int,
                 decision: Decision) -> list[tuple[str, int]]:
    """(key, step) of the readers of ``chunk`` whose next post is due by the clock."""
    starts = {}
    for reader in chunk:
        start = series.start(joined_at(reader.subscribed_at))
        if start is not None:
            starts[reader.key] = start
    progress = state.progress(list(starts)) if starts else {}
    positions = {post_id: step for step, post_id in enumerate(series.ids)}
    count = len(series.ids)
    due = []
    for key, start in starts.items():
        row = progress.get(key)
        if row is None:
            step, due_at = 0, start + series.first_after
        else:
            last, post_id, at, settled = row
            last = positions.get(post_id, last)
            # settled: the next post, `every` after; else the same one again (a run stopped)
            step, due_at = (last + 1, at + series.every) if settled else (last, at)
        if step >= count:
            decision.finished += 1
        elif due_at > now:
            decision.waiting[step] += 1
        else:
            due.append((key, step))
    return due


def _skip_received(series: Series, due: list[tuple[str, int]],
                   ledger: Ledger | None) -> list[tuple[str, int]]:
    """``due`` with each reader moved past the posts the ledger already holds for them."""
    if ledger is None or not due:
        return due
    result = []
    for step, post_id in enumerate(series.ids):
        here = [key for key, at in due if at == step]
        if not here:
            continue
        received = ledger.settled(post_id, here)
        due = [(key, at + 1 if at == step and key in received else at) for key, at in due]
        result += [(key, step) for key in here if key not in received]
    return result
