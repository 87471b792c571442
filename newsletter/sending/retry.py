"""Retries of transient provider failures (backoff with jitter, Retry-After) and the rate limit.

Retries run inside the worker threads that call the provider, so one batch waiting out a 429
does not hold up the ledger writer or the other batches in flight. The rate limit is shared by
every thread: the writer waits on it before claiming a batch, a worker before each retry.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from typing import TYPE_CHECKING, Callable

from newsletter.errors import AuthError, InDoubtError, NotSentError, QuotaError, TransientError
from newsletter.records import record

if TYPE_CHECKING:
    from newsletter.message import Message
    from newsletter.providers import Provider, Result

logger = logging.getLogger(__name__)


@record(frozen=True)
class RetryPolicy:
    """How often and how patiently a batch is retried after a TransientError."""

    attempts: int = 5  # calls per batch in all, the first one included
    base_delay: float = 1.0  # seconds before the first retry; doubles each time
    max_delay: float = 60.0  # cap of one backoff step
    max_retry_after: float = 300.0  # a longer Retry-After leaves the batch for the next run

    def delay(self, retry: int, retry_after: float | None) -> float | None:
        """Seconds to wait before retry number ``retry`` (1, 2, ...), or None to give up."""
        if retry >= self.attempts:
            return None
        if retry_after is not None and retry_after > self.max_retry_after:
            return None
        step = min(self.max_delay, self.base_delay * 2 ** (retry - 1))
        jittered = step / 2 + random.uniform(0, step / 2)  # "equal jitter": spreads retries out
        return max(jittered, retry_after or 0.0)


class RateLimiter:
    """At most ``per_second`` messages per second across every thread (None: no limit)."""

    def __init__(self, per_second: float | None, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic):
        self.per_second = per_second
        self.sleep = sleep
        self.clock = clock
        self._next_free = 0.0
        self._lock = threading.Lock()

    def wait(self, count: int) -> None:
        """Block until ``count`` more messages may go out."""
        if not self.per_second:
            return
        with self._lock:
            now = self.clock()
            start = max(now, self._next_free)
            self._next_free = start + count / self.per_second
        if start > now:
            self.sleep(start - now)


def send_with_retries(provider: Provider, messages: list[Message], send: Callable[[], list[Result]],
                      policy: RetryPolicy, limiter: RateLimiter,
                      sleep: Callable[[float], None]) -> list[Result]:
    """``send()`` (``provider.sender(messages)``), retried on TransientError while the policy
    allows.

    An InDoubtError is retried too when the provider is idempotent (Resend's Idempotency-Key):
    the same batch carries the same key, so the provider sends it at most once (docs/architecture.md#ledger).
    Raises the last error when retries run out; AuthError, NotSentError, QuotaError, and InDoubtError
    elsewhere, at once.
    Once an attempt was in doubt, any failure that ends the retries is raised as in doubt: that
    attempt may have gone out, and a batch left pending would be regrouped under another key.
    """
    retry = 0
    doubt: InDoubtError | None = None
    while True:
        if retry:  # the first attempt waited its turn before the batch was claimed
            limiter.wait(len(messages))
        try:
            return send()
        except (TransientError, InDoubtError, AuthError, NotSentError, QuotaError) as error:
            if isinstance(error, InDoubtError):
                if not provider.idempotent:
                    raise
                doubt = error
            delay = None if isinstance(error, (AuthError, NotSentError, QuotaError)) else policy.delay(
                retry + 1, getattr(error, "retry_after", None))
            if delay is None:
                if doubt is not None and error is not doubt:
                    raise InDoubtError(f"{doubt}; then, retrying: {error}") from error
                raise
            retry += 1
            logger.info("%s: %s; retry %d in %.1f s", provider.name, error, retry, delay)
            sleep(delay)
