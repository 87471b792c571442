"""The fakes' lookup APIs: what each provider answers when asked what it accepted.

Every message a fake accepts is logged (:class:`SentLog`) with what the provider keeps of it:
when, to whom, its tag, metadata, subject and the provider's id. The read APIs search that log
as documented (docs/providers.md#finding-a-message-later): Postmark's message search
(``count``+``offset`` at most 10,000, ``fromdate``/``todate`` in US Eastern time, inclusive to
the second, newest first, of the ``messagestream`` named, else the transactional ``outbound``),
Mailgun's events (``begin``/``end`` in epoch seconds, ``limit`` at most 300, ``paging.next``
until an empty page, a tag filter that matches every tag containing its terms), SendGrid's
Email Activity (404 unless the account bought it), Resend's list of emails (newest first,
cursor ``after``). Each drops what is older than its retention, and plays
``server.lookup_queue`` answers first (a 429, a 500).
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field, replace
from email.utils import parseaddr
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit
from zoneinfo import ZoneInfo

EASTERN = ZoneInfo("America/New_York")
DAY = 86400.0


@dataclass(frozen=True)
class Logged:
    """One accepted message as the provider keeps it."""

    at: float  # Unix time it was accepted
    address: str
    provider_id: str
    tag: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    subject: str | None = None
    batch: str | None = None  # SendGrid custom_args batch
    stream: str = "outbound"  # Postmark's MessageStream (its default when a send names none)


class SentLog:
    """Every accepted message, in time order, and searches over a time range."""

    def __init__(self):
        self.entries: list[Logged] = []
        self.times: list[float] = []
        self.lock = threading.Lock()

    def add(self, entries: list[Logged]) -> None:
        with self.lock:
            for entry in entries:
                index = bisect.bisect_right(self.times, entry.at)
                self.times.insert(index, entry.at)
                self.entries.insert(index, entry)

    def extend_sorted(self, entries: list[Logged]) -> None:
        """Append entries already in time order, newer than all logged (benchmarks)."""
        with self.lock:
            self.entries.extend(entries)
            self.times.extend(e.at for e in entries)

    def shift(self, seconds: float) -> None:
        """Every entry as if accepted ``seconds`` later (earlier, if negative)."""
        with self.lock:
            self.entries = [replace(e, at=e.at + seconds) for e in self.entries]
            self.times = [t + seconds for t in self.times]

    def between(self, start: float, end: float) -> list[Logged]:
        """Entries with start <= at < end, oldest first."""
        with self.lock:
            return self.entries[bisect.bisect_left(self.times, start):
                                bisect.bisect_left(self.times, end)]


def logged(api_name: str, request, answer) -> list[Logged]:
    """What the provider logs of an accepted send request (its answer gives the ids)."""
    now = time.time()
    payload = request.payload
    if api_name == "postmark":
        messages = payload["Messages"] if isinstance(payload, dict) else payload
        out = []
        for message, result in zip(messages, answer[2]):
            if result.get("ErrorCode", 0) == 0:
                out.append(Logged(now, parseaddr(message["To"])[1].lower(), result["MessageID"],
                                  message.get("Tag"), message.get("Metadata") or {},
                                  message.get("Subject"),
                                  stream=message.get("MessageStream") or "outbound"))
        return out
    if api_name == "mailgun":
        variables = json.loads(payload.get("recipient-variables", "{}"))
        # Mailgun strips the characters of a tag that are not ASCII (its Tags API docs)
        tags = ["".join(c for c in tag if c.isascii()) for tag in payload.get("o:tag", [])]
        message_id = answer[2]["id"].strip("<>")
        out = []
        for address in request.recipients:
            own = {f"%recipient.{k}%": str(v) for k, v in variables.get(address, {}).items()}
            user = {k[2:]: own.get(v, v) for k, v in payload.items() if k.startswith("v:")}
            out.append(Logged(now, address.lower(), message_id, tags[0] if tags else None, user,
                              payload.get("subject")))
        return out
    if api_name == "sendgrid":
        shared = payload.get("custom_args", {})
        x_message_id = answer[1]["X-Message-Id"]
        return [Logged(now, to["email"].lower(), f"{x_message_id}.filter{i}.{index}",
                       (payload.get("categories") or [None])[0],
                       {**shared, **p.get("custom_args", {})}, p.get("subject", payload["subject"]),
                       shared.get("batch"))
                for i, p in enumerate(payload["personalizations"])
                for index, to in enumerate(p["to"])]
    if api_name == "resend":
        errors = {e["index"] for e in answer[2].get("errors", [])}
        ids = iter(answer[2]["data"])
        return [Logged(now, parseaddr(m["to"][0] if isinstance(m["to"], list) else m["to"])[1]
                       .lower(), next(ids)["id"], subject=m["subject"])
                for i, m in enumerate(payload) if i not in errors]
    return []


# ---------------------------------------------------------------- the read APIs

def answer_lookup(fake, method: str, path: str) -> tuple[int, dict, Any] | None:
    """The answer of ``fake``'s provider to a lookup request, or None if ``path`` is not one."""
    parts = urlsplit(path)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    handler = LOOKUPS.get((fake.api.name, method))
    if handler is None or not handler[0].fullmatch(parts.path):
        return None
    with fake.lock:
        fake.lookups.append(path)
        queued = fake.lookup_queue.popleft() if fake.lookup_queue else None
    if queued is not None:
        return queued
    return handler[1](fake, query, fake.url + parts.path)


