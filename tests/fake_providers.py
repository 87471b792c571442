"""Fake mail provider APIs over real HTTP on 127.0.0.1, for tests and benchmarks.

Each fake checks a request the way the real API does: auth header and content type, then
the body against the project's JSON Schema of that API in ``tests/schemas`` (required fields,
types, batch, recipient and size limits, written from the provider's documentation), then
in code the rules a schema cannot express (recipients counted across a request, sizes in
bytes, request headers). It records what it accepted, and plays back queued behaviours
(``server.enqueue(fail(429, retry_after=0.05), OK)``); with nothing queued it accepts.
Requests that fail validation are kept in ``server.invalid`` so a test can assert the adapter
never sends one.
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import functools
import hashlib
import json
import re
import socket
import threading
import time
import uuid
from collections import Counter, deque
from dataclasses import dataclass, field
from email.utils import parseaddr
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import requests
from fake_lookups import RETENTION_DAYS, SentLog, answer_lookup, logged
from fake_postmark_templates import Templates

SCHEMAS = Path(__file__).resolve().parent / "schemas"


# ---------------------------------------------------------------- behaviours

@dataclass(frozen=True)
class Behaviour:
    """What the fake does with one request."""

    kind: str = "ok"  # ok | partial | fail | cut | slow | drop | hangup | lost | answer
    status: int = 200
    codes: tuple[tuple[int, int], ...] = ()  # partial: (index in batch, provider error code)
    retry_after: float | None = None
    delay: float = 0.0
    name: str | None = None  # fail: the provider's error name/code (Resend name, Postmark ErrorCode)
    body: Any = None  # answer: this JSON, with ``status``, whatever was asked
    # An answer held for ``delay`` seconds waits for this event (when set) instead of the
    # fake's closing: a test releases one request's answer at the moment it chooses.
    until: threading.Event | None = None


def answer(body: Any, status: int = 200) -> Behaviour:
    """Answer ``status`` with ``body`` (an answer of a shape the docs do not give); the fake
    counts nothing as accepted."""
    return Behaviour("answer", status=status, body=body)


OK = Behaviour()


def partial(**codes: int) -> Behaviour:
    """Accept the batch but fail some messages: ``partial(i0=406, i2=300)``."""
    return Behaviour("partial", codes=tuple((int(k[1:]), v) for k, v in codes.items()))


def fail(status: int, *, retry_after: float | None = None, name: Any = None) -> Behaviour:
    """Answer ``status`` with the provider's error body; nothing is accepted."""
    return Behaviour("fail", status=status, retry_after=retry_after, name=name)


def slow(delay: float = 60.0) -> Behaviour:
    """Accept everything, but answer only after ``delay`` seconds (or when the fake closes).

    The default outlasts any client timeout a test sets, however loaded the machine."""
    return Behaviour("slow", delay=delay)


DROP = Behaviour("drop")  # accept everything, then close the connection mid-response


def cut(status: int, *, name: Any = None) -> Behaviour:
    """Answer as ``fail`` does, but close the connection halfway through the body."""
    return Behaviour("cut", status=status, name=name)
# The request arrives but the provider never takes it in: no answer (until ``delay`` or the fake
# closes), nothing accepted, nothing logged.
LOST = Behaviour("lost", delay=60.0)
HANGUP = Behaviour("hangup")  # accept everything, then close the connection without answering


@dataclass
class Recorded:
    """One request as the fake saw it."""

    path: str
    headers: dict[str, str]
    body: bytes
    payload: Any = None
    recipients: list[str] = field(default_factory=list)
    problem: str | None = None
    files: dict[str, list[tuple[str, str, bytes]]] = field(default_factory=dict)  # multipart files
    method: str = "POST"


@dataclass
class Delivery:
    """What one reader would receive, after the provider's own substitutions."""

    address: str
    html: str
    text: str
    headers: dict[str, str]
    fields: dict[str, Any]
    images: dict[str, bytes] = field(default_factory=dict)  # Content-ID -> bytes, inline parts


# ---------------------------------------------------------------- schema validation

@functools.cache
def schema_validator(name: str) -> jsonschema.Draft202012Validator:
    """A validator for the project's schema ``tests/schemas/<name>.json``."""
    return jsonschema.Draft202012Validator(json.loads((SCHEMAS / f"{name}.json").read_bytes()))


