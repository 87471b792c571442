"""SendGrid v3 ``POST /v3/mail/send``: one personalization per reader (docs/providers.md#sendgrid).

The post's HTML and text go in the request once, with placeholders that SendGrid's legacy
``substitutions`` fill per personalization, so each reader costs only their address, their
headers and their values, not a copy of the body. Inline images go once too, as
``attachments`` with ``disposition: inline`` and the ``content_id`` their ``cid:`` URL names.
"""

from __future__ import annotations

import time
from email.utils import parseaddr
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Iterator

import requests

from newsletter.errors import AuthError
from newsletter.providers.base import Result
from newsletter.providers.http import HttpProvider, HttpRequest
from newsletter.providers.json_bodies import SHARED_SLOT, json_with_raw
from newsletter.providers.key_check import json_of, read, refused
from newsletter.providers.message_parts import (
    BUILT_HEADERS,
    common_headers,
    message_size,
    recipient_values,
    refuse_merge_tags,
    refuse_oversized,
    shared_parts,
)
from newsletter.providers.suppression_api import MAX_PAGES, get_json, records_in
from newsletter.render import RECIPIENT_FIELDS
from newsletter.subscribers import Suppression

if TYPE_CHECKING:
    from newsletter.message import Message
    from newsletter.render import Email


def _token(name: str) -> str:
    # Substitution tags are plain strings replaced in subject, reply-to and content.
    return f"-nl-{name}-"


# The tag of each reader value as a JSON key, made once (looked up ~4 times a reader).
_TAGS = {name: encode_basestring(_token(name)) + ":"
         for key in RECIPIENT_FIELDS for name in (key, f"{key}_html")}


# The whole request with its attachments must stay under 30 MB (docs/providers.md#sendgrid-sending).
MAX_MESSAGE_BYTES = 30 * 1000 * 1000


class SendGridProvider(HttpProvider):
    """SendGrid's mail/send with personalizations; sandbox mode for ``test_mode``."""

    name = "sendgrid"
    max_batch = 1000  # personalizations (and recipients) per request
    default_api_url = "https://api.sendgrid.com"  # EU subusers: https://api.eu.sendgrid.com
    secret_name = "SENDGRID_API_KEY"

    def check_email(self, email: Email) -> None:
        refuse_merge_tags(self.name, email, _token)
        refuse_oversized("SendGrid", email, message_size(email), MAX_MESSAGE_BYTES)

    def details(self) -> list[str]:
        return ["sandbox mode: nothing delivered"] if self.settings.provider.test_mode else []

    def build_request(self, messages: list[Message]) -> HttpRequest:
        first, settings = messages[0], self.settings
        html, text = shared_parts(first, _token)
        # Headers equal for the whole batch are sent once; the rest per personalization.
        common = common_headers(messages)
        not_own = BUILT_HEADERS | common.keys()
        personalizations = ",".join(self._personalization(m, not_own, first.subject)
                                    for m in messages)
        payload = {
            "personalizations": SHARED_SLOT,
            "from": _address(first.headers["From"]),
            "subject": first.subject,
            "content": [{"type": "text/plain", "value": text},  # text/plain must come first
                        {"type": "text/html", "value": html}],
            "headers": common,
            "categories": [first.post_id[:255]],
            "custom_args": {"post": first.post_id},
            "tracking_settings": {
                "click_tracking": {"enable": settings.tracking.clicks},
                "open_tracking": {"enable": settings.tracking.opens},
                # Our own List-Unsubscribe and footer link handle unsubscribes.
                "subscription_tracking": {"enable": False},
            },
        }
        if "Reply-To" in first.headers:
            payload["reply_to"] = _address(first.headers["Reply-To"])
        if first.email.inline_images:
            payload["attachments"] = [
                {"content": image.base64, "type": image.content_type, "filename": image.name,
                 "disposition": "inline", "content_id": image.name}
                for image in first.email.inline_images]
        if settings.provider.test_mode:
            # Validated and answered 200, never delivered (docs/providers.md#sendgrid-test-mode).
            payload["mail_settings"] = {"sandbox_mode": {"enable": True}}
        body = json_with_raw(payload, f"[{personalizations}]".encode())
        return HttpRequest("/v3/mail/send", body=body,
                           headers={"Authorization": f"Bearer {self.api_key}"})

    def _personalization(self, message: Message, not_own: frozenset[str], subject: str) -> str:
        """One reader's personalization as JSON text: ``{"to", "substitutions", "headers",
        "subject"}``, as ``json_body`` would write it. Encoding a dict per reader with
        ``json.dumps`` was the largest cost of a SendGrid batch."""
        to = _recipient(message)
        parts = ['{"to":[{"email":', encode_basestring(to["email"])]
        if "name" in to:
            parts += [',"name":', encode_basestring(to["name"])]
        parts.append('}],"substitutions":{')
        for key, value in recipient_values(message).items():
            parts += [_TAGS.get(key) or encode_basestring(_token(key)) + ":",
                      encode_basestring(value), ","]
        parts[-1] = "}"
        own = [f"{encode_basestring(k)}:{encode_basestring(v)}"
               for k, v in message.headers.items() if k not in not_own]
        if own:
            parts += [',"headers":{', ",".join(own), "}"]
        if message.subject != subject:
            parts += [',"subject":', encode_basestring(message.subject)]
        parts.append("}")
        return "".join(parts)

    def parse_response(self, response: requests.Response, messages: list[Message]) -> list[Result]:
        # 202 (200 in sandbox mode), empty body; one X-Message-Id for the whole request, so
        # one (frozen) Result serves every message.
        return [Result.sent(response.headers.get("X-Message-Id"))] * len(messages)

    def retry_after(self, response: requests.Response) -> float | None:
        # 429 carries X-RateLimit-Reset (a unix time), not Retry-After (docs/providers.md#sendgrid-errors).
        reset = response.headers.get("X-RateLimit-Reset")
        try:
            return max(0.0, float(reset) - time.time())
        except (TypeError, ValueError):
            return super().retry_after(response)


