"""Unsubscribe links nobody mailed: forged, garbled, oversized or odd tokens change nothing and
never crash `serve`."""

from __future__ import annotations

import base64
import random

import pytest
import requests
from web_server import SECRET, serving, statuses, subscriber_csv

from newsletter.config import load_settings
from newsletter.message import UnsubscribeTokens
from newsletter.web import NewsletterApp

READER = "ann@example.com"
ONE_CLICK = {"List-Unsubscribe": "One-Click"}


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    from conftest import copy_example_site

    site = copy_example_site(tmp_path_factory.mktemp("hostile") / "site")
    subscriber_csv(site, READER)
    app = NewsletterApp(load_settings(site, {"NEWSLETTER_SECRET": SECRET}))
    with serving(app) as base:
        yield base, site


def sealed(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


HOSTILE = [
    "A" * 20_000,  # far longer than any address could make
    "%00%00%00%00",
    "%FF%FE%FD",
    "%E2%80%AE" * 8,  # right-to-left override characters
    "..%2F..%2Fnewsletter.toml",
    sealed(b"\x00" * 64),
    sealed(b"ann@example.com"),  # the address in base64, without the tag
    UnsubscribeTokens("another-secret").make(READER),
    "====",
    "-_-_-_-_",
]


@pytest.mark.parametrize("token", HOSTILE, ids=range(len(HOSTILE)))
def test_a_token_that_was_not_made_with_the_secret_changes_nothing(endpoint, token):
    base, site = endpoint
    for method in ("GET", "POST"):
        answer = requests.request(method, f"{base}/unsubscribe/{token}", data=ONE_CLICK)
        assert answer.status_code in (400, 403, 404), answer.text
    assert statuses(site) == {READER: "active"}


def test_random_tokens_never_crash_the_server(endpoint):
    base, site = endpoint
    chance = random.Random(14)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    for _ in range(200):
        token = "".join(chance.choice(alphabet) for _ in range(chance.randrange(1, 120)))
        answer = requests.post(f"{base}/unsubscribe/{token}", data=ONE_CLICK)
        assert answer.status_code == 403
    assert statuses(site) == {READER: "active"}


def test_an_old_style_link_cannot_name_someone_else(endpoint):
    base, site = endpoint
    mine = UnsubscribeTokens(SECRET).make("mallory@example.net")
    answer = requests.post(f"{base}/unsubscribe?email={READER}&token={mine}", data=ONE_CLICK)
    assert answer.status_code == 200  # the token's own address unsubscribes, not READER
    assert statuses(site)[READER] == "active"


def test_percent_escapes_that_are_not_utf8_are_refused_not_guessed(endpoint):
    base, site = endpoint
    token = UnsubscribeTokens(SECRET).make(READER)
    # In the query of an old-style link: never read as a\ufffd@example.com.
    answer = requests.post(f"{base}/unsubscribe?email=a%FF@example.com&token={token}",
                           data=ONE_CLICK)
    assert answer.status_code == 400
    # In the one-click body.
    answer = requests.post(f"{base}/unsubscribe/{token}", data=b"List-Unsubscribe=One%FFClick",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 400
    assert statuses(site)[READER] == "active"