def _first_error(validator, instance) -> str | None:
    error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
    if error is None:
        return None
    message = error.message
    if len(message) > 200:  # it quotes the whole instance: name the rule it breaks instead
        message = f"breaks {error.validator} {json.dumps(error.validator_value)}"[:200]
    return f"{'/'.join(map(str, error.absolute_path)) or 'body'}: {message}"


# ---------------------------------------------------------------- the four APIs

class FakeApi:
    """One provider's rules and answers. Subclasses fill in the wire format."""

    name = ""
    path = re.compile(".*")
    schema = ""  # the payload must match tests/schemas/<schema>.json
    keep_bodies = True

    @classmethod
    def schemas(cls) -> list[str]:
        """Every schema in tests/schemas this API checks requests against."""
        return [cls.schema]

    def __init__(self, key: str):
        self.key = key
        self.validator = schema_validator(self.schema)

    def authorised(self, headers: dict[str, str]) -> bool:
        raise NotImplementedError

    def read(self, request: Recorded) -> None:
        """Parse the body into ``payload`` and ``recipients``; set ``problem`` when invalid."""
        request.payload = self.parse(request)
        if request.problem is None:
            request.problem = _first_error(self.validator, request.payload) or self.check(request)

    def parse(self, request: Recorded) -> Any:
        """The body as the schema sees it (JSON here); sets ``problem`` if it cannot be read."""
        if not request.headers.get("content-type", "").startswith("application/json"):
            request.problem = "Content-Type must be application/json"
            return None
        try:
            return json.loads(request.body)
        except ValueError:
            request.problem = "body is not JSON"
            return None

    def check(self, request: Recorded) -> str | None:
        """Set ``recipients`` of a payload the schema accepted; the problem a schema cannot see."""
        raise NotImplementedError

    def deliveries(self, request: Recorded) -> list[Delivery]:
        raise NotImplementedError

    def success(self, request: Recorded, behaviour: Behaviour) -> tuple[int, dict, Any]:
        raise NotImplementedError

    def failure(self, status: int, behaviour: Behaviour) -> tuple[int, dict, Any]:
        headers = {}
        if behaviour.retry_after is not None:
            headers["Retry-After"] = f"{behaviour.retry_after:g}"
        return status, headers, {"message": behaviour.name or f"fake failure {status}"}

    def unauthorised(self) -> tuple[int, dict, Any]:
        return 401, {}, {"message": "Unauthorized"}

    def invalid(self, request: Recorded) -> tuple[int, dict, Any]:
        return 400, {}, {"message": request.problem}

    def other(self, method: str, path: str, body: bytes) -> tuple[int, dict, Any] | None:
        """The answer to a request that sends nothing (Postmark's /templates), or None."""
        return None

    def key_check(self, path: str) -> tuple[int, dict, Any] | None:
        """The answer to the read-only GET `check --online` makes with a good key (None: no
        such path)."""
        return None

    def refused_read(self) -> tuple[int, dict, Any]:
        """The answer to that GET with a wrong key."""
        return self.unauthorised()


