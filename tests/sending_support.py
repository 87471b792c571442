"""Test providers and helpers for the sending tests.

The providers are plugged in by passing an instance to ``sending.send_post(...)``: production
code has no hook for them. They record what they were given, in memory.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from pathlib import Path

from newsletter.config import Settings, load_settings
from newsletter.errors import AuthError, InDoubtError, TransientError
from newsletter.posts import find_post, load_posts
from newsletter.providers import Provider, Result
from newsletter.render import Email, render_post
from newsletter.sending import SendReport, send_post
from newsletter.sending.ledger import RUNNING_PREFIX, Ledger
from newsletter.sending.retry import RetryPolicy
from newsletter.sending.states import ledger_time
from newsletter.subscribers import SubscriberStore

REFERENCE_POST = "/posts/what-matters"
FAST_RETRY = RetryPolicy(attempts=4, base_delay=0.001, max_delay=0.01)


def without_backoff_waits(monkeypatch) -> None:
    """Retries as shipped (as many attempts, Retry-After honoured) but milliseconds apart: for
    in-process CLI runs whose test is not about the waiting."""
    delay = RetryPolicy.delay
    monkeypatch.setattr(RetryPolicy, "delay", lambda policy, retry, retry_after: delay(
        dataclasses.replace(policy, base_delay=FAST_RETRY.base_delay,
                            max_delay=FAST_RETRY.max_delay), retry, retry_after))


class RecordingProvider(Provider):
    """Accepts everything and remembers each message and each call."""

    name = "recording"
    max_batch = 10

    def __init__(self, settings: Settings, *, delay: float = 0.0):
        super().__init__(settings)
        self.delay = delay
        self.sent = []
        self.calls = 0
        self.active = 0
        self.most_active = 0
        self._lock = threading.Lock()

    def send_batch(self, messages):
        with self._lock:
            self.calls += 1
            self.active += 1
            self.most_active = max(self.most_active, self.active)
        try:
            if self.delay:
                time.sleep(self.delay)
            return self.answer(messages)
        finally:
            with self._lock:
                self.active -= 1

    def answer(self, messages):
        self.sent.extend(messages)
        return [Result.sent(f"id-{message.to_address}") for message in messages]

    @property
    def addresses(self) -> list[str]:
        return [message.to_address for message in self.sent]


class FlakyProvider(RecordingProvider):
    """Fails with TransientError ``failures`` times, then accepts everything."""

    def __init__(self, settings, failures: int, retry_after: float | None = None):
        super().__init__(settings)
        self.failures = failures
        self.retry_after = retry_after

    def answer(self, messages):
        if self.failures > 0:
            self.failures -= 1
            raise TransientError("503 Service Unavailable", retry_after=self.retry_after)
        return super().answer(messages)


class InDoubtProvider(RecordingProvider):
    """Raises InDoubtError for any batch holding one of ``doubtful``; accepts the others."""

    def __init__(self, settings, doubtful: set[str]):
        super().__init__(settings)
        self.doubtful = doubtful

    def answer(self, messages):
        if any(message.to_address in self.doubtful for message in messages):
            raise InDoubtError("read timeout after 30 s: the provider may have accepted it")
        return super().answer(messages)


class AuthFailProvider(RecordingProvider):
    """Refuses the credentials on every call."""

    def answer(self, messages):
        raise AuthError("401 Unauthorized: the API token was refused")


class RejectingProvider(RecordingProvider):
    """Rejects ``rejected`` addresses for good, accepts the others."""

    def __init__(self, settings, rejected: set[str]):
        super().__init__(settings)
        self.rejected = rejected

    def answer(self, messages):
        results = super().answer(messages)
        return [Result.rejected("422 inactive recipient") if m.to_address in self.rejected else r
                for m, r in zip(messages, results)]


def write_readers(site: Path, count: int, name: str = "subscribers.csv") -> list[str]:
    """Replace the site's subscriber list with ``count`` generated active readers."""
    folder = site / "subscribers"
    for old in folder.glob("*.csv"):
        old.unlink()
    addresses = [f"reader{number:05d}@example.org" for number in range(count)]
    with open(folder / name, "w", encoding="utf-8") as handle:
        handle.write("email,name,status\n")
        for number, address in enumerate(addresses):
            handle.write(f"{address},Reader {number},active\n")
    return addresses


def site_settings(site: Path, **provider_settings) -> Settings:
    """The site's settings, with [provider] values overridden."""
    settings = load_settings(site, {})
    return dataclasses.replace(
        settings, provider=dataclasses.replace(settings.provider, **provider_settings))


def reference_email(settings: Settings) -> Email:
    posts, _ = load_posts(settings)
    return render_post(settings, find_post(posts, REFERENCE_POST))


def run_send(settings: Settings, provider: Provider, **options) -> SendReport:
    """One library send of the reference post, with fast retries."""
    options.setdefault("retry", FAST_RETRY)
    with Ledger.open(settings) as ledger:
        return send_post(settings, reference_email(settings), provider,
                         store=SubscriberStore(settings), ledger=ledger, **options)


def ledger_states(settings: Settings, post_id: str = REFERENCE_POST) -> dict[str, str]:
    """{address: state} for one post."""
    with Ledger.open(settings) as ledger:
        rows = ledger.db.execute("SELECT address, state FROM deliveries WHERE post_id = ?",
                                 (post_id,))
        return dict(rows.fetchall())


def leave_in_flight(ledger: Ledger, post_id: str, addresses: list[str]) -> None:
    """What a run killed with a batch on its way leaves: the batch `submitting`, and its post
    still marked running (Ledger.running), which tells recover() where to look."""
    ledger.set_meta(RUNNING_PREFIX + post_id, ledger_time())
    ledger.claim(post_id, addresses, "outbox")
