"""The welcome series: which reader gets which post of ``[welcome] posts`` now.

A reader is in the series when they joined (``subscribed_at``: confirmed, imported or added) at
or after the series was first enabled, or when ``welcome enroll --all`` enrolled the list as it
was then. Their first post is due ``first_after`` after they joined (or were enrolled), each
next one ``every`` after the run that gave them the last (``every`` may be a list: the
time after the first post, after the second...); a post the ledger already holds for
them (a broadcast they had) is skipped. :func:`decide` walks the active readers once, a chunk
at a time, from the roster (the list's active readers and when each joined, kept in SQLite and
current: docs/subscribers.md), so its memory does not grow with the list; readers who left are
not in it, so an unsubscribe stops the series at once.
"""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from dataclasses import field, replace
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from newsletter.errors import ConfigError, PostNotFoundError
from newsletter.posts import find_post
from newsletter.records import record
from newsletter.sending.schedule import earlier_ids
from newsletter.sending.welcome_state import (
    ENABLED_AT,
    ENROLLED_ALL_AT,
    WELCOME_FILE,
    SeriesTerms,
    WelcomeState,
)
from newsletter.subscribers import SubscriberStore, fresh_roster

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.posts import Post
    from newsletter.sending.ledger import Ledger
    from newsletter.subscribers import ReaderStore, Roster

CHUNK = 5000  # readers decided together: one look-up of their progress


@record(frozen=True)
class Series:
    """The series as settings and state say: its posts, its spacing, who is in it."""

    posts: tuple[Post, ...]
    gaps: tuple[int, ...]  # seconds after each post before the next (the last for the rest)
    first_after: int  # seconds from joining to the first
    enabled_at: int | None  # readers who joined from then on are in it; None: not started
    enrolled_all_at: int | None  # `enroll --all`: everyone who joined before then is in it
    left_out: tuple[str, ...] = ()  # the site's posts not in it (some may have been taken out)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(post.id for post in self.posts)

    @property
    def terms(self) -> SeriesTerms:
        return SeriesTerms(self.ids, self.gaps, self.first_after, self.enabled_at,
                           self.enrolled_all_at, self.left_out)


@record
class Decision:
    """One pass over the list: per step of the series, readers due now, waiting, and given."""

    due: Counter = field(default_factory=Counter)  # step -> readers due now
    waiting: Counter = field(default_factory=Counter)  # step -> readers whose next is not due
    given: Counter = field(default_factory=Counter)  # step -> readers this run sends it to
    finished: int = 0  # readers past the last post


def series_posts(settings: Settings, posts: list[Post], problems: list) -> tuple[Post, ...]:
    """The posts ``[welcome] posts`` names, in order; ConfigError naming one that is no post,
    or one named twice (by two of its names)."""
    found: dict[str, str] = {}  # post id -> the name that found it
    chosen = []
    for name in settings.welcome.posts:
        try:
            post = find_post(posts, name, problems)
        except PostNotFoundError as error:
            raise ConfigError(f"welcome.posts: {error.message}", where="newsletter.toml",
                              hint="name each post by its id, slug or file name "
                                   "(`newsletter posts` lists them)") from None
        if post.id in found:
            raise ConfigError(f"welcome.posts names {post.id} twice ({found[post.id]!r} and "
                              f"{name!r})", where="newsletter.toml", hint="name each post once")
        found[post.id] = name
        chosen.append(post)
    return tuple(chosen)


def load_series(settings: Settings, posts: tuple[Post, ...], state: WelcomeState | None,
                on_site: Iterable[Post] = ()) -> Series:
    """The series of ``posts`` as the settings and ``state`` (None: never started) say;
    ``on_site``: every post of the site (a reader whose last post was taken out of the series
    goes on with the first one they do not have)."""
    welcome = settings.welcome
    chosen = {post.id for post in posts}
    return Series(posts, tuple(int(gap.total_seconds()) for gap in welcome.gaps),
                  int(welcome.delay.total_seconds()), state and state.moment(ENABLED_AT),
                  state and state.moment(ENROLLED_ALL_AT),
                  tuple(post.id for post in on_site if post.id not in chosen))


def welcome_post(settings: Settings, post: Post) -> Post:
    """The post as a welcome email carries it: with ``[welcome] intro`` above its first line."""
    intro = settings.welcome.intro
    if not intro:
        return post
    line = intro.format(site=settings.site.title)
    return replace(post, body=f"{line}\n\n{post.body}", body_line=max(1, post.body_line - 2))


def open_state(settings: Settings) -> WelcomeState:
    """The site's series state, made if new (in PostgreSQL when the site has a store URL)."""
    if not settings.store_url:
        return WelcomeState.open(settings.state_dir)
    from newsletter.sending.welcome_state_pg import PostgresWelcomeState  # not for a site on files

    return PostgresWelcomeState(settings.store_url, settings.site.url)