class PostmarkApi(FakeApi):
    """POST /email/batch, and /email/batchWithTemplates with the /templates it refers to
    (docs/providers.md#postmark)."""

    name = "postmark"
    path = re.compile(r"^/email/batch(WithTemplates)?$")
    schema = "postmark_email_batch"

    templated_schema = "postmark_email_batch_with_templates"

    def __init__(self, key):
        super().__init__(key)
        self.templates = Templates()
        self.templated = schema_validator(self.templated_schema)

    @classmethod
    def schemas(cls):
        return [cls.schema, cls.templated_schema]

    def authorised(self, headers):
        return headers.get("x-postmark-server-token") in (self.key, "POSTMARK_API_TEST")

    def key_check(self, path):  # GET /server: the server the token belongs to
        return (200, {}, {"ID": 1, "Name": "Fake broadcasts", "Color": "Blue"}) \
            if path == "/server" else None

    def unauthorised(self):
        return 401, {}, {"ErrorCode": 10, "Message": "Bad or missing Server API token"}

    def other(self, method, path, body):
        """The /templates API (tests/fake_postmark_templates.py)."""
        try:
            payload = json.loads(body) if body else None
        except ValueError:
            return 422, {}, {"ErrorCode": 402, "Message": "Received invalid JSON input."}
        return self.templates.answer(method, path, payload)

    def read(self, request):
        if not request.path.endswith("WithTemplates"):
            return super().read(request)
        request.payload = self.parse(request)
        if request.problem is None:
            request.problem = (_first_error(self.templated, request.payload)
                               or self.check(request))

    def messages(self, request) -> list[dict]:
        payload = request.payload
        return payload["Messages"] if isinstance(payload, dict) else payload

    def invalid(self, request):
        # ErrorCode 410: too many batch messages; 1101: no such template; 300: invalid request.
        batch = self.messages(request) if isinstance(request.payload, (dict, list)) else None
        too_many = isinstance(batch, list) and len(batch) > 500
        code = 410 if too_many else 1101 if "template" in (request.problem or "") else 300
        return 422, {}, {"ErrorCode": code, "Message": request.problem}

    def check(self, request):
        messages = self.messages(request)
        request.recipients = [parseaddr(m["To"])[1] for m in messages]
        for message in messages:
            if "TemplateAlias" in message and (
                    message["TemplateAlias"] not in self.templates.by_alias):
                return f"template {message['TemplateAlias']} not found"
        if len(request.body) > 10 * 1024 * 1024 and any(  # only then can one message be
                len(json.dumps(m, ensure_ascii=False).encode()) > 10 * 1024 * 1024
                for m in messages):
            return "a message larger than 10 MB with its attachments"
        return "batch larger than 50 MB" if len(request.body) > 50 * 1024 * 1024 else None

    def deliveries(self, request):
        out = []
        for address, m in zip(request.recipients, self.messages(request)):
            html, text, subject = m.get("HtmlBody", ""), m.get("TextBody", ""), m.get("Subject")
            if "TemplateAlias" in m:
                subject, html, text = self.templates.rendered(m)
            fields = {**m, "Subject": subject}
            out.append(Delivery(address, html, text,
                                {h["Name"]: h["Value"] for h in m.get("Headers", [])}, fields,
                                {a["ContentID"].removeprefix("cid:"): base64.b64decode(a["Content"])
                                 for a in m.get("Attachments", []) if a.get("ContentID")}))
        return out

    def success(self, request, behaviour):
        codes = dict(behaviour.codes)
        answers = []
        for index, address in enumerate(request.recipients):
            code = codes.get(index, 0)
            if code == 0:
                answers.append({"To": address, "SubmittedAt": "2026-11-26T00:00:00Z",
                                "MessageID": str(uuid.uuid4()), "ErrorCode": 0, "Message": "OK"})
            else:
                answers.append({"ErrorCode": code, "Message": f"fake per-message error {code}"})
        return 200, {}, answers

    def failure(self, status, behaviour):
        headers = {} if behaviour.retry_after is None else {"Retry-After": f"{behaviour.retry_after:g}"}
        body = {"Message": f"fake failure {status}"}
        if behaviour.name is not None:
            body["ErrorCode"] = behaviour.name
        return status, headers, body


class SendGridApi(FakeApi):
    """POST /v3/mail/send (docs/providers.md#sendgrid)."""

    name = "sendgrid"
    path = re.compile(r"^/v3/mail/send$")
    schema = "sendgrid_mail_send"
    scopes = ("mail.send", "suppression.read")  # what GET /v3/scopes lists for the key

    def key_check(self, path):
        return (200, {}, {"scopes": list(self.scopes)}) if path == "/v3/scopes" else None

    def authorised(self, headers):
        return headers.get("authorization") == f"Bearer {self.key}"

    def unauthorised(self):
        return 401, {}, {"errors": [{"message": "The provided authorization grant is invalid, "
                                                "expired, or revoked", "field": None}]}

    def invalid(self, request):
        return 400, {}, {"errors": [{"message": request.problem, "field": None}]}

    def check(self, request):
        personalizations = request.payload["personalizations"]
        request.recipients = [to["email"] for p in personalizations for to in p["to"]]
        everyone = [r["email"] for p in personalizations for kind in ("to", "cc", "bcc")
                    for r in p.get(kind, [])]
        if len(everyone) > 1000:
            return "more than 1000 recipients"
        if len(set(everyone)) != len(everyone):
            return "each email address may appear only once"
        if any(len(json.dumps(p.get("substitutions", {})).encode()) > 10_000
               for p in personalizations):
            return "substitutions over 10000 bytes"
        shared_args = request.payload.get("custom_args", {})
        if any(len(json.dumps({**shared_args, **p.get("custom_args", {})}).encode()) >= 10_000
               for p in personalizations):
            return "custom_args of a personalization must be less than 10000 bytes"
        return "request larger than 30 MB" if len(request.body) > 30 * 1024 * 1024 else None

    def deliveries(self, request):
        body = request.payload
        content = {c["type"]: c["value"] for c in body.get("content", [])}
        images = {a["content_id"]: base64.b64decode(a["content"])
                  for a in body.get("attachments", [])
                  if a.get("disposition") == "inline" and a.get("content_id")}
        out = []
        for p in body["personalizations"]:
            subs = p.get("substitutions", {})
            html, text = (_substitute(content.get(t, ""), subs) for t in ("text/html", "text/plain"))
            headers = {**body.get("headers", {}), **p.get("headers", {})}
            for to in p["to"]:
                fields = {**body, "personalization": p}
                out.append(Delivery(to["email"], html, text, headers, fields, images))
        return out

    def success(self, request, behaviour):
        sandbox = request.payload.get("mail_settings", {}).get("sandbox_mode", {}).get("enable")
        return (200 if sandbox else 202), {"X-Message-Id": uuid.uuid4().hex[:22]}, None

    def failure(self, status, behaviour):
        headers = {}
        if behaviour.retry_after is not None:  # SendGrid sends a reset time (whole unix seconds), not Retry-After
            headers = {"X-RateLimit-Limit": "600", "X-RateLimit-Remaining": "0",
                       "X-RateLimit-Reset": str(int(time.time()) + behaviour.retry_after)}
        message = behaviour.name or f"fake failure {status}"  # name: SendGrid's own words
        return status, headers, {"errors": [{"message": message, "field": None}]}


