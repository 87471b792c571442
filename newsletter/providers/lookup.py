"""Asking a provider what it accepted, for `reconcile` (docs/reconcile.md).

A provider module declares a :class:`Lookup`: its ``search`` yields (reader key, the provider's
message id) for each message of the post it finds in the batches' time windows (the ledger
keeps those of readers in doubt), and returns only once
it has read the provider's whole answer for their time windows (:func:`windows`); when it
cannot, it raises :class:`LookupFailed` and whatever it yielded still counts.
``retention`` and ``settle`` say when an empty answer proves a message absent
(docs/providers.md#finding-a-message-later). Every read goes through :class:`Pages`: the
provider's pace, its 429s waited out, a few retries of a failed read, never a write.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import TYPE_CHECKING, Any, Callable, Iterator

from newsletter.records import record

if TYPE_CHECKING:
    from newsletter.providers.http import HttpProvider

# A provider's clock and ours may differ, and a request may be taken in a little after it was
# given up on: each batch's window is widened by this much on both sides. Searches are by the
# post's tag, so a wider window reads no other post's messages.
CLOCK_SKEW = dt.timedelta(minutes=15)
MAX_WAIT = 120.0  # seconds: a longer Retry-After fails the lookup (rerun later)
READ_TRIES = 4  # a read that fails (timeout, 5xx, 429) is tried this often in all
FAILED_READ_PAUSE = 0.5  # seconds before trying a read that got no answer or a 5xx again


class LookupFailed(Exception):
    """The provider's answer could not be read in full; the message says why, fit to print."""


@record(frozen=True)
class InDoubtBatch:
    """One batch with readers in doubt: what a search must find, and when the provider can
    have taken it in: from its claim until the send gave up on it (a timeout, a recovery)."""

    key: str  # providers.batch_key
    subject: str | None
    claimed_at: dt.datetime  # aware
    given_up_at: dt.datetime  # aware

    def window_start(self) -> dt.datetime:
        return self.claimed_at - CLOCK_SKEW

    def window_end(self) -> dt.datetime:
        return self.given_up_at + CLOCK_SKEW


def windows(batches: list[InDoubtBatch], now: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    """The batches' time windows (never past ``now``), overlapping ones merged, oldest first."""
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for batch in sorted(batches, key=InDoubtBatch.window_start):
        start, end = batch.window_start(), min(batch.window_end(), now)
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def wall_time(moment: dt.datetime, zone: dt.tzinfo, end: bool) -> str:
    """``moment`` as a provider that reads local wall times takes it (``YYYY-MM-DDTHH:MM:SS``
    in ``zone``). In the hour a clock turned back repeats, a wall time names two moments and
    the provider may read either: a window's start is moved before that hour and its ``end``
    after it, so the window holds ``moment`` whichever it reads."""
    local = moment.astimezone(zone)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        hour = local.replace(minute=0, second=0, microsecond=0)
        local = hour + dt.timedelta(hours=1) if end else hour - dt.timedelta(seconds=1)
    return f"{local:%Y-%m-%dT%H:%M:%S}"


Search = Callable[["HttpProvider", str, list[InDoubtBatch], dt.datetime],
                  Iterator[tuple[str, str]]]


@record(frozen=True)
class Lookup:
    """How to ask one provider what it accepted, declared in its module."""

    search: Search  # (provider, post id, batches, now) -> (reader key, provider id) found
    retention: dt.timedelta  # the shortest the provider documents: older absence proves nothing
    settle: dt.timedelta  # how long its search may lag behind its send API
    interval: float = 0.0  # seconds between reads (its documented rate limit)
    in_flight: int = 1  # reads at once


class Pages:
    """Reads of one lookup: paced, 429s waited out, failures retried a few times."""

    def __init__(self, provider: HttpProvider, lookup: Lookup, headers: dict[str, str],
                 auth: tuple[str, str] | None = None):
        self.provider, self.interval = provider, lookup.interval
        self.headers = {"Accept": "application/json", **headers}
        self.auth = auth
        self._next = 0.0
        self._lock = threading.Lock()

    def get(self, url: str, params: dict[str, Any] | None = None,
            missing: str | None = None, refused: str | None = None) -> Any:
        """The JSON at ``url`` (under the API URL unless absolute). ``missing``: what a 403 or
        404 means (an account without this API); ``refused``: what a 401 or 403 means (a key
        that may send but not read)."""
        import requests  # the read-only calls go through requests (providers/transport.py)

        full = url if url.startswith(("https://", "http://")) else self.provider.api_url + url
        problem = ""
        for _ in range(READ_TRIES):
            self._pace()
            try:
                response = self.provider.session.get(
                    full, params=params, headers=self.headers, auth=self.auth,
                    timeout=self.provider.timeout, allow_redirects=False)
            except requests.RequestException as error:
                problem = f"{self.provider.name}: no answer ({type(error).__name__})"
                time.sleep(FAILED_READ_PAUSE)
                continue
            if response.status_code == 429 or response.status_code >= 500:
                problem = self.provider.describe_response(response)
                wait = (self.provider.retry_after(response) if response.status_code == 429
                        else FAILED_READ_PAUSE)
                if wait is not None and wait > MAX_WAIT:
                    raise LookupFailed(f"{problem}; it asks reconcile to wait: run it again "
                                       f"after {_utc_after(wait):%Y-%m-%d %H:%M} UTC")
                time.sleep(wait if wait is not None else 2.0)
                continue
            if refused and response.status_code in (401, 403):
                raise LookupFailed(f"{self.provider.describe_response(response)}; {refused}")
            if missing and response.status_code in (403, 404):
                raise LookupFailed(missing)
            if not 200 <= response.status_code < 300:
                raise LookupFailed(self.provider.describe_response(response))
            try:
                return response.json()
            except (ValueError, RecursionError):  # not JSON, or [[[[... thousands deep
                raise LookupFailed(f"{self.provider.name} answered its search with something "
                                   "that is not JSON") from None
        raise LookupFailed(problem or f"{self.provider.name}: no answer")

    def _pace(self) -> None:
        if not self.interval:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            time.sleep(start - now)


def _utc_after(seconds: float) -> dt.datetime:
    """The minute, in UTC, by which ``seconds`` from now have passed (rounded up)."""
    moment = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=seconds + 59)
    return moment.replace(second=0, microsecond=0)
