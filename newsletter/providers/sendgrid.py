"""SendGrid v3 ``POST /v3/mail/send``: one personalization per reader (docs/providers.md#sendgrid).

The post's HTML and text go in the request once, with placeholders that SendGrid's legacy
``substitutions`` fill per personalization, so each reader costs only their address, their
headers and their values, not a copy of the body. Inline images go once too, as
``attachments`` with ``disposition: inline`` and the ``content_id`` their ``cid:`` URL names.
"""

from __future__ import annotations

import datetime as dt
import time
from email.utils import parseaddr
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Iterator

import requests

from newsletter.addresses import address_key
from newsletter.errors import AuthError
from newsletter.providers.base import TEST_COPY, Result, ascii_label, key_of
from newsletter.providers.declaration import Declaration
from newsletter.providers.http import HttpProvider, HttpRequest
from newsletter.providers.json_bodies import SHARED_SLOT, json_with_array
from newsletter.providers.key_check import json_of, read, refused
from newsletter.providers.lookup import InDoubtBatch, Lookup, LookupFailed, Pages
from newsletter.providers.message_parts import (
    BUILT_HEADERS,
    any_escaped,
    common_headers,
    html_value,
    message_size,
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


def _tags(key: str) -> tuple[str, str]:
    """The tags of a reader value, plain and HTML-escaped, as JSON keys."""
    return encode_basestring(_token(key)) + ":", encode_basestring(_token(f"{key}_html")) + ":"


_TAGS = {key: _tags(key) for key in RECIPIENT_FIELDS}  # made once, looked up twice a reader


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
        # Most batches have no value that HTML escaping changes (plain addresses, links
        # without "&"): the HTML part then takes the text part's tags, and each reader's
        # substitutions hold each value once.
        escaped = any_escaped(messages)
        html, text = shared_parts(first, _token, escaped)
        # Headers equal for the whole batch are sent once; the rest per personalization.
        common = common_headers(messages)
        not_own = BUILT_HEADERS | common.keys()
        encoder = Personalizations(first, not_own, escaped)
        personalizations = list(map(encoder.encode, messages))
        payload = {
            "personalizations": SHARED_SLOT,
            "from": _address(first.headers["From"]),
            "subject": first.subject,
            "content": [{"type": "text/plain", "value": text},  # text/plain must come first
                        {"type": "text/html", "value": html}],
            "headers": common,
            "categories": [ascii_label(first.post_id, 255)],  # US-ASCII, 255 at most
            # Shared by every personalization; each adds its reader (`reconcile` asks for the
            # batch, webhooks carry all three).
            "custom_args": {"post": first.post_id, "batch": key_of(messages)},
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
        body = json_with_array(payload, personalizations)
        return HttpRequest("/v3/mail/send", body=body,
                           headers={"Authorization": f"Bearer {self.api_key}"})

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


class Personalizations:
    """Each reader's personalization as JSON text, ``{"to", "substitutions", "headers",
    "subject"}``, as ``json_body`` would write it, from pieces encoded once a batch: the
    tags, the names of the headers each reader has of their own (List-Unsubscribe), the
    batch's subject. ``json.dumps`` of a dict per reader was the largest cost of a batch."""

    def __init__(self, first: Message, not_own: frozenset[str], escaped: bool = True):
        self.not_own = not_own
        self.escaped = escaped  # each value goes HTML-escaped too, under its own tag
        self.subject = first.subject
        self.names = first.headers.keys()  # the headers every reader of a post has
        self.own = self._own(first.headers)

    def _own(self, headers: dict[str, str]) -> list[tuple[str, str]]:
        """(name, name as a JSON key) of each header of ``headers`` not sent once a batch."""
        return [(name, encode_basestring(name) + ":")
                for name in headers if name not in self.not_own]

    def encode(self, message: Message) -> str:
        reader = message.to_address
        address = encode_basestring(reader)
        # The reader as _address reads the To header, from the Message's own fields: parsing
        # the header is costly, once a reader (tests/test_provider_sendgrid.py checks both agree).
        name = _clean_name(message.to_name)
        to = (f'{{"email":{address},"name":{encode_basestring(name)}}}' if name
              else f'{{"email":{address}}}')
        plain, html = [], []  # the substitutions: each value, then each HTML-escaped
        for key, value in message.values.items():
            plain_tag, html_tag = _TAGS.get(key) or _tags(key)
            # The reader's {email} is their address: encoded once for both.
            encoded = address if value is reader else encode_basestring(value)
            plain.append(plain_tag + encoded)
            if self.escaped:
                escaped = html_value(value)
                html.append(html_tag + (encoded if escaped is value
                                        else encode_basestring(escaped)))
        headers = message.headers
        own = self.own if headers.keys() == self.names else self._own(headers)
        extra = (',"headers":{' + ",".join([key + encode_basestring(headers[name])
                                            for name, key in own]) + "}") if own else ""
        if message.test:  # a test copy names no reader: it never counts as theirs
            extra += f',"custom_args":{{"{TEST_COPY}":"yes"}}'
        else:
            key = address_key(reader)  # the address itself, unless it has capitals
            extra += ',"custom_args":{"reader":' + (
                address if key == reader else encode_basestring(key)) + "}"
        if message.subject != self.subject:
            extra += ',"subject":' + encode_basestring(message.subject)
        return f'{{"to":[{to}],"substitutions":{{{",".join(plain + html)}}}{extra}}}'


def _address(header: str) -> dict[str, str]:
    """``Name <address>`` as SendGrid's {email, name}; names may not hold ``;`` or ``,``."""
    name, address = parseaddr(header)
    return _name_and_email(name, address)


def _clean_name(name: str) -> str:
    """A display name as SendGrid takes it: without ``;`` or ``,``; empty: no name."""
    return name.replace(";", " ").replace(",", " ").strip()


def _name_and_email(name: str, address: str) -> dict[str, str]:
    name = _clean_name(name)
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


NO_ACTIVITY = ("SendGrid's Email Activity API is not available on this account (it needs the "
               "paid email activity history add-on and a key with Email Activity access)")


def lookup_activity(provider: HttpProvider, post_id: str, batches: list[InDoubtBatch],
                    now: dt.datetime) -> Iterator[tuple[str, str]]:
    """The readers SendGrid accepted: each batch's messages by the batch key in its
    custom_args, one search a batch (docs/providers.md#finding-a-message-later)."""
    pages = Pages(provider, LOOKUP, {"Authorization": f"Bearer {provider.api_key}"})
    for batch in batches:  # a batch key holds only letters, digits, _, - and /
        body = pages.get("/v3/messages", {"query": f"unique_args['batch']=\"{batch.key}\"",
                                          "limit": 1000}, missing=NO_ACTIVITY)
        messages = body.get("messages") if isinstance(body, dict) else None
        if not isinstance(messages, list):
            raise LookupFailed("sendgrid answered its activity search without messages")
        for message in messages:
            if isinstance(message, dict) and isinstance(message.get("to_email"), str):
                yield address_key(message["to_email"]), str(message.get("msg_id"))


# 30 days of history with the add-on; 6 searches a minute; no indexing delay is documented.
LOOKUP = Lookup(lookup_activity, retention=dt.timedelta(days=30),
                settle=dt.timedelta(minutes=30), interval=10.0)


DECLARATION = Declaration(
    SendGridProvider,
    secrets=(SendGridProvider.secret_name, "SENDGRID_WEBHOOK_PUBLIC_KEY"),
    fetch_suppressions=fetch_suppressions,
    check_key=check_key,
    webhook="sendgrid",
    lookup=LOOKUP,
)
