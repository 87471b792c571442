"""Posts: every ``*.md`` under ``content/`` read into a :class:`Post`, and classified.

Real blogs' front matter is messy (docs/architecture.md#site-layout). Accepted here: ``date`` as a quoted ISO
string (``Z`` allowed), a YAML date or a YAML date-time, with or without a zone (a zone-less date
is read in ``site.timezone``); ``slug`` with or without a leading slash, or missing (then from the
file's path); ``tags`` as a list or a comma-separated string; ``draft`` and ``newsletter`` as
booleans or the strings "true"/"false". Every file is read and every problem reported: one broken
post never hides the others.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from newsletter.config import Settings
from newsletter.errors import ContentError
from newsletter.posts.feature_image import feature_image
from newsletter.posts.fields import FieldReader, parse_date, slug_of, tag_list
from newsletter.posts.post import Post, plain_line

# Where python-frontmatter splits the YAML from the body; used to turn a YAML line into a file line.
_DATE_LIKE = re.compile(r"\d{4}-\d\d?-\d\d?")
_FRONT_MATTER_START = re.compile(r"^-{3,}[ \t]*$", re.MULTILINE)
# Far beyond any email: Gmail clips past about 102 KB (docs/email.md#gmail-clipping).
MAX_POST_BYTES = 2**20


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
    if not meta and len(_FRONT_MATTER_START.findall(text)) == 1 and _FRONT_MATTER_START.match(text):
        raise ContentError("the front matter is never closed", where=f"{where}:1",
                           hint="end it with a line of three dashes: ---")
    fields = FieldReader(meta, text, where)

    template = fields.string("template") or "post"
    title = plain_line(fields.string("title") or "")
    if not title:
        raise ContentError(
            "no title" if "title" not in meta else "the title is empty",
            where=fields.where("title"), hint="add title: ... to the front matter",
        )
    date = parse_date(meta.get("date"), settings, fields)
    if date is None and template == "post":
        raise ContentError("no date", where=where, hint='add date: "2024-05-01T09:00:00Z"')
    if not parsed.content.strip():
        raise ContentError("the post has no body", where=where, hint="write the post below the front matter")

    slug = slug_of(fields.string("slug"), settings, path)
    return Post(
        id=slug,
        path=path,
        title=title,
        date=date,
        draft=fields.boolean("draft", default=False),
        template=template,
        description=plain_line(fields.string("description") or "") or None,
        tags=tag_list(meta.get("tags"), fields),
        newsletter_tags=tag_list(meta.get("newsletter_tags"), fields, "newsletter_tags"),
        subject=plain_line(fields.string("subject") or "") or None,
        preheader=plain_line(fields.string("preheader") or "") or None,
        newsletter=fields.boolean("newsletter", default=True),
        cta_text=plain_line(fields.string("cta_text") or "") or None,
        cta_url=(fields.string("cta_url") or "").strip() or None,
        url=settings.site.url.rstrip("/") + slug,
        body=parsed.content,
        language=fields.string("lang") or settings.site.language,
        image=feature_image(meta, fields),
        body_line=text.count("\n", 0, max(text.rfind(parsed.content), 0)) + 1,
    )


def site_relative(settings: Settings, path: Path) -> str:
    """``path`` relative to the site folder, as error messages show it."""
    try:
        return str(path.relative_to(settings.root))
    except ValueError:
        return str(path)


def _read_text(path: Path, where: str) -> str:
    if (size := path.stat().st_size) > MAX_POST_BYTES:  # refused unread: no time, no memory
        raise ContentError(f"the post is {size / 2**20:.1f} MB; posts over 1 MB are refused",
                           where=where, hint="Gmail clips an email past about 102 KB anyway: "
                                             "split it into several posts")
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
