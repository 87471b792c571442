"""What every provider's webhook module shares: errors, the request, events, checks."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import math
import re
from typing import Any, Mapping

from newsletter.records import record

logger = logging.getLogger(__name__)

# Signed timestamps older or newer than this are refused, so a captured request cannot be
# replayed later. Svix (Resend) recommends 5 minutes; we use the same for every provider whose
# retries are signed anew.
REPLAY_WINDOW = 5 * 60
# Mailgun retries a webhook it got no 200 for over 8 hours (5, 10, 15 minutes, 1, 2, 4 hours),
# with the signature block of the first attempt: its timestamps are taken this old, each token
# once (newsletter.web.replay), so a retry after a `503` or a restart of `serve` gets through.
RETRY_WINDOW = 9 * 60 * 60

# Event kinds. The first three are subscriber statuses and are applied to the list; every
# kind but IGNORED is kept in the event store (newsletter.sending.EventStore).
STATUS_KINDS = ("bounced", "complained", "unsubscribed")
SOFT_BOUNCE = "soft_bounce"
DELIVERED, DEFERRED, OPENED, CLICKED = "delivered", "deferred", "opened", "clicked"
# An open or click the provider says a machine made, not the reader: Apple Mail Privacy
# Protection loads every image of every email it receives, a scanner follows every link.
MACHINE_OPENED, MACHINE_CLICKED = "machine_opened", "machine_clicked"
# The provider took the message in (SendGrid `processed`, Mailgun `accepted`, Resend
# `email.sent`): no funnel step (accepted is the ledger's), but word for `reconcile` that a
# reader in doubt reached it, seconds after the send, before any delivery comes.
TAKEN = "taken"
IGNORED = "ignored"
# An item of a batch that is no event (not a JSON object): counted and skipped, so the good
# events of its batch are kept and the provider is not asked to send the batch again forever.
MALFORMED = "malformed"


class WebhookError(Exception):
    """A webhook request that is refused; ``status`` is the HTTP status to answer."""

    status = 400

    def __init__(self, message: str, *, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.headers = dict(headers or {})


class NotAuthenticated(WebhookError):
    """The request carries no valid credentials or signature."""

    status = 401


class Replayed(WebhookError):
    """A signature that was already used: a captured request sent again."""

    status = 403


class NotConfigured(WebhookError):
    """The secret needed to verify this provider's webhooks is not set."""

    status = 403


@record(frozen=True)
class WebhookRequest:
    """What a webhook handler sees of an HTTP request: lower-cased headers and the raw body."""

    headers: Mapping[str, str]
    body: bytes


@record(frozen=True)
class Event:
    """One provider event about one address: its kind, and what ties it to a message.

    ``event_id`` is the provider's id of the event (the same when the provider delivers the
    webhook again); ``post`` the post id the message was tagged with ("" when untagged);
    ``at`` when it happened (Unix seconds, None when the payload does not say); ``test``: the
    message was a ``[TEST]`` copy (its data holds ``providers.TEST_COPY``), no post's message.
    """

    kind: str
    address: str
    detail: str = ""
    event_id: str = ""
    post: str = ""
    at: float | None = None
    test: bool = False


def content_id(record: Any) -> str:
    """An id for an event whose provider gives none: the hash of its canonical JSON, so the
    same event delivered twice gets the same id."""
    canonical = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def iso_seconds(text: Any) -> float | None:
    """Unix seconds from an ISO 8601 time as providers write it (None when unreadable)."""
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return number_seconds(moment.timestamp())


LATEST_TIME = 4_102_444_800  # 2100-01-01: later (or negative) times are not real events


def number_seconds(value: Any) -> float | None:
    """Unix seconds from a JSON number (None when it is not one, or no plausible time)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) and 0 <= value < LATEST_TIME else None


def load_json(body: bytes) -> Any:
    """The request body as JSON, or a 400 WebhookError. Its text holds no NUL and no lone
    surrogate (JSON can escape both, ``\\u0000``, ``\\ud800``; no store takes them: PostgreSQL
    refuses a NUL, UTF-8 a surrogate), so one odd event cannot make the provider retry its
    whole batch for days. A number of more than 4,300 digits is no JSON Python reads (a bare
    ValueError): refused as such, never a 500 for a body that no signature covered (Mailgun's)."""
    try:
        payload = json.loads(body)
        return _storable(payload) if _UNSTORABLE_ESCAPE.search(body) else payload
    except (ValueError, RecursionError):  # not UTF-8, not JSON, or a number too long to read
        raise WebhookError("the body is not JSON") from None


# A JSON escape of a NUL or a surrogate (a real \\ before it only costs a needless clean).
_UNSTORABLE_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")


def _storable(value: Any) -> Any:
    """``value`` with every string made storable: NULs dropped, lone surrogates replaced."""
    if isinstance(value, str):
        return value.replace("\0", "").encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, list):
        return [_storable(item) for item in value]
    if isinstance(value, dict):
        return {_storable(key): _storable(item) for key, item in value.items()}
    return value


def require_secret(secrets, name: str) -> str:
    """A secret from the environment, or a refusal that tells the operator what to set."""
    value = secrets.get(name)
    if not value:
        logger.warning("webhook refused: %s is not set", name)
        raise NotConfigured(f"webhook not configured: set {name}")
    return value


def check_timestamp(timestamp: str | int | None, now: float,
                    oldest: float = REPLAY_WINDOW) -> None:
    """Refuse a signed timestamp more than ``oldest`` seconds old, or from the future (beyond
    the replay window: clocks differ)."""
    try:
        seconds = int(timestamp)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NotAuthenticated("missing or unreadable signature timestamp") from None
    if now - seconds > oldest or seconds - now > REPLAY_WINDOW:
        raise NotAuthenticated("signature timestamp outside the replay window")


def field_text(record: Mapping[str, Any], *names: str) -> str:
    """The first of ``names`` that holds a non-empty string in ``record``, else ''."""
    for name in names:
        value = record.get(name)
        if isinstance(value, str) and value:
            return value
    return ""


def require_records(payload: Any, kind: type, what: str) -> Any:
    """``payload`` if it is of type ``kind``, else a 400 naming what was expected."""
    if not isinstance(payload, kind):
        raise WebhookError(f"expected {what}")
    return payload
