"""Front-matter values read into typed post fields, with errors naming the key's line."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from newsletter.config import OUTSIDE_THE_CALENDAR, outside_the_calendar
from newsletter.errors import ContentError

_BOOLEANS = {"true": True, "yes": True, "false": False, "no": False}
# Dates as generators' users write them, past what ISO 8601 parsing takes: Jekyll's
# "2016-05-20 22:40:00 -0500", Astro's JavaScript "Jul 08 2022", "July 8, 2022", "2022/07/08".
_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z", "%Y-%m-%d %H:%M:%S.%f %z",
                 "%Y/%m/%d", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S", "%b %d %Y", "%B %d %Y",
                 "%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%b %d %Y %H:%M",
                 "%B %d %Y %H:%M", "%a %b %d %Y", "%A, %B %d, %Y", "%a, %d %b %Y %H:%M:%S %z")
_UTC = re.compile(r"(?<=\d) ?UTC([+-]\d\d:?\d\d)?$")
_SHORT_PARTS = re.compile(r"^(\d{4})-(\d\d?)-(\d\d?)(?=$|[ T])")
# JavaScript's Date reads "12/31/2022" month first (Astro Nano's posts write it); Ruby reads
# it day first, so one that reads either way ("05/06/2024") is refused, never guessed.
_SLASHED = re.compile(r"^(\d\d?)/(\d\d?)/(\d{4})$")
# JavaScript's Date knows a month by its first three letters: "Sept 7, 2025", "Sept. 7 2025".
_LONG_MONTH = re.compile(r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?(?= \d)",
                         re.IGNORECASE)


class FieldReader:
    """Typed access to front matter values (keys in lower case), with errors naming the
    key's line."""

    def __init__(self, meta: dict[str, Any], text: str, where: str, zone: ZoneInfo,
                 spelling: dict[str, str] | None = None):
        self.meta, self.text, self.file, self.zone = meta, text, where, zone
        self.spelling = spelling or {}

    def name(self, key: str) -> str:
        """``key`` as the front matter spells it (``socialImage`` for socialimage)."""
        return self.spelling.get(key, key)

    def where(self, key: str) -> str:
        # key: (YAML), key = (TOML), .. key: (Nikola's), :key: (reStructuredText's fields)
        match = re.search(rf"""^[ \t]*(?:\.\.[ \t]+|:)?["']?{re.escape(key)}["']?[ \t]*[:=]""",
                          self.text, re.MULTILINE | re.IGNORECASE)
        if not match:
            return self.file
        line = self.text.count("\n", 0, match.start()) + 1
        return f"{self.file}:{line}"

    def string(self, key: str) -> str | None:
        value = self.meta.get(key)
        if value is None:
            return None
        if isinstance(value, (dict, list)):
            raise ContentError(f"{self.name(key)} must be text, not a {type(value).__name__}",
                               where=self.where(key))
        return str(value)

    def boolean(self, key: str, *, default: bool) -> bool:
        value = self.meta.get(key, default)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _BOOLEANS:
            return _BOOLEANS[value.strip().lower()]
        raise ContentError(f"{self.name(key)} must be true or false, not {value!r}",
                           where=self.where(key))

    def date(self, key: str) -> dt.datetime | None:
        """The date-time at ``key``, aware (a zone-less one read in ``zone``); None if absent."""
        value = self.meta.get(key)
        if isinstance(value, dict) and "created" in value:  # MkDocs: date: {created: ...}
            value = value["created"]
        if value is None or value == "":
            return None
        parsed = to_datetime(value)
        if parsed is None and isinstance(value, str) and _SLASHED.match(value.strip()):
            raise ContentError(
                f"{self.name(key)} {value!r} reads as month/day or as day/month",
                where=self.where(key), hint="write it year first: 2024-05-06")
        if parsed is None:
            raise ContentError(
                f"{self.name(key)} {value!r} is not a date", where=self.where(key),
                hint='write it as "2024-05-01T09:00:00Z" or 2024-05-01',
            )
        moment = parsed if parsed.tzinfo else parsed.replace(tzinfo=self.zone)
        if outside_the_calendar(moment, self.zone):
            raise ContentError(f"{self.name(key)} {value!s} {OUTSIDE_THE_CALENDAR}",
                               where=self.where(key), hint="check the year")
        return moment

    def midnight(self, day: dt.date) -> dt.datetime:
        """``day`` at 00:00 in the site's time zone (a date from a file name)."""
        return dt.datetime(day.year, day.month, day.day, tzinfo=self.zone)


def to_datetime(value: Any) -> dt.datetime | None:
    """A front-matter date as a datetime (zone-less if it had none); None if it is no date."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    text = _UTC.sub(lambda m: m[1] or "+00:00", text)  # Nikola's "... 14:12:36 UTC+02:00"
    text = _SHORT_PARTS.sub(lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}", text)
    try:
        return dt.datetime.fromisoformat(text.replace(" Z", "Z"))
    except ValueError:
        pass
    slashed = _SLASHED.match(text)
    if slashed:
        month, day, year = map(int, slashed.groups())
        unambiguous = month == day or day > 12
        return _valid(year, month, day) if unambiguous else None
    text = _LONG_MONTH.sub(r"\1", text)
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def _valid(year: int, month: int, day: int) -> dt.datetime | None:
    try:
        return dt.datetime(year, month, day)
    except ValueError:
        return None


def tag_list(value: Any, fields: FieldReader, key: str = "tags") -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(tag.strip() for tag in value.split(",") if tag.strip())
    if isinstance(value, list):
        return tuple(str(tag).strip() for tag in value if tag is not None and str(tag).strip())
    raise ContentError(f"{fields.name(key)} must be a list or a comma-separated string",
                       where=fields.where(key))
