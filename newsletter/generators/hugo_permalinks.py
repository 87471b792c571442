"""Hugo's permalink patterns filled in for one page (gohugo.io/configuration/permalinks):
``:year``, ``:month``, ``:monthname``, ``:day``, ``:weekday``, ``:weekdayname``, ``:yearday``,
``:section``, ``:sections`` with slices (``:sections[1:]``, ``:sections[last]``), ``:title``,
``:slug``, ``:filename``, ``:contentbasename``, ``:slugorfilename`` and Go's time layout
parts (``:2006``, ``:01``, ``:Jan``, ...). A token without a value stays as written.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

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