def _now(fake) -> float:
    return fake.clock()


def _retained(fake, start: float) -> float:
    """``start`` moved forward to the oldest message the provider still keeps."""
    return max(start, _now(fake) - fake.retention_days * DAY)


def _postmark_time(value: str | None, default: float) -> float | None:
    if value is None:
        return default
    try:
        return dt.datetime.fromisoformat(value).replace(tzinfo=EASTERN).timestamp()
    except ValueError:
        return None


def postmark_search(fake, query, here):
    """GET /messages/outbound (docs/providers.md#finding-a-message-later)."""
    try:
        count, offset = int(query["count"]), int(query["offset"])
    except (KeyError, ValueError):
        return 422, {}, {"ErrorCode": 300, "Message": "count and offset are required"}
    if not 1 <= count <= 500 or offset < 0 or count + offset > 10_000:
        return 422, {}, {"ErrorCode": 300,
                         "Message": "count is at most 500 and count + offset at most 10,000"}
    start = _postmark_time(query.get("fromdate"), 0.0)
    end = _postmark_time(query.get("todate"), _now(fake))
    if start is None or end is None:
        return 422, {}, {"ErrorCode": 300, "Message": "dates are YYYY-MM-DDTHH:MM:SS"}
    found = [e for e in fake.sent_log.between(_retained(fake, start), end + 1)  # to the second
             if (query.get("tag") is None or e.tag == query["tag"])
             and e.stream == query.get("messagestream", "outbound")
             and (query.get("recipient") is None or e.address == query["recipient"].lower())]
    found.reverse()  # newest first
    page = found[offset:offset + count]
    return 200, {}, {"TotalCount": len(found), "Messages": [{
        "MessageID": e.provider_id, "To": [{"Email": e.address, "Name": None}],
        "Recipients": [e.address], "Tag": e.tag, "Metadata": e.metadata, "Subject": e.subject,
        "Status": "Sent", "MessageStream": e.stream,
        "ReceivedAt": dt.datetime.fromtimestamp(e.at, EASTERN).isoformat()} for e in page]}