def existing_state(settings: Settings) -> WelcomeState | None:
    """The site's series state, or None when no welcome run ever ran (creates no file)."""
    if settings.store_url or (settings.state_dir / WELCOME_FILE).exists():
        return open_state(settings)
    return None


@contextmanager
def import_arrivals(settings: Settings, joins: bool, now: int
                    ) -> Iterator[Callable[[list[str]], None] | None]:
    """What `subscribers import` tells of the readers it adds: they are not new readers, so
    they stay out of the series unless ``joins`` (--welcome: joined at ``now``, the series
    started now if no run did yet). None: the series never started, so none of them joined
    after it did."""
    if joins and not settings.welcome.enabled:
        raise ConfigError("--welcome: the welcome series is not enabled, nothing imported",
                          where="newsletter.toml",
                          hint="set enabled = true under [welcome] first (docs/welcome.md)")
    state = open_state(settings) if joins else existing_state(settings)
    if state is None:
        yield None
        return
    with state:
        if joins:
            state.record_moment(ENABLED_AT, now)
        if state.moment(ENABLED_AT) is None:
            yield None
        else:
            yield lambda keys: state.record_arrivals(keys, now, joins)


def roster_of(store: ReaderStore, state: WelcomeState | None = None) -> Roster | None:
    """What :func:`decide` walks: the files store's roster (rebuilt if stale); a database's
    list is read in place. With ``state``, a reader whose address was changed by hand in the
    files takes their progress in the series to the new address first."""
    if not isinstance(store, SubscriberStore):
        return None
    roster = fresh_roster(store)
    if state is not None:
        state.carry_moved(roster, store.suppressed_addresses())
    return roster


def decide(series: Series, roster: Roster | None, ledger: Ledger | None,
           state: WelcomeState | None, now: int, *, room: int | None = None,
           give: bool = False, held_back: Iterable[str] = (),
           broadcast: Iterable[str] = ()) -> Decision:
    """Decide, in one pass over the roster, who is due for which post at ``now`` (without
    ``give``, a second pass counts the readers waiting and those who had the whole series).

    With ``give``, record (before anything is sent) that this run gives each due reader their
    post, to at most ``room`` readers (the sending limits' room; None: no limit). Posts in
    ``held_back`` (being broadcast by this run) are given to nobody now. Posts in
    ``broadcast`` count as received by every reader (a dry run: the run broadcasts them first).
    """
    decision = Decision()
    if state is None:  # never started, nobody enrolled: nobody is in the series
        return decision
    ids = series.ids
    held = {step for step, post_id in enumerate(ids) if post_id in held_back}
    received = {step for step, post_id in enumerate(ids) if post_id in broadcast}
    count = len(ids)
    terms = replace(series.terms, earlier=_earlier(series, ledger))
    with state.standing(roster, terms, now) as standing:
        if not give:  # a run needs only who is due: counting the others is a second pass
            for step, due, readers in standing.counts():
                if step >= count:
                    decision.finished += readers
                elif not due:
                    decision.waiting[step] += readers
        for chunk in standing.due(CHUNK):
            given = []
            if not standing.skips_received:
                chunk = _skip_received(terms, chunk, ledger)
            for key, step in chunk:
                while step in received:
                    step += 1
                if step >= count:
                    decision.finished += 1
                elif step in held:
                    decision.waiting[step] += 1
                else:
                    decision.due[step] += 1
                    if give and (room is None or decision.given.total() + len(given) < room):
                        given.append((key, step, ids[step]))
            standing.stage(given)
            decision.given.update(step for _, step, _ in given)
        if decision.given:
            standing.give()
    return decision


def _earlier(series: Series, ledger: Ledger | None) -> tuple[tuple[int, str], ...]:
    """(step, id) of each id a post of the series went out under before its file or slug was
    renamed: a reader who had it so has it."""
    on_site = {*series.ids, *series.left_out}
    return tuple((step, old) for step, post in enumerate(series.posts)
                 for old in sorted(earlier_ids(ledger, post, on_site)))


def _skip_received(terms: SeriesTerms, due: list[tuple[str, int]],
                   ledger: Ledger | None) -> list[tuple[str, int]]:
    """``due`` with each reader moved past the posts the ledger already holds for them, under
    their id or one they had before a rename (past the last: they had the whole series)."""
    if ledger is None:
        return due
    for step, post_id in enumerate(terms.ids):
        here = [key for key, at in due if at == step]
        received = set()
        for each in [post_id, *(old for at, old in terms.earlier if at == step)]:
            received |= ledger.settled(each, here) if here else set()
        if received:
            due = [(key, at + 1 if at == step and key in received else at) for key, at in due]
    return due
