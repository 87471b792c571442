"""Resend ``POST /emails/batch``: up to 100 emails per call, made idempotent (docs/providers.md#resend).

Every request carries an ``Idempotency-Key`` derived from the post and the batch's readers.
Resend remembers a key for 24 hours and answers a repeat of the same request with the first
answer, without sending again: so an in-doubt batch may be retried with the same messages.
"""

from __future__ import annotations

import datetime as dt
from email.utils import parseaddr
from typing import TYPE_CHECKING, Any, Iterator

from newsletter.addresses import address_key
from newsletter.errors import ConfigError, InDoubtError, QuotaError, TransientError
from newsletter.providers.base import TEST_COPY, Result, key_of, safe_label
from newsletter.providers.declaration import Declaration
from newsletter.providers.http import HttpProvider, HttpRequest, json_field
from newsletter.providers.json_bodies import json_array_with_bodies
from newsletter.providers.key_check import json_of, read, refused
from newsletter.providers.lookup import InDoubtBatch, Lookup, LookupFailed, Pages, windows
from newsletter.providers.message_parts import extra_headers
from newsletter.providers.suppression_api import MAX_PAGES, get_json, records_in
from newsletter.subscribers import Suppression

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.message import Message
    from newsletter.providers.transport import Answer
    from newsletter.render import Email

QUOTA_ERRORS = ("daily_quota_exceeded", "monthly_quota_exceeded")


class ResendProvider(HttpProvider):
    """Resend's batch endpoint with Idempotency-Key and per-email validation results."""

    name = "resend"
    max_batch = 100
    idempotent = True
    # The default rate limit is 5 requests a second per team (docs/providers.md#resend-errors).
    max_in_flight = 5
    requests_per_second = 5.0
    default_api_url = "https://api.resend.com"
    secret_name = "RESEND_API_KEY"

    def __init__(self, settings: Settings):
        if settings.provider.test_mode:
            raise ConfigError("Resend has no test mode", where="newsletter.toml",
                              hint="remove test_mode and try `send POST --to delivered@resend.dev`")
        super().__init__(settings)

    def check_email(self, email: Email) -> None:
        # The batch endpoint takes no attachments, inline images included
        # (docs/providers.md#resend-sending).
        if email.inline_images:
            raise ConfigError(
                'Resend\'s batch sending takes no attachments, so [images] mode = "inline" '
                "cannot reach readers", where="newsletter.toml",
                hint='set mode = "hosted" under [images] and deploy its publish_dir with the blog')

    def build_request(self, messages: list[Message]) -> HttpRequest:
        body = json_array_with_bodies(messages, self._email)
        return HttpRequest("/emails/batch", body=body, headers={
            "Authorization": f"Bearer {self.api_key}",
            "Idempotency-Key": key_of(messages),  # the ledger records it with the batch
            # Permissive: valid emails are sent and invalid ones listed by index; strict (the
            # default) would fail all 100 for one bad address (docs/providers.md#resend-sending).
            "x-batch-validation": "permissive",
        })

    def _email(self, message: Message, html: str, text: str) -> dict:
        item = {
            "from": message.headers["From"],
            "to": [message.headers["To"]],
            "subject": message.subject,
            "html": html,
            "text": text,
            "headers": extra_headers(message),
            "tags": [{"name": "post", "value": safe_label(message.post_id)}],
        }
        if message.test:  # its webhooks' events count in no post's funnel
            item["tags"].append({"name": TEST_COPY, "value": "yes"})
        if "Reply-To" in message.headers:
            item["reply_to"] = message.headers["Reply-To"]
        return item

    def raise_for_status(self, response: Answer) -> None:
        name = json_field(response, "name")
        if name == "concurrent_idempotent_requests":  # the first request is still running
            raise TransientError(self.describe_response(response),
                                 retry_after=self.retry_after(response))
        if name == "invalid_idempotent_request":
            # This key already went out with another payload: those readers may have it.
            raise InDoubtError(self.describe_response(response))
        if name in QUOTA_ERRORS:  # will not clear by backing off: stop, readers stay pending
            raise QuotaError(self.describe_response(response),
                             hint="Resend's sending quota is used up; the readers left are "
                                  "sent by a later run")
        super().raise_for_status(response)

    def parse_response(self, response: Answer, messages: list[Message]) -> list[Result]:
        # {"data": [{"id"}...]} in input order, plus "errors": [{"index", "message"}] for the
        # emails permissive validation refused; "data" then holds only the accepted ones.
        answer = self.read_json(response)
        data = answer.get("data") if isinstance(answer, dict) else None
        listed = (answer.get("errors") or []) if isinstance(answer, dict) else []
        if not (isinstance(data, list) and isinstance(listed, list)
                and all(isinstance(item, dict) for item in listed)
                and all(isinstance(item, dict) and isinstance(item.get("id"), str)
                        and item["id"] for item in data)):
            raise InDoubtError(f"{self.name} answered {response.status_code} without ids")
        errors = {e.get("index"): e.get("message") for e in listed}
        ids = iter(data)
        # Each email once: an id, or an error at its own index.
        if len(data) + len(errors) != len(messages) or not set(errors) <= set(range(len(messages))):
            raise InDoubtError(f"{self.name} answered {len(data)} ids and "
                               f"{len(listed)} errors for {len(messages)} emails")
        return [Result.rejected(f"{self.name}: {self.provider_text(errors[i])}") if i in errors
                else Result.sent(next(ids).get("id")) for i in range(len(messages))]


