"""One-click bodies as mail clients really send them: the key=value of RFC 8058 with a line
break after it, or posted as text/plain (a ``fetch`` with a string body, as a Thunderbird
add-on sent it). Before, both answered 400/415 and the reader who pressed Unsubscribe kept
getting the newsletter; a body that says anything else still changes nothing."""

from __future__ import annotations

import pytest
import requests
from web_server import SECRET, serving, statuses, subscriber_csv

from newsletter.config import load_settings
from newsletter.message import UnsubscribeTokens
from newsletter.web import NewsletterApp

BODIES = [
    ("text/plain;charset=UTF-8", b"List-Unsubscribe=One-Click"),
    ("application/x-www-form-urlencoded", b"List-Unsubscribe=One-Click\r\n"),
    ("text/plain", b"List-Unsubscribe=One-Click\n"),
]
REFUSED = [
    ("text/plain", b"List-Unsubscribe=Two-Clicks", 400),
    ("text/plain", b"", 400),
    ("text/html", b"List-Unsubscribe=One-Click", 415),
]
READERS = [f"r{n}@example.com" for n in range(len(BODIES) + len(REFUSED))]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    from conftest import copy_example_site

    site = copy_example_site(tmp_path_factory.mktemp("bodies") / "site")
    subscriber_csv(site, *READERS)
    app = NewsletterApp(load_settings(site, {"NEWSLETTER_SECRET": SECRET}))
    with serving(app) as base:
        yield base, site


def post(base: str, reader: str, content_type: str, body: bytes) -> requests.Response:
    return requests.post(f"{base}/unsubscribe/{UnsubscribeTokens(SECRET).make(reader)}",
                         data=body, headers={"Content-Type": content_type}, timeout=30)


@pytest.mark.parametrize("number", range(len(BODIES)))
def test_a_one_click_with_a_line_break_or_as_plain_text_unsubscribes(endpoint, number):
    base, site = endpoint
    reader = READERS[number]
    assert post(base, reader, *BODIES[number]).status_code == 200
    assert statuses(site)[reader] == "unsubscribed"


@pytest.mark.parametrize("number", range(len(REFUSED)))
def test_any_other_body_still_changes_nothing(endpoint, number):
    base, site = endpoint
    reader = READERS[len(BODIES) + number]
    content_type, body, status = REFUSED[number]
    assert post(base, reader, content_type, body).status_code == status
    assert statuses(site)[reader] == "active"
