"""Resend adapter against a fake /emails/batch that checks requests like the real API."""

from __future__ import annotations

import pytest
from fake_providers import DROP, KEYS, answer, fail, fake_provider, make_messages, partial  # noqa: F401

from newsletter.errors import AuthError, ConfigError, InDoubtError, QuotaError, TransientError

ADDRESSES = ["ann@example.com", "bob@example.org", "cy@example.net"]


def test_a_batch_is_one_email_per_reader_with_an_idempotency_key(fake_provider):
    resend, server = fake_provider("resend")
    messages = make_messages(resend.settings, ADDRESSES)

    results = resend.send_batch(messages)

    assert [r.status for r in results] == ["sent"] * 3 and len({r.message_id for r in results}) == 3
    assert server.invalid == []
    request = server.requests[0]
    assert request.headers["authorization"] == f"Bearer {KEYS['resend']}"
    assert request.headers["idempotency-key"].startswith("newsletter/posts_what-matters/")
    assert request.headers["x-batch-validation"] == "permissive"
    assert server.last_json()[0]["tags"] == [{"name": "post", "value": "posts_what-matters"}]
    for message in messages:
        received = server.delivery(message.to_address)
        assert (received.html, received.text) == (message.html, message.text)
        assert received.headers["List-Unsubscribe"] == message.headers["List-Unsubscribe"]


def test_an_in_doubt_batch_retried_with_the_same_key_is_not_sent_twice(fake_provider):
    resend, server = fake_provider("resend")
    server.enqueue(DROP)
    messages = make_messages(resend.settings, ADDRESSES)

    with pytest.raises(InDoubtError):
        resend.send_batch(messages)
    again = resend.send_batch(make_messages(resend.settings, ADDRESSES))  # a later run's messages

    assert [r.status for r in again] == ["sent"] * 3
    assert dict(server.accepted) == {address: 1 for address in ADDRESSES}
    assert len({r.headers["idempotency-key"] for r in server.requests}) == 1


def test_a_key_reused_with_another_payload_is_in_doubt(fake_provider):
    resend, server = fake_provider("resend")
    resend.send_batch(make_messages(resend.settings, ADDRESSES))
    changed = make_messages(resend.settings, ADDRESSES)
    changed[0].headers = {**changed[0].headers, "Subject": "Changed"}

    with pytest.raises(InDoubtError, match="invalid_idempotent_request|different payload"):
        resend.send_batch(changed)


def test_a_concurrent_idempotent_request_is_retried_later(fake_provider):
    resend, server = fake_provider("resend")
    server.enqueue(fail(409, retry_after=0.05))

    with pytest.raises(TransientError) as caught:
        resend.send_batch(make_messages(resend.settings, ADDRESSES))
    assert caught.value.retry_after == 0.05


def test_an_invalid_email_is_rejected_and_the_others_sent(fake_provider):
    resend, server = fake_provider("resend")
    server.enqueue(partial(i1=422))

    results = resend.send_batch(make_messages(resend.settings, ADDRESSES))

    assert [r.status for r in results] == ["sent", "rejected", "sent"]
    assert results[1].reason == "resend: fake error 422"


@pytest.mark.parametrize("name", ["daily_quota_exceeded", "monthly_quota_exceeded"])
def test_a_used_up_quota_is_a_quota_error_not_a_rate_limit(fake_provider, name):
    resend, server = fake_provider("resend")
    server.enqueue(fail(429, name=name))

    with pytest.raises(QuotaError, match="quota"):
        resend.send_batch(make_messages(resend.settings, ADDRESSES))


def test_test_mode_is_refused_with_resends_test_address(fake_provider):
    with pytest.raises(ConfigError, match="delivered@resend.dev"):
        fake_provider("resend", test_mode=True)


@pytest.mark.parametrize("body", [
    {"data": ["an-id", "an-id", "an-id"]},  # ids that are not objects
    {"data": [{"id": "a"}, {"id": "b"}], "errors": [{"index": 7, "message": "no such"}]},
    {"data": [{"id": "a"}], "errors": [{"index": 0, "message": "x"}, {"index": 0, "message": "y"}]},
    {"data": [{"id": "a"}, {"id": "b"}], "errors": {"index": 2}},
    # objects without an id (were: each reader sent, with no id to find them by)
    {"data": [{}, {}, {}]},
    {"data": [{"id": "a"}, {"id": None}, {"object": "email"}]},
])
def test_an_answer_that_does_not_account_for_each_email_is_in_doubt(fake_provider, body):
    resend, server = fake_provider("resend")
    server.enqueue(answer(body))

    # was: StopIteration or AttributeError, reported as a bug in newsletter with a traceback
    with pytest.raises(InDoubtError, match="resend answered"):
        resend.send_batch(make_messages(resend.settings, ADDRESSES))
