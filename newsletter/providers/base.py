"""The provider adapter contract (docs/architecture.md#providers).

An adapter owns only its wire format. Batching, retries, rate limiting, the ledger and
progress live above it, in ``newsletter.sending``.

``send_batch(messages)`` returns one :class:`Result` per message, in the same order, or raises:

- ``TransientError``: nothing was accepted; safe to retry (``retry_after`` seconds if known);
- ``InDoubtError``: the request may have been accepted; never resent blindly;
- ``AuthError``: credentials refused; the run stops.

A send calls ``sender(messages)`` on its main thread and the function it returns on a worker,
once per attempt; by default that function is ``send_batch(messages)``.
"""

from __future__ import annotations

import hashlib
import re
import string
from abc import ABC, abstractmethod
from contextlib import AbstractContextManager, contextmanager
from functools import partial
from typing import TYPE_CHECKING, Callable, ClassVar, Iterable, Iterator, Literal
from urllib.parse import quote

from newsletter.message import Assembled
from newsletter.records import record

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.message import Message
    from newsletter.render import Email

Alone = Callable[[], AbstractContextManager[bool]]  # see Provider.campaign

REASON_LIMIT = 200  # characters of a provider's own words kept in a reason or an error
# A [TEST] copy (`send --to`) carries this label = "yes" where the provider echoes a message's
# own data in its webhooks (metadata, custom args, user variables, tags): its events then
# count in no post's funnel, though the reader is a subscriber.
TEST_COPY = "test_copy"
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")  # what a tag or key may hold at every provider


def key_of(messages: list[Message]) -> str:
    """:func:`batch_key` of a batch of messages (of one post)."""
    if isinstance(messages, Assembled):  # from its readers, hashed once a batch
        if messages.key is None:
            messages.key = batch_key(messages[0].post_id, messages.message_ids())
        return messages.key
    return batch_key(messages[0].post_id, [message.message_id for message in messages])


def ascii_label(value: str, limit: int) -> str:
    """``value`` as a tag or category that must be ASCII (Mailgun strips the rest, SendGrid
    takes US-ASCII only): other characters percent-encoded, at most ``limit`` characters."""
    return quote(value, safe=string.punctuation)[:limit]


def safe_label(value: str) -> str:
    """``value`` in the characters every provider's tags and keys take (ASCII letters, digits,
    ``_`` and ``-``), at most 256 of them."""
    return _KEY_UNSAFE.sub("_", value).strip("_")[:256] or "post"


def batch_key(post_id: str, message_ids: Iterable[str]) -> str:
    """The same key for the same post and readers, in any run and any retry (1-256 characters):
    Resend's Idempotency-Key, the batch a SendGrid lookup asks for, the ledger's batch.

    Built from the Message-IDs, which derive from post and address (test sends get random
    ones, so a test copy never shares a key with the real send). No batch number: the same
    readers sent again by a later run keep the key, so Resend still deduplicates them.
    """
    # One text hashed at once (an update a Message-ID cost 0.2 us a reader, twice a batch).
    digest = hashlib.sha256("\n".join((post_id, *message_ids)).encode())
    return f"newsletter/{safe_label(post_id)[:64]}/{digest.hexdigest()[:40]}"


@record(frozen=True)
class Result:
    """What the provider said about one message: sent (with its id) or rejected for good."""

    status: Literal["sent", "rejected"]
    message_id: str | None = None
    reason: str | None = None

    def __post_init__(self):
        if self.status not in ("sent", "rejected"):
            raise ValueError(f"unknown result status {self.status!r}")
        if self.status == "rejected" and not self.reason:
            raise ValueError("a rejected result needs a reason")

    @classmethod
    def sent(cls, message_id: str | None) -> Result:
        return cls("sent", message_id=message_id)

    @classmethod
    def rejected(cls, reason: str) -> Result:
        return cls("rejected", reason=reason)


class Provider(ABC):
    """A mail provider adapter."""

    name: ClassVar[str]
    max_batch: ClassVar[int]  # messages per call the provider allows
    # True when the provider deduplicates a repeated batch (Resend's Idempotency-Key),
    # so an in-doubt batch may be retried with the same key.
    idempotent: ClassVar[bool] = False
    # Batches in flight at most, from the provider's documented limits; a send grows towards
    # it while answers stay fast (newsletter/sending/pace.py), below provider.concurrency if set.
    max_in_flight: ClassVar[int] = 4
    # Requests a second the provider allows by default (None: no documented limit); the
    # send's rate limit holds batches to it, below provider.rate_limit if that is lower.
    requests_per_second: ClassVar[float | None] = None

    def __init__(self, settings: Settings):
        self.settings = settings

    @abstractmethod
    def send_batch(self, messages: list[Message]) -> list[Result]:
        """Send one batch; one Result per message, same order."""

    def sender(self, messages: list[Message]) -> Callable[[], list[Result]]:
        """This batch's :meth:`send_batch` as a function of no arguments, called once per attempt.

        Called on the send's main thread, the function then on a worker. An adapter that can
        build its request ahead does it here (HttpProvider): the worker then mostly waits on
        the network, and does not compete with the main thread for Python's GIL.
        """
        return partial(self.send_batch, messages)

    @contextmanager
    def campaign(self, email: Email, alone: Alone) -> Iterator[None]:
        """Around one send of ``email`` (every batch of a run): a provider may store the post
        on its side for the run (Postmark's templates). Raises AuthError to stop the run.
        ``alone()``: a block in which no other sender of the site starts, and whether none
        runs (senders sharing a campaign share what it stored: the last one removes it)."""
        yield

    def provider_text(self, text: object) -> str:
        """Words from the provider (an error, a server reply), fit to print, log and store: one
        line, every secret hidden in every form it travels in, and only then cut short."""
        return self.settings.secrets.redact(" ".join(str(text).split()), REASON_LIMIT)

    def check_email(self, email: Email) -> None:
        """Raise an InputError if this provider cannot carry ``email``; called before any send."""

    def max_batch_for(self, email: Email) -> int:
        """Messages per call for ``email``: fewer than ``max_batch`` where the provider limits
        a request's bytes and each message carries its images."""
        return self.max_batch

    def describe(self) -> str:
        """A short line for the user: which provider (and stream, region...) is used."""
        return self.name

    def close(self) -> None:
        """Release connections; called once at the end of a run."""