def _substitute(text: str, values: dict[str, str]) -> str:
    for token, value in values.items():
        text = text.replace(token, value)
    return text


class MailgunApi(FakeApi):
    """POST /v3/{domain}/messages, a multipart form (docs/providers.md#mailgun)."""

    name = "mailgun"
    path = re.compile(r"^/v3/(?P<domain>[^/]+)/messages$")
    schema = "mailgun_messages"
    ARRAY_FIELDS = {"to", "cc", "bcc", "o:tag", "attachment", "inline"}
    def __init__(self, key):
        super().__init__(key)
        self.domains = {"mg.example.com": "active"}  # GET /v4/domains/{name}: name -> state

    def key_check(self, path):
        found = re.fullmatch(r"/v4/domains/([^/?]+)", path)
        if not found:
            return None
        if found[1] not in self.domains:
            return 404, {}, {"message": "Domain not found"}
        return 200, {}, {"domain": {"name": found[1], "state": self.domains[found[1]],
                                    "type": "custom"}, "sending_dns_records": []}

    def authorised(self, headers):
        expected = "Basic " + base64.b64encode(f"api:{self.key}".encode()).decode()
        return headers.get("authorization") == expected

    def unauthorised(self):
        return 401, {}, "Forbidden"

    def parse(self, request):
        content_type = request.headers.get("content-type", "")
        if not content_type.startswith("multipart/form-data"):
            request.problem = "Expecting 'multipart/form-data'"
            return None
        parsed = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + request.body)
        form: dict[str, Any] = {}
        for part in parsed.iter_parts():
            name = part.get_param("name", header="content-disposition")
            filename = part.get_filename()
            if filename is None:  # form fields are UTF-8 whatever the part says
                value = part.get_payload(decode=True).decode("utf-8")
            else:  # a file (attachment, inline): the form holds its name, `files` its bytes
                request.files.setdefault(name, []).append(
                    (filename, part.get_content_type(), part.get_payload(decode=True)))
                value = filename
            if name in self.ARRAY_FIELDS:
                form.setdefault(name, []).append(value)
            elif name in form:
                request.problem = f"{name} given twice"
            else:
                form[name] = value
        return form

    def check(self, request):
        form = request.payload
        request.recipients = [parseaddr(to)[1] for to in form["to"]]
        try:
            variables = json.loads(form.get("recipient-variables", "{}"))
        except ValueError:
            return "recipient-variables is not valid JSON"
        options = sum(len(k) + len(v) for k, v in form.items() if k[:2] in ("o:", "h:", "v:", "t:")
                      for v in (v if isinstance(v, list) else [v]))
        if sum(len(form.get(kind, [])) for kind in ("to", "cc", "bcc")) > 1000:
            return "Too many recipients"
        if len(request.body) > 25 * 1024 * 1024:
            return "message larger than 25 MB"
        if len(request.recipients) > 1 and set(variables) != set(request.recipients):
            # Without recipient-variables every reader sees the whole To list.
            return "recipient-variables must name every recipient"
        return "o:, h:, v: and t: options over 16 KB" if options > 16 * 1024 else None

    def deliveries(self, request):
        form = request.payload
        variables = json.loads(form.get("recipient-variables", "{}"))
        out = []
        for address in request.recipients:
            values = {f"%recipient.{k}%": str(v) for k, v in variables.get(address, {}).items()}
            headers = {k[2:]: _substitute(v, values) for k, v in form.items() if k.startswith("h:")}
            out.append(Delivery(address, _substitute(form.get("html", ""), values),
                                _substitute(form.get("text", ""), values), headers, form,
                                {name: data for name, _, data in request.files.get("inline", [])}))
        return out

    def success(self, request, behaviour):
        domain = self.path.match(request.path)["domain"]
        return 200, {}, {"id": f"<{uuid.uuid4().hex}@{domain}>", "message": "Queued. Thank you."}

    def failure(self, status, behaviour):
        message = behaviour.name or f"fake failure {status}"  # name: Mailgun's own words
        if behaviour.retry_after is not None:  # Mailgun says when in the body
            message = f"request limit exceeded, try again after {behaviour.retry_after:g} seconds"
        return status, {}, {"message": message}


