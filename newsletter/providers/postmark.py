"""Postmark: ``POST /email/batch``, one JSON message per reader (docs/providers.md#postmark).

Inline images go in every message's ``Attachments`` with a ``ContentID`` of ``cid:<name>``; their
base64 is serialised once per batch. Since each message carries them, a batch holds as many
messages as fit in Postmark's 50 MB a call, and a message over 10 MB is refused before sending.
"""

from __future__ import annotations

import datetime as dt
import logging
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from itertools import chain
from typing import TYPE_CHECKING, Iterator
from urllib.parse import quote
from zoneinfo import ZoneInfo

from newsletter.errors import AuthError, InDoubtError, NewsletterError, QuotaError, TransientError
from newsletter.providers.base import Alone, Result
from newsletter.providers.declaration import Declaration
from newsletter.providers.http import HttpProvider, HttpRequest, json_body, json_field
from newsletter.providers.json_bodies import SHARED_SLOT, json_array_with_bodies, json_escaped
from newsletter.providers.key_check import read, refused
from newsletter.providers.lookup import InDoubtBatch, Lookup, LookupFailed, Pages, wall_time, windows
from newsletter.providers.message_parts import extra_headers, refuse_oversized
from newsletter.providers.postmark_codes import (
    ACCOUNT_CODES,
    REQUEST_CODES,
    SENDING_LIMIT,
    TEMPLATE_CODES,
    TEMPLATE_HINT,
    TRY_LATER,
    error_code,
)
from newsletter.providers.postmark_metadata import metadata, post_tag, reader_of
from newsletter.providers.postmark_templates import PostTemplate, TemplateStore, batch_body
from newsletter.providers.suppression_api import get_json, records_in
from newsletter.subscribers import Suppression

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.message import Message
    from newsletter.providers.transport import Answer
    from newsletter.render import Email

logger = logging.getLogger(__name__)

# Validates the request without sending anything (docs/providers.md#postmark-test-mode).
TEST_TOKEN = "POSTMARK_API_TEST"
# Request sizes (docs/providers.md#postmark-sending): 50 MB a batch call, 10 MB a message with
# its attachments, both counted after base64.
MAX_CALL_BYTES = 50 * 1000 * 1000
MAX_MESSAGE_BYTES = 10 * 1000 * 1000
# A message's bytes beside its bodies and images: addresses, headers, the reader's link.
MESSAGE_OVERHEAD = 4096


