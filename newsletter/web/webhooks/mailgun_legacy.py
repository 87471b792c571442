"""Mailgun's legacy webhooks: form fields, read as the JSON webhook they stand for.

A domain whose webhooks were set up before Mailgun's JSON webhooks (2018) posts each event as a
form (``application/x-www-form-urlencoded``, or ``multipart/form-data`` when it attaches the
bounced message): ``event``, ``recipient``, ``timestamp``, ``token``, ``signature`` (the same
HMAC of timestamp and token), ``Message-Id``, ``tag``, and the message's custom variables as
fields of their own (``post``, ``reader``). :func:`as_json` turns such a request into the body a
JSON webhook of the same event carries, so it is verified, replay-checked and counted exactly
as one (docs/providers.md#mailgun-webhooks).
"""

from __future__ import annotations

import json

from newsletter.providers import TEST_COPY
from newsletter.web.request import HttpError, form_fields, media_type
from newsletter.web.webhooks.common import WebhookError, WebhookRequest

FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
MAX_FIELDS = 200  # a legacy post holds a score of fields, and any custom variables
# Legacy `bounced`: the receiving server refused the address for good (a hard bounce).
# `dropped`: Mailgun gave up without delivering ("hardfail": the address was on its bounce,
# unsubscribe or complaint list, and it never tried; "maxfails", "old": it retried until it
# stopped): a soft bounce, as the JSON webhooks' `suppress-*` and `old` are. A hard bounce of
# this very message posts `bounced` as well.
VARIABLES = ("post", "reader", TEST_COPY)  # the custom variables a send sets (v:...)


def as_json(request: WebhookRequest) -> WebhookRequest:
    """``request`` itself unless its body is a legacy form; then the same request with the
    JSON body of a webhook of that event."""
    content_type = request.headers.get("content-type", "")
    if media_type(content_type) not in FORMS:
        return request
    try:
        fields = form_fields(content_type, request.body, MAX_FIELDS, binary_parts=True)
    except HttpError as error:
        raise WebhookError(f"a legacy Mailgun form that cannot be read: {error.message}") from None
    first = {name: values[0] for name, values in fields.items()}
    signature = {name: first.get(name, "") for name in ("timestamp", "token", "signature")}
    body = {"signature": signature, "event-data": event_data(first, fields.get("tag", []))}
    return WebhookRequest(request.headers, json.dumps(body).encode())


def event_data(fields: dict[str, str], tags: list[str]) -> dict:
    """The ``event-data`` of a JSON webhook telling what the legacy ``fields`` tell."""
    event = fields.get("event", "")
    data: dict = {"event": event, "recipient": fields.get("recipient", ""),
                  "tags": tags or [t for t in [fields.get("X-Mailgun-Tag")] if t],
                  "user-variables": {name: fields[name] for name in VARIABLES if name in fields},
                  "message": {"headers": {
                      "message-id": fields.get("Message-Id", "").strip().strip("<>")}}}
    try:
        data["timestamp"] = float(fields.get("timestamp", ""))
    except ValueError:
        pass  # no time: the event counts as of its arrival
    if event == "bounced":
        data.update({"event": "failed", "severity": "permanent", "reason": "bounce",
                     "delivery-status": {"code": fields.get("code", ""),
                                         "message": fields.get("error", "")}})
    elif event == "dropped":
        data.update({"event": "failed", "severity": "permanent",
                     "reason": fields.get("reason", ""),
                     "delivery-status": {"bounce-type": "soft",
                                         "description": fields.get("description", "")}})
    return data