class ResendApi(FakeApi):
    """POST /emails/batch; honours Idempotency-Key (docs/providers.md#resend)."""

    name = "resend"
    path = re.compile(r"^/emails/batch$")
    schema = "resend_emails_batch"

    def __init__(self, key):
        super().__init__(key)
        self.answers: dict[str, tuple[str, tuple]] = {}  # idempotency key -> (payload hash, answer)
        self.domains = {"example.com": "verified"}  # GET /domains: name -> status
        self.sending_only = False  # a key with "Sending access" only: GET /domains is refused

    def key_check(self, path):
        if path != "/domains":
            return None
        if self.sending_only:
            return 401, {}, {"statusCode": 401, "name": "restricted_api_key",
                             "message": "This API key is restricted to only send emails"}
        return 200, {}, {"object": "list", "has_more": False, "data": [
            {"id": str(uuid.uuid4()), "name": name, "status": status, "region": "us-east-1"}
            for name, status in self.domains.items()]}

    def authorised(self, headers):
        return headers.get("authorization") == f"Bearer {self.key}"

    def unauthorised(self):
        return 401, {}, {"statusCode": 401, "name": "validation_error", "message": "API key is invalid"}

    def refused_read(self):  # every endpoint but sending answers a wrong key so
        return 400, {}, {"statusCode": 400, "name": "validation_error",
                         "message": "API key is invalid"}

    def invalid(self, request):
        return 422, {}, {"statusCode": 422, "name": "validation_error", "message": request.problem}

    def check(self, request):
        request.recipients = [parseaddr(to)[1] for m in request.payload
                              for to in ([m["to"]] if isinstance(m["to"], str) else m["to"])]
        key = request.headers.get("idempotency-key")
        if key is not None and not 1 <= len(key) <= 256:
            return "invalid_idempotency_key"
        if request.headers.get("x-batch-validation", "strict") not in ("strict", "permissive"):
            return "x-batch-validation must be strict or permissive"
        return None

    def deliveries(self, request):
        return [Delivery(parseaddr(m["to"] if isinstance(m["to"], str) else m["to"][0])[1],
                         m.get("html", ""), m.get("text", ""), m.get("headers", {}), m)
                for m in request.payload]

    def success(self, request, behaviour):
        codes = dict(behaviour.codes)
        data = [{"id": str(uuid.uuid4())} for i in range(len(request.payload)) if i not in codes]
        body = {"data": data}
        if codes:
            body["errors"] = [{"index": i, "message": f"fake error {c}"} for i, c in codes.items()]
        return 200, {}, body

    def failure(self, status, behaviour):
        headers = {} if behaviour.retry_after is None else {"retry-after": f"{behaviour.retry_after:g}"}
        name = behaviour.name or {429: "rate_limit_exceeded", 409: "concurrent_idempotent_requests",
                                  500: "internal_server_error"}.get(status, "application_error")
        return status, headers, {"statusCode": status, "name": name, "message": f"fake {name}"}


# How each provider says its daily quota is used up (docs/providers.md): Resend's 429 name,
# Postmark's ErrorCode 405, Mailgun's 429 asking to wait a day.
QUOTA_ANSWERS = {"resend": fail(429, name="daily_quota_exceeded"),
                 "postmark": fail(422, name=405),
                 "mailgun": fail(429, retry_after=86400)}


# ---------------------------------------------------------------- the server

