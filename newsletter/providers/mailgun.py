"""Mailgun ``POST /v3/{domain}/messages``: one call, many readers (docs/providers.md#mailgun).

The batch is one message with up to 1000 ``to`` addresses and ``recipient-variables``:
Mailgun sends each reader a separate copy, replacing ``%recipient.x%`` with that reader's
values, so the HTML and text go in the request once. Without ``recipient-variables`` every
reader would see the whole To list (docs/providers.md#mailgun-sending), so it is always sent.
Inline images go once per call as ``inline`` files; Mailgun makes a file's name its Content-ID,
which is the name the ``cid:`` URL uses.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import TYPE_CHECKING, Iterator
from urllib.parse import quote, urlsplit

from newsletter.addresses import address_key
from newsletter.errors import AuthError, ConfigError, InDoubtError
from newsletter.providers.base import TEST_COPY, Result, ascii_label
from newsletter.providers.declaration import Declaration
from newsletter.providers.http import HttpProvider, HttpRequest, parse_retry_after
from newsletter.providers.key_check import KeyUnchecked, json_of, read
from newsletter.providers.lookup import (
    InDoubtBatch,
    Lookup,
    LookupFailed,
    Pages,
    windows,
)
from newsletter.providers.message_parts import (
    any_escaped,
    common_headers,
    extra_headers,
    message_size,
    recipient_values,
    refuse_merge_tags,
    refuse_oversized,
    shared_parts,
)
from newsletter.providers.multipart import multipart_body
from newsletter.providers.suppression_api import MAX_PAGES, get_json, records_in
from newsletter.subscribers import Suppression

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.message import Message
    from newsletter.providers.transport import Answer
    from newsletter.render import Email

# What Mailgun answers, 200 and plain text, to a path it does not serve (a wrong domain or
# api_url): nothing was sent (django-anymail backends/mailgun.py, mailgun.js).
NO_SUCH_ENDPOINT = "Mailgun Magnificent API"
# A sandbox domain's or a free account's refusal, 403 (400 in older answers): "Domain
# sandbox….mailgun.org is not allowed to send: Sandbox subdomains are for test purposes only.
# Please add your own domain or add the address to authorized recipients in Account Settings."
# Every batch of a newsletter gets it: the run stops.
NOT_ALLOWED = re.compile(r"not allowed to send|for test purposes only", re.I)
TAG_LIMIT = 128  # characters in an o:tag (Mailgun tags are short ASCII labels)
MAX_MESSAGE_BYTES = 25 * 1000 * 1000  # a message with its files (docs/providers.md#mailgun-sending)


# Every variable Mailgun would fill from recipient-variables (their names are ours, but the
# reader's address and headers are among them: a post must hold none).
ANY_VARIABLE = re.compile(r"%recipient\.[^%\s]*%", re.IGNORECASE)


def _variable(name: str) -> str:
    return f"%recipient.{name}%"


def post_tag(post_id: str) -> str:
    """The post's ``o:tag``: Mailgun strips what is not ASCII from a tag, where a search by
    the post's own address would not find it, so that is percent-encoded; 128 at most."""
    return ascii_label(post_id, TAG_LIMIT)


