"""The list's size week by week: active readers at the end of each week, who joined, who left.

Joined: readers (active now, or who left since) whose ``subscribed_at`` falls in the week.
Left: readers no longer active whose first unsubscribe, hard bounce or complaint the event
store dated in the week (a one-click unsubscribe or a provider's webhook). Active is counted
back from today's active readers (week by week: minus who joined, plus who left), so the last
week always shows the list as it is now; readers who left without a dated event (edited by
hand, `subscribers sync`) are missing from "left", and the weeks before make up for them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from newsletter.records import record
from newsletter.sending.events import BOUNCED, COMPLAINED, UNSUBSCRIBED, open_events
from newsletter.subscribers import LEFT, Status, SubscriberStore

if TYPE_CHECKING:
    from newsletter.config import Settings

WEEKS = 26  # half a year of weeks on the report
DEPARTURES = (UNSUBSCRIBED, BOUNCED, COMPLAINED)


@record(frozen=True)
class Week:
    """One week of the list (``start``: its Monday, in the site's time zone)."""

    start: dt.date
    active: int  # at the end of the week
    joined: int
    left: int


def list_history(settings: Settings, now: dt.datetime, weeks: int = WEEKS) -> list[Week]:
    """The last ``weeks`` weeks of the list, oldest first, the current week last."""
    zone = settings.site.zone
    today = now.astimezone(zone).date()
    first = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=weeks - 1)
    readers, _ = SubscriberStore(settings).load()
    active = sum(reader.status is Status.ACTIVE for reader in readers)
    gone = {reader.key for reader in readers if reader.status in LEFT}
    joined = [0] * weeks
    for reader in readers:
        if reader.status is Status.ACTIVE or reader.status in LEFT:
            day = _day(reader.subscribed_at, zone)
            if day is not None and day >= first:
                joined[min((day - first).days // 7, weeks - 1)] += 1
    left = [0] * weeks
    for key, at in _departures(settings).items():
        day = dt.datetime.fromtimestamp(at, zone).date()
        if key in gone and day >= first:
            left[min((day - first).days // 7, weeks - 1)] += 1
    history = []
    for index in reversed(range(weeks)):
        history.append(Week(first + dt.timedelta(weeks=index), active, joined[index], left[index]))
        active = max(0, active - joined[index] + left[index])
    return history[::-1]


def _departures(settings: Settings) -> dict[str, float]:
    store = open_events(settings)
    if store is None:
        return {}
    try:
        return store.first_events(DEPARTURES)
    finally:
        store.close()


def _day(text: str, zone) -> dt.date | None:
    """The day of a ``subscribed_at`` value (a date or an ISO time), None when unreadable."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(zone).date()
