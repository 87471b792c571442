"""Postmark adapter against a fake /email/batch that checks requests like the real API."""

from __future__ import annotations

import datetime as dt

import pytest
from fake_providers import (  # noqa: F401
    KEYS,
    StandInEmail,
    answer,
    fail,
    fake_provider,
    make_messages,
    partial,
)

from newsletter.errors import AuthError, ConfigError, InDoubtError, QuotaError, TransientError
from newsletter.providers import Result
from newsletter.providers.base import key_of
from newsletter.providers.lookup import InDoubtBatch
from newsletter.providers.postmark import lookup_messages

ADDRESSES = ["ann@example.com", "bob@example.org", "cy@example.net"]


def test_a_batch_is_one_message_per_reader_on_the_broadcast_stream(fake_provider):
    postmark, server = fake_provider("postmark")
    messages = make_messages(postmark.settings, ADDRESSES)

    results = postmark.send_batch(messages)

    assert [r.status for r in results] == ["sent"] * 3
    assert all(r.message_id for r in results)
    assert server.invalid == []
    assert server.requests[0].headers["x-postmark-server-token"] == KEYS["postmark"]
    batch = server.last_json()
    assert [m["To"] for m in batch] == [m.headers["To"] for m in messages]
    first = batch[0]
    assert first["MessageStream"] == "broadcast"
    assert first["Tag"] == "/posts/what-matters"
    # Metadata is each reader's own: the message search and webhooks tie it to the ledger.
    assert [m["Metadata"] for m in batch] == [
        {"post": "/posts/what-matters", "reader": a.lower()} for a in ADDRESSES]
    assert (first["TrackOpens"], first["TrackLinks"]) == (False, "None")
    assert first["ReplyTo"] == "jane@example.com"
    for message in messages:
        received = server.delivery(message.to_address)
        assert received.headers["List-Unsubscribe"] == message.headers["List-Unsubscribe"]
        assert received.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert (received.html, received.text) == (message.html, message.text)


def test_stream_and_tracking_come_from_the_settings(fake_provider):
    postmark, server = fake_provider("postmark", message_stream="weekly",
                                     tracking={"opens": True, "clicks": True})
    postmark.send_batch(make_messages(postmark.settings, ADDRESSES[:1]))

    first = server.last_json()[0]
    assert (first["MessageStream"], first["TrackOpens"], first["TrackLinks"]) == (
        "weekly", True, "HtmlAndText")
    assert postmark.describe() == f"postmark (stream weekly, API {server.url})"


def test_inactive_and_invalid_recipients_are_rejected_and_the_rest_sent(fake_provider):
    postmark, server = fake_provider("postmark")
    server.enqueue(partial(i0=406, i2=300))

    results = postmark.send_batch(make_messages(postmark.settings, ADDRESSES))

    assert [r.status for r in results] == ["rejected", "sent", "rejected"]
    assert "ErrorCode 406" in results[0].reason and "ErrorCode 300" in results[2].reason
    assert dict(server.accepted) == {"bob@example.org": 1}


def test_a_whole_request_422_rejects_every_message_with_postmarks_reason(fake_provider):
    postmark, server = fake_provider("postmark")
    server.enqueue(fail(422, name=300))

    results = postmark.send_batch(make_messages(postmark.settings, ADDRESSES))

    assert results == [Result.rejected("postmark answered 422: fake failure 422 (ErrorCode 300)")] * 3
    assert not server.accepted


@pytest.mark.parametrize("code", [10, 401, 402, 410])
def test_a_422_saying_the_account_or_request_cannot_send_stops_the_run(fake_provider, code):
    postmark, server = fake_provider("postmark")
    server.enqueue(fail(422, name=code))

    with pytest.raises(AuthError, match=f"ErrorCode {code}"):
        postmark.send_batch(make_messages(postmark.settings, ADDRESSES))


