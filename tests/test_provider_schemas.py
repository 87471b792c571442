"""The fakes check each request against the project's schema of the provider's API.

For every schema in tests/schemas: requests breaking a documented rule are refused over HTTP
with the provider's own error, and the adapter's real request, at its largest batch, passes.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from contextlib import closing

import jsonschema
import pytest
from fake_providers import (  # noqa: F401
    API_CLASSES, KEYS, SCHEMAS, fake_provider, make_messages, post, render_reference, start_fake,
)

POSTMARK = [{"From": "Jane <jane@example.com>", "To": "ann@example.com", "Subject": "Hello",
             "HtmlBody": "<p>Hi</p>", "TextBody": "Hi", "Tag": "/posts/hello",
             "Headers": [{"Name": "List-Unsubscribe-Post", "Value": "List-Unsubscribe=One-Click"}],
             "Metadata": {"post": "/posts/hello"}, "MessageStream": "broadcast",
             "TrackOpens": False, "TrackLinks": "None"}]
SENDGRID = {"personalizations": [{"to": [{"email": "ann@example.com", "name": "Ann"}]}],
            "from": {"email": "jane@example.com"}, "subject": "Hello",
            "content": [{"type": "text/plain", "value": "Hi"},
                        {"type": "text/html", "value": "<p>Hi</p>"}],
            "headers": {"List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
            "custom_args": {"post": "/posts/hello"}, "categories": ["/posts/hello"]}
MAILGUN = {"from": "Jane <jane@mg.example.com>", "to": ["ann@example.com"], "subject": "Hello",
           "text": "Hi", "html": "<p>Hi</p>", "recipient-variables": '{"ann@example.com": {}}',
           "o:tag": ["/posts/hello"], "o:tracking-clicks": "no", "v:post": "/posts/hello",
           "h:List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
RESEND = [{"from": "Jane <jane@example.com>", "to": ["ann@example.com"], "subject": "Hello",
           "html": "<p>Hi</p>", "text": "Hi", "tags": [{"name": "post", "value": "posts_hello"}],
           "headers": {"List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}}]
GOOD = {"postmark": POSTMARK, "sendgrid": SENDGRID, "mailgun": MAILGUN, "resend": RESEND}
# The provider's error status and where its error body carries the message.
ERRORS = {"postmark": (422, lambda a: a["Message"]),
          "sendgrid": (400, lambda a: a["errors"][0]["message"]),
          "mailgun": (400, lambda a: a["message"]), "resend": (422, lambda a: a["message"])}
ADDRESSES = [f"r{i}@example.com" for i in range(1001)]


def changed(body, **fields):
    """A copy of ``body`` with these fields of its (first) message set; None removes one."""
    body = copy.deepcopy(body)
    message = body[0] if isinstance(body, list) else body
    for name, value in fields.items():
        if value is None:
            del message[name]
        else:
            message[name] = value
    return body


def case(name, where, body):
    return pytest.param(name, where, body, id=f"{name}: {where}")


BAD = [
    case("postmark", "body", POSTMARK * 501),
    case("postmark", "0/To", changed(POSTMARK, To=",".join(ADDRESSES[:51]))),
    case("postmark", "0", changed(POSTMARK, HtmlBody=None, TextBody=None)),
    case("postmark", "0/Headers", changed(POSTMARK, Headers={"List-Unsubscribe-Post": "x"})),
    case("postmark", "0/Tag", changed(POSTMARK, Tag="x" * 1001)),
    case("sendgrid", "personalizations",
         changed(SENDGRID, personalizations=[{"to": [{"email": a}]} for a in ADDRESSES])),
    case("sendgrid", "personalizations/0",
         changed(SENDGRID, personalizations=[{"subject": "no to"}])),
    case("sendgrid", "custom_args", changed(SENDGRID, custom_args="post=/posts/hello")),
    case("sendgrid", "headers", changed(SENDGRID, headers={"reply-to": "ann@example.com"})),
    case("sendgrid", "content/0/type", changed(SENDGRID, content=SENDGRID["content"][::-1])),
    case("sendgrid", "body", changed(SENDGRID, content=None)),
    case("mailgun", "to", changed(MAILGUN, to=ADDRESSES)),
    case("mailgun", "body", changed(MAILGUN, subject=None)),
    case("mailgun", "body", changed(MAILGUN, text=None, html=None)),
    case("mailgun", "o:tag", changed(MAILGUN, **{"o:tag": ["a", "b", "c", "d"]})),
    case("mailgun", "o:tracking-clicks", changed(MAILGUN, **{"o:tracking-clicks": "maybe"})),
    case("resend", "body", RESEND * 101),
    case("resend", "0/to", changed(RESEND, to=ADDRESSES[:51])),
    case("resend", "0/to", changed(RESEND, to=42)),
    case("resend", "0", changed(RESEND, to=None)),
    case("resend", "0", changed(RESEND, attachments=[{"filename": "a.txt", "content": "aGk="}])),
    case("resend", "0/tags/0/value",
         changed(RESEND, tags=[{"name": "post", "value": "/posts/hello"}])),
]


@pytest.mark.parametrize("name, where, body", BAD)
def test_a_request_breaking_a_documented_rule_is_refused_with_the_providers_error(
        name, where, body):
    with closing(start_fake(name, KEYS[name])) as server:
        assert post(server, name, GOOD[name]).ok  # the same request without the fault passes

        answer = post(server, name, body)

        status, message = ERRORS[name]
        assert answer.status_code == status
        assert message(answer.json()).startswith(f"{where}: ")
        assert [r.problem for r in server.invalid] == [message(answer.json())]
        assert dict(server.accepted) == {"ann@example.com": 1}  # only the good request's reader


def test_postmark_calls_a_batch_over_500_error_code_410_and_a_bad_message_300():
    with closing(start_fake("postmark", KEYS["postmark"])) as server:
        assert post(server, "postmark", POSTMARK * 501).json()["ErrorCode"] == 410
        assert post(server, "postmark", changed(POSTMARK, To=None)).json()["ErrorCode"] == 300


@pytest.mark.parametrize("name", sorted(GOOD))
def test_the_adapters_own_largest_batch_passes_the_schema(fake_provider, name):
    # A generous timeout: the fake validates up to 50 MB, and this tests the schema, not speed.
    provider, server = fake_provider(name, tracking={"opens": True, "clicks": True}, timeout=60)
    email = render_reference(provider.settings)
    if name == "resend":  # its batches take no attachments (hosted images instead)
        email = dataclasses.replace(email, images=())
    addresses = ADDRESSES[:provider.max_batch_for(email)]
    messages = make_messages(provider.settings, addresses, email)

    results = provider.send_batch(messages)

    assert server.invalid == []
    assert [r.status for r in results] == ["sent"] * len(addresses)
    assert sorted(server.accepted) == sorted(addresses)


def test_each_api_has_its_schema_and_each_schema_is_used():
    assert sorted(name for api in API_CLASSES.values() for name in api.schemas()) == sorted(
        path.stem for path in SCHEMAS.glob("*.json"))


@pytest.mark.parametrize("path", sorted(SCHEMAS.glob("*.json")), ids=lambda path: path.name)
def test_each_schema_is_draft_2020_12_and_links_the_documentation_it_follows(path):
    schema = json.loads(path.read_bytes())

    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert re.search(r"https://(www\.twilio\.com/docs/sendgrid|documentation\.mailgun\.com|"
                     r"resend\.com/docs|postmarkapp\.com/developer)/", schema["description"])