class PostmarkProvider(HttpProvider):
    """Postmark's batch API; newsletters belong on a broadcast message stream."""

    name = "postmark"
    max_batch = 500  # /email/batch takes at most 500 messages (ErrorCode 410 beyond)
    default_api_url = "https://api.postmarkapp.com"
    secret_name = "POSTMARK_SERVER_TOKEN"
    transient_statuses = frozenset({503})  # 503 = maintenance; 500 stays in doubt

    def __init__(self, settings: Settings):
        super().__init__(settings)
        self.template: PostTemplate | None = None  # the post's, while a send of it runs

    def read_api_key(self, settings: Settings) -> str:
        if settings.provider.test_mode:
            return TEST_TOKEN
        return super().read_api_key(settings)

    def details(self) -> list[str]:
        details = [f"stream {self.settings.provider.message_stream}"]
        if self.settings.provider.test_mode:
            details.append(f"test mode: token {TEST_TOKEN}, nothing delivered")
        return details

    def check_email(self, email: Email) -> None:
        refuse_oversized("Postmark", email, message_bytes(email), MAX_MESSAGE_BYTES)

    def max_batch_for(self, email: Email) -> int:
        return max(1, min(self.max_batch, MAX_CALL_BYTES // message_bytes(email)))

    @contextmanager
    def campaign(self, email: Email, alone: Alone) -> Iterator[None]:
        """The post as a template on the server while its senders run (postmark_templates.py).
        If Postmark refuses to store it (its 100 templates a server, a refused token), whole
        messages instead: their first batch meets the same refusal, and it stops the run."""
        template = PostTemplate.of(email, self.settings.site.url)
        store = TemplateStore(self, self.settings.site.url)
        try:
            store.open(template, alone)
        except NewsletterError as error:
            logger.warning("postmark: no template for %s (%s); sending whole messages",
                           email.post_id, self.provider_text(error))
            template = None
        self.template = template
        try:
            yield
        finally:
            self.template = None
            with alone() as last:
                if template is not None and last:
                    store.remove(template.alias)

    def build_request(self, messages: list[Message]) -> HttpRequest:
        provider = self.settings.provider
        common = {
            "MessageStream": provider.message_stream,
            "TrackOpens": self.settings.tracking.opens,
            "TrackLinks": "HtmlAndText" if self.settings.tracking.clicks else "None",
        }
        first = messages[0]
        images = first.email.inline_images
        headers = {"X-Postmark-Server-Token": self.api_key}
        template = self.template
        if template is not None and template.fits(first):
            fixed = {"From": first.headers["From"], **self._labels(first), **common}
            if images:
                fixed["Attachments"] = attachments(images)
            return HttpRequest("/email/batchWithTemplates", headers=headers,
                               body=batch_body(template, messages, fixed, extra_headers, metadata))
        if images:
            common["Attachments"] = SHARED_SLOT
        body = json_array_with_bodies(
            messages, lambda message, html, text: self._message(message, html, text, common),
            shared=json_body(attachments(images)))
        return HttpRequest("/email/batch", body=body, headers=headers)

    def _labels(self, message: Message) -> dict:
        """Tag and ReplyTo: the same for every message of a post. ``Tag`` (the post) is what
        `reconcile` searches by (lookup_messages)."""
        labels = {"Tag": post_tag(message.post_id)}
        if "Reply-To" in message.headers:
            labels["ReplyTo"] = message.headers["Reply-To"]
        return labels

    def _message(self, message: Message, html: str, text: str, common: dict) -> dict:
        return {
            "From": message.headers["From"],
            "To": message.headers["To"],
            "Subject": message.subject,
            "HtmlBody": html,
            "TextBody": text,
            # On a broadcast stream where Postmark manages unsubscribes these headers are
            # replaced by Postmark's own (docs/providers.md#postmark-streams); ours are right either way.
            "Headers": [{"Name": k, "Value": v} for k, v in extra_headers(message).items()],
            **self._labels(message),
            "Metadata": metadata(message),
            **common,
        }

    def raise_for_status(self, response: Answer) -> None:
        # A whole-request failure is 422 with one {ErrorCode, Message} (docs/providers.md#postmark-errors).
        if response.status_code == 422:
            code = json_field(response, "ErrorCode")
            if code == SENDING_LIMIT:
                raise QuotaError(self.describe_response(response),
                                 hint="Postmark's sending limit is reached; the readers left "
                                      "are sent by a later run")
            if code in ACCOUNT_CODES:
                raise AuthError(self.describe_response(response),
                                hint=f"check {self.secret_name} and the sender signature")
            if code in REQUEST_CODES:
                raise AuthError(self.describe_response(response),
                                hint="Postmark refuses every request newsletter builds; "
                                     "this is a bug in newsletter, please report it")
            if code in TRY_LATER:
                raise TransientError(self.describe_response(response))
            if code in TEMPLATE_CODES:
                raise AuthError(self.describe_response(response), hint=TEMPLATE_HINT)
        super().raise_for_status(response)

    def parse_response(self, response: Answer, messages: list[Message]) -> list[Result]:
        # 200 even when some messages failed: one entry per message, in input order.
        entries = self.read_json(response)
        if (not isinstance(entries, list) or len(entries) != len(messages)
                or not all(isinstance(entry, dict) for entry in entries)):
            raise InDoubtError(f"{self.name} answered {response.status_code} without one result "
                               f"per message")
        results, account_failures = [], 0
        for entry in entries:
            code = error_code(entry)
            if code is None:
                raise InDoubtError(f"{self.name} answered {response.status_code} with a result "
                                   "that is neither an ErrorCode nor a MessageID")
            if code == 0:
                results.append(Result.sent(entry.get("MessageID")))
            else:
                account_failures += code in ACCOUNT_CODES
                reason = self.provider_text(f"ErrorCode {code}: {entry.get('Message')}")
                results.append(Result.rejected(f"{self.name} {reason}"))
        codes = [entry.get("ErrorCode") for entry in entries]
        # None was sent, and each only "not now": a used-up limit ends the run, else retry.
        if all(code == SENDING_LIMIT or code in TRY_LATER for code in codes):
            if SENDING_LIMIT in codes:
                raise QuotaError(results[codes.index(SENDING_LIMIT)].reason,
                                 hint="Postmark's sending limit is reached; the readers left "
                                      "are sent by a later run")
            raise TransientError(results[0].reason)
        if account_failures == len(messages):
            raise AuthError(results[0].reason, hint="check the sender signature and the account")
        if all(code in TEMPLATE_CODES for code in codes):
            raise AuthError(results[0].reason, hint=TEMPLATE_HINT)
        return results


def attachments(images) -> list[dict]:
    """Inline images as Postmark attachments: ``ContentID`` is the ``cid:`` URL the HTML uses."""
    return [{"Name": image.name, "Content": image.base64, "ContentType": image.content_type,
             "ContentID": f"cid:{image.name}"} for image in images]


def message_bytes(email: Email) -> int:
    """About how many bytes one reader's message takes in a batch: bodies, images, headers."""
    return (len(json_escaped(email.html)) + len(json_escaped(email.text)) + MESSAGE_OVERHEAD
            + sum(len(image.base64) + 200 for image in email.inline_images))


# Postmark: one dump per message stream, no paging (docs/providers.md#postmark-streams).
POSTMARK_REASONS = {"HardBounce": "bounced", "SpamComplaint": "complained",
                    "ManualSuppression": "unsubscribed"}


def fetch_suppressions(provider: HttpProvider) -> Iterator[Suppression]:
    """Every suppression on the newsletter's Postmark message stream."""
    stream = provider.settings.provider.message_stream
    path = f"/message-streams/{quote(stream, safe='')}/suppressions/dump"
    body = get_json(provider, path, headers={"X-Postmark-Server-Token": provider.api_key})
    for record in records_in(body, "Suppressions", provider.name, path):
        reason = record.get("SuppressionReason")
        if reason in POSTMARK_REASONS and isinstance(record.get("EmailAddress"), str):
            yield Suppression(record["EmailAddress"], POSTMARK_REASONS[reason],
                              f"postmark {stream}: {reason} ({record.get('Origin', '?')})")


def check_key(provider: HttpProvider) -> str | None:
    """`check --online`: GET /server, read-only, with the server token
    (docs/providers.md#checking-the-key)."""
    if provider.settings.provider.test_mode:
        return None  # the test token is Postmark's own; sends use no key of the writer's
    response = read(provider, "/server", headers={"X-Postmark-Server-Token": provider.api_key})
    if response.status_code != 200:
        raise refused(provider, response)
    return None


# The message search (docs/providers.md#finding-a-message-later): US Eastern wall times, inclusive
# to the second; count <= 500, count + offset <= 10,000; one stream (else "outbound").
EASTERN = ZoneInfo("America/New_York")
SEARCH_PAGE, SEARCH_DEPTH = 500, 10_000
SECOND = dt.timedelta(seconds=1)


def lookup_messages(provider: HttpProvider, post_id: str, batches: list[InDoubtBatch],
                    now: dt.datetime) -> Iterator[tuple[str, str]]:
    """The readers of the post Postmark accepted: its messages tagged with the post in the
    batches' time windows, each halved until it holds at most 10,000."""
    pages = Pages(provider, LOOKUP, {"X-Postmark-Server-Token": provider.api_key})
    stream = provider.settings.provider.message_stream
    to_read = [(start.replace(microsecond=0), end.replace(microsecond=0) + SECOND)
               for start, end in reversed(windows(batches, now))]

    def search(since: dt.datetime, until: dt.datetime, offset: int) -> dict:
        body = pages.get("/messages/outbound", {
            "count": SEARCH_PAGE, "offset": offset, "tag": post_tag(post_id), "messagestream": stream,
            "fromdate": wall_time(since, EASTERN, end=False),
            "todate": wall_time(until, EASTERN, end=True)})
        if not (isinstance(body, dict) and isinstance(body.get("TotalCount"), int)
                and isinstance(body.get("Messages"), list)):
            raise LookupFailed("postmark answered its message search without TotalCount and "
                               "Messages")
        return body

    with ThreadPoolExecutor(LOOKUP.in_flight, thread_name_prefix="lookup") as pool:
        while to_read:
            since, until = to_read.pop()
            first = search(since, until, 0)
            total = first["TotalCount"]
            if total > SEARCH_DEPTH:
                if until == since:
                    raise LookupFailed("postmark holds more than 10,000 messages of this post "
                                       "in one second; its search cannot list them")
                # Both ends count to their second, so the halves meet without sharing one:
                # halves that shared the middle second gave a three-second window back whole.
                middle = (since + (until - since) // 2).replace(microsecond=0)
                to_read += [(middle + SECOND, until), (since, middle)]
                continue
            offsets = range(SEARCH_PAGE, min(total, SEARCH_DEPTH), SEARCH_PAGE)
            # Pages are read ahead while each found one is written: in order, as they come.
            for body in chain([first], pool.map(lambda at: search(since, until, at), offsets)):
                for message in body["Messages"]:
                    found = reader_of(message, post_id)
                    if isinstance(found, str):
                        yield found, str(message.get("MessageID"))


# Retention: 45 days by default, 7 at the least; no indexing delay is documented: ten minutes.
LOOKUP = Lookup(lookup_messages, dt.timedelta(days=7), dt.timedelta(minutes=10), in_flight=4)


DECLARATION = Declaration(
    PostmarkProvider,
    secrets=(PostmarkProvider.secret_name,),
    settings=("message_stream",),
    fetch_suppressions=fetch_suppressions,
    check_key=check_key,
    webhook="postmark",
    lookup=LOOKUP,
)
