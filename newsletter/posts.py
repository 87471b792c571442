"""Posts: every ``*.md`` under ``content/`` read into a :class:`Post`, and classified.

Real blogs' front matter is messy (docs/architecture.md#site-layout). Accepted here: ``date`` as a quoted ISO
string (``Z`` allowed), a YAML date or a YAML date-time, with or without a zone (a zone-less date
is read in ``site.timezone``); ``slug`` with or without a leading slash, or missing (then from the
file's path); ``tags`` as a list or a comma-separated string; ``draft`` and ``newsletter`` as
booleans or the strings "true"/"false". Every file is read and every problem reported: one broken
post never hides the others.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Iterable

import frontmatter
import yaml

from newsletter.config import Settings
from newsletter.errors import ContentError, PostNotFoundError

# Where python-frontmatter splits the YAML from the body; used to turn a YAML line into a file line.
_DATE_LIKE = re.compile(r"\d{4}-\d\d?-\d\d?")
_FRONT_MATTER_START = re.compile(r"^-{3}\s*$", re.MULTILINE)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_BOOLEANS = {"true": True, "yes": True, "false": False, "no": False}


class PostStatus(StrEnum):
    """What the tool may do with a post (docs/architecture.md#site-layout)."""

    DRAFT = "draft"  # draft: true
    SCHEDULED = "scheduled"  # dated in the future
    READY = "ready"  # published: may be sent
    PAGE = "page"  # template other than "post": not a newsletter
    OPTED_OUT = "opted-out"  # newsletter: false, never emailed


@dataclass(frozen=True)
class Post:
    """One Markdown post with its front matter checked and normalised."""

    id: str  # the slug with a leading slash, e.g. "/posts/what-matters"
    path: Path
    title: str  # plain text on one line
    date: dt.datetime | None  # aware; None only for pages without a date
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
    url: str  # site.url + slug
    body: str  # the Markdown source
    language: str  # front matter `lang`, else site.language

    @property
    def name(self) -> str:
        """The slug's last segment: the short name used in folders and messages."""
        return self.id.rstrip("/").rpartition("/")[2] or self.path.stem


def newest_first(posts: list[Post]) -> list[Post]:
    """Posts newest first; pages without a date last."""
    oldest = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    return sorted(posts, key=lambda post: post.date or oldest, reverse=True)


def plain_line(text: str) -> str:
    """``text`` as one line of plain text: HTML tags removed, whitespace and newlines collapsed."""
    return " ".join(_TAG.sub("", text).split())


def load_posts(settings: Settings) -> tuple[list[Post], list[ContentError]]:
    """Read every post under the site's content folder; return the good ones and every problem."""
    posts: list[Post] = []
    errors: list[ContentError] = []
    seen: dict[str, Post] = {}
    for path in sorted(settings.content_dir.rglob("*.md")):
        try:
            post = read_post(settings, path)
        except ContentError as error:
            errors.append(error)
            continue
        if post.id in seen:
            errors.append(ContentError(
                f"slug {post.id} is already used by {site_relative(settings, seen[post.id].path)}",
                where=site_relative(settings, path), hint="give each post its own slug",
            ))
            continue
        seen[post.id] = post
        posts.append(post)
    return posts, errors


def read_post(settings: Settings, path: Path) -> Post:
    """Read and check one post file."""
    where = site_relative(settings, path)
    text = _read_text(path, where)
    try:
        parsed = frontmatter.loads(text)
    except yaml.YAMLError as error:
        raise _yaml_error(error, text, where) from None
    except ValueError as error:  # YAML reads an unquoted 2026-13-45 as a date, and fails
        raise _impossible_date_error(error, text, where) from None
    meta: dict[str, Any] = parsed.metadata
    fields = _FieldReader(meta, text, where)

    template = fields.string("template") or "post"
    title = plain_line(fields.string("title") or "")
    if not title:
        raise ContentError(
            "no title" if "title" not in meta else "the title is empty",
            where=fields.where("title"), hint="add title: ... to the front matter",
        )
    date = _parse_date(meta.get("date"), settings, fields)
    if date is None and template == "post":
        raise ContentError("no date", where=where, hint='add date: "2024-05-01T09:00:00Z"')
    if not parsed.content.strip():
        raise ContentError("the post has no body", where=where, hint="write the post below the front matter")

    slug = _slug(fields.string("slug"), settings, path)
    return Post(
        id=slug,
        path=path,
        title=title,
        date=date,
        draft=fields.boolean("draft", default=False),
        template=template,
        description=plain_line(fields.string("description") or "") or None,
        tags=_tags(meta.get("tags"), fields),
        newsletter_tags=_tags(meta.get("newsletter_tags"), fields, "newsletter_tags"),
        subject=plain_line(fields.string("subject") or "") or None,
        preheader=plain_line(fields.string("preheader") or "") or None,
        newsletter=fields.boolean("newsletter", default=True),
        cta_text=plain_line(fields.string("cta_text") or "") or None,
        cta_url=(fields.string("cta_url") or "").strip() or None,
        url=settings.site.url.rstrip("/") + slug,
        body=parsed.content,
        language=fields.string("lang") or settings.site.language,
    )


def classify(post: Post, now: dt.datetime) -> PostStatus:
    """Whether ``post`` is a draft, scheduled, ready to send, a page, or opted out, at ``now``."""
    if post.template != "post":
        return PostStatus.PAGE
    if post.draft:
        return PostStatus.DRAFT
    if not post.newsletter:
        return PostStatus.OPTED_OUT
    if post.date is not None and post.date > now:
        return PostStatus.SCHEDULED
    return PostStatus.READY


def find_post(posts: list[Post], name: str, problems: Iterable[ContentError] = ()) -> Post:
    """The one post that ``name`` names: slug, slug's last segment, file name or path.

    When none matches but one of ``problems`` (from :func:`load_posts`) is about a file of
    that name, that problem is raised: the post exists but does not load.
    """
    wanted = name.strip()
    wanted_parts = Path(wanted).parts
    matches = [
        post for post in posts
        if wanted in (post.id, post.id.lstrip("/"), post.name, post.path.name, str(post.path))
        or (len(wanted_parts) > 1 and post.path.parts[-len(wanted_parts):] == wanted_parts)
    ]
    if not matches:
        short = wanted.strip("/").rpartition("/")[2].removesuffix(".md")
        for problem in problems:
            if error_file_name(problem) == short:
                raise problem
        raise PostNotFoundError(f"no post named {name!r}", hint="run `newsletter posts` to list them")
    if len(matches) > 1:
        ids = ", ".join(post.id for post in matches)
        raise PostNotFoundError(f"{name!r} names {len(matches)} posts: {ids}",
                                hint="name the post by its full slug")
    return matches[0]


def error_file_name(error: ContentError) -> str | None:
    """The short name of the post file an error is about (``x`` for x.md or x/index.md)."""
    if not error.where:
        return None
    path = Path(re.sub(r":\d+$", "", error.where))
    return path.parent.name if path.stem == "index" else path.stem


class _FieldReader:
    """Typed access to front matter values, with errors naming the key's line."""

    def __init__(self, meta: dict[str, Any], text: str, where: str):
        self.meta, self.text, self.file = meta, text, where

    def where(self, key: str) -> str:
        match = re.search(rf"^{re.escape(key)}\s*:", self.text, re.MULTILINE)
        if not match:
            return self.file
        line = self.text.count("\n", 0, match.start()) + 1
        return f"{self.file}:{line}"

    def string(self, key: str) -> str | None:
        value = self.meta.get(key)
        if value is None:
            return None
        if isinstance(value, (dict, list)):
            raise ContentError(f"{key} must be text, not a {type(value).__name__}", where=self.where(key))
        return str(value)

    def boolean(self, key: str, *, default: bool) -> bool:
        value = self.meta.get(key, default)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _BOOLEANS:
            return _BOOLEANS[value.strip().lower()]
        raise ContentError(f"{key} must be true or false, not {value!r}", where=self.where(key))


def site_relative(settings: Settings, path: Path) -> str:
    """``path`` relative to the site folder, as error messages show it."""
    try:
        return str(path.relative_to(settings.root))
    except ValueError:
        return str(path)


def _read_text(path: Path, where: str) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ContentError(
            f"not UTF-8 text (byte 0x{data[error.start]:02x})", where=f"{where}:{line}",
            hint="save the file as UTF-8",
        ) from None


def _yaml_error(error: yaml.YAMLError, text: str, where: str) -> ContentError:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    if mark is None:
        return ContentError(f"front matter is not valid YAML ({problem})", where=where)
    # frontmatter hands YAML the text after the first `---`, which starts on that same line.
    start = _FRONT_MATTER_START.search(text)
    offset = text.count("\n", 0, start.start()) if start else 0
    lines = text.splitlines()
    line = lines[offset + mark.line] if offset + mark.line < len(lines) else ""
    hint = ("indent with spaces: YAML does not allow tabs" if "\t" in line
            else 'quote values that contain ": " or start with a special character')
    return ContentError(f"front matter is not valid YAML ({problem})",
                        where=f"{where}:{offset + mark.line + 1}", hint=hint)


def _impossible_date_error(error: ValueError, text: str, where: str) -> ContentError:
    """Name the front-matter line whose unquoted date YAML could not build."""
    for number, line in enumerate(text.splitlines(), 1):
        key, colon, value = line.partition(":")
        if colon and _DATE_LIKE.match(value.strip()):
            try:
                yaml.safe_load(value)
            except ValueError:
                return ContentError(f"{key.strip()}: {value.strip()} is not a real date ({error})",
                                    where=f"{where}:{number}",
                                    hint='write it as "2024-05-01T09:00:00Z" or 2024-05-01')
    return ContentError(f"front matter holds an impossible date ({error})", where=where)


def _parse_date(value: Any, settings: Settings, fields: _FieldReader) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ContentError(
                f"date {value!r} is not a date", where=fields.where("date"),
                hint='write it as "2024-05-01T09:00:00Z" or 2024-05-01',
            ) from None
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    elif not isinstance(value, dt.datetime):
        raise ContentError(f"date {value!r} is not a date", where=fields.where("date"))
    return value if value.tzinfo else value.replace(tzinfo=settings.site.zone)


def _slug(value: str | None, settings: Settings, path: Path) -> str:
    if value and value.strip().strip("/"):
        return "/" + value.strip().strip("/")
    relative = path.relative_to(settings.content_dir).with_suffix("")
    if relative.name == "index" and len(relative.parts) > 1:
        relative = relative.parent
    return "/" + relative.as_posix()


def _tags(value: Any, fields: _FieldReader, key: str = "tags") -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(tag.strip() for tag in value.split(",") if tag.strip())
    if isinstance(value, list):
        return tuple(str(tag).strip() for tag in value if tag is not None and str(tag).strip())
    raise ContentError(f"{key} must be a list or a comma-separated string",
                       where=fields.where(key))
