"""Mailgun webhooks: an HMAC-SHA256 of timestamp+token inside the JSON body.

Body: ``{"signature": {"timestamp", "token", "signature"}, "event-data": {...}}``; the
signature is hex HMAC-SHA256 keyed with the webhook signing key (MAILGUN_WEBHOOK_SIGNING_KEY,
not the API key; a subaccount's or its primary account's: ``parent-signature``) over
``timestamp + token`` (docs/providers.md#mailgun-webhooks). The event data is
not signed, so each token is accepted once (:func:`signature_token`, newsletter.web.replay).
Mailgun's retries carry the first attempt's signature block, so it is taken for as long as
Mailgun retries (``RETRY_WINDOW``).
"""

from __future__ import annotations

import hashlib
import hmac
import time

from newsletter.providers import TEST_COPY
from newsletter.web.webhooks.common import (
    CLICKED,
    DEFERRED,
    DELIVERED,
    IGNORED,
    MACHINE_CLICKED,
    MACHINE_OPENED,
    OPENED,
    RETRY_WINDOW,
    SOFT_BOUNCE,
    TAKEN,
    Event,
    NotAuthenticated,
    WebhookError,
    check_timestamp,
    content_id,
    field_text,
    number_seconds,
    load_json,
    require_records,
    require_secret,
)


# Permanent failures Mailgun keeps off its bounce list (api-suppressions: soft bounces and an
# ESP's refusal are not added): "old", retried until too old; "espblock", the receiver's policy.
# And "suppress-*": Mailgun never tried, the address being on its bounce, unsubscribe or
# complaint list from an earlier message (`subscribers sync` brings those lists).
SOFT_REASONS = {"old", "espblock", "suppress-bounce", "suppress-unsubscribe",
                "suppress-complaint"}
EVENT_KINDS = {"delivered": DELIVERED, "complained": "complained",
               "unsubscribed": "unsubscribed", "opened": OPENED, "clicked": CLICKED,
               "accepted": TAKEN}
# An open or click Mailgun's bot detection names (client-info.bot: "apple" for Apple Mail
# Privacy Protection, "gmail", "generic" for a firewall or virus scanner): nobody's.
BY_MACHINE = {OPENED: MACHINE_OPENED, CLICKED: MACHINE_CLICKED}


def verify(request, secrets, now: float) -> None:
    """Refuse the request unless its signature block was made with our signing key (or one
    of our keys: while a rotated key's retries still come, the old and the new one, separated
    by white space)."""
    keys = require_secret(secrets, "MAILGUN_WEBHOOK_SIGNING_KEY").encode().split()
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
    expected = [hmac.new(key, signed, hashlib.sha256).hexdigest().encode() for key in keys]
    # A subaccount's events carry its own signature and a "parent-signature" made with the
    # primary account's key: either key may be ours.
    given = [str(signature.get(name, "")).encode("utf-8", "surrogatepass")
             for name in ("signature", "parent-signature")]
    if not any([hmac.compare_digest(ours, each) for ours in expected for each in given]):
        raise NotAuthenticated("bad Mailgun signature")
    check_timestamp(timestamp, now, oldest=RETRY_WINDOW)


def signature_token(request) -> tuple[str, float]:
    """The token of a verified request, and when it was signed; each token is used once."""
    signature = load_json(request.body)["signature"]
    return str(signature.get("token", "")), float(int(signature.get("timestamp")))


def parse_events(payload, headers) -> list[Event]:
    """The one event in a Mailgun webhook body, tied to its post by the message's ``v:post``
    user variable (or its first tag)."""
    data = require_records(require_records(payload, dict, "a JSON object").get("event-data"),
                           dict, "an event-data object")
    kind, detail = _classify(data)
    variables = data.get("user-variables") if isinstance(data.get("user-variables"), dict) else {}
    tags = data.get("tags") if isinstance(data.get("tags"), list) else []
    tag = next((t for t in tags if isinstance(t, str)), "")
    at = number_seconds(data.get("timestamp"))
    return [Event(kind, field_text(data, "recipient"), detail, _event_id(data, at),
                  field_text(variables, "post") or tag, at, variables.get(TEST_COPY) == "yes")]


def _event_id(data: dict, at: float | None) -> str:
    """Mailgun's event id, which it keeps unique within a day only (Events API reference):
    with the UTC day of the event, so another day's event of the same id is not taken for a
    retry of this one and dropped. A retry carries the same id and time."""
    given = field_text(data, "id")
    if not given:
        return content_id(data)
    return given if at is None else f"{given}@{time.strftime('%Y-%m-%d', time.gmtime(at))}"


def _classify(data: dict) -> tuple[str, str]:
    event = data.get("event")
    if event == "failed":
        # "temporary": Mailgun tries again for hours (a deferral); "permanent": it gave up,
        # but only a hard bounce says the address is dead.
        severity, reason = field_text(data, "severity"), field_text(data, "reason")
        status = data.get("delivery-status")
        soft = reason in SOFT_REASONS or (isinstance(status, dict)
                                          and status.get("bounce-type") == "soft")
        kind = DEFERRED if severity != "permanent" else SOFT_BOUNCE if soft else "bounced"
        return kind, f"failed ({severity}): {reason}"
    kind = EVENT_KINDS.get(event, IGNORED)
    client = data.get("client-info") if isinstance(data.get("client-info"), dict) else {}
    bot = field_text(client, "bot")
    if kind in BY_MACHINE and bot:
        return BY_MACHINE[kind], f"{event} by a bot ({bot})"
    return kind, str(event)
