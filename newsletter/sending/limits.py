"""`[provider] daily_limit` and `hourly_limit`: how many messages a run may still send.

The limits are rolling windows (any 24 hours, any hour) over the send log
(:mod:`newsletter.sending.send_log`). Newsletters (broadcasts and welcome emails) may use the
daily limit less ``reserve_for_signups``, kept for the confirmation emails `serve` sends at any
hour. A run takes from its :class:`Budget` before each batch is claimed (the room read again
and the batch counted under the send log's lock, so senders on several hosts share one count)
and stops, "limit reached", when it is spent; the readers it did not reach are sent by the
next run, which resumes from the ledger like any unfinished run. :meth:`Budget.plan` is when the rest will go
out, if cron runs often: each window frees what went out 24 hours (or an hour) before.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import time
from typing import TYPE_CHECKING, Callable

from newsletter.records import record
from newsletter.sending.send_log import DAY, SendLog

if TYPE_CHECKING:
    from newsletter.config import Settings

HOUR = dt.timedelta(hours=1)
MAX_PLANNED_RUNS = 500  # a plan longer than this is extrapolated at the daily pace


@record(frozen=True)
class Limits:
    """The windows a site's newsletters are held to."""

    daily: int | None  # messages in any 24 hours for newsletters: daily_limit less the reserve
    hourly: int | None  # messages in any hour
    reserved: int  # of daily_limit, kept for sign-up confirmations

    def words(self) -> str:
        """The limits as the one-line report names them."""
        parts = []
        if self.daily is not None:
            kept = f" ({self.reserved} kept for sign-ups)" if self.reserved else ""
            parts.append(f"the daily limit of {self.daily + self.reserved}{kept}")
        if self.hourly is not None:
            parts.append(f"the hourly limit of {self.hourly}")
        return " and ".join(parts)


def limits_of(settings: Settings) -> Limits | None:
    """The site's limits, or None when it has none."""
    provider = settings.provider
    if provider.daily_limit is None and provider.hourly_limit is None:
        return None
    reserved = 0
    daily = provider.daily_limit
    if daily is not None:
        reserved = math.ceil(daily * provider.reserve_for_signups)
        daily = max(1, daily - reserved)
    return Limits(daily, provider.hourly_limit, reserved)


class Budget:
    """What the runs of one `send` may still send under the site's limits, counted in its
    send log; each send in it is dated ``now`` plus the time the run has taken."""

    def __init__(self, limits: Limits, log: SendLog, now: dt.datetime,
                 clock: Callable[[], float] = time.monotonic):
        self.limits = limits
        self.log = log
        self.started = now
        self._clock = clock
        self._start = clock()
        self.left = self._room(now, log.minutes_since(now - DAY))

    @classmethod
    def open(cls, settings: Settings, now: dt.datetime) -> Budget | None:
        """The budget of a run at ``now``, or None when the site has no limits."""
        limits = limits_of(settings)
        return None if limits is None else cls(limits, SendLog.open(settings), now)

    def close(self) -> None:
        self.log.close()

    def now(self) -> dt.datetime:
        """The run's ``now``, moved on by the time it has taken."""
        return self.started + dt.timedelta(seconds=self._clock() - self._start)

    def take(self, wanted: int) -> int:
        """Up to ``wanted`` messages from the budget, counted in the log; how many it gave.
        The room is read again under the log's lock: another sender (another host) may have
        spent some since."""
        if not self.left:
            return 0
        given, room = self.log.reserve(self.now(), wanted, self._room)
        self.left = room - given
        return given

    def plan(self, messages: int) -> list[tuple[dt.datetime, int]]:
        """(when, how many) of the runs that send ``messages`` more, the first one now, if
        cron runs whenever the windows free room."""
        now = self.now()
        sent = self.log.minutes_since(now - DAY)
        moments = [now] + [t + window for t, _ in sent for window in self._windows()]
        heapq.heapify(moments)
        runs: list[tuple[dt.datetime, int]] = []
        while messages > 0 and moments and len(runs) < MAX_PLANNED_RUNS:
            moment = heapq.heappop(moments)
            if moment < now:
                continue
            room = min(messages, self._room(moment, sent))
            if room:
                runs.append((moment, room))
                sent.append((moment, room))
                messages -= room
                for window in self._windows():
                    heapq.heappush(moments, moment + window)
        if messages > 0 and runs:  # past the planned runs, a day's worth a day
            per_day = self.limits.daily or self.limits.hourly * 24
            runs.append((runs[-1][0] + DAY * math.ceil(messages / per_day), messages))
        return runs

    def finish(self, messages: int) -> dt.datetime:
        """About when the last of ``messages`` more will have gone out."""
        runs = self.plan(messages)
        return runs[-1][0] if runs else self.now()

    def _windows(self) -> list[dt.timedelta]:
        return [window for window, limit in ((DAY, self.limits.daily), (HOUR, self.limits.hourly))
                if limit is not None]

    def _room(self, moment: dt.datetime, sent: list[tuple[dt.datetime, int]]) -> int:
        """Messages the windows ending at ``moment`` still allow, after ``sent``."""
        room = []
        for window, limit in ((DAY, self.limits.daily), (HOUR, self.limits.hourly)):
            if limit is not None:
                used = sum(count for when, count in sent if moment - window < when <= moment)
                room.append(max(0, limit - used))
        return min(room)
