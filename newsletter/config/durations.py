"""Durations as people write them in settings and options: ``48h``, ``7d``, ``90m``, ``2w``."""

from __future__ import annotations

import datetime as dt
import re

_DURATION = re.compile(r"(\d{1,6})\s*([smhdw])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_UNIT_WORDS = {"s": "second", "m": "minute", "h": "hour", "d": "day", "w": "week"}
DURATION_EXAMPLES = "a number and a unit (s, m, h, d or w), such as 48h or 7d"


def parse_duration(text: str) -> dt.timedelta:
    """``text`` as a timedelta; ValueError naming the accepted forms when it is not one."""
    count, unit = _split(text)
    return dt.timedelta(seconds=count * _UNIT_SECONDS[unit])


def duration_words(text: str) -> str:
    """A duration as a reader reads it: ``48h`` is "48 hours", ``1d`` "1 day"."""
    count, unit = _split(text)
    word = _UNIT_WORDS[unit]
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _split(text: str) -> tuple[int, str]:
    found = _DURATION.fullmatch(text.strip().lower())
    if not found:
        raise ValueError(f"{text!r} is not a duration: use {DURATION_EXAMPLES}")
    return int(found[1]), found[2]
