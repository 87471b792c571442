"""Hostile sign-ups: bots, mailbox bombing, forged and expired links, link scanners, and bodies
made to break the parser. Each is answered as specified and changes nothing it should not."""

from __future__ import annotations

import base64
import time

import pytest
import requests
from signup_support import (
    PATIENT,
    configure_signup,
    confirm_path,
    csv_row,
    emails_to,
    journal_rows,
    outbox_emails,
    settle,
    sign_up,
    signup_endpoint,
    signup_id,
)
from web_server import SECRET, statuses

from newsletter.message.tokens import UnsubscribeTokens
from newsletter.web.confirm_tokens import make_confirm_token

VICTIM = "victim@example.com"


def tampered(token: str) -> str:
    """A real token whose payload now names the victim, its MAC left as it was."""
    payload, mac = token.split(".")
    issued, signup, _ = base64.urlsafe_b64decode(payload + "==").split(b":", 2)
    forged = base64.urlsafe_b64encode(b":".join((issued, signup, VICTIM.encode()))
                                      ).rstrip(b"=").decode()
    return f"{forged}.{mac}"


@pytest.fixture
def endpoint(site):
    """(base URL, site, app) with the example site's readers and sign-ups on."""
    configure_signup(site, min_fill_seconds=3)
    with signup_endpoint(site) as (base, app):
        yield base, site, app


def accepted_page(base: str) -> bytes:
    """What a person gets for a sign-up (a new address, no page given)."""
    return sign_up(base, "someone.new@example.org").content


@pytest.mark.parametrize("fields", [
    {"website": "http://spam.example"},  # the honeypot
    {"website": " x "},
    {"elapsed": "900"},  # sent 0.9 s after the page loaded
    {"elapsed": "-5"},
    {"elapsed": "NaN"},
    {"elapsed": "soon"},
], ids=["honeypot", "honeypot-spaces", "too-fast", "negative-time", "nan", "not-a-number"])
def test_a_bot_is_answered_as_if_accepted_and_nothing_is_kept_or_sent(endpoint, fields):
    base, site, app = endpoint
    person = accepted_page(base)
    settle(app)

    answer = sign_up(base, VICTIM, **fields)
    settle(app)

    assert answer.status_code == 200
    assert answer.content == person  # a bot learns nothing from the answer
    assert VICTIM not in statuses(site)
    assert emails_to(site, VICTIM) == []
    assert all(VICTIM not in row for row in journal_rows(site))


def test_a_bot_posting_json_too_fast_gets_the_same_json_answer(endpoint):
    base, site, app = endpoint
    person = requests.post(f"{base}/subscribe", json={"email": "a.person@example.org",
                                                      "elapsed": 12000})

    bot = requests.post(f"{base}/subscribe", json={"email": VICTIM, "elapsed": 10})
    settle(app)

    assert bot.status_code == 200 and bot.content == person.content
    assert emails_to(site, VICTIM) == []


def test_twenty_sign_ups_for_one_address_in_a_minute_send_three_emails(endpoint):
    base, site, app = endpoint
    answers = []
    for _ in range(20):
        answers.append(sign_up(base, VICTIM))
        time.sleep(0.02)  # spread over the worker's batches, as a script would
    settle(app)

    assert {answer.status_code for answer in answers} == {200}
    assert len({answer.content for answer in answers}) == 1
    assert len(emails_to(site, VICTIM)) == 3  # signup.max_per_address
    assert csv_row(site, VICTIM)["status"] == "unconfirmed"
    assert (site / "subscribers" / "subscribers.csv").read_text().count(VICTIM) == 1


def test_many_addresses_from_one_client_are_stopped_at_the_client_limit(site):
    configure_signup(site, max_per_ip=5)
    with signup_endpoint(site) as (base, app):
        answers = [sign_up(base, f"victim{i}@example.com") for i in range(8)]
        settle(app)

    assert [answer.status_code for answer in answers] == [200] * 5 + [429] * 3
    assert len(outbox_emails(site)) == 5


def test_a_forged_forwarded_for_from_an_untrusted_peer_does_not_evade_the_limit(site):
    # 127.0.0.1 is not a trusted proxy here, so what it claims in X-Forwarded-For is ignored.
    configure_signup(site, max_per_ip=2, trusted_proxies=["10.0.0.1"])
    with signup_endpoint(site) as (base, app):
        answers = [requests.post(f"{base}/subscribe",
                                 data={"email": f"v{i}@example.com", "elapsed": PATIENT},
                                 headers={"X-Forwarded-For": f"198.51.100.{i}"})
                   for i in range(4)]
        settle(app)

    assert [answer.status_code for answer in answers] == [200, 200, 429, 429]


def test_an_expired_link_gets_a_clear_page_and_changes_nothing(endpoint):
    base, site, app = endpoint
    sign_up(base, VICTIM)
    settle(app)
    old = make_confirm_token(SECRET, signup_id(site, VICTIM), VICTIM,
                             issued=time.time() - 49 * 3600)

    for method in (requests.get, requests.post):
        answer = method(f"{base}/confirm/{old}", data={"confirm": "yes"})
        assert answer.status_code == 410
        assert "expired" in answer.text and "sign up again" in answer.text
    assert statuses(site)[VICTIM] == "unconfirmed"
    assert emails_to(site, VICTIM, "welcome") == []


