"""Moments every command can place: Python's datetimes hold the years 1 to 9999 only, so a
moment written with an offset at either end (0001-01-01T00:00:00+14:00 is in the year 0 in UTC)
cannot be shown in UTC or the site's time zone, and each command that tried stopped with an
OverflowError. Posts' dates and ``[schedule] since`` are refused with this instead."""

from __future__ import annotations

import datetime as dt

OUTSIDE_THE_CALENDAR = "is before the year 1 or after 9999 in UTC or the site's time zone"


def outside_the_calendar(moment: dt.datetime, zone: dt.tzinfo) -> bool:
    """True when the aware ``moment`` cannot be placed in UTC or in ``zone``."""
    try:
        moment.astimezone(dt.timezone.utc), moment.astimezone(zone)
    except OverflowError:
        return True
    return False
