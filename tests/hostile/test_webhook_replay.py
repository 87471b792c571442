"""Webhook replay: Mailgun signs only timestamp + token, so a signature is accepted once.

Before, one captured Mailgun webhook could be sent again within the 5-minute window with any
other ``event-data`` and mark any listed address complained, bounced or unsubscribed.
"""

from __future__ import annotations

import json
import sqlite3
import time

import pytest
import requests
from test_webhooks import ANN, BOB, CY
from web_server import serving, statuses, subscriber_csv
from webhook_support import ENVIRON, mailgun_request

from newsletter.config import load_settings
from newsletter.web import NewsletterApp
from newsletter.web.replay import UsedTokens

COMPLAINT = {"event": "complained", "recipient": ANN}


def replayed(headers: dict, body: bytes, event_data: dict) -> tuple[dict, bytes]:
    """The same signature block with other event data, as an attacker would resend it."""
    payload = json.loads(body)
    payload["event-data"] = event_data
    return headers, json.dumps(payload).encode()


@pytest.fixture
def mailgun_hook(site):
    subscriber_csv(site, ANN, BOB, CY)
    app = NewsletterApp(load_settings(site, ENVIRON))
    app.store.lock_timeout = 0.2  # a busy list answers 503 at once
    with serving(app) as base:
        yield f"{base}/webhooks/mailgun", site


def test_a_replayed_signature_with_other_event_data_is_refused_and_the_list_unchanged(mailgun_hook):
    url, site = mailgun_hook
    captured = mailgun_request(COMPLAINT)
    assert requests.post(url, data=captured[1], headers=captured[0]).status_code == 200
    before = (site / "subscribers" / "subscribers.csv").read_bytes()

    answers = [requests.post(url, data=body, headers=headers) for headers, body in (
        replayed(*captured, {"event": "complained", "recipient": BOB}),
        replayed(*captured, {"event": "unsubscribed", "recipient": CY}),
        captured,  # the very same request again
    )]

    assert [a.status_code for a in answers] == [403, 403, 403]
    assert "already used" in answers[0].text
    assert (site / "subscribers" / "subscribers.csv").read_bytes() == before
    assert statuses(site) == {ANN: "complained", BOB: "active", CY: "active"}


def test_a_second_app_serving_the_same_site_refuses_the_replay_too(mailgun_hook):
    url, site = mailgun_hook
    headers, body = mailgun_request(COMPLAINT)
    other = NewsletterApp(load_settings(site, ENVIRON))  # e.g. another worker process

    with serving(other) as other_base:
        first = requests.post(url, data=body, headers=headers)
        again = requests.post(f"{other_base}/webhooks/mailgun", headers=headers,
                              data=replayed(headers, body, {"event": "complained",
                                                            "recipient": BOB})[1])

    assert (first.status_code, again.status_code) == (200, 403)
    assert statuses(site)[BOB] == "active"


def test_a_webhook_not_applied_can_be_retried_by_mailgun_with_its_token(mailgun_hook):
    url, site = mailgun_hook
    headers, body = mailgun_request(COMPLAINT)

    journal = site / ".newsletter" / "journal.db"
    journal.parent.mkdir(exist_ok=True)
    journal.write_bytes(b"not a database " * 100)  # the journal cannot take the change: 503
    busy = requests.post(url, data=body, headers=headers, timeout=60)
    for path in journal.parent.glob("journal.db*"):
        path.unlink()
    retry = requests.post(url, data=body, headers=headers)

    assert (busy.status_code, retry.status_code) == (503, 200)
    assert statuses(site)[ANN] == "complained"


def test_used_tokens_are_forgotten_once_their_window_has_closed(tmp_path):
    tokens = UsedTokens(tmp_path / ".newsletter", window=300)

    assert tokens.claim("mailgun", "t1", signed_at=1000, now=1000)
    assert not tokens.claim("mailgun", "t1", signed_at=1000, now=1299)
    assert tokens.claim("mailgun", "t2", signed_at=2000, now=2000)  # t1 expired on the way

    with sqlite3.connect(tmp_path / ".newsletter" / "webhook-tokens.db") as db:
        assert [row[0] for row in db.execute("SELECT token FROM used_tokens")] == ["t2"]


def test_mailguns_retry_hours_later_with_its_first_signature_is_applied_once(mailgun_hook):
    """Mailgun retries a webhook it got no 200 for (a `503` while the list was busy, `serve`
    down for a deploy) over 8 hours, with the signature block of its first attempt. Before, the
    5-minute window refused every retry (401): the complaint was lost, the reader kept mailed."""
    url, site = mailgun_hook
    first_attempt = time.time() - 4 * 3600
    headers, body = mailgun_request(COMPLAINT, when=first_attempt)

    retry = requests.post(url, data=body, headers=headers)
    headers, forged = replayed(headers, body, {"event": "complained", "recipient": BOB})
    again = requests.post(url, data=forged, headers=headers)

    assert retry.status_code == 200, retry.text
    assert again.status_code == 403  # its token is still used once only
    assert statuses(site) == {ANN: "complained", BOB: "active", CY: "active"}


@pytest.mark.parametrize("signed", [-10 * 3600, +10 * 60])
def test_a_mailgun_signature_older_than_its_retries_or_from_the_future_is_refused(
        mailgun_hook, signed):
    url, site = mailgun_hook

    headers, body = mailgun_request(COMPLAINT, when=time.time() + signed)
    answer = requests.post(url, data=body, headers=headers)

    assert answer.status_code == 401
    assert statuses(site)[ANN] == "active"