class MailgunProvider(HttpProvider):
    """Mailgun's messages API with recipient-variables; EU domains via ``api_url``."""

    name = "mailgun"
    max_batch = 1000  # recipients per call ("Too many recipients" beyond)
    default_api_url = "https://api.mailgun.net"  # EU domains: https://api.eu.mailgun.net
    secret_name = "MAILGUN_API_KEY"

    def check_email(self, email: Email) -> None:
        refuse_merge_tags(self.name, email, _variable, ANY_VARIABLE)
        refuse_oversized("Mailgun", email, message_size(email), MAX_MESSAGE_BYTES)

    def __init__(self, settings: Settings):
        super().__init__(settings)
        if not settings.provider.domain:
            raise ConfigError("provider.domain is not set", where="newsletter.toml",
                              hint="add domain = \"mg.example.com\" (your Mailgun sending domain) "
                                   "under [provider]")
        self.domain = settings.provider.domain

    def details(self) -> list[str]:
        details = [f"domain {self.domain}"]
        if ".eu." in self.api_url:
            details.append("EU region")
        if self.settings.provider.test_mode:
            details.append("test mode: accepted, not delivered (still billed)")
        return details

    def build_request(self, messages: list[Message]) -> HttpRequest:
        first, provider = messages[0], self.settings.provider
        # As for SendGrid: the escaped copies of the values only when escaping changes one.
        escaped = any_escaped(messages)
        html, text = shared_parts(first, _variable, escaped)
        fields = [("from", first.headers["From"]), ("subject", first.subject)]
        fields += [("to", m.headers["To"]) for m in messages]
        fields += [("html", html), ("text", text)]
        if "Reply-To" in first.headers:
            fields.append(("h:Reply-To", first.headers["Reply-To"]))
        # A header equal for the whole batch is sent as is; one that differs per reader is a
        # %recipient.h:Name% variable, as django-anymail's merge_headers does.
        variables = {m.to_address: recipient_values(m) if escaped else dict(m.values)
                     for m in messages}
        if not first.test:  # a test copy names no reader: it never counts as theirs
            for m in messages:
                variables[m.to_address]["reader"] = address_key(m.to_address)
        common = common_headers(messages)
        for name in extra_headers(first):
            if name in common:
                fields.append((f"h:{name}", common[name]))
            else:
                fields.append((f"h:{name}", _variable(f"h:{name}")))
                for m in messages:
                    variables[m.to_address][f"h:{name}"] = m.headers[name]
        fields += [
            ("recipient-variables", json.dumps(variables, separators=(",", ":"))),
            ("o:tag", post_tag(first.post_id)),
            ("v:post", first.post_id),
            (f"v:{TEST_COPY}", "yes") if first.test else ("v:reader", _variable("reader")),
            ("o:tracking-clicks", "yes" if self.settings.tracking.clicks else "no"),
            ("o:tracking-opens", "yes" if self.settings.tracking.opens else "no"),
        ]
        if provider.test_mode:
            fields.append(("o:testmode", "yes"))
        parts = [(name, (None, value)) for name, value in fields]
        parts += [("inline", (image.name, image.data, image.content_type))
                  for image in first.email.inline_images]
        body, content_type = multipart_body(parts)
        return HttpRequest(f"/v3/{self.domain}/messages", body=body, auth=("api", self.api_key),
                           headers={"Content-Type": content_type})

    def raise_for_status(self, response: Answer) -> None:
        if response.status_code == 404:  # "Domain not found": wrong domain or region
            raise AuthError(self.describe_response(response),
                            hint="check provider.domain; EU domains need "
                                 "api_url = \"https://api.eu.mailgun.net\"")
        if response.status_code in (400, 403) and NOT_ALLOWED.search(
                self.error_message(response) or "") and not self.quota_used_up(response):
            raise AuthError(self.describe_response(response),
                            hint="a sandbox domain (or a free account) sends only to its "
                                 "authorized recipients: send from your own domain at Mailgun")
        super().raise_for_status(response)

    def parse_response(self, response: Answer, messages: list[Message]) -> list[Result]:
        # 200 {"id", "message": "Queued. Thank you."}: one id for the whole call.
        if NO_SUCH_ENDPOINT in response.text[:100]:  # as text, or as a JSON message
            raise AuthError(f"{self.name} answered {response.status_code} {NO_SUCH_ENDPOINT!r}, "
                            "its answer to a path it does not serve: nothing was sent",
                            hint=f"check provider.api_url ({self.api_url}) and provider.domain")
        answer = self.read_json(response)
        message_id = answer.get("id") if isinstance(answer, dict) else None
        if not isinstance(message_id, str) or not message_id:
            raise InDoubtError(f"{self.name} answered {response.status_code} without a message id")
        return [Result.sent(message_id) for _ in messages]

    def retry_after(self, response: Answer) -> float | None:
        # 429 says when in its body: "... try again after 120 seconds" or after an RFC date.
        message = self.error_message(response) or ""
        _, found, when = message.partition("try again after ")
        if found:
            seconds = when.removesuffix(" seconds").strip()
            try:
                return max(0.0, float(seconds))
            except ValueError:
                return parse_retry_after(when.strip())
        return super().retry_after(response)


# Mailgun: three lists per domain, paged by following `paging.next` until a page is empty
# (docs/providers.md#mailgun-suppressions). At most 1000 a page.
MAILGUN_LISTS = {"bounces": "bounced", "complaints": "complained", "unsubscribes": "unsubscribed"}


def fetch_suppressions(provider: HttpProvider) -> Iterator[Suppression]:
    """Every address on the Mailgun domain's bounce, complaint and unsubscribe lists."""
    domain = provider.settings.provider.domain  # the adapter refuses to start without it
    auth = ("api", provider.api_key)
    for list_name, status in MAILGUN_LISTS.items():
        path = f"/v3/{quote(domain, safe='')}/{list_name}?limit=1000"
        for _ in range(MAX_PAGES):
            body = get_json(provider, path, auth=auth)
            records = records_in(body, "items", provider.name, path)
            for record in records:
                if isinstance(record.get("address"), str) and _whole_domain(record):
                    detail = record.get("error") or record.get("code") or list_name
                    yield Suppression(record["address"], status, f"mailgun {list_name}: {detail}")
            next_url = (body.get("paging") or {}).get("next") if records else None
            if not isinstance(next_url, str):
                break
            # Follow the path and query only: the API URL (region, test server) and the
            # credentials stay ours, whatever host the link names.
            parts = urlsplit(next_url)
            path = f"{parts.path}?{parts.query}" if parts.query else parts.path