def mailgun_events(fake, query, here):
    """GET /v3/{domain}/events, paged through ``paging.next`` (docs/providers.md)."""
    try:
        limit = int(query.get("limit", 100))
        begin = float(query["begin"]) if "begin" in query else 0.0
        end = float(query["end"]) if "end" in query else _now(fake)
        skip = int(query.get("page", 0))
    except ValueError:
        return 400, {}, {"message": "begin and end are epoch seconds"}
    if not 1 <= limit <= 300:
        return 400, {}, {"message": "limit is at most 300"}
    if "end" not in query and "ascending" not in query:
        return 400, {}, {"message": "ascending is required without end"}
    event = query.get("event")
    found = [e for e in fake.sent_log.between(_retained(fake, begin), end)
             if event in (None, "accepted")
             and _filter_matches(query.get("tags"), e.tag)
             and (query.get("recipient") is None or e.address == query["recipient"].lower())]
    if query.get("ascending") != "yes":
        found.reverse()
    page = found[skip:skip + limit]
    following = {**query, "page": str(skip + limit)}
    return 200, {}, {"items": [{
        "id": uuid.uuid5(uuid.NAMESPACE_URL, e.provider_id + e.address).hex, "event": "accepted",
        "timestamp": e.at, "recipient": e.address, "tags": [e.tag] if e.tag else [],
        "user-variables": e.metadata, "message": {"headers": {"message-id": e.provider_id,
                                                              "subject": e.subject}}}
        for e in page], "paging": {"next": f"{here}?{urlencode(following)}"}}


def _filter_matches(expression: str | None, value: str | None) -> bool:
    """Mailgun's filter expression: ``foo bar`` matches a value that contains both terms."""
    return expression is None or all(term in (value or "") for term in expression.split())


SENDGRID_QUERY = re.compile(r"""unique_args\['batch'\]="(?P<batch>[^"]*)\"""")


def sendgrid_activity(fake, query, here):
    """GET /v3/messages: only with the Email Activity add-on; else what SendGrid answers."""
    if not fake.activity_feed:
        return 404, {}, {"errors": [{"message": "Email Activity is not available on this "
                                                "account", "field": None}]}
    try:
        limit = int(query.get("limit", 10))
    except ValueError:
        limit = 0
    found = SENDGRID_QUERY.fullmatch(query.get("query", ""))
    if not 1 <= limit <= 1000 or found is None:
        return 400, {}, {"errors": [{"message": "invalid query or limit", "field": "query"}]}
    messages = [e for e in fake.sent_log.between(_retained(fake, 0.0), _now(fake) + 1)
                if e.batch == found["batch"]][-limit:]
    return 200, {}, {"messages": [{
        "msg_id": e.provider_id, "to_email": e.address, "from_email": "jane@example.com",
        "subject": e.subject, "status": "delivered", "opens_count": 0, "clicks_count": 0,
        "last_event_time": dt.datetime.fromtimestamp(e.at, dt.timezone.utc).isoformat()}
        for e in reversed(messages)]}


def resend_list(fake, query, here):
    """GET /emails: newest first, cursor ``after`` (the id of the last email of a page)."""
    try:
        limit = int(query.get("limit", 20))
    except ValueError:
        limit = 0
    if not 1 <= limit <= 100:
        return 422, {}, {"statusCode": 422, "name": "validation_error",
                         "message": "limit must be between 1 and 100"}
    emails = fake.sent_log.between(_retained(fake, 0.0), _now(fake) + 1)[::-1]
    start = 0
    if "after" in query:
        start = next((i + 1 for i, e in enumerate(emails) if e.provider_id == query["after"]),
                     None)
        if start is None:
            return 404, {}, {"statusCode": 404, "name": "not_found", "message": "no such email"}
    page = emails[start:start + limit]
    return 200, {}, {"object": "list", "has_more": start + limit < len(emails), "data": [{
        "id": e.provider_id, "to": [e.address], "from": "Jane <jane@example.com>",
        "subject": e.subject, "last_event": "delivered", "created_at": dt.datetime.fromtimestamp(
            e.at, dt.timezone.utc).isoformat(sep=" ").replace("+00:00", fake.resend_zone)}
        for e in page]}


LOOKUPS = {
    ("postmark", "GET"): (re.compile(r"/messages/outbound"), postmark_search),
    ("mailgun", "GET"): (re.compile(r"/v3/[^/]+/events"), mailgun_events),
    ("sendgrid", "GET"): (re.compile(r"/v3/messages"), sendgrid_activity),
    ("resend", "GET"): (re.compile(r"/emails"), resend_list),
}
# Retention each fake applies by default (days): Postmark's default, Mailgun's 30-day plans,
# SendGrid's add-on, Resend's free plan.
RETENTION_DAYS = {"postmark": 45, "mailgun": 30, "sendgrid": 30, "resend": 1}
