"""Which posts are due for `send --due`, and the site lock: one `send` at a time per site.

A post is due when it is published at ``now`` (not a draft, a post and not a page, not
``newsletter: false``, dated at or before ``now``), dated at or after ``since`` (or a `send POST`
that a sending limit stopped, whatever its date), and its campaign is not finished. The ledger
keys everything on the post id, so editing a sent post or changing its date never sends it
again. Where the id is the file's path (every generator but Lumen's `slug`), a renamed file is a
new id: a post never sent whose address or title is the one a sent post went out under, that
post's id gone from the site, is taken as it renamed (:class:`Renamed`) and not sent; the run
says so once. Renamed mid-send (a sending limit stopped its campaign), it goes on under the id
it began with, to the readers who do not have it yet (:class:`GoingOn`).

A campaign is *finished* once a run has walked its whole recipient list; ``send --due`` then
records ``finished:<post id>`` in the ledger's meta table. Until then it is resumed: a post with
ledger rows but no such record was interrupted (killed mid-send, or a manual ``send POST``).
A finished campaign with ``pending`` rows (retries used up, or found never sent by reconcile) is
resumed too, for those readers only (:func:`pending_only`); the ledger flags such posts
(:meth:`Ledger.may_have_pending`), so deciding costs the same however long the lists are.
Readers who subscribe after a campaign finished do not reopen it.

A post dated by its file's time (no date written: Hexo, Docusaurus, Hugo's ``:fileModTime``)
goes by the file time the first run that saw it published found (meta ``file-date:<post id>``):
an edit, or a pull bringing one, moves the file's time to now, and would make an old post new.

``since`` comes from ``[schedule] since``; without it the first ``send --due`` records its own
``now`` in the ledger (meta key ``since``), so a blog with years of posts never mails its archive.
"""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from dataclasses import replace
from enum import StrEnum
from typing import TYPE_CHECKING, Callable, Iterator
from zoneinfo import ZoneInfo

from newsletter.errors import InputError
from newsletter.posts import PostStatus, classify
from newsletter.records import record
from newsletter.sending.states import State

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.errors import ContentError
    from newsletter.posts import Post
    from newsletter.sending.ledger import Ledger

LOCK_FILE = "send.lock"
SINCE_KEY = "since"  # ledger meta: the first run's `now`, when [schedule] since is not set
FINISHED_KEY = "finished:{post_id}"  # ledger meta: when a run walked the post's whole list
# ledger meta: a sending limit stopped `send POST`; --due continues it whatever the post's date
BY_HAND_KEY = "by-hand:{post_id}"
# ledger meta: set once the posts sent before the ledger kept their addresses and titles are noted
SENT_AS_NOTED_KEY = "sent-as-noted"
# ledger meta: the file time of a post dated by it, when a run first saw it published
FILE_DATE_KEY = "file-date:{post_id}"
# The moments --now may name: far enough from the calendar's ends that no zone shift overflows.
EARLIEST = dt.datetime(1900, 1, 1)
LATEST = dt.datetime(9998, 12, 31)


class CampaignState(StrEnum):
    """How far `send --due` got with a post."""

    NEW = "new"  # nothing in the ledger: never sent
    UNFINISHED = "unfinished"  # started, not walked to the end, or readers left pending: resume
    FINISHED = "finished"  # the whole list was walked and nobody is pending: never again


@record(frozen=True)
class DuePost:
    """A post that `send --due` sends now."""

    post: Post
    resume: bool  # an earlier run started this campaign and left it unfinished


@record(frozen=True)
class Renamed:
    """A post that would be due but is a sent post under a new id (its file renamed)."""

    post: Post
    sent_as: str  # the id it was sent under
    same: str  # what it shares with it: "address" or "title"


class GoingOn(str):
    """The id a renamed post's unfinished campaign goes on under (:func:`held_back`)."""


@record(frozen=True)
class DuePlan:
    """What `send --due` would do at ``now``."""

    now: dt.datetime
    since: dt.datetime
    first_run: bool  # `since` was not set: this run records (or, dry, would record) `now`
    due: tuple[DuePost, ...]
    problems: tuple[ContentError, ...]  # posts that did not load; they may be due
    renamed: tuple[Renamed, ...] = ()  # sent already under another id: not sent again

    @property
    def new(self) -> tuple[DuePost, ...]:
        """Due posts never sent before (the ones the max_posts_per_run cap counts)."""
        return tuple(item for item in self.due if not item.resume)


