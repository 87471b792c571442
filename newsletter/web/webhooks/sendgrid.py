"""SendGrid Event Webhook: an ECDSA (P-256, SHA-256) signature over timestamp + raw body.

Headers ``X-Twilio-Email-Event-Webhook-Signature`` (base64 DER signature) and
``X-Twilio-Email-Event-Webhook-Timestamp``; the verification key is the base64 public key
SendGrid shows under "Signed Event Webhook" (SENDGRID_WEBHOOK_PUBLIC_KEY). The body is a JSON
array of events (docs/providers.md#sendgrid-webhooks; sendgrid-python ``helpers/eventwebhook``).
"""

from __future__ import annotations

import base64
import binascii

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_der_public_key, load_pem_public_key

from newsletter.providers import TEST_COPY
from newsletter.web.webhooks.common import (
    CLICKED,
    DEFERRED,
    DELIVERED,
    IGNORED,
    MACHINE_OPENED,
    MALFORMED,
    OPENED,
    SOFT_BOUNCE,
    TAKEN,
    Event,
    NotAuthenticated,
    NotConfigured,
    check_timestamp,
    content_id,
    field_text,
    number_seconds,
    require_records,
    require_secret,
)

SIGNATURE_HEADER = "x-twilio-email-event-webhook-signature"
TIMESTAMP_HEADER = "x-twilio-email-event-webhook-timestamp"
# Not `group_unsubscribe`: the reader left one of the account's unsubscribe groups (an app's
# other mail), and SendGrid still delivers mail sent without that group, as every newsletter is.
EVENT_KINDS = {"spamreport": "complained", "unsubscribe": "unsubscribed",
               "deferred": DEFERRED, "delivered": DELIVERED, "open": OPENED, "click": CLICKED,
               "processed": TAKEN}


def verify(request, secrets, now: float) -> None:
    """Refuse the request unless SendGrid's key signed this timestamp and body."""
    key = load_public_key(require_secret(secrets, "SENDGRID_WEBHOOK_PUBLIC_KEY"))
    timestamp = request.headers.get(TIMESTAMP_HEADER, "")
    try:
        signature = base64.b64decode(request.headers.get(SIGNATURE_HEADER, ""), validate=True)
        key.verify(signature, timestamp.encode() + request.body, ec.ECDSA(hashes.SHA256()))
    except (binascii.Error, ValueError, InvalidSignature):
        raise NotAuthenticated("bad SendGrid signature") from None
    check_timestamp(timestamp, now)


def load_public_key(text: str) -> ec.EllipticCurvePublicKey:
    """SendGrid's verification key, given as base64 DER (as shown) or as PEM."""
    try:
        if text.lstrip().startswith("-----BEGIN"):
            key = load_pem_public_key(text.encode())
        else:
            key = load_der_public_key(base64.b64decode(text.strip(), validate=True))
    except (binascii.Error, ValueError, TypeError):
        key = None
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise NotConfigured("SENDGRID_WEBHOOK_PUBLIC_KEY is not an ECDSA public key")
    return key


def parse_events(payload, headers) -> list[Event]:
    """Every event in a SendGrid webhook body (a JSON array), each tied to its post by the
    send's ``custom_args`` (flattened into the event as ``post``) or its first category."""
    events = []
    for record in require_records(payload, list, "a JSON array of events"):
        if not isinstance(record, dict):  # the rest of the batch is still SendGrid's word
            events.append(Event(MALFORMED, "", "not a JSON object"))
            continue
        kind, detail = _classify(record)
        category = record.get("category")
        if isinstance(category, list):
            category = next((c for c in category if isinstance(c, str)), "")
        post = field_text(record, "post") or (category if isinstance(category, str) else "")
        events.append(Event(kind, field_text(record, "email"), detail,
                            field_text(record, "sg_event_id") or content_id(record), post,
                            number_seconds(record.get("timestamp")),
                            record.get(TEST_COPY) == "yes"))
    return events


def _classify(record: dict) -> tuple[str, str]:
    name = field_text(record, "event")
    if name == "bounce":
        # `type` is "bounce" for a hard bounce and "blocked" for a temporary block
        # (SendGrid Event Webhook reference, "Delivery events").
        bounce_type = field_text(record, "type") or "bounce"
        kind = "bounced" if bounce_type == "bounce" else SOFT_BOUNCE
        return kind, f"{bounce_type}: {field_text(record, 'reason')}"
    if name == "dropped":
        # SendGrid took the message but never tried it: a suppressed or invalid address, or
        # spam content. Not delivered; the list follows SendGrid's suppressions through
        # `subscribers sync`, not through this event.
        return SOFT_BOUNCE, f"dropped: {field_text(record, 'reason')}"
    machine = record.get("sg_machine_open")
    if name == "open" and (machine is True or machine == "true"):  # not 1: a number is no mark
        # SendGrid's mark of an open no reader made: Apple Mail Privacy Protection loading
        # every image of the email as it arrived.
        return MACHINE_OPENED, "open by a machine (sg_machine_open)"
    return EVENT_KINDS.get(name, IGNORED), name
