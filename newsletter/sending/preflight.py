"""The preflight check as `check`, `send` and `send --due` run it: which posts, against which
``since``, rendered exactly as they would be sent.

``send`` and ``send --due`` call :func:`prepare_post` for each post before anyone is claimed:
its error findings stop that post. ``newsletter check`` calls :func:`check_site`, which checks
the posts ``send --due`` could send (or the ones named), and with ``online`` also visits every
link and looks up the sender's DNS records.
"""

from __future__ import annotations

import datetime as dt
import re
from contextlib import nullcontext
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from newsletter.check import (
    Finding,
    Preflight,
    Severity,
    check_online,
    check_rendered,
    errors_in,
    file_image_findings,
    finding,
    in_order,
)
from newsletter.config import SETTINGS_FILE, with_setting_line
from newsletter.errors import ConfigError, ContentError, InputError
from newsletter.posts import PostStatus, classify, find_post, load_posts, site_relative
from newsletter.records import record
from newsletter.render import TEXT_REFUSALS, post_images, render_post
from newsletter.sending.ledger import Ledger
from newsletter.sending.schedule import CampaignState, campaign_state, known_since
from newsletter.sending.recipients import check_sendable
from newsletter.sending.welcome import series_posts, welcome_post
from newsletter.sending.words import schedule_note

if TYPE_CHECKING:
    from newsletter.check import OnlineOptions
    from newsletter.config import Settings
    from newsletter.posts import Post
    from newsletter.providers import Provider
    from newsletter.render import Email

# What `check` looks at when no post is named: what `send --due` could send now or later.
CHECKED_STATUSES = (PostStatus.READY, PostStatus.SCHEDULED)


@record
class PostCheck:
    """The findings about one post (or about a post file that did not load)."""

    label: str  # the post's id, or the file's name
    findings: list[Finding]
    preflight: Preflight | None = None  # None when it did not render


@record
class SiteCheck:
    """What `newsletter check` found."""

    posts: list[PostCheck] = field(default_factory=list)
    # the settings, the provider and its key, the sender's DNS records
    site: list[Finding] = field(default_factory=list)
    note: str | None = None  # why published posts are not checked (sending.schedule_note)

    @property
    def findings(self) -> list[Finding]:
        return [*self.site, *(item for post in self.posts for item in post.findings)]


def prepare_post(settings: Settings, post: Post, now: dt.datetime, since: dt.datetime | None,
                 provider: Provider | None = None) -> tuple[Email, Preflight]:
    """Render ``post`` and check it as it would be sent; InputError if it cannot be sent at all."""
    email = render_post(settings, post)
    if provider is not None:
        provider.check_email(email)  # a post the provider's own merge tags would corrupt
    return email, check_rendered(settings, post, email, now=now, since=since)


def check_site(settings: Settings, names: tuple[str, ...], now: dt.datetime,
               online: OnlineOptions | None = None, *, files: bool = False) -> SiteCheck:
    """Check the settings and the provider, then the named posts (a name may be a broken
    file's), or all `send --due` could send. With ``files`` the names are file paths (a
    pre-commit hook's): the posts among them are checked, other files skipped, and the
    environment's secrets are not asked for."""
    from newsletter.sending.readiness import readiness_findings  # every provider: not for a send

    posts, problems = load_posts(settings)
    report = SiteCheck(site=readiness_findings(settings, online=online is not None,
                                               environment=not files)
                       + _welcome_findings(settings, posts, problems))
    with Ledger.open_existing(settings) or nullcontext() as ledger:
        since = known_since(settings, ledger)
        if files:
            chosen, broken = _posts_among(settings, names, posts, problems, now)
            report.posts += broken
        elif names:
            chosen = []
            for name in names:
                try:
                    chosen.append(find_post(posts, name, problems))
                except ContentError as problem:  # the file named exists but does not load
                    report.posts.append(_unreadable(problem))
        else:
            chosen = _checked_by_default(posts, ledger, now, since)
            report.posts += [_unreadable(problem) for problem in problems]
            report.note = schedule_note(posts, now, set(ledger.post_ids()) if ledger else (),
                                        since)
    for post in chosen:
        report.posts.append(_check_post(settings, post, now, since))
    if online is not None:
        links = {post.label: post.preflight.links for post in report.posts if post.preflight}
        by_post, dns = check_online(settings, links, online)
        report.site += dns
        for post in report.posts:
            post.findings = in_order([*post.findings, *by_post.get(post.label, [])])
    return report