def test_a_template_error_on_every_message_stops_the_run_rather_than_failing_each(fake_provider):
    postmark, server = fake_provider("postmark")
    server.enqueue(partial(i0=1101, i1=1101, i2=1101))

    with pytest.raises(AuthError, match="ErrorCode 1101") as caught:
        postmark.send_batch(make_messages(postmark.settings, ADDRESSES))
    assert "template is stored again" in caught.value.hint


def test_a_422_saying_the_sending_limit_is_reached_is_a_quota_not_a_refusal(fake_provider):
    postmark, server = fake_provider("postmark")
    server.enqueue(fail(422, name=405), partial(i0=405, i1=405, i2=405))
    messages = make_messages(postmark.settings, ADDRESSES)

    for _ in range(2):  # the whole request refused, or each of its messages
        with pytest.raises(QuotaError, match="ErrorCode 405") as caught:
            postmark.send_batch(messages)
        assert "later run" in caught.value.hint
    assert not server.accepted


def test_a_batch_refused_partly_for_the_limit_and_partly_for_the_rate_is_a_quota(fake_provider):
    # Nothing of it was sent, and nothing was wrong with its readers: each was recorded failed
    # for good (only a batch refused all for the limit, or all for the rate, was told apart).
    postmark, server = fake_provider("postmark")
    server.enqueue(partial(i0=429, i1=405, i2=100))

    with pytest.raises(QuotaError, match="ErrorCode 405"):
        postmark.send_batch(make_messages(postmark.settings, ADDRESSES))
    assert not server.accepted


def test_maintenance_is_transient(fake_provider):
    postmark, server = fake_provider("postmark")
    server.enqueue(fail(422, name=100), fail(503))
    messages = make_messages(postmark.settings, ADDRESSES)

    for _ in range(2):
        with pytest.raises(TransientError):
            postmark.send_batch(messages)
    assert not server.accepted


def test_a_rate_limit_or_maintenance_errorcode_for_every_message_is_retried_not_failed(
        fake_provider):
    # Postmark's ErrorCode 429 (rate limit exceeded) and 100 (maintenance) sent nothing: as a
    # whole-request 422 or on every message of a 200 answer, the readers wait for a retry.
    postmark, server = fake_provider("postmark")
    every = {f"i{i}": 429 for i in range(3)}
    server.enqueue(fail(422, name=429), partial(**every), partial(**dict.fromkeys(every, 100)))
    messages = make_messages(postmark.settings, ADDRESSES)

    for code in (429, 429, 100):
        with pytest.raises(TransientError, match=f"ErrorCode {code}"):
            postmark.send_batch(messages)
    assert not server.accepted
    assert [r.status for r in postmark.send_batch(messages)] == ["sent"] * 3


def test_a_wrong_token_is_an_auth_error_without_the_token(fake_provider):
    postmark, server = fake_provider("postmark", environ={"POSTMARK_SERVER_TOKEN": "wrong-token"})

    with pytest.raises(AuthError) as caught:
        postmark.send_batch(make_messages(postmark.settings, ADDRESSES))
    assert str(caught.value) == ("postmark answered 401: Bad or missing Server API token "
                                 "(ErrorCode 10); check POSTMARK_SERVER_TOKEN and the sender's set-up")
    assert "wrong-token" not in repr(postmark)


def test_a_missing_token_names_the_variable(fake_provider):
    with pytest.raises(ConfigError, match="POSTMARK_SERVER_TOKEN is not set"):
        fake_provider("postmark", environ={})


def test_test_mode_validates_with_postmarks_test_token(fake_provider):
    postmark, server = fake_provider("postmark", environ={}, test_mode=True)

    postmark.send_batch(make_messages(postmark.settings, ADDRESSES[:1]))

    assert server.requests[0].headers["x-postmark-server-token"] == "POSTMARK_API_TEST"
    assert "test mode" in postmark.describe()


def test_a_full_batch_of_500_is_accepted(fake_provider):
    postmark, server = fake_provider("postmark")
    addresses = [f"reader{i}@example.com" for i in range(postmark.max_batch)]

    results = postmark.send_batch(make_messages(postmark.settings, addresses))

    assert len(results) == 500 and server.invalid == []
    assert sum(server.accepted.values()) == 500


