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
from typing import TYPE_CHECKING, Iterator

from newsletter.addresses import address_key
from newsletter.errors import AuthError, InDoubtError
from newsletter.providers.base import Result, ascii_label, key_of
from newsletter.providers.declaration import Declaration
from newsletter.providers.http import HttpProvider, HttpRequest, json_field
from newsletter.providers.json_bodies import BATCH_SLOT, SHARED_SLOT, FixedJson
from newsletter.providers.key_check import json_of, read, refused
from newsletter.providers.lookup import InDoubtBatch, Lookup, LookupFailed, Pages
from newsletter.providers.message_parts import (
    BUILT_HEADERS,
    any_escaped,
    common_headers,
    message_size,
    refuse_merge_tags,
    refuse_oversized,
    shared_parts,
)
from newsletter.providers.personalizations import Personalizations, clean_name, tag
from newsletter.providers.suppression_api import MAX_PAGES, get_json, records_in
from newsletter.subscribers import Suppression

if TYPE_CHECKING:
    from newsletter.message import Message
    from newsletter.providers.transport import Answer
    from newsletter.render import Email


# The whole request with its attachments must stay under 30 MB (docs/providers.md#sendgrid-sending).
MAX_MESSAGE_BYTES = 30 * 1000 * 1000


class SendGridProvider(HttpProvider):
    """SendGrid's mail/send with personalizations; sandbox mode for ``test_mode``."""

    name = "sendgrid"
    max_batch = 1000  # personalizations (and recipients) per request
    default_api_url = "https://api.sendgrid.com"  # EU subusers: https://api.eu.sendgrid.com
    secret_name = "SENDGRID_API_KEY"
    _kept_json: tuple[tuple, FixedJson] | None = None  # the last batch's shape, and its JSON

    def check_email(self, email: Email) -> None:
        refuse_merge_tags(self.name, email, tag)
        refuse_oversized("SendGrid", email, message_size(email), MAX_MESSAGE_BYTES)

    def details(self) -> list[str]:
        return ["sandbox mode: nothing delivered"] if self.settings.provider.test_mode else []

    def build_request(self, messages: list[Message]) -> HttpRequest:
        first = messages[0]
        # Most batches have no value that HTML escaping changes (plain addresses, links
        # without "&"): the HTML part then takes the text part's tags, and each reader's
        # substitutions hold each value once.
        escaped = any_escaped(messages)
        # Headers equal for the whole batch are sent once; the rest per personalization.
        common = common_headers(messages)
        encoder = Personalizations(first, BUILT_HEADERS | common.keys(), escaped)
        body = self._fixed_json(first, escaped, common).join(
            encoder.encode_all(messages), key_of(messages))
        return HttpRequest("/v3/mail/send", body=body,
                           headers={"Authorization": f"Bearer {self.api_key}"})

    def _fixed_json(self, first: Message, escaped: bool, common: dict[str, str]) -> FixedJson:
        """The request's JSON but for its personalizations and batch key, written once for the
        batches that share it (every batch of a run, as a rule): the post's HTML and text,
        filled with tags and escaped for JSON, were ~7% of a batch's CPU."""
        shape = (first.email, escaped, tuple(common.items()), first.headers["From"],
                 first.headers.get("Reply-To"), first.subject, first.post_id)
        kept = self._kept_json
        if kept is not None and kept[0] == shape:
            return kept[1]
        fixed = FixedJson(self._payload(first, escaped, common))
        self._kept_json = (shape, fixed)
        return fixed

    def _payload(self, first: Message, escaped: bool, common: dict[str, str]) -> dict:
        """The request's fields, SHARED_SLOT and BATCH_SLOT standing for the personalizations
        and the batch key."""
        settings = self.settings
        html, text = shared_parts(first, tag, escaped)
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
            "custom_args": {"post": first.post_id, "batch": BATCH_SLOT},
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
        return payload

    def parse_response(self, response: Answer, messages: list[Message]) -> list[Result]:
        # 202 (200 in sandbox mode), empty body; one X-Message-Id for the whole request, so
        # one (frozen) Result serves every message. Another 2xx is not SendGrid's answer to a
        # send (a proxy's page, another server at api_url): nobody can say what it did.
        accepted = 200 if self.settings.provider.test_mode else 202
        if response.status_code != accepted:
            raise InDoubtError(f"{self.name} answered {response.status_code}, not the "
                               f"{accepted} that accepts a send: it may or may not have gone out")
        return [Result.sent(response.headers.get("X-Message-Id"))] * len(messages)

    def raise_for_status(self, response: Answer) -> None:
        # A 400 names the field of each error: one outside the personalizations (from,
        # content, subject...) is in what every batch of the post carries: stop the run.
        fields = [e.get("field") if isinstance(e, dict) else None
                  for e in json_field(response, "errors") or [None]]
        if response.status_code == 400 and all(
                isinstance(f, str) and f not in ("", "null") and not f.startswith(
                    "personalizations") for f in fields):
            named = self.provider_text(", ".join(fields))
            raise AuthError(f"{self.describe_response(response)} ({named})",
                            hint="every batch would be refused alike; fix what SendGrid names "
                                 "and send again")
        super().raise_for_status(response)

    def retry_after(self, response: Answer) -> float | None:
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


def _name_and_email(name: str, address: str) -> dict[str, str]:
    name = clean_name(name)
    return {"email": address, "name": name} if name else {"email": address}


# SendGrid: four global suppression lists, paged with limit/offset, at most 500 a page
# (docs/providers.md#sendgrid-suppressions). Its blocks list is not one: a block is a
# receiver refusing one message (the sending IP, its content), and SendGrid goes on sending
# to the address, as the webhook's `blocked` bounce is only counted.
SENDGRID_LISTS = {"bounces": "bounced", "invalid_emails": "bounced",
                  "spam_reports": "complained", "unsubscribes": "unsubscribed"}
SENDGRID_PAGE = 500


def fetch_suppressions(provider: HttpProvider) -> Iterator[Suppression]:
    """Every address on SendGrid's bounce, invalid, spam-report and unsubscribe lists."""
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
