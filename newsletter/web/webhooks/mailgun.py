"""Mailgun webhooks: an HMAC-SHA256 of timestamp+token inside the JSON body.

Body: ``{"signature": {"timestamp", "token", "signature"}, "event-data": {...}}``; the
signature is hex HMAC-SHA256 keyed with the webhook signing key (MAILGUN_WEBHOOK_SIGNING_KEY,
not the API key) over ``timestamp + token`` (docs/providers.md#mailgun-webhooks). The event data is
not signed, so each token is accepted once (:func:`signature_token`, newsletter.web.replay).
"""

from __future__ import annotations

import hashlib
import hmac

from newsletter.web.webhooks.common import (
    IGNORED,
    SOFT_BOUNCE,
    Event,
    NotAuthenticated,
    WebhookError,
    check_timestamp,
    field_text,
    load_json,
    require_records,
    require_secret,
)


def verify(request, secrets, now: float) -> None:
    """Refuse the request unless its signature block was made with our signing key."""
    key = require_secret(secrets, "MAILGUN_WEBHOOK_SIGNING_KEY").encode()
    # The signature lives in the body, so the JSON is read here, but nothing in it is acted on
    # before the signature checks out.
    try:
        signature = load_json(request.body).get("signature")
    except (WebhookError, AttributeError):
        raise NotAuthenticated("no Mailgun signature block") from None
    if not isinstance(signature, dict):
        raise NotAuthenticated("no Mailgun signature block")
    timestamp = str(signature.get("timestamp", ""))
    token = str(signature.get("token", ""))
    # Bytes throughout: JSON may carry any character, even a lone surrogate, and
    # compare_digest refuses non-ASCII strings with a TypeError (a 500, not a 401).
    signed = (timestamp + token).encode("utf-8", "surrogatepass")
    expected = hmac.new(key, signed, hashlib.sha256).hexdigest().encode()
    given = str(signature.get("signature", "")).encode("utf-8", "surrogatepass")
    if not hmac.compare_digest(expected, given):
        raise NotAuthenticated("bad Mailgun signature")
    check_timestamp(timestamp, now)


def signature_token(request) -> tuple[str, float]:
    """The token of a verified request, and when it was signed; each token is used once."""
    signature = load_json(request.body)["signature"]
    return str(signature.get("token", "")), float(int(signature.get("timestamp")))


def parse_events(payload) -> list[Event]:
    """The one event in a Mailgun webhook body."""
    data = require_records(require_records(payload, dict, "a JSON object").get("event-data"),
                           dict, "an event-data object")
    event = data.get("event")
    address = field_text(data, "recipient")
    if event == "failed":
        severity = field_text(data, "severity")
        detail = f"failed ({severity}): {field_text(data, 'reason')}"
        return [Event("bounced" if severity == "permanent" else SOFT_BOUNCE, address, detail)]
    if event == "complained":
        return [Event("complained", address, "complained")]
    if event == "unsubscribed":
        return [Event("unsubscribed", address, "unsubscribed")]
    return [Event(IGNORED, address, str(event))]
