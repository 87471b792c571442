"""Postmark webhooks: HTTP basic auth on the webhook URL, one JSON event per request.

Postmark signs nothing; its docs say to protect the URL with basic auth, set as ``HttpAuth``
{Username, Password} on the webhook (docs/providers.md#postmark-webhooks). We compare both parts with
NEWSLETTER_WEBHOOK_USER / NEWSLETTER_WEBHOOK_PASSWORD in constant time.
"""

from __future__ import annotations

import base64
import binascii
import hmac

from newsletter.providers import POSTMARK_REASONS, TEST_COPY
from newsletter.web.webhooks.common import (
    CLICKED,
    DEFERRED,
    DELIVERED,
    IGNORED,
    OPENED,
    SOFT_BOUNCE,
    Event,
    NotAuthenticated,
    content_id,
    field_text,
    iso_seconds,
    require_records,
    require_secret,
)

# Bounce `Type`s that mean the address will never take mail; the soft kinds say this message
# was not delivered (an ISP's block, the sender's DMARC policy, an address deactivated by
# hand, a template Postmark could not render), and are counted only. An AutoResponder is an
# automatic reply to a message that was delivered, and no bounce at all. (Postmark bounce
# API, "Bounce types".)
HARD_BOUNCE_TYPES = {"HardBounce", "BadEmailAddress"}
SOFT_BOUNCE_TYPES = {"SoftBounce", "DnsError", "Blocked", "DMARCPolicy", "ManuallyDeactivated",
                     "TemplateRenderingFailed"}
DEFERRED_TYPES = {"Transient"}  # "Message delayed": Postmark is still trying
# "Unsubscribe or Remove request": the reader replied asking to be taken off (TypeCode 16).
UNSUBSCRIBE_TYPES = {"Unsubscribe"}
RECORD_KINDS = {"Delivery": DELIVERED, "Open": OPENED, "Click": CLICKED}
# Where each record type says when it happened (Postmark webhook reference).
TIME_FIELDS = ("DeliveredAt", "ReceivedAt", "BouncedAt", "ChangedAt")
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


def parse_events(payload, headers) -> list[Event]:
    """The one event in a Postmark webhook body, tied to its post by ``Metadata.post`` (or the
    message's ``Tag``)."""
    record = require_records(payload, dict, "a JSON object")
    kind, address, detail = _classify(record)
    metadata = record.get("Metadata") if isinstance(record.get("Metadata"), dict) else {}
    when = next((iso_seconds(record.get(name)) for name in TIME_FIELDS if record.get(name)), None)
    return [Event(kind, address, detail, event_id(record), field_text(metadata, "post")
                  or field_text(record, "Tag"), when, metadata.get(TEST_COPY) == "yes")]


def event_id(record: dict) -> str:
    """Postmark gives no event id: a bounce or complaint has its ``ID``; the other records are
    one per message, recipient and moment (an open or click at each ``ReceivedAt``)."""
    parts = [field_text(record, "RecordType"), str(record.get("ID") or ""),
             field_text(record, "MessageID"), field_text(record, "Recipient", "Email"),
             *(field_text(record, name) for name in TIME_FIELDS), field_text(record, "OriginalLink")]
    if not any(parts[1:]):
        return content_id(record)
    return ":".join(parts)


def _classify(record: dict) -> tuple[str, str, str]:
    """(kind, address, detail) of a Postmark record."""
    kind = record.get("RecordType")
    address = field_text(record, "Recipient", "Email")
    if kind == "Bounce":
        bounce_type = field_text(record, "Type")
        address = field_text(record, "Email", "Recipient")
        if bounce_type in HARD_BOUNCE_TYPES:
            return "bounced", address, bounce_type
        if bounce_type in SOFT_BOUNCE_TYPES:
            return SOFT_BOUNCE, address, bounce_type
        if bounce_type in DEFERRED_TYPES:
            return DEFERRED, address, bounce_type
        if bounce_type in UNSUBSCRIBE_TYPES:
            return "unsubscribed", address, "Unsubscribe or Remove request"
        return IGNORED, address, bounce_type
    if kind == "SpamComplaint":
        return "complained", field_text(record, "Email", "Recipient"), "SpamComplaint"
    if kind == "SubscriptionChange" and record.get("SuppressSending") is True:
        reason = field_text(record, "SuppressionReason")
        status = POSTMARK_REASONS.get(reason)  # as `subscribers sync` reads them
        origin = field_text(record, "Origin")
        return status or IGNORED, address, f"{reason} by {origin or 'unknown'}"
    if kind in RECORD_KINDS:
        return RECORD_KINDS[kind], address, str(kind)
    # Reactivations (SuppressSending false) and anything new change nothing here.
    return IGNORED, address, str(kind)
