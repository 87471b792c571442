"""Postmark and Resend batches spliced from pre-escaped pieces are byte for byte plain JSON."""

from __future__ import annotations

import dataclasses
import json

import pytest
from fake_providers import StandInEmail, fake_provider, render_reference  # noqa: F401

from newsletter.message import MessageFactory
from newsletter.providers.http import json_body
from newsletter.providers.postmark import attachments

READERS = [("ann@example.com", "Ann"), ("o'brien+x&y@example.org", 'Sean "Jr" O\'Brien'),
           ("zoë@bücher.de", "Zoë \\ Ünïcode"), ("a&b{c}%25@example.net", "</script><b>x</b>"),
           ("x%%email%%{email}@example.com", "Tab\tand\u2028line")]


def messages_for(settings, email, secret="test-secret"):
    factory = MessageFactory(settings, email, secret)
    return [factory.build(address, name) for address, name in READERS]


def plain(provider, messages) -> bytes:
    """The request body as a straightforward json.dumps of items holding the filled bodies."""
    items = [provider._message(m, m.html, m.text, _common(provider, m))
             if provider.name == "postmark" else provider._email(m, m.html, m.text)
             for m in messages]
    return b"[" + b",".join(map(json_body, items)) + b"]"


def _common(provider, message):
    settings, tracking = provider.settings.provider, provider.settings.tracking
    common = {"MessageStream": settings.message_stream, "TrackOpens": tracking.opens,
              "TrackLinks": "HtmlAndText" if tracking.clicks else "None"}
    if message.email.inline_images:
        common["Attachments"] = attachments(message.email.inline_images)
    return common


@pytest.mark.parametrize("name", ["postmark", "resend"])
@pytest.mark.parametrize("email", ["reference", "stand-in"])
def test_spliced_batches_equal_plain_json_of_the_filled_bodies(fake_provider, name, email):
    provider, _ = fake_provider(name)
    post = StandInEmail()
    if email == "reference":  # Postmark: with its image inline; Resend takes no attachments
        post = render_reference(provider.settings)
        if name == "resend":
            post = dataclasses.replace(post, images=())
    messages = messages_for(provider.settings, post) + messages_for(provider.settings, post, "other")
    body = provider.build_request(messages).body
    assert body == plain(provider, messages)
    assert [item.get("HtmlBody", item.get("html")) for item in json.loads(body)] == [
        m.html for m in messages]
