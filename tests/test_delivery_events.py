"""Delivery events: each provider's documented webhooks, after a real send through its fake,
become the post's funnel in `status --json`; an event the provider delivers twice counts once."""

from __future__ import annotations

import functools
import json
import re
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, closing

import pytest
import requests
from conftest import invoke
from fake_providers import (  # noqa: F401 (fake_provider is a fixture)
    KEYS,
    fake_provider,
    make_messages,
    provider_environ,
    start_fake,
    write_provider_settings,
    write_settings,
)
from web_server import SECRET, serving, statuses, subscriber_csv
from webhook_support import ENVIRON, EVENT, SIGN, mailgun_request, resend_request, signed

from newsletter.config import load_settings
from newsletter.message import UnsubscribeTokens
from newsletter.providers import TEST_COPY
from newsletter.state import sqlite as state_sqlite
from newsletter.web import NewsletterApp

POST, SLUG = "/posts/plain-words", "plain-words"
POST_FILE = """---
title: Plain Words
date: "2026-11-27T08:30:00.000Z"
template: "post"
slug: "/posts/plain-words"
description: "A short post without images, so every provider can carry it."
---
Write the sentence you would say out loud, then [read it again](https://blog.example.com/).
"""
ANN, BOB, CY, DEE, EVE = (f"{name}@example.com" for name in ("ann", "bob", "cy", "dee", "eve"))
READERS = (ANN, BOB, CY, DEE, EVE)
# How each provider's message carries the post (as its adapter tags it): Resend's tags take
# only letters, digits, _ and -.
TAG = {"postmark": POST, "sendgrid": POST, "mailgun": POST, "resend": "posts_plain-words"}
PROVIDERS = list(TAG)


@pytest.fixture
def sent(site, request):
    """(provider, site, served base URL): the post sent to READERS through the provider's
    fake, opens and clicks tracked, and `serve`'s app running."""
    provider = request.param
    subscriber_csv(site, *READERS)
    write_settings(site, "tracking", opens=True, clicks=True)
    with ExitStack() as stack:
        send_through(site, provider, stack)
        app = NewsletterApp(load_settings(site, ENVIRON))
        base = stack.enter_context(serving(app))
        yield provider, site, base


def send_through(site, provider: str, stack: ExitStack):
    (site / "content" / "posts" / "plain-words.md").write_text(POST_FILE)
    server = start_fake(provider, KEYS[provider])
    stack.callback(server.close)
    write_provider_settings(site, name=provider, api_url=server.url, timeout=10,
                            **({"domain": "mg.example.com"} if provider == "mailgun" else {}))
    result = invoke(site, "send", SLUG, "--yes", env=provider_environ(provider))
    assert result.exit_code == 0, result.output
    assert sorted(server.accepted) == sorted(READERS)
    return server


def post_events(base: str, provider: str, events: list[tuple[str, str, str | None]]) -> list:
    """POST (kind, address, tag) events as the provider words and signs them."""
    make = EVENT[provider]
    payloads = [make(kind, address, tag, n) for n, (kind, address, tag) in enumerate(events)]
    return [requests.post(f"{base}/webhooks/{provider}", data=body, headers=headers)
            for headers, body in signed(provider, [p for p in payloads if p is not None])]