class FakeProviderServer:
    """A fake provider API on 127.0.0.1 and a free port, in a background thread."""

    def __init__(self, api: FakeApi, latency: float = 0.0):
        self.api = api
        self.latency = latency
        self.queue: deque[Behaviour] = deque()
        self.requests: list[Recorded] = []  # every request to the send endpoint
        self.other_requests: list[Recorded] = []  # the rest (Postmark's /templates)
        self.invalid: list[Recorded] = []
        self.accepted: Counter[str] = Counter()  # address -> times accepted
        self.delivered: list[Delivery] = []
        self.reads: list[str] = []  # paths of the GETs that checked the key
        self.request_count = 0
        self.bytes_received = 0
        self.record = True  # False in benchmarks: count only
        # Messages the account may still send today (None: no quota); a request that would
        # pass it gets the provider's quota answer (QUOTA_ANSWERS) and nothing is accepted.
        self.quota: int | None = None
        self.lock = threading.Lock()
        self.closing = threading.Event()  # cuts slow answers short
        # The lookup APIs (tests/fake_lookups.py): what was accepted, the searches made, answers
        # to play first (a 429), how long messages are kept, the time, SendGrid's add-on.
        self.sent_log = SentLog()
        self.lookups: list[str] = []
        self.lookup_queue: deque[tuple[int, dict, Any]] = deque()
        self.lookup_latency = 0.0
        self.retention_days = RETENTION_DAYS[api.name]
        self.clock = time.time
        self.activity_feed = True
        # How Resend's list of emails writes a time's zone: "+00", as its reference shows
        # ("2023-04-03 22:13:42.674981+00"); "" writes none.
        self.resend_zone = "+00"
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.fake = self
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def enqueue(self, *behaviours: Behaviour) -> None:
        """Play these behaviours for the next requests, in order; then accept."""
        self.queue.extend(behaviours)

    def close(self) -> None:
        self.closing.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def last_json(self) -> Any:
        return self.requests[-1].payload

    def delivery(self, address: str) -> Delivery:
        """What ``address`` received (exactly once, or this fails)."""
        found = [d for d in self.delivered if d.address == address]
        assert len(found) == 1, f"{address} received {len(found)} messages"
        return found[0]

    def handle(self, request: Recorded) -> tuple[Behaviour, tuple[int, dict, Any]]:
        """Validate, pick the behaviour, record what is accepted; return the answer."""
        api = self.api
        if request.method != "POST" or not api.path.match(request.path):
            if not api.authorised(request.headers):
                return OK, api.unauthorised()
            with self.lock:
                self.other_requests.append(request)
                answer = api.other(request.method, request.path, request.body)
            return OK, answer or (404, {}, {"message": "not found"})
        with self.lock:
            self.request_count += 1
            self.bytes_received += len(request.body)
            if self.record:
                self.requests.append(request)
        if not api.authorised(request.headers):
            return OK, api.unauthorised()
        api.read(request)
        if request.problem:
            with self.lock:
                self.invalid.append(request)
            return OK, api.invalid(request)
        with self.lock:
            if self.quota is not None and not self.queue:
                if len(request.recipients) > self.quota:
                    quota = QUOTA_ANSWERS[api.name]
                    return quota, api.failure(quota.status, quota)
                self.quota -= len(request.recipients)
            behaviour = self.queue.popleft() if self.queue else OK
            replay = self._replay(request)
            if replay:
                return behaviour if behaviour.kind in ("slow", "drop", "hangup") else OK, replay
            if behaviour.kind in ("fail", "cut"):
                return behaviour, api.failure(behaviour.status, behaviour)
            if behaviour.kind == "answer":
                return behaviour, (behaviour.status, {}, behaviour.body)
            if behaviour.kind == "lost":
                return behaviour, (500, {}, None)
            answer = api.success(request, behaviour)
            rejected = {i for i, _ in behaviour.codes}
            for i, address in enumerate(request.recipients):
                if i not in rejected:
                    self.accepted[address] += 1
            if self.record and api.keep_bodies:
                self.delivered.extend(d for i, d in enumerate(api.deliveries(request))
                                      if i not in rejected)
            self.sent_log.add(logged(api.name, request, answer))
            self._remember(request, answer)
        return behaviour, answer

    def _replay(self, request: Recorded):
        """Resend's Idempotency-Key: same key and payload -> the first answer, nothing sent."""
        key = request.headers.get("idempotency-key")
        if not isinstance(self.api, ResendApi) or key is None or key not in self.api.answers:
            return None
        digest, answer = self.api.answers[key]
        if digest != hashlib.sha256(request.body).hexdigest():
            return 409, {}, {"statusCode": 409, "name": "invalid_idempotent_request",
                             "message": "Same idempotency key used with a different payload"}
        return answer

    def _remember(self, request: Recorded, answer) -> None:
        key = request.headers.get("idempotency-key")
        if isinstance(self.api, ResendApi) and key is not None:
            self.api.answers[key] = (hashlib.sha256(request.body).hexdigest(), answer)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # the default 5 drops connections under load
    fake: FakeProviderServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the real APIs

    def setup(self):
        super().setup()
        # Without TCP_NODELAY, Nagle + delayed ACK add ~40 ms to every keep-alive answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format, *args):  # keep test output clean
        pass

    def do_GET(self):
        """``GET /_stats``: what the fake has seen (for benchmarks in another process); else
        Postmark's /templates, or the provider's read-only call that checks the key."""
        if self.path.startswith("/templates"):
            self.do_POST()
            return
        fake = self.server.fake
        headers = {k.lower(): v for k, v in self.headers.items()}
        lookup = answer_lookup(fake, "GET", self.path)
        if lookup is not None:
            status, extra, payload = lookup if fake.api.authorised(headers) \
                else fake.api.refused_read()
            fake.closing.wait(fake.lookup_latency)
            answer_json(self, status, payload, extra)
            return
        if self.path != "/_stats":
            fake.reads.append(self.path)
            answer = fake.api.key_check(self.path)
            if answer is None:
                answer = 404, {}, {"message": "not found"}
            elif not fake.api.authorised(headers):
                answer = fake.api.refused_read()
            answer_json(self, answer[0], answer[2])
            return
        with fake.lock:
            stats = {"requests": fake.request_count, "bytes": fake.bytes_received,
                     "accepted": sum(fake.accepted.values()), "readers": len(fake.accepted),
                     "invalid": len(fake.invalid)}
        answer_json(self, 200, stats)

    def do_POST(self):
        fake = self.server.fake
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        request = Recorded(self.path, {k.lower(): v for k, v in self.headers.items()}, body,
                           method=self.command)
        behaviour, (status, headers, payload) = fake.handle(request)
        delay = fake.latency + behaviour.delay
        if delay:
            (behaviour.until or fake.closing).wait(delay)
        data = b"" if payload is None else (
            payload.encode() if isinstance(payload, str) else json.dumps(payload).encode())
        try:
            if behaviour.kind in ("hangup", "lost"):  # the request was read; no answer at all
                self._hang_up()
                return
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json" if not isinstance(payload, str)
                             else "text/plain")
            if behaviour.kind in ("drop", "cut"):  # headers and half the body, then nothing
                self.send_header("Content-Length", str(len(data) + 64))
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                self._hang_up()
                return
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:  # the client gave up (slow answers): nothing to do
            self.close_connection = True

    do_PUT = do_DELETE = do_POST

    def _hang_up(self):
        self.wfile.flush()
        self.connection.shutdown(socket.SHUT_RDWR)
        self.close_connection = True