def _address(header: str) -> dict[str, str]:
    """``Name <address>`` as SendGrid's {email, name}; names may not hold ``;`` or ``,``."""
    name, address = parseaddr(header)
    return _name_and_email(name, address)


def _recipient(message: Message) -> dict[str, str]:
    """The reader as :func:`_address` reads the To header, from the Message's own fields.

    Parsing the header is costly, once a reader; its name and address are the Message's (the
    header only quotes them). tests/test_provider_sendgrid.py checks both agree.
    """
    return _name_and_email(message.to_name, message.to_address)


def _name_and_email(name: str, address: str) -> dict[str, str]:
    name = name.replace(";", " ").replace(",", " ").strip()
    return {"email": address, "name": name} if name else {"email": address}


# SendGrid: five global lists, paged with limit/offset, at most 500 a page
# (docs/providers.md#sendgrid-suppressions). SendGrid files blocks among its
# suppressions; we treat them as bounces, as the list's name says the receiver refused.
SENDGRID_LISTS = {"bounces": "bounced", "blocks": "bounced", "invalid_emails": "bounced",
                  "spam_reports": "complained", "unsubscribes": "unsubscribed"}
SENDGRID_PAGE = 500


def fetch_suppressions(provider: HttpProvider) -> Iterator[Suppression]:
    """Every address on SendGrid's bounce, block, invalid, spam-report and unsubscribe lists."""
    headers = {"Authorization": f"Bearer {provider.api_key}"}
    for list_name, status in SENDGRID_LISTS.items():
        path = f"/v3/suppression/{list_name}"
        for page in range(MAX_PAGES):
            params = {"limit": SENDGRID_PAGE, "offset": page * SENDGRID_PAGE}
            records = records_in(get_json(provider, path, headers=headers, params=params),
                               None, provider.name, path)
            for record in records:
                if isinstance(record.get("email"), str):
                    yield Suppression(record["email"], status, f"sendgrid {list_name}")
            if len(records) < SENDGRID_PAGE:
                break


def check_key(provider: HttpProvider) -> str | None:
    """`check --online`: GET /v3/scopes, the key's own permissions; sending needs mail.send."""
    response = read(provider, "/v3/scopes", headers={"Authorization": f"Bearer {provider.api_key}"})
    if response.status_code != 200:
        raise refused(provider, response)
    scopes = json_of(provider, response)
    scopes = scopes.get("scopes") if isinstance(scopes, dict) else None
    if isinstance(scopes, list) and "mail.send" not in scopes:
        raise AuthError("sendgrid: the key may not send mail (its scopes lack mail.send)",
                        hint="give the key Mail Send access, or make one that has it")
    return None
