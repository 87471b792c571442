"""SendGrid adapter against a fake /v3/mail/send that checks requests like the real API."""

from __future__ import annotations

import json

import pytest
from fake_providers import (  # noqa: F401
    KEYS, StandInEmail, answer, fail, fake_provider, make_messages,
)

from newsletter.errors import AuthError, InDoubtError, QuotaError, TransientError
from newsletter.providers import Result, batch_key

ADDRESSES = ["ann@example.com", "bob@example.org", "cy@example.net"]


def test_each_reader_gets_their_own_link_from_one_shared_body(fake_provider):
    sendgrid, server = fake_provider("sendgrid")
    messages = make_messages(sendgrid.settings, ADDRESSES)

    results = sendgrid.send_batch(messages)

    message_id = server.requests[0].payload and results[0].message_id
    assert results == [Result.sent(message_id)] * 3 and message_id
    assert server.invalid == []
    assert server.requests[0].headers["authorization"] == f"Bearer {KEYS['sendgrid']}"
    body = server.last_json()
    assert [c["type"] for c in body["content"]] == ["text/plain", "text/html"]
    # The post and the batch (what `reconcile` asks the Email Activity API for) once; each
    # personalization names its reader.
    assert body["custom_args"] == {"post": "/posts/what-matters", "batch": batch_key(messages[0].post_id, [m.message_id for m in messages])}
    assert [p["custom_args"] for p in body["personalizations"]] == [
        {"reader": a} for a in ADDRESSES]
    assert body["categories"] == ["/posts/what-matters"]
    assert body["headers"] == {"List-Id": "Example Notes <newsletter.blog.example.com>",
                               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    assert "mail_settings" not in body
    for message in messages:
        received = server.delivery(message.to_address)
        assert (received.html, received.text) == (message.html, message.text)
        assert received.headers["List-Unsubscribe"] == message.headers["List-Unsubscribe"]


def test_the_body_is_sent_once_per_request_not_once_per_reader(fake_provider):
    sendgrid, server = fake_provider("sendgrid")
    messages = make_messages(sendgrid.settings, [f"r{i}@example.com" for i in range(100)])

    sendgrid.send_batch(messages)

    request = server.requests[0]
    assert request.body.count(b"a line that stays the same") == 1
    assert len(request.body) < 100 * len(messages[0].html.encode())


def test_test_mode_is_sandbox_mode(fake_provider):
    sendgrid, server = fake_provider("sendgrid", test_mode=True)

    results = sendgrid.send_batch(make_messages(sendgrid.settings, ADDRESSES[:1]))

    assert server.last_json()["mail_settings"] == {"sandbox_mode": {"enable": True}}
    assert results[0].status == "sent"
    assert "sandbox mode" in sendgrid.describe()


@pytest.mark.parametrize("odd", [answer("<html><body>Welcome to the office network</body></html>"),
                                 answer("", 204), answer({"message": "success"}, 201)],
                         ids=["200 page", "204", "201"])
def test_a_success_that_is_not_sendgrids_202_is_in_doubt_not_sent(fake_provider, odd):
    # Any 2xx counted as sent: a proxy's or another server's page at api_url recorded every
    # reader sent, though nobody can say whether SendGrid ever saw the request.
    sendgrid, server = fake_provider("sendgrid")
    server.enqueue(odd)

    with pytest.raises(InDoubtError, match=f"sendgrid answered {odd.status}, not the 202"):
        sendgrid.send_batch(make_messages(sendgrid.settings, ADDRESSES))


def test_a_400_about_what_every_batch_carries_stops_the_run(fake_provider):
    # A refused From (or content, subject...) recorded each reader of the batch failed for
    # good, and the run went on to have every other batch refused alike.
    sendgrid, server = fake_provider("sendgrid")
    server.enqueue(answer({"errors": [{"message": "The from email does not contain a valid "
                                                  "address.", "field": "from.email"}]}, 400))

    with pytest.raises(AuthError, match=r"does not contain a valid address\. \(from\.email\)"):
        sendgrid.send_batch(make_messages(sendgrid.settings, ADDRESSES))


def test_a_400_about_a_reader_rejects_the_batch(fake_provider):
    sendgrid, server = fake_provider("sendgrid")
    server.enqueue(answer({"errors": [
        {"message": "Does not contain a valid address.", "field": "personalizations.1.to.0.email"},
        {"message": "The from email does not contain a valid address.", "field": "from.email"}]},
        400))

    results = sendgrid.send_batch(make_messages(sendgrid.settings, ADDRESSES))

    assert [r.status for r in results] == ["rejected"] * 3


def test_a_400_rejects_the_whole_batch_with_sendgrids_reason(fake_provider):
    sendgrid, server = fake_provider("sendgrid")
    server.enqueue(fail(400))

    results = sendgrid.send_batch(make_messages(sendgrid.settings, ADDRESSES))

    assert results == [Result.rejected("sendgrid answered 400: fake failure 400")] * 3


def test_429_waits_until_the_rate_limit_resets(fake_provider):
    sendgrid, server = fake_provider("sendgrid")
    server.enqueue(fail(429, retry_after=30))

    with pytest.raises(TransientError) as caught:
        sendgrid.send_batch(make_messages(sendgrid.settings, ADDRESSES))
    assert 10 < caught.value.retry_after <= 30  # the reset time, less however long the call took


@pytest.mark.parametrize("answer", [
    fail(401, name="Maximum credits exceeded"),  # SendGrid's answer when the credits are used up
    fail(429, name="You have exceeded your daily sending limit"),
    fail(429, retry_after=86400),  # a rate limit that resets tomorrow
])
def test_a_quota_used_up_is_told_apart_from_a_rate_limit_or_a_bad_key(fake_provider, answer):
    sendgrid, server = fake_provider("sendgrid")
    server.enqueue(answer, fail(429, retry_after=1), fail(401))
    messages = make_messages(sendgrid.settings, ["ann@example.com"])
    with pytest.raises(QuotaError) as caught:
        sendgrid.send_batch(messages)
    assert "later run" in caught.value.hint
    with pytest.raises(TransientError):  # a short wait: a rate limit, retried
        sendgrid.send_batch(messages)
    with pytest.raises(AuthError):  # a 401 without a quota's words: the key
        sendgrid.send_batch(messages)


def test_403_stops_the_run(fake_provider):
    sendgrid, server = fake_provider("sendgrid")
    server.enqueue(fail(403))

    with pytest.raises(AuthError, match="SENDGRID_API_KEY"):
        sendgrid.send_batch(make_messages(sendgrid.settings, ADDRESSES))


def test_a_proxy_named_in_the_environment_carries_every_request(fake_provider, monkeypatch):
    """The environment is read once a run (not once a request, as requests does): a proxy
    named there still carries each request, the first and the next."""
    for name in ("HTTP_PROXY", "http_proxy"):  # the discard port: nobody listens
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    sendgrid, server = fake_provider("sendgrid")

    for _ in range(2):
        # The proxy refused: nothing left, so the batch stays pending (never in doubt).
        with pytest.raises(TransientError, match="cannot connect"):
            sendgrid.send_batch(make_messages(sendgrid.settings, ADDRESSES))

    assert server.requests == []


def test_names_with_commas_are_cleaned_for_sendgrid(fake_provider):
    sendgrid, server = fake_provider("sendgrid")
    from newsletter.message import MessageFactory
    from fake_providers import StandInEmail

    factory = MessageFactory(sendgrid.settings, StandInEmail(), "test-secret")
    sendgrid.send_batch([factory.build("ann@example.com", "Doe, Ann; PhD")])

    assert server.invalid == []
    to = server.last_json()["personalizations"][0]["to"][0]
    assert to == {"email": "ann@example.com", "name": "Doe  Ann  PhD"}
    assert json.dumps(server.last_json()).count("Doe") == 1


def test_the_recipient_from_the_message_fields_is_the_parsed_to_header(fake_provider):
    import json
    import random
    import string

    from fake_providers import StandInEmail

    from newsletter.message import MessageFactory
    from newsletter.providers.sendgrid import Personalizations, _address

    sendgrid, _ = fake_provider("sendgrid")
    factory = MessageFactory(sendgrid.settings, StandInEmail(), "test-secret")
    rng = random.Random(5)
    characters = string.printable + 'éü漢\u2028"\\()<>@,;:.[]  '
    names = ["", "Ann", "Doe, Ann; PhD", 'Sean "Jr" O\'Brien', "x" * 199 + " y", "a\\", " . "]
    names += ["".join(rng.choice(characters) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    addresses = ["ann@example.com", "o'brien+x&y@example.org", "zoë@bücher.de", "a%b{c}@ex.net"]
    encoder = Personalizations(factory.build(addresses[0]), frozenset())
    for index, name in enumerate(names):
        message = factory.build(addresses[index % len(addresses)], name)
        [to] = json.loads(encoder.encode(message))["to"]
        assert to == _address(message.headers["To"]), repr(name)


def test_a_post_whose_address_is_not_ascii_gets_an_ascii_category(fake_provider):
    # SendGrid takes categories in US-ASCII only: the post's address went in as it is, and a
    # post at /posts/café-über was refused for every reader.
    sendgrid, server = fake_provider("sendgrid")
    messages = make_messages(sendgrid.settings, ADDRESSES, StandInEmail(post_id="/posts/café-über"))

    results = sendgrid.send_batch(messages)

    assert server.invalid == []
    assert [r.status for r in results] == ["sent"] * 3
    body = server.last_json()
    assert body["categories"] == ["/posts/caf%C3%A9-%C3%BCber"]
    assert body["custom_args"]["post"] == "/posts/café-über"  # webhooks still name the post


def test_a_batch_written_from_its_template_is_what_each_reader_alone_would_get(fake_provider):
    # A batch of readers alike but for their values is written from one template of its
    # shape; any reader unlike the rest (a quote or comma in a name, capitals, a control
    # character, a test copy, another subject) must send the batch the long way, each reader
    # encoded alone, and both ways must give the same bytes.
    import dataclasses
    import random

    from newsletter.message import MessageFactory
    from newsletter.providers.message_parts import BUILT_HEADERS
    from newsletter.providers.personalizations import Personalizations, _Template

    sendgrid, server = fake_provider("sendgrid")
    factory = MessageFactory(sendgrid.settings, StandInEmail(), "test-secret")
    plain = [(f"reader{i}@example.org", f"Reader {i}" if i % 3 else "") for i in range(40)]
    odd = [("Cap@Example.org", "Ann"), ("ann@example.com", 'Sean "Jr"'), ("b@example.com", "a\\b"),
           ("c@example.com", "Doe, Ann; PhD"), ("d@example.com", "Zoë 漢字"),
           ("e@example.com", "  padded  "), ("f@example.com", "x" * 199 + " y")]
    rng = random.Random(7)

    def encoded(messages):
        encoder = Personalizations(messages[0], BUILT_HEADERS | {"List-Id", "List-Unsubscribe-Post"},
                                   escaped=False)
        return encoder, encoder.encode_all(messages), [encoder.encode(m) for m in messages]

    encoder, together, alone = encoded(factory.assemble_all([factory.prepare(*r) for r in plain]))
    assert together == alone
    assert _Template.of(encoder, factory.assemble_all([factory.prepare(*r) for r in plain]))
    for _ in range(30):
        readers = rng.sample(plain, 10) + rng.sample(odd, rng.randint(1, 3))
        messages = factory.assemble_all([factory.prepare(*r) for r in readers])
        assert encoded(messages)[1] == encoded(messages)[2]
        assert encoded(list(messages))[1] == encoded(list(messages))[2]
    messages = list(factory.assemble_all([factory.prepare(*r) for r in plain[:5]]))
    other_subject = dataclasses.replace(messages[1], headers={**messages[1].headers, "Subject": "Hi"})
    test_copy = dataclasses.replace(messages[2], test=True)
    control = dataclasses.replace(messages[3], to_name="tab\there")
    for changed in (other_subject, test_copy, control):
        batch = [changed if m.to_address == changed.to_address else m for m in messages]
        assert encoded(batch)[1] == encoded(batch)[2]
    # and what SendGrid receives reads as each reader's own
    sendgrid.send_batch(factory.assemble_all([factory.prepare(*r) for r in plain + odd]))
    assert server.invalid == []
    sent = server.last_json()["personalizations"]
    assert [p["to"][0]["email"] for p in sent] == [a for a, _ in plain + odd]
    assert sent[1]["to"][0]["name"] == "Reader 1" and sent[-4]["to"][0]["name"] == "Doe  Ann  PhD"


def test_a_batch_is_written_from_its_readers_without_building_their_messages(fake_provider):
    # A send's batch (MessageFactory.assemble_all) holds its readers; SendGrid's request is
    # joined from their fields, and only the first message is built (the rest would cost the
    # send's busiest thread ~0.6 us a reader for nothing). What SendGrid receives must be the
    # bytes the same batch's built messages give, readers whose names SendGrid cleans too.
    from newsletter.message import MessageFactory

    sendgrid, server = fake_provider("sendgrid")
    factory = MessageFactory(sendgrid.settings, StandInEmail(), "test-secret")
    plain = [(f"reader{i}@example.org", f"Reader {i}" if i % 3 else "") for i in range(30)]
    odd = [("doe@example.com", "Doe, Ann; PhD"), ("f@example.com", "x" * 199 + " y")]
    for round, readers in enumerate((plain, plain + odd, plain[:1])):
        readers = [(f"{round}.{address}", name) for address, name in readers]
        batch = factory.assemble_all([factory.prepare(*reader) for reader in readers])
        request = sendgrid.build_request(batch)
        if round == 0:
            assert batch._messages is None  # noqa: SLF001 - none built but the first
        built = list(batch)
        assert built[0] is batch[0] and len(built) == len(readers)
        assert request.body == sendgrid.build_request(built).body
        sendgrid.send_batch(batch)
        assert server.invalid == []
        sent = server.last_json()["personalizations"]
        assert [p["to"][0]["email"] for p in sent] == [address for address, _ in readers]
        for message in built:
            received = server.delivery(message.to_address)
            assert (received.html, received.text) == (message.html, message.text)
            assert received.headers["List-Unsubscribe"] == message.headers["List-Unsubscribe"]


def test_a_batch_of_another_post_never_carries_the_json_kept_from_the_batch_before(fake_provider):
    # The request's fixed JSON (the post's HTML and text with SendGrid's tags, the headers,
    # the subject) is written once and kept for the batches after it of the same shape; a
    # batch of another post, or one whose values HTML-escapes, must get its own: each reader
    # receives the post sent to them, and each body is what a fresh adapter writes.
    import dataclasses

    from newsletter.message import MessageFactory

    sendgrid, server = fake_provider("sendgrid")
    fresh, _ = fake_provider("sendgrid")
    other = dataclasses.replace(StandInEmail(), post_id="/posts/another-week",
                                subject="Another week",
                                html=StandInEmail.html.replace("stays the same", "is new"))
    factories = {email.post_id: MessageFactory(sendgrid.settings, email, "test-secret")
                 for email in (StandInEmail(), other)}
    rounds = [("/posts/what-matters", "plain"), ("/posts/what-matters", "plain"),
              ("/posts/another-week", "plain"), ("/posts/what-matters", "a&b"),
              ("/posts/what-matters", "plain")]
    for number, (post_id, name) in enumerate(rounds):
        factory = factories[post_id]
        readers = [(f"{number}.r{i}@example.org", f"Reader {i}") for i in range(3)]
        if name != "plain":  # an address HTML-escapes: the HTML part takes its own tags
            readers[0] = (f"{number}.{name}@example.org", "Amp")
        batch = factory.assemble_all([factory.prepare(*reader) for reader in readers])
        body = sendgrid.build_request(batch).body
        assert body == fresh.build_request(list(batch)).body
        sendgrid.send_batch(batch)
        assert server.invalid == []
        assert server.last_json()["subject"] == batch[0].subject
        assert server.last_json()["custom_args"]["post"] == post_id
        for message in batch:
            received = server.delivery(message.to_address)
            assert (received.html, received.text) == (message.html, message.text)
            assert ("is new" in received.html) == (post_id == "/posts/another-week")