API_CLASSES = {cls.name: cls for cls in (PostmarkApi, SendGridApi, MailgunApi, ResendApi)}


def start_fake(provider: str, key: str, *, latency: float = 0.0):
    """A running fake for ``provider`` that accepts ``key``."""
    return FakeProviderServer(API_CLASSES[provider](key), latency=latency)


# ---------------------------------------------------------------- test support

def answer_json(handler: BaseHTTPRequestHandler, status: int, payload: Any,
                headers: dict[str, str] | None = None) -> None:
    """Answer the request ``handler`` serves with ``status`` and ``payload`` as JSON."""
    data = json.dumps(payload).encode()
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


@dataclass(frozen=True)
class StandInEmail:
    """A small rendered post with the Email contract (``fill``), for adapter tests."""

    post_id: str = "/posts/what-matters"
    subject: str = "What matters — a test"
    preheader: str = "A preheader"
    html: str = ('<html><body><p>Hello {email}, a line that stays the same.</p>\n'
                 + "<p>" + "Words every reader shares. " * 150 + "</p>\n"
                 + '<p><a href="{unsubscribe_url}">Unsubscribe</a></p>\n</body></html>\n')
    text: str = "Hello {email}.\n\nUnsubscribe: {unsubscribe_url}\n"
    warnings: tuple[str, ...] = ()
    images: tuple = ()
    inline_images: tuple = ()

    def fill(self, values):
        import html
        escaped = {k: html.escape(v) for k, v in values.items()}
        return self.html.format(**escaped), self.text.format(**values)


