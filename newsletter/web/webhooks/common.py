"""What every provider's webhook module shares: errors, the request, events, checks."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any, Mapping

logger = logging.getLogger(__name__)

# Signed timestamps older or newer than this are refused, so a captured request cannot be
# replayed later. Svix (Resend) recommends 5 minutes; we use the same for every provider.
REPLAY_WINDOW = 5 * 60

# Event kinds. The first three are subscriber statuses and are applied.
STATUS_KINDS = ("bounced", "complained", "unsubscribed")
SOFT_BOUNCE = "soft_bounce"
IGNORED = "ignored"


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


@dataclass(frozen=True)
class WebhookRequest:
    """What a webhook handler sees of an HTTP request: lower-cased headers and the raw body."""

    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True)
class Event:
    """One provider event about one address: a status kind, soft_bounce or ignored."""

    kind: str
    address: str
    detail: str = ""


def load_json(body: bytes) -> Any:
    """The request body as JSON, or a 400 WebhookError."""
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise WebhookError("the body is not JSON") from None


def require_secret(secrets, name: str) -> str:
    """A secret from the environment, or a refusal that tells the operator what to set."""
    value = secrets.get(name)
    if not value:
        logger.warning("webhook refused: %s is not set", name)
        raise NotConfigured(f"webhook not configured: set {name}")
    return value


def check_timestamp(timestamp: str | int | None, now: float) -> None:
    """Refuse a signed timestamp outside the replay window."""
    try:
        seconds = int(timestamp)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NotAuthenticated("missing or unreadable signature timestamp") from None
    if abs(now - seconds) > REPLAY_WINDOW:
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
