"""Hugo's permalink patterns filled in for one page (gohugo.io/configuration/permalinks):
``:year``, ``:month``, ``:monthname``, ``:day``, ``:weekday``, ``:weekdayname``, ``:yearday``,
``:section``, ``:sections`` with slices (``:sections[1:]``, ``:sections[last]``), ``:title``,
``:slug``, ``:filename``, ``:contentbasename``, ``:slugorfilename`` and Go's time layout
parts (``:2006``, ``:01``, ``:Jan``, ...). A token without a value stays as written. Also
the page's place in its sections, and the shape of its address (a folder, or ``uglyURLs``).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from newsletter.generators.hugo_bundles import files_named

_GO_TIME = {"2006": "%Y", "06": "%y", "01": "%m", "1": "%-m", "02": "%d", "2": "%-d",
            "January": "%B", "Jan": "%b", "Monday": "%A", "Mon": "%a", "15": "%H", "04": "%M",
            "05": "%S"}
_TOKEN = re.compile(r":(sectionslugs|sections|sectionslug)(\[[^\]]*\])?|:([A-Za-z]+|\d+)")


def expand_permalink(pattern: str, values: dict[str, Any], date: dt.datetime | None) -> str:
    """``pattern`` with each token replaced: by ``values`` (the page's section, title, slug,
    file name), else by ``date``; a date token stays as written when there is no date."""

    def replace(match: re.Match) -> str:
        if match.group(1):
            sections = values["sections"]
            return "/".join(_slice(sections, match.group(2) or ""))
        token = match.group(3)
        if token in values:
            return str(values[token])
        if date is None:
            return match.group(0)
        named = {"year": "%Y", "month": "%m", "monthname": "%B", "day": "%d",
                 "weekday": str((date.weekday() + 1) % 7), "weekdayname": "%A",
                 "yearday": str(date.timetuple().tm_yday)}
        if token in named:
            return date.strftime(named[token])
        if token in _GO_TIME:
            return _strftime(date, _GO_TIME[token])
        return match.group(0)

    return _TOKEN.sub(replace, pattern)


def _slice(items: list[str], spec: str) -> list[str]:
    """``:sections[1:]``-style slices: indexes, ``last``, out of range allowed."""
    inner = spec.strip("[]")
    if not inner:
        return items
    last = len(items) - 1

    def index(text: str, default: int) -> int:
        return default if not text else last if text == "last" else int(text)

    try:
        if ":" in inner:
            start, _, end = inner.partition(":")
            return items[index(start, 0):index(end, len(items))]
        return items[index(inner, 0):index(inner, 0) + 1]
    except ValueError:
        return items


def _strftime(date: dt.datetime, code: str) -> str:
    if code == "%-m":
        return str(date.month)
    if code == "%-d":
        return str(date.day)
    return date.strftime(code)


def section_depth(folder: Path, folders: int) -> int:
    """How many of the ``folders`` ending at ``folder`` are Hugo sections: the top one always,
    and those down to the deepest holding an ``_index`` file (a folder between two sections is
    one too); the folders below it are only part of the page's path."""
    chain = [folder, *folder.parents][:folders][::-1]
    depth = min(folders, 1)
    for level, each in enumerate(chain[1:], start=2):
        if files_named(each, "_index.*"):
            depth = level
    return depth


def page_directory(path: str, ugly: bool, written_extension: bool = False) -> str:
    """Hugo's pretty URLs: a page's path is a folder (``uglyURLs``: ``.html``), a dot in its
    name (``v2.0.md``), slug or permalink pattern included; a ``url`` written with an
    extension keeps it, and one without is a folder whatever ``uglyURLs`` says."""
    last = path.rstrip("/").rpartition("/")[2]
    if (written_extension and "." in last) or path == "/":
        return path
    return path.rstrip("/") + (".html" if ugly else "/")


def ugly_section(config: dict[str, Any], section: str) -> bool:
    """``uglyURLs``: for the whole site, or per section (``[uglyURLs] posts = true``)."""
    ugly = config.get("uglyurls")
    return (ugly.get(section.lower()) if isinstance(ugly, dict) else ugly) is True


def section_pattern(config: dict[str, Any], section: str) -> str | None:
    """The ``[permalinks]`` pattern of the pages of ``section`` (``[permalinks.page]`` too)."""
    permalinks = config.get("permalinks")
    if not isinstance(permalinks, dict):
        return None
    page = permalinks.get("page")
    table = page if isinstance(page, dict) else permalinks
    pattern = table.get(section.lower()) or table.get("/" + section.lower())
    return pattern if isinstance(pattern, str) else None