def _whole_domain(record: dict) -> bool:
    """False for an unsubscribe from some tags only (Mailgun's tag unsubscribe link: another
    mail of the domain's, whose tags no post carries); "*" is every mail of the domain."""
    tags = record.get("tags")
    return not isinstance(tags, list) or "*" in tags


def check_key(provider: HttpProvider) -> str | None:
    """`check --online`: GET /v4/domains/{domain}, the sending domain as the key sees it."""
    domain = provider.settings.provider.domain
    response = read(provider, f"/v4/domains/{quote(domain, safe='')}",
                    auth=("api", provider.api_key))
    if response.status_code in (401, 403):  # a wrong key, or a domain sending key (send only)
        return (f"mailgun refused the key for reading domain {domain}: a domain sending key "
                "may only send, so a test send (newsletter send POST --to you@...) tells; "
                "any other key is wrong")
    if response.status_code == 404:
        raise ConfigError(f"mailgun has no domain {domain} for this key", where="newsletter.toml",
                          hint='check provider.domain; an EU domain needs '
                               'api_url = "https://api.eu.mailgun.net"')
    if response.status_code != 200:
        raise KeyUnchecked(provider.describe_response(response))
    body = json_of(provider, response)
    state = (body.get("domain") or {}).get("state") if isinstance(body, dict) else None
    if state not in ("active", None):
        return f"the mailgun domain {domain} is {state}: verify its DNS records at Mailgun"
    return None


READ_REFUSED = ("a domain sending key may only send: reconcile reads Mailgun's events with an "
                "account API key (MAILGUN_API_KEY)")


def lookup_events(provider: MailgunProvider, post_id: str, batches: list[InDoubtBatch],
                  now: dt.datetime) -> Iterator[tuple[str, str]]:
    """The readers of the post Mailgun accepted: its `accepted` events tagged with the post in
    the batches' time windows, oldest first (docs/providers.md#finding-a-message-later)."""
    pages = Pages(provider, LOOKUP, {}, auth=("api", provider.api_key))
    for start, end in windows(batches, now):
        yield from _events(pages, provider, post_id, start, end)


def _events(pages: Pages, provider: MailgunProvider, post_id: str, start: dt.datetime,
            end: dt.datetime) -> Iterator[tuple[str, str]]:
    """One window's events, through ``paging.next`` until a page is empty."""
    body = pages.get(f"/v3/{quote(provider.domain, safe='')}/events", {
        "begin": f"{start.timestamp():.0f}", "end": f"{end.timestamp() + 1:.0f}",
        "ascending": "yes", "limit": 300, "event": "accepted", "tags": post_tag(post_id)},
        refused=READ_REFUSED)
    for _ in range(MAX_PAGES):
        items = body.get("items") if isinstance(body, dict) else None
        if not isinstance(items, list):
            raise LookupFailed("mailgun answered its events search without items")
        if not items:
            return
        for item in items:
            user = _field(item, "user-variables")
            # The tag filter matches every tag containing this one's terms: another post's too.
            reader = user.get("reader") if user.get("post") == post_id else None
            if isinstance(reader, str):
                yield reader, _message_id(item)
        following = _field(body, "paging").get("next")
        # The key goes with every read: only to the API it was given for.
        if not isinstance(following, str) or not following.startswith(provider.api_url + "/"):
            raise LookupFailed("mailgun's events answer points to no next page on its API")
        body = pages.get(following)
    raise LookupFailed(f"mailgun's events search went past {MAX_PAGES} pages")


def _message_id(item: dict) -> str:
    """The event's message id as the send recorded it: Mailgun's events name it without the
    angle brackets its send API answers with (``<...@domain>``), so a reader found here and one
    sent straight through are recorded alike (the event's own id when it names no message)."""
    given = _field(_field(item, "message"), "headers").get("message-id")
    if not isinstance(given, str) or not given.strip("<> "):
        return str(item.get("id"))
    return f"<{given.strip('<> ')}>"


def _field(parent: object, name: str) -> dict:
    """``parent[name]`` if both are objects, else an empty one (an answer of another shape)."""
    value = parent.get(name) if isinstance(parent, dict) else None
    return value if isinstance(value, dict) else {}


# Events are kept "for at least 3 days" (30 on some plans); a page is trustworthy once its
# events are half an hour old (Mailgun's event-polling guide).
LOOKUP = Lookup(lookup_events, retention=dt.timedelta(days=3), settle=dt.timedelta(minutes=30))


DECLARATION = Declaration(
    MailgunProvider,
    secrets=(MailgunProvider.secret_name, "MAILGUN_WEBHOOK_SIGNING_KEY"),
    settings=("domain",),
    fetch_suppressions=fetch_suppressions,
    check_key=check_key,
    webhook="mailgun",
    lookup=LOOKUP,
)
