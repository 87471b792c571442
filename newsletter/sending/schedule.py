"""Which posts are due for `send --due`, and the site lock: one `send` at a time per site.

A post is due when it is published at ``now`` (not a draft, a post and not a page, not
``newsletter: false``, dated at or before ``now``), dated at or after ``since`` (or a `send POST`
that a sending limit stopped, whatever its date), and its campaign is not finished. The ledger keys everything on the post id (its slug), so editing a sent post,
renaming its file or changing its date never sends it again.

A campaign is *finished* once a run has walked its whole recipient list; ``send --due`` then
records ``finished:<post id>`` in the ledger's meta table. Until then it is resumed: a post with
ledger rows but no such record was interrupted (killed mid-send, or a manual ``send POST``).
A finished campaign with ``pending`` rows (retries used up) is resumed too; the ledger flags such
posts (:meth:`Ledger.may_have_pending`), so deciding costs the same however long the lists are.
Readers who subscribe after a campaign finished do not reopen it.

``since`` comes from ``[schedule] since``; without it the first ``send --due`` records its own
``now`` in the ledger (meta key ``since``), so a blog with years of posts never mails its archive.
"""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from newsletter.errors import InputError
from newsletter.posts import PostStatus, classify

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
# The moments --now may name: far enough from the calendar's ends that no zone shift overflows.
EARLIEST = dt.datetime(1900, 1, 1)
LATEST = dt.datetime(9998, 12, 31)


class CampaignState(StrEnum):
    """How far `send --due` got with a post."""

    NEW = "new"  # nothing in the ledger: never sent
    UNFINISHED = "unfinished"  # started, not walked to the end, or readers left pending: resume
    FINISHED = "finished"  # the whole list was walked and nobody is pending: never again


@dataclass(frozen=True)
class DuePost:
    """A post that `send --due` sends now."""

    post: Post
    resume: bool  # an earlier run started this campaign and left it unfinished


@dataclass(frozen=True)
class DuePlan:
    """What `send --due` would do at ``now``."""

    now: dt.datetime
    since: dt.datetime
    first_run: bool  # `since` was not set: this run records (or, dry, would record) `now`
    due: tuple[DuePost, ...]
    problems: tuple[ContentError, ...]  # posts that did not load; they may be due

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
                 and (post.date >= since or _sent_by_hand(ledger, post.id))]
    due = []
    for post in sorted(published, key=lambda p: (p.date, p.id)):
        campaign = campaign_state(ledger, post.id)
        if campaign is not CampaignState.FINISHED:
            due.append(DuePost(post, resume=campaign is CampaignState.UNFINISHED))
    return DuePlan(now, since, first_run, tuple(due), tuple(problems))


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
