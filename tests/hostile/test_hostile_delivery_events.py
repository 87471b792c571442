"""Delivery events with shapes no provider documents: wrong types, absurd times, giant fields,
events for posts or readers nobody mailed. Each is stored sanely or ignored, and neither
`status --json` nor the report page breaks on them."""

from __future__ import annotations

import json
import sqlite3
from contextlib import ExitStack, closing

import requests
from conftest import invoke
from fake_providers import provider_environ, write_settings
from test_delivery_events import ANN, BOB, CY, POST, READERS, SLUG, send_through
from web_server import serving, subscriber_csv
from webhook_support import ENVIRON, sendgrid_request

from newsletter.config import load_settings
from newsletter.preview.server import make_app
from newsletter.web import NewsletterApp

HOSTILE = [
    # A bounce dated 10^308 seconds from 1970: no date can hold it.
    {"email": CY, "event": "bounce", "type": "bounce", "timestamp": 1e308, "sg_event_id": "h1",
     "post": POST},
    # Every field of the wrong type.
    {"email": ANN, "event": "delivered", "timestamp": "soon", "sg_event_id": ["x"],
     "post": {"id": POST}, "category": [1, None, {"a": 2}]},
    {"email": 12345, "event": "delivered", "sg_event_id": "h3"},
    {"event": "open", "sg_event_id": "h4"},  # no address at all
    # A post nobody sent, and a reader the ledger never mailed.
    {"email": BOB, "event": "delivered", "timestamp": 1, "sg_event_id": "h5",
     "post": "/posts/never-sent"},
    {"email": "stranger@example.net", "event": "delivered", "sg_event_id": "h6", "post": POST},
    # A giant reason and a negative time.
    {"email": BOB, "event": "bounce", "type": "blocked", "reason": "x" * 200_000,
     "timestamp": -5, "sg_event_id": "h7", "post": POST},
]


def test_hostile_event_shapes_are_stored_sanely_and_break_no_report(site):
    subscriber_csv(site, *READERS)
    with ExitStack() as stack:
        send_through(site, "sendgrid", stack)
        base = stack.enter_context(serving(NewsletterApp(load_settings(site, ENVIRON))))
        headers, body = sendgrid_request(HOSTILE)
        answer = requests.post(f"{base}/webhooks/sendgrid", data=body, headers=headers)
        assert answer.status_code == 200, answer.text
        preview = stack.enter_context(serving(make_app(site, {})))
        report = requests.get(f"{preview}/report")

    assert report.status_code == 200 and "Plain Words" in report.text
    figures = json.loads(invoke(site, "status", SLUG, "--json",
                                env=provider_environ("sendgrid")).output)
    # Bob's event for a post this site never sent and the stranger's count nowhere; Bob's
    # bounce (its time unreadable: when it came) makes him bounced.
    assert (figures["delivered"], figures["bounced"]) == (1, 2)
    with closing(sqlite3.connect(site / ".newsletter" / "events.db")) as db:
        rows = db.execute("SELECT reader, occurred_at, length(detail) FROM events").fetchall()
    assert len(rows) == 5  # the two without an address are ignored
    assert all(0 < at < 4_102_444_800 and size <= 500 for _, at, size in rows)


def test_a_bounce_reason_from_the_receiving_server_is_one_short_line_in_the_log(site, caplog):
    # The reason of a bounce is the receiving mail server's text: anyone who signs up with a
    # domain of their own writes it. Before, its line breaks forged lines of serve's log, its
    # escapes reached the terminal, and all 100 KB of it went into one log line.
    subscriber_csv(site, *READERS)
    reason = "550 no such user\n2026-12-07 INFO unsubscribed boss@example.com \x1b]0;pwned\x07"
    event = {"email": CY, "event": "bounce", "type": "bounce", "reason": reason + "x" * 100_000,
             "sg_event_id": "r1", "timestamp": 1_700_000_000}
    with serving(NewsletterApp(load_settings(site, ENVIRON))) as base:
        headers, body = sendgrid_request([event])
        with caplog.at_level("INFO"):
            answer = requests.post(f"{base}/webhooks/sendgrid", data=body, headers=headers)
    assert answer.status_code == 200, answer.text
    logged = [r.getMessage() for r in caplog.records if "recorded as bounced" in r.getMessage()]
    assert len(logged) == 1
    assert "\n" not in logged[0] and "\x1b" not in logged[0] and "\x07" not in logged[0]
    assert "550 no such user" in logged[0] and len(logged[0]) < 1000


def test_events_of_another_senders_mail_through_the_same_account_count_in_no_post(site):
    """A SendGrid account's Event Webhook reports every message of the account: the writer's
    app's password resets, another blog's newsletter. Before, an event tagged with a post this
    site never sent went to the reader's latest post: its funnel counted another message's
    delivery and open, and `reconcile` took it as proof that an in-doubt reader got the post."""
    subscriber_csv(site, *READERS)
    write_settings(site, "tracking", opens=True, clicks=True)
    foreign = [{"email": ANN, "event": kind, "timestamp": 1_764_115_200 + n,
                "sg_event_id": f"app-{kind}", "category": ["password-reset"]}
               for n, kind in enumerate(("delivered", "open", "click"))]
    foreign.append({"email": BOB, "event": "delivered", "timestamp": 1_764_115_200,
                    "sg_event_id": "other-blog", "post": "/blog/2026/another-writers-post"})
    with ExitStack() as stack:
        send_through(site, "sendgrid", stack)
        base = stack.enter_context(serving(NewsletterApp(load_settings(site, ENVIRON))))
        headers, body = sendgrid_request(foreign)
        answer = requests.post(f"{base}/webhooks/sendgrid", data=body, headers=headers)
    assert answer.status_code == 200, answer.text

    figures = json.loads(invoke(site, "status", SLUG, "--json",
                                env=provider_environ("sendgrid")).output)
    assert (figures["delivered"], figures["opened"], figures["clicked"]) == (0, 0, 0)
    with closing(sqlite3.connect(site / ".newsletter" / "events.db")) as db:
        assert db.execute("SELECT count(*) FROM events WHERE post_id IS NULL").fetchone() == (4,)
