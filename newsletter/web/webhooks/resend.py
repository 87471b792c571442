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

from newsletter.web.webhooks.common import (
    IGNORED,
    SOFT_BOUNCE,
    Event,
    NotAuthenticated,
    NotConfigured,
    check_timestamp,
    field_text,
    require_records,
    require_secret,
)


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


def parse_events(payload) -> list[Event]:
    """The event in a Resend webhook body, once per address in ``data.to``."""
    record = require_records(payload, dict, "a JSON object")
    data = require_records(record.get("data"), dict, "a data object")
    recipients = data.get("to")
    addresses = [recipients] if isinstance(recipients, str) else recipients
    addresses = [a for a in require_records(addresses, list, "data.to") if isinstance(a, str)]
    kind, detail = _classify(field_text(record, "type"), data)
    return [Event(kind, address, detail) for address in addresses]


def _classify(event_type: str, data: dict) -> tuple[str, str]:
    if event_type == "email.bounced":
        bounce = data.get("bounce") if isinstance(data.get("bounce"), dict) else {}
        # Resend's bounce.type follows SES: Permanent, Transient or Undetermined; only a
        # permanent bounce (or one with no type) says the address is dead.
        bounce_type = field_text(bounce, "type") or "Permanent"
        kind = "bounced" if bounce_type == "Permanent" else SOFT_BOUNCE
        return kind, f"bounced ({bounce_type}): {field_text(bounce, 'message')}"
    if event_type == "email.complained":
        return "complained", event_type
    if event_type == "email.delivery_delayed":
        return SOFT_BOUNCE, event_type
    return IGNORED, event_type
