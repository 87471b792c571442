"""Postmark webhooks: HTTP basic auth on the webhook URL, one JSON event per request.

Postmark signs nothing; its docs say to protect the URL with basic auth, set as ``HttpAuth``
{Username, Password} on the webhook (docs/providers.md#postmark-webhooks). We compare both parts with
NEWSLETTER_WEBHOOK_USER / NEWSLETTER_WEBHOOK_PASSWORD in constant time.
"""

from __future__ import annotations

import base64
import binascii
import hmac

from newsletter.providers import POSTMARK_REASONS
from newsletter.web.webhooks.common import (
    IGNORED,
    SOFT_BOUNCE,
    Event,
    NotAuthenticated,
    field_text,
    require_records,
    require_secret,
)

# Bounce `Type`s that mean the address will never take mail; the rest of the soft kinds are
# counted only. (Postmark bounce API, "Bounce types".)
HARD_BOUNCE_TYPES = {"HardBounce", "BadEmailAddress"}
SOFT_BOUNCE_TYPES = {"SoftBounce", "Transient", "DnsError", "AutoResponder"}
CHALLENGE = {"WWW-Authenticate": 'Basic realm="newsletter webhooks"'}


def verify(request, secrets, now: float) -> None:
    """Refuse the request unless its basic-auth user and password match ours."""
    user = require_secret(secrets, "NEWSLETTER_WEBHOOK_USER").encode()
    password = require_secret(secrets, "NEWSLETTER_WEBHOOK_PASSWORD").encode()
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    try:
        given_user, _, given_password = base64.b64decode(encoded, validate=True).partition(b":")
    except (binascii.Error, ValueError):
        given_user = given_password = b""
    # Both comparisons always run, so timing says nothing about which part was wrong.
    user_ok = hmac.compare_digest(given_user, user)
    password_ok = hmac.compare_digest(given_password, password)
    if scheme.lower() != "basic" or not (user_ok and password_ok):
        raise NotAuthenticated("wrong or missing basic-auth credentials", headers=CHALLENGE)


def parse_events(payload) -> list[Event]:
    """The one event in a Postmark webhook body."""
    record = require_records(payload, dict, "a JSON object")
    kind = record.get("RecordType")
    if kind == "Bounce":
        bounce_type = field_text(record, "Type")
        address = field_text(record, "Email", "Recipient")
        if bounce_type in HARD_BOUNCE_TYPES:
            return [Event("bounced", address, bounce_type)]
        if bounce_type in SOFT_BOUNCE_TYPES:
            return [Event(SOFT_BOUNCE, address, bounce_type)]
        return [Event(IGNORED, address, bounce_type)]
    if kind == "SpamComplaint":
        return [Event("complained", field_text(record, "Email", "Recipient"), "SpamComplaint")]
    if kind == "SubscriptionChange" and record.get("SuppressSending") is True:
        reason = field_text(record, "SuppressionReason")
        status = POSTMARK_REASONS.get(reason)  # as `subscribers sync` reads them
        address = field_text(record, "Recipient", "Email")
        origin = field_text(record, "Origin")
        return [Event(status or IGNORED, address, f"{reason} by {origin or 'unknown'}")]
    # Deliveries, opens, clicks and reactivations (SuppressSending false) change nothing here.
    return [Event(IGNORED, field_text(record, "Recipient", "Email"), str(kind))]
