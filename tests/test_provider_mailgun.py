"""Mailgun adapter against a fake messages API that checks requests like the real API."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
from fake_providers import (  # noqa: F401
    KEYS, StandInEmail, answer, fail, fake_provider, make_messages,
)

from newsletter.errors import AuthError, ConfigError, InDoubtError, QuotaError, TransientError
from newsletter.providers import Result
from newsletter.providers.base import key_of
from newsletter.providers.lookup import InDoubtBatch
from newsletter.providers.mailgun import lookup_events

ADDRESSES = ["ann@example.com", "bob@example.org", "cy@example.net"]


def test_one_call_gives_each_reader_their_own_copy_and_link(fake_provider):
    mailgun, server = fake_provider("mailgun")
    messages = make_messages(mailgun.settings, ADDRESSES)

    results = mailgun.send_batch(messages)

    assert len({r.message_id for r in results}) == 1 and results[0].status == "sent"
    assert server.invalid == []
    request = server.requests[0]
    assert request.path == "/v3/mg.example.com/messages"
    assert request.headers["authorization"] == "Basic " + base64.b64encode(
        f"api:{KEYS['mailgun']}".encode()).decode()
    form = request.payload
    assert form["to"] == [m.headers["To"] for m in messages]
    assert set(json.loads(form["recipient-variables"])) == set(ADDRESSES)
    assert (form["o:tag"], form["v:post"]) == (["/posts/what-matters"], "/posts/what-matters")
    # Each reader's key rides in recipient-variables, so events name the reader.
    assert form["v:reader"] == "%recipient.reader%"
    assert {a: v["reader"] for a, v in json.loads(form["recipient-variables"]).items()} == {
        a: a for a in ADDRESSES}
    assert form["h:List-Unsubscribe"] == "%recipient.h:List-Unsubscribe%"
    assert "o:testmode" not in form
    for message in messages:
        received = server.delivery(message.to_address)
        assert (received.html, received.text) == (message.html, message.text)
        assert received.headers["List-Unsubscribe"] == message.headers["List-Unsubscribe"]
        assert received.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_test_mode_and_the_eu_region_are_described(fake_provider):
    mailgun, server = fake_provider("mailgun", test_mode=True)

    mailgun.send_batch(make_messages(mailgun.settings, ADDRESSES[:1]))

    assert server.last_json()["o:testmode"] == "yes"
    assert mailgun.describe().startswith("mailgun (domain mg.example.com, test mode")


def test_a_missing_domain_names_the_setting(fake_provider):
    with pytest.raises(ConfigError, match="provider.domain is not set"):
        fake_provider("mailgun", domain=None)


def test_429_reads_the_wait_from_the_body(fake_provider):
    mailgun, server = fake_provider("mailgun")
    server.enqueue(fail(429, retry_after=120))

    with pytest.raises(TransientError) as caught:
        mailgun.send_batch(make_messages(mailgun.settings, ADDRESSES))
    assert caught.value.retry_after == 120


def test_domain_not_found_stops_the_run_with_a_region_hint(fake_provider):
    mailgun, server = fake_provider("mailgun")
    server.enqueue(fail(404))

    with pytest.raises(AuthError, match="api.eu.mailgun.net"):
        mailgun.send_batch(make_messages(mailgun.settings, ADDRESSES))


@pytest.mark.parametrize("body", ["Mailgun Magnificent API", {"message": "Mailgun Magnificent API"}])
def test_the_answer_to_a_path_mailgun_does_not_serve_stops_the_run_as_not_sent(fake_provider, body):
    # Mailgun answers 200 and the plain text "Mailgun Magnificent API" to a path it does not
    # serve. It was read as an unreadable success: every batch of the run in doubt, though
    # none was sent.
    mailgun, server = fake_provider("mailgun")
    server.enqueue(answer(body))

    with pytest.raises(AuthError, match="nothing was sent") as caught:
        mailgun.send_batch(make_messages(mailgun.settings, ADDRESSES))
    assert "provider.api_url" in caught.value.hint


@pytest.mark.parametrize("body", [{}, {"message": "Queued. Thank you."}, {"id": None}])
def test_a_json_success_without_a_message_id_is_in_doubt(fake_provider, body):
    # Was an AuthError, whose readers stay pending and go out again on the next run, though
    # the answer came from the send endpoint and may well have queued the batch.
    mailgun, server = fake_provider("mailgun")
    server.enqueue(answer(body))

    with pytest.raises(InDoubtError, match="without a message id"):
        mailgun.send_batch(make_messages(mailgun.settings, ADDRESSES))


@pytest.mark.parametrize("status", [400, 403])
def test_a_sandbox_domain_refusing_readers_stops_the_run_rather_than_failing_each(
        fake_provider, status):
    # Mailgun has answered this refusal 400 (now 403): as a 400 every reader of every batch
    # was recorded failed for good, though no newsletter can go out from a sandbox domain.
    mailgun, server = fake_provider("mailgun")
    server.enqueue(fail(status, name="Domain sandbox0a1b.mailgun.org is not allowed to send: "
                                     "Sandbox subdomains are for test purposes only. Please add "
                                     "your own domain or add the address to authorized "
                                     "recipients in Account Settings."))

    with pytest.raises(AuthError, match="not allowed to send") as caught:
        mailgun.send_batch(make_messages(mailgun.settings, ADDRESSES))
    assert "authorized recipients" in caught.value.hint and not server.accepted


def test_a_domain_not_allowed_to_send_for_its_daily_limit_is_a_quota(fake_provider):
    mailgun, server = fake_provider("mailgun")
    server.enqueue(fail(403, name="Domain mg.example.com is not allowed to send: daily "
                                  "sending limit exceeded"))

    with pytest.raises(QuotaError, match="daily sending limit"):
        mailgun.send_batch(make_messages(mailgun.settings, ADDRESSES))


def test_a_400_rejects_the_batch_with_mailguns_reason(fake_provider):
    mailgun, server = fake_provider("mailgun")
    server.enqueue(fail(400))

    results = mailgun.send_batch(make_messages(mailgun.settings, ADDRESSES))

    assert results == [Result.rejected("mailgun answered 400: fake failure 400")] * 3


def test_a_post_whose_address_is_not_ascii_is_found_again_by_its_tag(fake_provider):
    # Mailgun strips from a tag what is not ASCII: tagged and searched by the post's address
    # as it is, a reader of /posts/café-über was never found, and `reconcile` would call a
    # message that went out "never reached mailgun" and send it again.
    mailgun, server = fake_provider("mailgun")
    post_id = "/posts/café-über"
    messages = make_messages(mailgun.settings, ADDRESSES, StandInEmail(post_id=post_id))
    started = dt.datetime.now(dt.timezone.utc)
    mailgun.send_batch(messages)

    assert server.requests[0].payload["o:tag"] == ["/posts/caf%C3%A9-%C3%BCber"]
    batch = InDoubtBatch(key_of(messages), None, started, dt.datetime.now(dt.timezone.utc))
    found = lookup_events(mailgun, post_id, [batch], dt.datetime.now(dt.timezone.utc))
    assert sorted(reader for reader, _ in found) == sorted(ADDRESSES)
