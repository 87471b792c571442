"""Liquid's ``date`` filter and Jekyll's ``date_to_string`` family, as posts print their own
date: ``{{ page.date | date: "%B %-d, %Y" }}``, ``{{ page.date | date_to_string }}``, or a
folder of images by month, ``/assets/{{ page.date | date: '%Y/%m' }}/x.png``.

Formats are Ruby's strftime (jekyllrb.com/docs/liquid/filters): the C directives, with the
``-`` (no padding), ``_`` (spaces), ``0`` and ``^`` (upper case) flags, and ``%e``, ``%l``,
``%P``, ``%s``; month and day names in English, as Jekyll writes them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DATE_FILTERS = {"date": (1,), "date_to_string": (0, 1, 2), "date_to_long_string": (0, 1, 2),
                "date_to_xmlschema": (0,), "date_to_rfc822": (0,)}
_DIRECTIVE = re.compile(r"%([-_0^#]?)([A-Za-z%+])")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def as_date(value: Any, zone: Any) -> dt.datetime | dt.date | None:
    """A value the date filters read (a date, or one written as ISO 8601: ``page.date``), on
    the site's clock (``zone``, its ``timezone``); None for anything else. ``"now"`` (and
    ``"today"``) is the time of rendering, as Liquid reads it at the site's build."""
    if isinstance(value, str) and value.strip().lower() in ("now", "today"):
        value = dt.datetime.now(dt.UTC)
    elif isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        try:
            return value.astimezone(ZoneInfo(zone)) if isinstance(zone, str) and zone else value
        except (ZoneInfoNotFoundError, ValueError):
            return value
    return value if isinstance(value, dt.date) else None


def apply(name: str, when: dt.date, arguments: list[str]) -> str:
    """Filter ``name`` of :data:`DATE_FILTERS` on ``when``, with its ``arguments``."""
    if name == "date":
        return strftime(when, arguments[0])
    if name == "date_to_xmlschema":
        return when.isoformat() if isinstance(when, dt.datetime) else strftime(when, "%FT00:00:00")
    if name == "date_to_rfc822":
        return strftime(when, "%a, %d %b %Y %H:%M:%S %z").rstrip()
    month = "%B" if name == "date_to_long_string" else "%b"
    if arguments[:1] != ["ordinal"]:
        return strftime(when, f"%d {month} %Y")
    day = f"{when.day}{_ordinal(when.day)}"
    if arguments[1:2] == ["US"]:
        return strftime(when, f"{month} {day}, %Y")
    return strftime(when, f"{day} {month} %Y")


def strftime(when: dt.date, pattern: str) -> str:
    """``pattern`` as Ruby's ``Time#strftime`` writes it, the same on every machine."""

    def one(match: re.Match) -> str:
        flag, code = match.groups()
        text, padding = _directive(when, code)
        if flag == "-":
            text = text.lstrip("0 ") or text[-1:]
        elif flag == "_":
            text = text.lstrip("0").rjust(len(text)) if padding else text
        elif flag == "0":
            text = text.replace(" ", "0")
        elif flag == "^":
            text = text.upper()
        return text

    return _DIRECTIVE.sub(one, pattern)


def _directive(when: dt.date, code: str) -> tuple[str, bool]:
    """One directive's text, and whether it is a padded number."""
    clock = when if isinstance(when, dt.datetime) else dt.datetime.combine(when, dt.time())
    hour12 = clock.hour % 12 or 12
    names = {"A": _DAYS[when.weekday()], "a": _DAYS[when.weekday()][:3],
             "B": _MONTHS[when.month - 1], "b": _MONTHS[when.month - 1][:3],
             "h": _MONTHS[when.month - 1][:3], "p": "AM" if clock.hour < 12 else "PM",
             "P": "am" if clock.hour < 12 else "pm", "%": "%", "F": f"{when:%Y-%m-%d}",
             "D": f"{when:%m/%d/%y}", "T": f"{clock:%H:%M:%S}", "R": f"{clock:%H:%M}",
             "z": f"{clock:%z}", "Z": clock.tzname() or "", "s": str(int(clock.timestamp())),
             "u": str(when.isoweekday()), "w": str(when.isoweekday() % 7), "Y": str(when.year)}
    if code in names:
        return names[code], False
    numbers = {"d": (when.day, "0", 2), "e": (when.day, " ", 2), "m": (when.month, "0", 2),
               "y": (when.year % 100, "0", 2), "H": (clock.hour, "0", 2),
               "k": (clock.hour, " ", 2), "I": (hour12, "0", 2), "l": (hour12, " ", 2),
               "M": (clock.minute, "0", 2), "S": (clock.second, "0", 2),
               "j": (when.timetuple().tm_yday, "0", 3)}
    if code in numbers:
        number, pad, width = numbers[code]
        return str(number).rjust(width, pad), True
    return f"%{code}", False


def _ordinal(day: int) -> str:
    if day in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