def _welcome_findings(settings: Settings, posts: list[Post],
                      problems: list[ContentError]) -> list[Finding]:
    """``[welcome] posts`` naming no post, or one twice: `send --due` refuses the series then,
    and sends none of it."""
    if not settings.welcome.enabled:
        return []
    try:
        series = series_posts(settings, posts, problems)
    except ContentError:  # a post file named that does not load: reported as such
        return []
    except ConfigError as problem:
        located = with_setting_line(problem, settings.root / SETTINGS_FILE)
        return [finding(Severity.ERROR, "welcome-posts", located.where, located.message,
                        located.hint)]
    now = dt.datetime.now(dt.timezone.utc)
    where = with_setting_line(ConfigError("welcome.posts", where=SETTINGS_FILE),
                              settings.root / SETTINGS_FILE).where
    refusals = (prepare_welcome(settings, post, now)[2] for post in series)
    return [finding(Severity.ERROR, "welcome-posts", where, refusal,
                    "readers wait at that post until it can be sent")
            for refusal in refusals if refusal]


def _posts_among(settings: Settings, paths: tuple[str, ...], posts: list[Post],
                 problems: list[ContentError], now: dt.datetime
                 ) -> tuple[list[Post], list[PostCheck]]:
    """The posts (never pages, nor ``newsletter: false``) and broken post files among
    ``paths``; any other file is none of the check's business."""
    wanted = {Path(path).resolve() for path in paths}
    chosen = [post for post in posts if post.path.resolve() in wanted
              and classify(post, now) not in (PostStatus.PAGE, PostStatus.OPTED_OUT)]
    broken = [_unreadable(problem) for problem in problems
              if problem.where and (settings.root / re.sub(r":\d+$", "", problem.where)
                                    ).resolve() in wanted]
    return chosen, broken


def sendable_by_due(settings: Settings, posts: list[Post], now: dt.datetime) -> list[Post]:
    """The posts `send --due` could send: ready or scheduled, dated from since, not sent yet
    (what `check` and `preview` look at when no post is named)."""
    with Ledger.open_existing(settings) or nullcontext() as ledger:
        return _checked_by_default(posts, ledger, now, known_since(settings, ledger))


def _checked_by_default(posts: list[Post], ledger: Ledger | None, now: dt.datetime,
                        since: dt.datetime | None) -> list[Post]:
    # Without a since, the first `send --due` records its own time: only later posts are sent.
    since = since or now
    return [post for post in posts
            if classify(post, now) in CHECKED_STATUSES and post.date >= since
            and campaign_state(ledger, post.id) is not CampaignState.FINISHED]


def _check_post(settings: Settings, post: Post, now: dt.datetime,
                since: dt.datetime | None) -> PostCheck:
    try:
        _, preflight = prepare_post(settings, post, now, since)
    except InputError as error:
        # Rendering stops at the first image it cannot use: name each one (reading the post
        # again, unless that is what failed).
        broken = [] if isinstance(error, TEXT_REFUSALS) else [
            image.problem for image in post_images(settings, post) if image.problem]
        if broken:
            return PostCheck(post.id, file_image_findings(broken))
        where = error.where or site_relative(settings, post.path)
        return PostCheck(post.id, [finding(Severity.ERROR, "render-failed", where, error.message,
                                           error.hint)])
    return PostCheck(post.id, preflight.findings, preflight)


def _unreadable(problem: ContentError) -> PostCheck:
    where = problem.where or "content"
    return PostCheck(where.partition(":")[0], [finding(Severity.ERROR, "post-unreadable", where,
                                                       problem.message, problem.hint)])


def prepare_welcome(settings: Settings, post: Post, now: dt.datetime):
    """The welcome email of ``post``, checked: (email, warnings, why it is not sent or None)."""
    try:
        check_sendable(post, now)  # a draft, a page, not published
        if post.newsletter_tags:  # the series would mail it to readers outside its segment
            raise InputError(f"{post.id} is only for readers tagged "
                             f"{', '.join(post.newsletter_tags)} (newsletter_tags): not sent",
                             hint="the series goes to every new reader: take it out of "
                                  "[welcome] posts, or remove its newsletter_tags")
    except InputError as refusal:  # names the post and says "not sent" itself; no file to name
        hint = f"; {refusal.hint}" if refusal.hint else ""
        return None, [], f"welcome series: {refusal.message}{hint}"
    try:
        email, preflight = prepare_post(settings, welcome_post(settings, post), now, None)
    except InputError as error:
        return None, [], f"welcome series: {post.id} not sent: {error}"
    errors = errors_in(preflight.findings)
    if errors:
        return None, [], f"welcome series: {post.id} not sent: {errors[0].line()}"
    return email, [f for f in preflight.findings if f not in errors], None
