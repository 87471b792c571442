"""A post, and what the tool may do with it at a given moment."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import field
from enum import StrEnum
from pathlib import Path
from typing import Any, Mapping

from newsletter.generators import SiteLayout
from newsletter.posts.feature_image import PostImage
from newsletter.records import record

_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
# Characters that must never reach a post's id, address or a one-line message: C0 and C1
# controls (a newline, a tab, an escape) and Unicode's line and paragraph separators.
CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# A character reference with its semicolon (&amp; &#8217; &#x2014;): "AT&T" and "&copy2026" stay.
_CHARACTER_REFERENCE = re.compile(
    r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# A character Markdown may read as syntax in a line: text without one is shown as written.
MARKDOWN_SYNTAX = re.compile(r"[\\`*_\[\]<>&!#~|{}]")


class PostStatus(StrEnum):
    """What the tool may do with a post (docs/architecture.md#site-layout)."""

    DRAFT = "draft"  # draft: true, Jekyll's _drafts and published: false, Pelican's Status: draft
    EXPIRED = "expired"  # Hugo's expiryDate has passed: no longer published
    SCHEDULED = "scheduled"  # dated in the future (and not published before its date)
    READY = "ready"  # published: may be sent
    PAGE = "page"  # a page of the site, not a post (Post.page says why): never emailed
    OPTED_OUT = "opted-out"  # newsletter: false, never emailed


@record(frozen=True)
class Post:
    """One Markdown post with its front matter checked and normalised."""

    id: str  # the ledger's key, e.g. "/posts/what-matters" (docs/generators.md#every-post)
    path: Path
    title: str  # plain text on one line
    date: dt.datetime | None  # aware; when it is published; None only for pages and drafts
    draft: bool
    template: str
    description: str | None
    tags: tuple[str, ...]
    newsletter_tags: tuple[str, ...]  # front matter `newsletter_tags`: only readers with one
    subject: str | None  # front matter `subject`; render falls back to email.subject
    preheader: str | None  # front matter `preheader`; render falls back to the description
    newsletter: bool
    cta_text: str | None
    cta_url: str | None
    url: str  # where the generator publishes it, under site.url
    body: str  # the Markdown source
    language: str  # front matter `lang`, else site.language
    image: PostImage | None = None  # the feature image the front matter names
    body_line: int = 1  # the file line the body starts on, for errors about the body
    page: str | None = None  # why this file is a page of the site and not a post
    expires: dt.datetime | None = None  # Hugo's expiryDate
    early: bool = False  # published before its date (Jekyll's future: true): not scheduled
    media_subpath: str | None = None  # Chirpy's: the folder of the post's relative image paths
    template_tags: bool = True  # False: Jekyll's render_with_liquid: false, its tags are text
    # Every front matter key (lower case; Hugo's params and Zola's extra keys too), as the
    # post's template tags read them: {{ page.location }}, {{< param location >}}
    front_matter: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # The site's layout: its generator, folders and every post's address (for template tags)
    site: SiteLayout | None = field(default=None, compare=False, repr=False)

    @property
    def name(self) -> str:
        """The slug's last segment: the short name used in folders and messages."""
        return short_name(self.id) or self.path.stem

    @property
    def mdx(self) -> bool:
        """Whether the post is MDX as its generator reads it (an ``.mdx`` file; Docusaurus's
        ``.md`` files too): its imports, JSX and ``{expressions}`` are the site's code."""
        if self.site is not None:
            return self.site.generator.reads_as_mdx(self.path)
        return self.path.suffix.lower() == ".mdx"


def short_name(post_id: str) -> str:
    """A post id's last segment (``/posts/hello/`` -> ``hello``), "" when it has none."""
    return post_id.rstrip("/").rpartition("/")[2]


def folder_name(name: str) -> str:
    """The folder of the post named ``name`` (preview files, outbox messages): its name, but
    never one that is the folder holding it or that folder's parent (a slug of ``.`` or
    ``..``: its dots written %2E, as a URL would write them)."""
    return name if name.strip(".") else name.replace(".", "%2E")


def classify(post: Post, now: dt.datetime) -> PostStatus:
    """Whether ``post`` is a page, a draft, expired, opted out, scheduled or ready, at ``now``."""
    if post.page is not None:
        return PostStatus.PAGE
    if post.draft:
        return PostStatus.DRAFT
    if post.expires is not None and post.expires <= now:
        return PostStatus.EXPIRED
    if not post.newsletter:
        return PostStatus.OPTED_OUT
    if post.date is not None and post.date > now and not post.early:
        return PostStatus.SCHEDULED
    return PostStatus.READY


def newest_first(posts: list[Post]) -> list[Post]:
    """Posts newest first; pages without a date last."""
    oldest = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    return sorted(posts, key=lambda post: post.date or oldest, reverse=True)


def plain_line(text: str) -> str:
    """``text`` as one line of plain text: HTML tags removed, character references decoded
    (``Tom &amp; Jerry``, as WordPress imports write titles, is ``Tom & Jerry``), whitespace,
    newlines and control characters (a terminal's escapes: a title is printed) collapsed."""
    text = _CHARACTER_REFERENCE.sub(_decoded, _TAG.sub("", text))
    return " ".join(CONTROLS.sub(" ", text).split())


def _decoded(reference: re.Match) -> str:
    """The character a reference names; one naming a control character stays as written."""
    character = html.unescape(reference[0])
    return character if character.isprintable() or character.isspace() else reference[0]
