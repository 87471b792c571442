"""Resend webhooks, signed by Svix: HMAC-SHA256 over ``svix-id.svix-timestamp.body``.

The secret (RESEND_WEBHOOK_SECRET) is ``whsec_`` + base64 key; ``svix-signature`` holds one
or more space-separated ``v1,<base64>`` signatures, any of which may match (key rotation).
Body: ``{type, created_at, data{email_id, to[], ...}}`` (docs/providers.md#resend-webhooks; Svix docs
"Verifying webhooks manually").
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from email.utils import parseaddr

from newsletter.providers import TEST_COPY
from newsletter.web.webhooks.common import (
    CLICKED,
    DEFERRED,
    DELIVERED,
    IGNORED,
    OPENED,
    SOFT_BOUNCE,
    TAKEN,
    Event,
    NotAuthenticated,
    NotConfigured,
    check_timestamp,
    content_id,
    field_text,
    iso_seconds,
    require_records,
    require_secret,
)


EVENT_KINDS = {"email.complained": "complained", "email.delivery_delayed": DEFERRED,
               "email.delivered": DELIVERED, "email.opened": OPENED, "email.clicked": CLICKED,
               "email.sent": TAKEN}
NOT_SENT = ("email.suppressed", "email.failed")


def verify(request, secrets, now: float) -> None:
    """Refuse the request unless one of its Svix signatures was made with our secret."""
    key = _secret_key(require_secret(secrets, "RESEND_WEBHOOK_SECRET"))
    message_id = request.headers.get("svix-id", "")
    timestamp = request.headers.get("svix-timestamp", "")
    signed = f"{message_id}.{timestamp}.".encode() + request.body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest())
    # Bytes: compare_digest refuses non-ASCII strings (a header byte above 127) with a TypeError.
    given = [part.partition(",")[2].encode("utf-8", "surrogatepass")
             for part in request.headers.get("svix-signature", "").split() if part.startswith("v1,")]
    if not message_id or not any(hmac.compare_digest(expected, sig) for sig in given):
        raise NotAuthenticated("bad Svix signature")
    check_timestamp(timestamp, now)


def _secret_key(secret: str) -> bytes:
    try:
        return base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    except binascii.Error:
        raise NotConfigured("RESEND_WEBHOOK_SECRET is not a whsec_... signing secret") from None


def parse_events(payload, headers) -> list[Event]:
    """The event in a Resend webhook body, once per address in ``data.to``, tied to its post
    by the email's ``post`` tag. Its id is the Svix message id, the same on every retry."""
    record = require_records(payload, dict, "a JSON object")
    data = require_records(record.get("data"), dict, "a data object")
    event_type = field_text(record, "type")
    if not event_type.startswith("email."):
        return []  # contact.* and domain.* events are about no message: nothing to keep
    recipients = data.get("to")
    addresses = [recipients] if isinstance(recipients, str) else recipients
    # As the email was given them: a reader with a name was sent to "Name <address>".
    addresses = [parseaddr(a)[1] or a for a in require_records(addresses, list, "data.to")
                 if isinstance(a, str)]
    kind, detail = _classify(event_type, data)
    base = headers.get("svix-id", "") or content_id(record)
    when = iso_seconds(record.get("created_at"))
    post, test = _tag(data.get("tags"), "post"), _tag(data.get("tags"), TEST_COPY) == "yes"
    return [Event(kind, address, detail, f"{base}:{event_type}:{address}", post, when, test)
            for address in addresses]


def _tag(tags, name: str) -> str:
    """The tag ``name``, given as ``{name: value}`` or ``[{"name": name, "value": ...}]``."""
    if isinstance(tags, dict):
        value = tags.get(name)
        return value if isinstance(value, str) else ""
    for tag in tags if isinstance(tags, list) else []:
        if isinstance(tag, dict) and tag.get("name") == name:
            return field_text(tag, "value")
    return ""


def _classify(event_type: str, data: dict) -> tuple[str, str]:
    if event_type == "email.bounced":
        bounce = data.get("bounce") if isinstance(data.get("bounce"), dict) else {}
        # Resend's bounce.type follows SES: Permanent, Transient or Undetermined; only a
        # permanent bounce (or one with no type) says the address is dead.
        bounce_type = field_text(bounce, "type") or "Permanent"
        kind = "bounced" if bounce_type == "Permanent" else SOFT_BOUNCE
        return kind, f"bounced ({bounce_type}): {field_text(bounce, 'message')}"
    if event_type in NOT_SENT:
        # Resend took the email but never delivered it: its address is on Resend's
        # suppression list, or the send failed (a quota, the domain); not the reader's doing.
        failed = data.get("failed") if isinstance(data.get("failed"), dict) else {}
        return SOFT_BOUNCE, f"{event_type}: {field_text(failed, 'reason')}".rstrip(": ")
    return EVENT_KINDS.get(event_type, IGNORED), event_type