def write_provider_settings(site: Path, **provider: Any) -> None:
    """Replace the [provider] table of ``site``'s newsletter.toml."""
    write_settings(site, "provider", **provider)


def write_settings(site: Path, section: str, **values: Any) -> None:
    """Replace (or add) the [section] table of ``site``'s newsletter.toml."""
    path = site / "newsletter.toml"
    text = path.read_text()
    head, found, rest = text.partition(f"[{section}]")
    tail = rest[rest.find("\n["):] if found and "\n[" in rest else ""
    lines = [f"{key} = {json.dumps(value)}" for key, value in values.items()]
    path.write_text(head.rstrip("\n") + f"\n\n[{section}]\n" + "\n".join(lines) + "\n" + tail)


def make_messages(settings, addresses, email=None, *, test=False):
    """Messages for ``addresses`` built by the real MessageFactory."""
    from newsletter.message import MessageFactory

    factory = MessageFactory(settings, email or StandInEmail(), "test-secret", test=test)
    return [factory.build(address, f"Reader {i}") for i, address in enumerate(addresses)]


KEYS = {  # recognisable fake keys, so a leak is easy to find
    "postmark": "pm-SECRET-9f8e7d6c", "sendgrid": "SG.SECRET-abcdef.123456",
    "mailgun": "key-SECRET-0a1b2c3d", "resend": "re_SECRET_5e6f7a8b",
}
SECRET_NAMES = {"postmark": "POSTMARK_SERVER_TOKEN", "sendgrid": "SENDGRID_API_KEY",
                "mailgun": "MAILGUN_API_KEY", "resend": "RESEND_API_KEY"}
# A timeout no answer of a loaded machine reaches; a test of timeouts sets its own, against
# a slow() fake.
DEFAULTS = {"timeout": 10, "domain": "mg.example.com"}


PATHS = {"postmark": "/email/batch", "sendgrid": "/v3/mail/send",
         "mailgun": "/v3/mg.example.com/messages", "resend": "/emails/batch"}


def post(server: FakeProviderServer, name: str, body: Any):
    """``body`` sent to the fake with ``name``'s key, as its API wants it: JSON, or for Mailgun a
    multipart form from {field: value or list of values}."""
    url = server.url + PATHS[name]
    if name == "mailgun":
        fields = [(k, (None, v)) for k, values in body.items()
                  for v in (values if isinstance(values, list) else [values])]
        return requests.post(url, auth=("api", KEYS[name]), files=fields, timeout=10)
    headers = ({"X-Postmark-Server-Token": KEYS[name]} if name == "postmark"
               else {"Authorization": f"Bearer {KEYS[name]}"})
    return requests.post(url, json=body, headers=headers, timeout=10)


def provider_environ(name: str) -> dict[str, str]:
    return {SECRET_NAMES[name]: KEYS[name], "NEWSLETTER_SECRET": "test-secret"}


@pytest.fixture
def fake_provider(site):
    """``connect(name, **settings)`` -> (adapter, fake server); all closed at teardown."""
    from newsletter.config import load_settings
    from newsletter.providers import PROVIDERS

    opened = []

    def connect(name: str, *, environ=None, tracking=None, **settings):
        server = start_fake(name, KEYS[name])
        if tracking:
            write_settings(site, "tracking", **tracking)
        values = {"name": name, "api_url": server.url, **DEFAULTS, **settings}
        if name != "mailgun":
            values.pop("domain")
        write_provider_settings(site, **{k: v for k, v in values.items() if v is not None})
        loaded = load_settings(site, provider_environ(name) if environ is None else environ)
        provider = PROVIDERS[name](loaded)
        opened.append((provider, server))
        return provider, server

    yield connect
    for provider, server in opened:
        provider.close()
        server.close()


def render_reference(settings):
    """The example site's reference post, rendered for real."""
    from newsletter.posts import find_post, load_posts
    from newsletter.render import render_post

    posts, _ = load_posts(settings)
    return render_post(settings, find_post(posts, "/posts/what-matters"))


def write_readers(site: Path, addresses) -> None:
    """Replace the site's subscriber list with these active readers (plus one unsubscribed)."""
    rows = ["email,name,status"] + [f"{a},Reader {i},active" for i, a in enumerate(addresses)]
    rows.append("gone@example.com,Gone,unsubscribed")
    for old in (site / "subscribers").glob("*.csv"):
        old.unlink()
    (site / "subscribers" / "readers.csv").write_text("\n".join(rows) + "\n")