def test_an_answer_whose_entries_are_not_objects_is_in_doubt(fake_provider):
    postmark, server = fake_provider("postmark")
    server.enqueue(answer(["OK", "OK", "OK"]))

    # was: AttributeError, reported as a bug in newsletter with a traceback
    with pytest.raises(InDoubtError, match="without one result per message"):
        postmark.send_batch(make_messages(postmark.settings, ADDRESSES))


@pytest.mark.parametrize("entry", [{}, {"Message": "OK"}, {"ErrorCode": None, "Message": "?"},
                                   {"ErrorCode": "0", "MessageID": "x"}],
                         ids=["empty", "no code, no id", "code null", "code a string"])
def test_a_result_saying_neither_accepted_nor_refused_is_in_doubt(fake_provider, entry):
    # An entry without ErrorCode counted as accepted whatever else it held ({} was "sent"),
    # and one whose ErrorCode was not a number as refused for good.
    postmark, server = fake_provider("postmark")
    server.enqueue(answer([entry] * 3))

    with pytest.raises(InDoubtError, match="neither an ErrorCode nor a MessageID"):
        postmark.send_batch(make_messages(postmark.settings, ADDRESSES))


def test_accepted_but_delayed_without_an_errorcode_is_sent(fake_provider):
    postmark, server = fake_provider("postmark")
    delayed = {"To": "x@example.com", "MessageID": "b4007d94",
               "Message": "Message accepted, but delivery may be delayed."}
    server.enqueue(answer([delayed] * 3))

    results = postmark.send_batch(make_messages(postmark.settings, ADDRESSES))

    assert results == [Result.sent("b4007d94")] * 3


# Valid, and each over the 80 characters Postmark takes in a Metadata value.
LONG_POST = "/posts/2026/12/what-we-learned-from-a-year-of-writing-a-newsletter-by-hand-every-week/"
LONG_ADDRESS = ("first.middle.last.with-a-department-suffix@"
                "mail.faculty-of-engineering.university-example.ac.uk")


# A post nested deep under long folder names: over the 1000 characters of a Tag.
DEEP_POST = "/" + "a-folder-with-a-long-descriptive-name/" * 27 + "the-post/"


@pytest.mark.parametrize("post_id", [LONG_POST, DEEP_POST], ids=["over-80", "over-1000"])
def test_a_long_post_id_and_address_are_sent_and_found_again(fake_provider, post_id):
    # Metadata carried the whole post id and address, and Postmark refuses a value over 80
    # characters (and a Tag over 1000): every reader of a post with a long permalink was
    # rejected.
    postmark, server = fake_provider("postmark")
    addresses = [LONG_ADDRESS, "ann@example.com"]
    messages = make_messages(postmark.settings, addresses, StandInEmail(post_id=post_id))
    started = dt.datetime.now(dt.timezone.utc)

    results = postmark.send_batch(messages)

    assert server.invalid == []
    assert [r.status for r in results] == ["sent", "sent"]
    # `reconcile` finds both readers, the long address by the message's recipient.
    batch = InDoubtBatch(key_of(messages), None, started, dt.datetime.now(dt.timezone.utc))
    found = lookup_messages(postmark, post_id, [batch], dt.datetime.now(dt.timezone.utc))
    assert sorted(reader for reader, _ in found) == sorted(addresses)


def test_two_long_post_ids_that_begin_alike_get_tags_of_their_own(fake_provider):
    postmark, server = fake_provider("postmark")
    for post_id in (DEEP_POST, DEEP_POST.replace("the-post", "another-post")):
        postmark.send_batch(make_messages(postmark.settings, ADDRESSES[:1],
                                          StandInEmail(post_id=post_id)))
    first, second = (request.payload[0]["Tag"] for request in server.requests)
    assert server.invalid == [] and first != second