# Resend: one list, cursor-paged with `after` while `has_more` (docs/providers.md#resend-suppressions;
# private beta at the time of writing).
RESEND_ORIGINS = {"bounce": "bounced", "complaint": "complained", "manual": "unsubscribed"}


def fetch_suppressions(provider: HttpProvider) -> Iterator[Suppression]:
    """Every address on Resend's suppression list."""
    headers = {"Authorization": f"Bearer {provider.api_key}"}
    params: dict[str, Any] = {"limit": 100}
    for _ in range(MAX_PAGES):
        body = get_json(provider, "/suppressions", headers=headers, params=params)
        records = records_in(body, "data", provider.name, "/suppressions")
        for record in records:
            status = RESEND_ORIGINS.get(record.get("origin"))
            if status and isinstance(record.get("email"), str):
                yield Suppression(record["email"], status, f"resend {record['origin']}")
        if not (records and body.get("has_more")):
            break
        params["after"] = records[-1].get("id")


def check_key(provider: HttpProvider) -> str | None:
    """`check --online`: GET /domains. A full-access key lists the account's domains; a
    sending-only key is told it is restricted (401 restricted_api_key), which proves it valid."""
    response = read(provider, "/domains", headers={"Authorization": f"Bearer {provider.api_key}"})
    if response.status_code == 401 and json_field(response, "name") == "restricted_api_key":
        return None
    if response.status_code != 200:
        raise refused(provider, response)
    body = json_of(provider, response)
    records = body.get("data") if isinstance(body, dict) else None
    statuses = {d.get("name"): d.get("status") for d in records or [] if isinstance(d, dict)}
    sender = provider.settings.email.sender_domain
    if sender not in statuses:
        return f"the From domain {sender} is not among this Resend account's domains: add it"
    if statuses[sender] != "verified":
        return (f"the From domain {sender} is {statuses[sender]} at Resend: publish its DNS "
                "records and verify it")
    return None


def lookup_emails(provider: HttpProvider, post_id: str, batches: list[InDoubtBatch],
                  now: dt.datetime) -> Iterator[tuple[str, str]]:
    """The readers Resend accepted: its sent emails, newest first, back to the first batch's
    window, made within the window of a batch with their subject (a test copy's differs; a
    later post may have the same one)."""
    pages = Pages(provider, LOOKUP, {"Authorization": f"Bearer {provider.api_key}"})
    subjects = {subject: windows([b for b in batches if b.subject == subject], now)
                for subject in {batch.subject for batch in batches}}
    start = min(batch.window_start() for batch in batches)
    params: dict[str, Any] = {"limit": 100}
    for _ in range(MAX_PAGES):
        body = pages.get("/emails", params)
        emails = body.get("data") if isinstance(body, dict) else None
        if not isinstance(emails, list):
            raise LookupFailed("resend answered its list of emails without data")
        for item in emails:
            if not isinstance(item, dict):
                continue
            created = _created(item)
            if created < start:
                return  # back before the first batch: the whole window is read
            subject = item.get("subject")
            spans = subjects.get(subject, ()) if isinstance(subject, str) else ()
            if any(begin <= created <= end for begin, end in spans):
                for to in item.get("to") or []:
                    yield address_key(parseaddr(str(to))[1]), str(item.get("id"))
        if not body.get("has_more") or not emails:
            return
        last = emails[-1].get("id") if isinstance(emails[-1], dict) else None
        if not isinstance(last, str):
            raise LookupFailed("resend's list of emails ends without an id to read on from")
        params = {"limit": 100, "after": last}
    raise LookupFailed(f"resend's list of emails went past {MAX_PAGES} pages")


def _created(item: dict) -> dt.datetime:
    """When Resend made the email. Its list writes the zone as ``+00``; a time with no zone
    is UTC, as Resend keeps every time (else the whole lookup failed on it)."""
    text = str(item.get("created_at"))
    for candidate in (text, text + ":00"):
        try:
            moment = dt.datetime.fromisoformat(candidate)
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
    raise LookupFailed(f"resend listed an email with an unreadable created_at {text[:40]!r}")


# Retention by plan: 1 day on the free plan (3 on Pro, 7 on Scale); 5 requests a second.
LOOKUP = Lookup(lookup_emails, retention=dt.timedelta(days=1), settle=dt.timedelta(minutes=10),
                interval=0.2)


DECLARATION = Declaration(
    ResendProvider,
    secrets=(ResendProvider.secret_name, "RESEND_WEBHOOK_SECRET"),
    fetch_suppressions=fetch_suppressions,
    check_key=check_key,
    webhook="resend",
    lookup=LOOKUP,
)
