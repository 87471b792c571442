"""Hugo's post dates as its ``[frontmatter]`` settings configure them
(gohugo.io/configuration/front-matter).

Each of ``date``, ``publishDate`` and ``expiryDate`` is the first of a list of front matter keys
and handlers: ``:default`` (Hugo's own list), ``:filename`` (a date opening the file name,
``2024-02-22-name.md``, or a bundle's folder name; its rest is then the slug unless the front
matter sets one) and ``:fileModTime`` (the file's time). ``:git`` needs the repository's history
and is passed over. A post goes out on its publish date, else its date; its address is made
with its date (a post dated 2023-12-31 and published 2024-01-02 is at /2023/12/...).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from newsletter.generators.base import Source, dated_name
from newsletter.generators.hugo_config import base_name
from newsletter.records import record

_DEFAULTS = {
    "date": ("date", "publishdate", "pubdate", "published", "lastmod", "modified"),
    "publishdate": ("publishdate", "pubdate", "published", "date"),
    "expirydate": ("expirydate", "unpublishdate"),
}


@record(frozen=True)
class HugoDates:
    date: dt.datetime | None  # the page's .Date, which its permalink's :year, :month... show
    publish: dt.datetime | None  # when the post goes out
    expiry: dt.datetime | None
    slug: str | None  # the file name's rest, where :filename gave the date and no slug is set


def hugo_dates(source: Source, config: dict[str, Any]) -> HugoDates:
    """The dates of the post ``source`` under the site settings ``config`` (keys in lower case)."""
    settings = config.get("frontmatter") if isinstance(config.get("frontmatter"), dict) else {}
    named: list[str] = []

    def first(kind: str) -> dt.datetime | None:
        for handler in _handlers(settings, kind):
            found = _resolve(source, handler, named, config)
            if found:
                return found
        return None

    date = first("date")
    publish = first("publishdate") or date
    expiry = first("expirydate")
    slug = named[0] if named and source.meta.get("slug") in (None, "") else None
    return HugoDates(date or publish, publish, expiry, slug)


def _handlers(settings: dict[str, Any], kind: str) -> list[str]:
    written = settings.get(kind)
    if isinstance(written, str):
        written = [written]
    if not isinstance(written, list):
        return list(_DEFAULTS[kind])
    handlers: list[str] = []
    for item in written:
        key = str(item).strip().lower()
        handlers += _DEFAULTS[kind] if key == ":default" else [key]
    return handlers


def _resolve(source: Source, handler: str, named: list[str],
             config: dict[str, Any]) -> dt.datetime | None:
    if handler == ":filename":  # the name without its language (post.en), a bundle's folder's
        path, name = source.path, base_name(source.path.stem, config)
        day, rest = dated_name(path.parent.name if name == "index" else name)
        if day and rest:
            named.append(rest)
        return source.midnight(day) if day else None
    if handler == ":filemodtime":
        return dt.datetime.fromtimestamp(source.path.stat().st_mtime, dt.timezone.utc)
    if handler.startswith(":") or isinstance(source.meta.get(handler), bool):
        return None  # :git, and published: true (a flag some themes write, not a date)
    return source.fields.date(handler)
