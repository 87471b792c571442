"""How many batches a send keeps in flight: found while it sends (AIMD), not fixed.

A provider's pace is unknown until it answers: a fixed number of batches in flight is either
too few (at 200 ms an answer, 4 batches cap Postmark at 10,000 messages a second) or, where a
provider limits requests, too many (every extra batch earns a 429). :class:`Pace` starts
small and doubles the window every round trip while answers stay fast ("slow start"), then
adds one batch per round trip; a 429 or an answer much slower than the fastest seen halves it,
at most once per round trip. The window never passes ``ceiling``: the provider's documented
limit (``Provider.max_in_flight``), or ``provider.concurrency`` when the writer sets it.

It grows only while it holds the sender back (:meth:`Pace.reached`: when the send reached the
window, every batch in it still waited on the provider), as TCP leaves alone a window the
application does not fill (RFC 7661). When answers come faster than batches are built (a
provider answering at once), more batches in flight would only be more threads taking turns
with the one that builds them.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Callable, Iterable

from newsletter.errors import TransientError

if TYPE_CHECKING:
    from concurrent.futures import Future

    from newsletter.config import Settings
    from newsletter.providers import Provider, Result

START = 2  # batches in flight before the first answer
SLOW_FACTOR = 3.0  # an answer this many times the fastest, plus SLOW_MARGIN, is "slow"
SLOW_MARGIN = 0.05  # seconds: jitter of a loaded machine at near-zero latency is no signal


class Pace:
    """The send's window of batches in flight (additive increase, multiplicative decrease)."""

    def __init__(self, ceiling: int, clock: Callable[[], float] = time.monotonic):
        self.ceiling = max(1, ceiling)
        self.window = float(min(START, self.ceiling))
        self.fastest: float | None = None  # seconds, the quickest answer yet
        self.slow_start = True
        self.full = False  # the window held the sender back when it was last reached
        self.clock = clock
        self._last_cut = float("-inf")
        self._lock = threading.Lock()  # workers report throttling while the writer reads

    @property
    def limit(self) -> int:
        """Batches that may be in flight now."""
        return int(self.window)

    def reached(self, in_flight: Iterable[Future]) -> None:
        """The send has as many batches ``in_flight`` as the window allows: it is full if
        none of them is answered yet (the window, not the send, sets the pace)."""
        self.full = not any(future.done() for future in in_flight)

    def answered(self, seconds: float) -> None:
        """A batch was answered in ``seconds`` (one attempt, no waiting for retries)."""
        with self._lock:
            if self.fastest is None or seconds < self.fastest:
                self.fastest = seconds
            if seconds > self.fastest * SLOW_FACTOR + SLOW_MARGIN:
                self._cut()
            elif self.full:
                self.window = min(self.ceiling,
                                  self.window + (1 if self.slow_start else 1 / self.window))

    def throttled(self) -> None:
        """The provider said 429 (or otherwise asked us to slow down)."""
        with self._lock:
            self._cut()

    def _cut(self) -> None:
        now = self.clock()
        if now - self._last_cut < (self.fastest or 0.0):  # once per round trip
            return
        self._last_cut = now
        self.slow_start = False
        self.window = max(1.0, self.window / 2)


def timed(send: Callable[[], list[Result]], pace: Pace) -> Callable[[], list[Result]]:
    """``send``, telling ``pace`` how long each attempt took, or that it was refused."""

    def attempt() -> list[Result]:
        started = time.monotonic()
        try:
            results = send()
        except TransientError:  # a 429, or nothing reached the provider: slow down
            pace.throttled()
            raise
        pace.answered(time.monotonic() - started)
        return results

    return attempt


def rate_limit(settings: Settings, provider: Provider, size: int) -> float | None:
    """Messages a second at most: provider.rate_limit, and the provider's own request limit
    (``Provider.requests_per_second``) in batches of ``size``."""
    limits = [settings.provider.rate_limit]
    if provider.requests_per_second:
        limits.append(provider.requests_per_second * size)
    return min((limit for limit in limits if limit), default=None)