@pytest.mark.parametrize("token", [
    make_confirm_token("not-our-secret", 1, VICTIM),
    UnsubscribeTokens(SECRET).make(VICTIM),  # an unsubscribe token: another purpose
    "garbage",
    "a.b",
    "%F0%9F%98%80.%F0%9F%98%80",
    "x" * 5000,
    tampered(make_confirm_token(SECRET, 1, "other@example.com")),
], ids=["other-secret", "unsubscribe-token", "garbage", "empty-parts", "emoji", "huge",
        "tampered"])
def test_a_forged_link_gets_a_clear_page_and_changes_nothing(endpoint, token):
    base, site, app = endpoint
    sign_up(base, VICTIM)
    settle(app)

    for method in (requests.get, requests.post):
        answer = method(f"{base}/confirm/{token}", data={"confirm": "yes"})
        assert answer.status_code in (403, 414)  # waitress refuses an over-long URL itself
        if answer.status_code == 403:
            assert "not valid" in answer.text
    assert statuses(site)[VICTIM] == "unconfirmed"


def test_a_token_from_the_future_is_refused(endpoint):
    base, site, app = endpoint
    future = make_confirm_token(SECRET, 1, VICTIM, issued=time.time() + 3600)

    assert requests.post(f"{base}/confirm/{future}", data={"confirm": "yes"}).status_code == 403
    assert VICTIM not in statuses(site)


def test_a_link_scanner_that_only_gets_confirms_nothing(endpoint):
    base, site, app = endpoint
    sign_up(base, VICTIM)
    settle(app)
    link = base + confirm_path(emails_to(site, VICTIM)[0])

    for _ in range(5):  # Outlook Safe Links, Gmail and corporate scanners prefetch links
        assert requests.get(link).status_code == 200
        assert requests.head(link).status_code == 200
    # A POST without the button's field is not a confirmation either.
    assert requests.post(link, data={}).status_code == 400

    assert statuses(site)[VICTIM] == "unconfirmed"
    assert emails_to(site, VICTIM, "welcome") == []


@pytest.mark.parametrize("content_type, body, status", [
    ("application/json", b"{", 400),
    ("application/json", b"[" * 4000 + b"]" * 4000, 400),  # nesting beyond the recursion limit
    ("application/json", b'["v@example.com"]', 400),
    ("application/json", b'{"email": ["v@example.com"]}', 400),
    ("application/json", b'{"email": "v@example.com", "tags": {"a": 1}}', 400),
    ("application/json", b'{"email": "v@example.com", "elapsed": {"x": 1}}', 400),
    ("application/json", b'\xff\xfe{}', 400),
    ("application/x-www-form-urlencoded", b"email=a%40example.com&email=b%40example.com", 400),
    ("application/x-www-form-urlencoded", b"email=", 400),
    ("application/x-www-form-urlencoded", b"email=not-an-address", 400),
    ("application/x-www-form-urlencoded", b"email=%3DHYPERLINK%28%29%40example.com", 400),
    ("application/x-www-form-urlencoded", b"email=" + b"a" * 400 + b"%40example.com", 400),
    ("text/plain", b"email=v@example.com", 415),
], ids=["cut-json", "deep-json", "json-list", "email-list", "tags-object", "elapsed-object",
        "not-utf8", "two-emails", "no-email", "not-an-address", "formula", "too-long",
        "text-plain"])
def test_a_malformed_sign_up_is_a_client_error_and_nothing_is_kept(endpoint, content_type,
                                                                    body, status):
    base, site, app = endpoint

    answer = requests.post(f"{base}/subscribe", data=body, headers={"Content-Type": content_type})
    settle(app)

    assert answer.status_code == status
    assert journal_rows(site) == [] and outbox_emails(site) == []
    assert sign_up(base, "still.works@example.com").status_code == 200  # the server lives on


def test_a_body_over_the_limit_is_refused_unread(endpoint):
    base, site, app = endpoint

    answer = requests.post(f"{base}/subscribe", data={"email": VICTIM, "name": "x" * 20_000,
                                                      "elapsed": PATIENT})

    assert answer.status_code == 413
    assert journal_rows(site) == []


def test_what_a_hostile_form_writes_into_the_list_is_defused(endpoint):
    base, site, app = endpoint
    page = "https://evil.example/phish"

    sign_up(base, VICTIM, name="=SUM(A1:A9)\r\nBcc: everyone", page=page, tags="admin")
    settle(app)
    requests.post(base + confirm_path(emails_to(site, VICTIM)[0]), data={"confirm": "yes"})

    row = csv_row(site, VICTIM)
    assert row["name"] == "SUM(A1:A9) Bcc: everyone"
    assert row["tags"] == "" and row["consent_page"] == ""  # neither allowed tag nor our page
    [message] = emails_to(site, VICTIM)
    assert message["Bcc"] is None
    assert "\n" not in message["To"]


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_other_methods_on_the_form_path_are_not_allowed(endpoint, method):
    base, site, app = endpoint

    answer = requests.request(method, f"{base}/subscribe", data={"email": VICTIM})

    assert answer.status_code == 405
    assert answer.headers["Allow"] == "POST, OPTIONS"
    assert journal_rows(site) == []