def parse_time(text: str, zone: ZoneInfo) -> dt.datetime:
    """An ISO 8601 date or date-time (``Z`` allowed); one without a zone is read in ``zone``."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"--now {text!r} is not an ISO date-time",
                         hint="write it as 2026-12-01T09:00 or 2026-12-01T08:00:00Z") from None
    value = value if value.tzinfo else value.replace(tzinfo=zone)
    try:  # at the ends of the calendar, moving it to UTC or to the site's zone overflows
        in_range = all(EARLIEST <= value.astimezone(z).replace(tzinfo=None) <= LATEST
                       for z in (dt.timezone.utc, zone))
    except OverflowError:
        in_range = False
    if not in_range:
        raise InputError(f"--now {text!r} is outside the years {EARLIEST.year} to {LATEST.year}",
                         hint="give a date-time within them, such as 2026-12-01T09:00")
    return value


def plan_due(settings: Settings, posts: list[Post], problems: list[ContentError],
             ledger: Ledger | None, now: dt.datetime, *, record_since: bool) -> DuePlan:
    """The posts due at ``now``, oldest first; on a first run, records ``now`` as since if asked."""
    since, first_run = _since(settings, ledger, now, record_since)
    published = [post for post in posts if classify(post, now) is PostStatus.READY
                 and (_first_date(ledger, post, record_since) >= since
                      or _sent_by_hand(ledger, post.id))]
    due, renamed = [], []
    ids = {post.id for post in posts}
    for post in sorted(published, key=lambda p: (p.date, p.id)):
        campaign = campaign_state(ledger, post.id)
        if campaign is CampaignState.NEW and (moved := _renamed(ledger, post, ids)):
            if campaign_state(ledger, moved.sent_as) is CampaignState.FINISHED:
                renamed.append(moved)
            else:  # renamed mid-send: the readers who do not have it yet get it, once
                due.append(DuePost(replace(post, id=moved.sent_as), resume=True))
        elif campaign is not CampaignState.FINISHED:
            due.append(DuePost(post, resume=campaign is CampaignState.UNFINISHED))
    return DuePlan(now, since, first_run, tuple(due), tuple(problems), tuple(renamed))


def _first_date(ledger: Ledger | None, post: Post, record: bool) -> dt.datetime:
    """The date `send --due` goes by: the post's, or for one dated by its file's time the
    file time the first run that saw it found (recorded now if this is that run, and
    ``record``)."""
    if ledger is None or not _dated_by_file(post):
        return post.date
    key = FILE_DATE_KEY.format(post_id=post.id)
    if first := ledger.get_meta(key):
        return dt.datetime.fromisoformat(first)
    if record:
        ledger.set_meta(key, post.date.isoformat())
    return post.date


def _dated_by_file(post: Post) -> bool:
    """True when the generator dated ``post`` by its file's time (no date was written)."""
    try:
        return post.date == dt.datetime.fromtimestamp(post.path.stat().st_mtime, dt.timezone.utc)
    except (OSError, ValueError, OverflowError):
        return False


def campaign_state(ledger: Ledger | None, post_id: str) -> CampaignState:
    """Where the campaign of ``post_id`` stands, by the ledger."""
    if ledger is None:
        return CampaignState.NEW
    finished = ledger.get_meta(FINISHED_KEY.format(post_id=post_id))
    # Readers left pending, or `submitting` rows of a crashed run (they become in_doubt): resume.
    if finished and not ledger.may_have_pending(post_id):
        return CampaignState.FINISHED
    return CampaignState.UNFINISHED if ledger.has_rows(post_id) else CampaignState.NEW


def resumed_posts(settings: Settings, posts: list[Post], ledger: Ledger,
                  now: dt.datetime) -> set[str]:
    """The ids of the posts whose unfinished campaign the next `send --due` resumes (not a
    post only the welcome series sent, which no run broadcasts)."""
    plan = plan_due(settings, posts, [], ledger, now, record_since=False)
    return {item.post.id for item in plan.due if item.resume}


def held_back(settings: Settings, posts: list[Post], now: dt.datetime) -> dict[str, str | None]:
    """The posts published at ``now`` that no reader was sent and that `send --due` would not
    send though their own date says it would: id -> the id it went out under (another post's,
    when it is that post renamed, a :class:`GoingOn` if that campaign goes on; its own, when a
    run found it no readers), else None (dated
    by its file's time, first seen before ``since``: an edit moved the file's time). Empty
    before any run recorded ``since``."""
    from newsletter.sending.ledger import Ledger

    with Ledger.open_existing(settings) or nullcontext() as ledger:
        if ledger is None or known_since(settings, ledger) is None:
            return {}
        plan = plan_due(settings, posts, [], ledger, now, record_since=False)
        due = {item.post.id for item in plan.due}
        held = {item.post.id: item.sent_as for item in plan.renamed}
        for post in posts:
            if (post.id in due or post.id in held or classify(post, now) is not PostStatus.READY
                    or ledger.has_rows(post.id)):
                continue
            # Finished with no rows of its own: a renamed post a run noted, or one that found
            # no readers.
            sent_as = [each for key in _sent_as(post).values() if (each := ledger.get_meta(key))]
            if going_on := next((each for each in sent_as if each in due), None):
                held[post.id] = GoingOn(going_on)  # renamed mid-send: it goes on as it began
                continue
            held[post.id] = ((post.id if post.id in sent_as or not sent_as else sent_as[0])
                             if campaign_state(ledger, post.id) is CampaignState.FINISHED
                             else None)
        return held