def status_json(site, provider: str) -> dict:
    result = invoke(site, "status", SLUG, "--json", env=provider_environ(provider))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def unsubscribe(base: str, address: str) -> None:
    token = UnsubscribeTokens(SECRET).make(address)
    answer = requests.post(f"{base}/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200


@pytest.mark.parametrize("sent", PROVIDERS, indirect=True)
def test_each_providers_documented_events_make_the_posts_funnel(sent):
    provider, site, base = sent
    tag = TAG[provider]

    answers = post_events(base, provider, [
        ("delivered", ANN, tag), ("opened", ANN, tag), ("opened", ANN, tag),
        ("clicked", ANN, tag),
        ("delivered", BOB, tag), ("complained", BOB, tag),
        ("bounced", CY, tag),
        ("deferred", DEE, tag), ("delivered", DEE, tag),
        ("delivered", EVE, None),  # untagged: the ledger's latest send to Eve
    ])
    unsubscribe(base, DEE)  # the link names no post: counted against the latest one

    assert {a.status_code for a in answers} == {200}
    funnel = status_json(site, provider)
    assert funnel.pop("last_run")["ended"] is not None
    assert funnel == {
        "post": POST, "sent": 5, "in_doubt": 0, "failed": 0, "pending": 0, "in_flight": 0,
        "not_yet_sent": 0, "accepted": 5, "delivered": 4, "bounced": 1, "hard_bounced": 1,
        "no_word_yet": 0, "deferred": 0, "complained": 1, "unsubscribed": 1, "opened": 1, "opened_by_machine": 0, "clicked": 1,
        "clicked_by_machine": 0}
    # What was acted on before stays: the bounce and the complaint take readers off the list.
    assert statuses(site) == {ANN: "active", BOB: "complained", CY: "bounced",
                              DEE: "unsubscribed", EVE: "active"}
    text = invoke(site, "status", SLUG, env=provider_environ(provider)).output
    assert "delivered          4  80.0%" in text
    assert "opened             1  20.0%" in text


@pytest.mark.parametrize("sent", PROVIDERS, indirect=True)
def test_the_same_event_delivered_twice_counts_once(sent):
    provider, site, base = sent
    payload = EVENT[provider]("delivered", ANN, TAG[provider], 0)
    if provider == "mailgun":  # each delivery is signed anew; the event keeps its id
        requests_ = [mailgun_request(payload), mailgun_request(payload)]
    elif provider == "resend":  # Svix keeps the message id on every retry
        requests_ = [resend_request(payload, message_id="msg_retried")] * 2
    elif provider == "sendgrid":
        requests_ = [SIGN[provider]([payload])] * 2
    else:
        requests_ = [SIGN[provider](payload)] * 2

    answers = [requests.post(f"{base}/webhooks/{provider}", data=body, headers=headers)
               for headers, body in requests_]

    assert [a.status_code for a in answers] == [200, 200]
    assert "1 events recorded" in answers[0].text and "1 seen before" in answers[1].text
    assert status_json(site, provider)["delivered"] == 1


@pytest.mark.parametrize("sent", PROVIDERS, indirect=True)
def test_a_soft_bounce_counts_as_bounced_but_keeps_the_reader(sent):
    provider, site, base = sent

    answers = post_events(base, provider, [("soft_bounce", ANN, TAG[provider]),
                                           ("bounced", BOB, TAG[provider])])

    assert {a.status_code for a in answers} == {200}
    funnel = status_json(site, provider)  # as `status` prints "bounced 2 (1 hard)"
    assert (funnel["bounced"], funnel["hard_bounced"]) == (2, 1)
    assert statuses(site)[ANN] == "active" and statuses(site)[BOB] == "bounced"


@pytest.mark.parametrize("sent", ["postmark", "resend"], indirect=True)
def test_a_reader_is_delivered_or_bounced_by_the_latest_of_the_two(sent):
    """An asynchronous bounce follows the delivery; webhooks may arrive in any order. Each
    reader counts once, as what happened last, so delivered + bounced never pass accepted."""
    provider, site, base = sent
    make, tag = EVENT[provider], TAG[provider]
    # (kind, reader, when) in the order the webhooks arrive.
    arriving = [("delivered", ANN, 0), ("bounced", ANN, 5),  # delivered, then bounced back
                ("bounced", BOB, 6), ("delivered", BOB, 2),  # told out of order
                ("delivered", CY, 3), ("delivered", DEE, 4)]
    payloads = [make(kind, reader, tag, n) for kind, reader, n in arriving]

    answers = [requests.post(f"{base}/webhooks/{provider}", data=body, headers=headers)
               for headers, body in signed(provider, payloads)]

    assert {a.status_code for a in answers} == {200}
    funnel = status_json(site, provider)
    assert (funnel["sent"], funnel["delivered"], funnel["bounced"]) == (5, 2, 2)
    text = invoke(site, "status", SLUG, env=provider_environ(provider)).output
    assert "bounced            2  40.0% (2 hard)" in text


def never_delivered(provider: str, address: str, variant: int) -> dict:
    """A documented event saying the provider did not deliver the message, though it took it:
    Postmark's bounce types Blocked and DMARCPolicy, SendGrid's `dropped` (a suppressed or
    invalid address), Mailgun's `failed` of reason `suppress-*`, Resend's `email.suppressed`
    and `email.failed`."""
    payload = EVENT[provider]("soft_bounce", address, TAG[provider], 10 + variant)
    if provider == "postmark":
        kind = ("Blocked", 100006, "ISP block") if variant == 0 else (
            "DMARCPolicy", 100009, "DMARC Policy")
        return {**payload, **dict(zip(("Type", "TypeCode", "Name"), kind))}
    if provider == "sendgrid":
        reason = "Bounced Address" if variant == 0 else "Invalid"
        return {**{k: v for k, v in payload.items() if k not in ("type", "status")},
                "event": "dropped", "reason": reason}
    if provider == "mailgun":  # dropped before any attempt: a suppressed address
        reason = "suppress-bounce" if variant == 0 else "suppress-complaint"
        return {**payload, "reason": reason, "delivery-status": {
            "code": 605 if variant == 0 else 607,
            "message": "Not delivering to previously bounced address"}}
    data = {k: v for k, v in payload["data"].items() if k != "bounce"}
    if variant == 0:
        return {**payload, "type": "email.suppressed", "data": data}
    return {**payload, "type": "email.failed",
            "data": {**data, "failed": {"reason": "reached_daily_quota"}}}


@pytest.mark.parametrize("sent", PROVIDERS, indirect=True)
def test_a_message_the_provider_took_but_never_delivered_counts_as_bounced(sent):
    """Not delivered, though accepted: the funnel must not lose those readers (accepted 5,
    delivered 3, bounced 0 told nobody what became of two), nor call a reader Mailgun would
    not mail (an old bounce or complaint) this post's hard bounce. Their status stays as it
    was: `subscribers sync` brings the provider's suppressions."""
    provider, site, base = sent
    payloads = [EVENT[provider]("delivered", reader, TAG[provider], n)
                for n, reader in enumerate((ANN, BOB, CY))]
    payloads += [never_delivered(provider, DEE, 0), never_delivered(provider, EVE, 1)]

    answers = [requests.post(f"{base}/webhooks/{provider}", data=body, headers=headers)
               for headers, body in signed(provider, payloads)]

    assert {a.status_code for a in answers} == {200}
    funnel = status_json(site, provider)
    assert (funnel["delivered"], funnel["bounced"]) == (3, 2)
    assert statuses(site)[DEE] == statuses(site)[EVE] == "active"
    text = invoke(site, "status", SLUG, env=provider_environ(provider)).output
    assert "bounced            2  40.0% (0 hard)" in text


@pytest.mark.parametrize("sent", ["postmark"], indirect=True)
def test_an_out_of_office_reply_is_no_bounce(sent):
    """Postmark records an automatic reply (AutoResponder) as a bounce type, but the message
    was delivered: someone's holiday is not a failed delivery."""
    provider, site, base = sent
    reply = {**EVENT[provider]("soft_bounce", ANN, TAG[provider], 4), "Type": "AutoResponder",
             "TypeCode": 64, "Name": "Auto responder"}
    payloads = [EVENT[provider]("delivered", ANN, TAG[provider], 1), reply]

    answers = [requests.post(f"{base}/webhooks/{provider}", data=body, headers=headers)
               for headers, body in signed(provider, payloads)]

    assert {a.status_code for a in answers} == {200}
    funnel = status_json(site, provider)
    assert (funnel["delivered"], funnel["bounced"]) == (1, 0)


@pytest.mark.parametrize("sent", ["postmark"], indirect=True)
def test_a_postmark_template_that_failed_to_render_is_a_message_never_delivered(sent):
    """With `[provider] templates`, Postmark renders each message; one it could not render is
    filed as a bounce of type TemplateRenderingFailed: never delivered, and not the address's
    fault. Before, it was dropped, and the reader was accepted but neither delivered nor
    bounced."""
    provider, site, base = sent
    failed = {**EVENT[provider]("soft_bounce", ANN, TAG[provider], 4),
              "Type": "TemplateRenderingFailed", "TypeCode": 100010,
              "Name": "Template rendering failed",
              "Description": "An error occurred while rendering your template."}
    payloads = [EVENT[provider]("delivered", BOB, TAG[provider], 1), failed]

    answers = [requests.post(f"{base}/webhooks/{provider}", data=body, headers=headers)
               for headers, body in signed(provider, payloads)]

    assert {a.status_code for a in answers} == {200}
    funnel = status_json(site, provider)
    assert (funnel["delivered"], funnel["bounced"], funnel["hard_bounced"]) == (1, 1, 0)
    assert statuses(site)[ANN] == "active"


@pytest.mark.parametrize("sent", ["postmark", "sendgrid", "mailgun"], indirect=True)
def test_an_unsubscribe_at_the_provider_counts_against_its_post(sent):
    provider, site, base = sent

    post_events(base, provider, [("unsubscribed", EVE, TAG[provider])])

    assert status_json(site, provider)["unsubscribed"] == 1
    assert statuses(site)[EVE] == "unsubscribed"


def test_without_tracking_opens_and_clicks_are_neither_kept_nor_shown(site):
    subscriber_csv(site, *READERS)
    with ExitStack() as stack:
        send_through(site, "sendgrid", stack)
        base = stack.enter_context(serving(NewsletterApp(load_settings(site, ENVIRON))))
        post_events(base, "sendgrid", [("delivered", ANN, POST), ("opened", ANN, POST),
                                       ("clicked", ANN, POST)])

    figures = status_json(site, "sendgrid")
    assert (figures["delivered"], figures["opened"], figures["clicked"]) == (1, None, None)
    text = invoke(site, "status", SLUG, env=provider_environ("sendgrid")).output
    assert "not tracked ([tracking] opens = true)" in text
    # Turned on later, opens the store never kept are not made up.
    write_settings(site, "tracking", opens=True, clicks=True)
    assert status_json(site, "sendgrid")["opened"] == 0


@pytest.fixture
def short_busy_wait(monkeypatch):
    """Stores opened from now on wait half a second for another writer, not ten: the test below
    holds the events store past either."""
    monkeypatch.setattr(state_sqlite, "open_kind",
                        functools.partial(state_sqlite.open_kind, timeout=0.5))


@pytest.mark.parametrize("sent", ["postmark"], indirect=True)
def test_an_event_is_on_disk_before_the_answer_and_a_store_that_fails_gets_a_retry(
        short_busy_wait, sent):
    provider, site, base = sent

    [answer] = post_events(base, provider, [("delivered", ANN, POST)])
    with closing(sqlite3.connect(site / ".newsletter" / "events.db")) as db:
        rows = db.execute("SELECT kind, post_id, reader FROM events").fetchall()
    assert answer.status_code == 200 and rows == [("delivered", POST, ANN)]

    headers, body = SIGN[provider](EVENT[provider]("delivered", BOB, POST))
    with closing(sqlite3.connect(site / ".newsletter" / "events.db")) as db:
        db.execute("BEGIN EXCLUSIVE")  # another writer holds the store past the wait
        blocked = requests.post(f"{base}/webhooks/{provider}", data=body, headers=headers,
                                timeout=60)
        db.rollback()
    assert blocked.status_code == 503 and blocked.headers["Retry-After"] == "60"
    # The provider's retry then gets through.
    assert requests.post(f"{base}/webhooks/{provider}", data=body, headers=headers).ok
    assert status_json(site, provider)["delivered"] == 2


@pytest.mark.parametrize("sent", ["postmark"], indirect=True)
def test_events_and_unsubscribes_arriving_at_once_are_each_kept_and_counted_once(sent):
    """serve's threads commit their writes together: each one-click unsubscribe and each event
    is answered only once kept, and one delivered again at the same moment counts once."""
    provider, site, base = sent
    (headers, body), = signed(provider, [EVENT[provider]("delivered", ANN, POST)])

    def deliver(_) -> int:
        answer = requests.post(f"{base}/webhooks/{provider}", data=body, headers=headers)
        assert answer.status_code == 200, answer.text
        return int(re.search(r"(\d+) events recorded", answer.text).group(1))

    with ThreadPoolExecutor(8) as pool:
        leaving = pool.map(functools.partial(unsubscribe, base), (BOB, CY, DEE))
        recorded = sum(pool.map(deliver, range(8)))
        list(leaving)
    assert recorded == 1
    funnel = status_json(site, provider)
    assert (funnel["delivered"], funnel["unsubscribed"]) == (1, 3)
    assert {reader: status for reader, status in statuses(site).items()
            if status != "active"} == dict.fromkeys((BOB, CY, DEE), "unsubscribed")


def test_status_json_before_anything_was_sent(site):
    assert json.loads(invoke(site, "status", "--json").output) == []
    assert json.loads(invoke(site, "status", "what-matters", "--json").output) == {
        "post": "/posts/what-matters", "sent": 0, "in_doubt": 0, "failed": 0, "pending": 0,
        "in_flight": 0, "not_yet_sent": 4, "last_run": None, "accepted": 0, "delivered": 0,
        "bounced": 0, "hard_bounced": 0, "no_word_yet": 0, "deferred": 0, "complained": 0,
        "unsubscribed": 0, "opened": None,
        "opened_by_machine": None, "clicked": None, "clicked_by_machine": None}


# Each provider's own switch, as its request carries it (off, then on); Resend has none per
# message (tracking is set on its sending domain).
SWITCHES = {
    "postmark": lambda body: (body[0]["TrackOpens"], body[0]["TrackLinks"]),
    "sendgrid": lambda body: (body["tracking_settings"]["open_tracking"]["enable"],
                              body["tracking_settings"]["click_tracking"]["enable"]),
    "mailgun": lambda form: (form["o:tracking-opens"], form["o:tracking-clicks"]),
}
OFF_ON = {"postmark": ((False, "None"), (True, "HtmlAndText")),
          "sendgrid": ((False, False), (True, True)), "mailgun": (("no", "no"), ("yes", "yes"))}


@pytest.mark.parametrize("provider", list(SWITCHES))
def test_tracking_is_off_unless_turned_on_and_asked_of_each_message(fake_provider, provider):
    seen = []
    for tracking in ({}, {"opens": True, "clicks": True}):
        adapter, server = fake_provider(provider, tracking=tracking)
        adapter.send_batch(make_messages(adapter.settings, [ANN]))
        assert server.invalid == []
        seen.append(SWITCHES[provider](server.last_json()))
    assert tuple(seen) == OFF_ON[provider]


def test_an_event_without_its_post_goes_to_the_readers_latest_send(site):
    subscriber_csv(site, *READERS)
    environ = provider_environ("sendgrid")
    with ExitStack() as stack:
        send_through(site, "sendgrid", stack)  # Plain Words, to everyone
        subscriber_csv(site, *READERS, "fay@example.com")
        later = invoke(site, "send", "what-matters", "--yes", env=environ)
        assert later.exit_code == 0, later.output
        base = stack.enter_context(serving(NewsletterApp(load_settings(site, ENVIRON))))
        post_events(base, "sendgrid", [
            ("delivered", ANN, None),  # untagged: What Matters, Ann's latest
            ("delivered", BOB, POST),  # tagged: Plain Words, though not Bob's latest
            # a post the ledger never held: another sender's message, counted nowhere
            ("delivered", BOB, "/posts/never-sent-here"),
            # a post this ledger never mailed Fay (a staging copy of the blog did, through
            # the same account): not What Matters, her latest, which `reconcile` would have
            # taken it for had her copy been in doubt
            ("delivered", "fay@example.com", POST)])
        unsubscribe(base, CY)  # the link names no post: Cy's latest, What Matters

    older = json.loads(invoke(site, "status", SLUG, "--json", env=environ).output)
    latest = json.loads(invoke(site, "status", "what-matters", "--json", env=environ).output)
    assert (older["sent"], older["delivered"], older["unsubscribed"]) == (5, 1, 0)
    assert (latest["sent"], latest["delivered"], latest["unsubscribed"]) == (6, 1, 1)


@pytest.mark.parametrize("provider", ["sendgrid", "resend"])
def test_the_first_events_of_a_new_post_count_for_it_not_the_readers_previous_one(
        site, provider):
    """`serve` keeps the ledger's list of posts a while. Events of a post sent since (its
    delivery is often seconds after the send) belong to that post, however recently the list
    was read, as the provider tags them exactly or (Resend) in its tag-safe form."""
    subscriber_csv(site, *READERS)
    environ = provider_environ(provider)
    with ExitStack() as stack:
        send_through(site, provider, stack)  # Plain Words, to everyone
        base = stack.enter_context(serving(NewsletterApp(load_settings(site, ENVIRON))))
        post_events(base, provider, [("delivered", ANN, TAG[provider])])  # the list is read
        (site / "content" / "posts" / "more-words.md").write_text(
            POST_FILE.replace("plain-words", "more-words").replace("Plain", "More"))
        later = invoke(site, "send", "more-words", "--yes", env=environ)
        assert later.exit_code == 0, later.output
        tag = {"resend": "posts_more-words"}.get(provider, "/posts/more-words")
        post_events(base, provider, [("delivered", BOB, tag)])

    older = json.loads(invoke(site, "status", SLUG, "--json", env=environ).output)
    latest = json.loads(invoke(site, "status", "more-words", "--json", env=environ).output)
    assert (older["delivered"], latest["delivered"]) == (1, 1)


# A [TEST] copy's label as each adapter sends it, and as each provider's webhook echoes it (the
# message's Metadata, custom args flattened into the event, user variables, tags).
SENT_LABEL = {
    "postmark": lambda body: body[0]["Metadata"].get(TEST_COPY),
    "sendgrid": lambda body: body["personalizations"][0]["custom_args"].get(TEST_COPY),
    "mailgun": lambda form: form.get(f"v:{TEST_COPY}"),
    "resend": lambda body: {t["name"]: t["value"] for t in body[0]["tags"]}.get(TEST_COPY),
}
ECHOED = {
    "postmark": lambda event: event["Metadata"],
    "sendgrid": lambda event: event,
    "mailgun": lambda event: event["user-variables"],
    "resend": lambda event: event["data"]["tags"],
}
OTHER_TAG = {"resend": "posts_notes-on-editing"}  # the draft, as each provider tags it


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_test_copy_to_a_subscriber_counts_in_no_posts_funnel(site, provider):
    """The writer sends `--to` copies to readers who are also subscribers, of a post they got
    and of a draft; what happens to those copies is no post's delivery."""
    subscriber_csv(site, *READERS)
    write_settings(site, "tracking", opens=True, clicks=True)
    environ = provider_environ(provider)
    with ExitStack() as stack:
        server = send_through(site, provider, stack)  # Plain Words, to everyone
        for slug, reader in ((SLUG, ANN), ("notes-on-editing", BOB)):
            copy = invoke(site, "send", slug, "--to", reader, env=environ)
            assert copy.exit_code == 0, copy.output
            assert SENT_LABEL[provider](server.last_json()) == "yes"
        base = stack.enter_context(serving(NewsletterApp(load_settings(site, ENVIRON))))
        tag, other = TAG[provider], OTHER_TAG.get(provider, "/posts/notes-on-editing")
        events = [("delivered", ANN, tag), ("opened", ANN, tag), ("clicked", ANN, tag),
                  ("bounced", DEE, tag), ("delivered", BOB, other), ("opened", BOB, other)]
        payloads = [EVENT[provider](kind, address, post, n)
                    for n, (kind, address, post) in enumerate(events)]
        for payload in payloads:
            ECHOED[provider](payload)[TEST_COPY] = "yes"
        payloads.append(EVENT[provider]("delivered", CY, tag, len(events)))  # a real one
        answers = [requests.post(f"{base}/webhooks/{provider}", data=body, headers=headers)
                   for headers, body in signed(provider, payloads)]

    assert {a.status_code for a in answers} == {200}
    funnel = status_json(site, provider)
    assert (funnel["sent"], funnel["delivered"], funnel["bounced"]) == (5, 1, 0)
    assert (funnel["opened"], funnel["clicked"]) == (0, 0)
    assert statuses(site)[DEE] == "bounced"  # the address bounces all the same


@pytest.mark.parametrize("sent", ["postmark"], indirect=True)
def test_readers_in_doubt_whom_the_events_tell_of_count_as_accepted(sent, tmp_path):
    """A send killed mid-run leaves four readers in doubt; the provider's events say all five
    got the post. The report once read "accepted 1, delivered 5 500.0%": now the five are
    accepted, each share at most 100%, in the text, the JSON and the report page alike."""
    from browser import preview_server

    from newsletter.sending import Ledger, State

    provider, site, base = sent
    with Ledger.open(load_settings(site, ENVIRON)) as ledger:
        ledger.mark(POST, [BOB, CY, DEE, EVE], State.IN_DOUBT, "read timeout")
    post_events(base, provider, [("delivered", reader, TAG[provider]) for reader in READERS])

    text = invoke(site, "status", SLUG, env=provider_environ(provider)).output
    assert "sent 1, failed 0, in doubt 4" in text  # the ledger's truth, until reconcile
    accepted = re.search(r"\n( +accepted +5 +\(4 in doubt, told of by webhooks: run "
                         r"reconcile\))\n", text)
    assert accepted and len(accepted[1]) <= 80, text  # one line in a narrow terminal
    assert re.search(r"delivered +5 +100\.0%\n", text), text
    funnel = status_json(site, provider)
    assert (funnel["sent"], funnel["in_doubt"], funnel["accepted"], funnel["delivered"]) == (
        1, 4, 5, 5)
    with preview_server(site, tmp_path) as url:
        page = requests.get(f"{url}/report", timeout=30).text
    assert "500.0%" not in page
    assert re.search(r'<text x="[\d.]+" y="\d+" class="value">5 · 100.0%</text>', page), page
    assert re.search(r"<title [^>]*>What happened to 5 emails of", page), page
    assert "Of those in doubt, 4 are counted as accepted" in page