def remember_sent(ledger: Ledger, post: Post) -> None:
    """Record the address and title ``post`` goes out under, before it does: the same post
    under a new id (its file renamed) is then known and not sent again."""
    for key in _sent_as(post).values():
        ledger.set_meta(key, post.id)


def note_sent_posts(ledger: Ledger, posts: list[Post]) -> None:
    """Once per ledger, :func:`remember_sent` each post of the site that went out before the
    ledger kept what posts went out as (an older newsletter sent it)."""
    if ledger.get_meta(SENT_AS_NOTED_KEY):
        return
    for post in posts:
        if campaign_state(ledger, post.id) is not CampaignState.NEW:
            remember_sent(ledger, post)
    ledger.set_meta(SENT_AS_NOTED_KEY, "1")


def _renamed(ledger: Ledger | None, post: Post, ids: set[str]) -> Renamed | None:
    """``post`` as a sent post renamed: one whose address or title a post no longer on the
    site (not in ``ids``) was sent under; None when it is not."""
    return next((Renamed(post, old, what) for what, old in _went_out_as(ledger, post, ids)), None)


def earlier_ids(ledger: Ledger | None, post: Post, ids: set[str]) -> set[str]:
    """The ids ``post`` went out under before its file or slug was renamed."""
    return {old for _, old in _went_out_as(ledger, post, ids)}


def _went_out_as(ledger: Ledger | None, post: Post, ids: set[str]) -> Iterator[tuple[str, str]]:
    """(what it shares: "address" or "title", its id) of each sent post not in ``ids`` that went
    out under ``post``'s address or title."""
    for what, key in _sent_as(post).items() if ledger is not None else ():
        sent_as = ledger.get_meta(key)
        if (sent_as and sent_as not in ids
                and campaign_state(ledger, sent_as) is not CampaignState.NEW):
            yield what, sent_as


def _sent_as(post: Post) -> dict[str, str]:
    """The ledger meta keys holding the id of the last post sent under ``post``'s address,
    and under its title (either left out when empty)."""
    keys = {"address": f"sent-address:{post.url}", "title": f"sent-title:{post.title}"}
    return {what: key for what, key in keys.items() if key.partition(":")[2]}


def mark_sent_by_hand(ledger: Ledger, post_id: str, now: dt.datetime) -> None:
    """Record that a sending limit stopped `send POST` of ``post_id`` to its readers: `send
    --due` continues it, as the limit's line says, even dated before ``since`` (not one the
    writer stopped: that is theirs to run again)."""
    ledger.set_meta(BY_HAND_KEY.format(post_id=post_id), now.isoformat())


def _sent_by_hand(ledger: Ledger | None, post_id: str) -> bool:
    """True when a sending limit stopped `send POST` of ``post_id`` (after some readers)."""
    return (ledger is not None and ledger.get_meta(BY_HAND_KEY.format(post_id=post_id))
            is not None and ledger.has_rows(post_id))


def mark_finished(ledger: Ledger, post_id: str, now: dt.datetime) -> None:
    """Record that a run walked the whole recipient list of ``post_id``."""
    ledger.set_meta(FINISHED_KEY.format(post_id=post_id), now.isoformat())


def finish_if_walked(ledger: Ledger, post_id: str, report, now: dt.datetime) -> None:
    """After a send of ``post_id`` to its readers (its newsletter_tags, or everyone) that walked
    the whole list (not stopped, no sending limit reached): readers who join later do not reopen
    it for `send --due` (docs/cron.md), nor do readers left pending once none is."""
    if not (report.stopped or report.limit_reached):
        mark_finished(ledger, post_id, now)
        if not report.pending:
            ledger.clear_pending(post_id)


def pending_only(ledger: Ledger, post_id: str) -> Callable[[list[str]], set[str]] | None:
    """The ``select`` of a run resuming a finished campaign: only its readers left pending
    (readers who joined since do not reopen it, nor do a welcome email's found never sent);
    None for a campaign not finished yet, which walks its whole list."""
    if not ledger.get_meta(FINISHED_KEY.format(post_id=post_id)):
        return None
    return lambda keys: ledger.settled(post_id, keys, (State.PENDING,))


def since_of(settings: Settings) -> dt.datetime | None:
    """``[schedule] since``, or the one the first `send --due` recorded in the ledger."""
    from newsletter.sending.ledger import Ledger

    with Ledger.open_existing(settings) or nullcontext() as ledger:
        return known_since(settings, ledger)


def known_since(settings: Settings, ledger: Ledger | None) -> dt.datetime | None:
    """``[schedule] since``, else the time the first `send --due` recorded; None before that."""
    if settings.schedule.since is not None:
        return settings.schedule.since
    stored = ledger.get_meta(SINCE_KEY) if ledger else None
    return dt.datetime.fromisoformat(stored) if stored else None


def _since(settings: Settings, ledger: Ledger | None, now: dt.datetime,
           record: bool) -> tuple[dt.datetime, bool]:
    since = known_since(settings, ledger)
    if since is not None:
        return since, False
    if record:
        ledger.set_meta(SINCE_KEY, now.isoformat())
    return now, True
