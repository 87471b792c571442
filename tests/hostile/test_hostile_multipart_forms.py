"""A multipart form is read flat: a part that is itself multipart is refused, never parsed.

A form post's parts are its fields (RFC 7578); none is a multipart of its own. The email parser
the endpoint used follows nested multiparts down: a one-click body within the 64 KB limit,
nested 960 deep, failed with a RecursionError (500, and a traceback in the log), and every
level cost CPU: seconds of it for one request. The one-click reads its body before its token,
so anyone could send them. Now the parts are read one after another, a nested multipart is a
400, and the forms browsers and mail clients send are read as before.
"""

from __future__ import annotations

import logging

import pytest
import requests
from signup_support import (
    configure_signup,
    confirm_path,
    csv_row,
    settle,
    sign_up,
    signup_endpoint,
    wait_for_email,
)
from web_server import SECRET, serving, statuses, subscriber_csv

from newsletter.config import load_settings
from newsletter.message import UnsubscribeTokens
from newsletter.web import NewsletterApp
from newsletter.web.request import MAX_FORM_BODY

READER = "ann@example.com"


def nested_form(depth: int) -> tuple[str, bytes]:
    """(Content-Type, body): a form whose one part is a multipart, ``depth`` levels down."""
    opening = b"".join(b"--%x\r\nContent-Type: multipart/mixed; boundary=%x\r\n\r\n" % (n, n + 1)
                       for n in range(depth))
    field = (b'--%x\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\n'
             b"One-Click\r\n--%x--\r\n" % (depth, depth))
    closing = b"".join(b"\r\n--%x--\r\n" % n for n in reversed(range(depth)))
    body = opening + field + closing
    assert len(body) <= MAX_FORM_BODY
    return "multipart/form-data; boundary=0", body


@pytest.fixture
def endpoint(site):
    subscriber_csv(site, READER)
    app = NewsletterApp(load_settings(site, {"NEWSLETTER_SECRET": SECRET}))
    with serving(app) as base:
        yield base, site


def no_traceback(caplog) -> bool:
    return not [record for record in caplog.records if record.exc_info]


@pytest.mark.parametrize("depth", [1, 960])
def test_a_one_click_nested_in_multiparts_is_refused_and_changes_nothing(endpoint, caplog,
                                                                         depth):
    base, site = endpoint
    link = f"{base}/unsubscribe/{UnsubscribeTokens(SECRET).make(READER)}"
    content_type, body = nested_form(depth)
    with caplog.at_level(logging.INFO):
        answer = requests.post(link, data=body, headers={"Content-Type": content_type},
                               timeout=60)

    assert answer.status_code == 400
    assert "The multipart form is malformed." in answer.text
    assert statuses(site)[READER] == "active"
    assert no_traceback(caplog)
    # RFC 8058's own body, as multipart/form-data, still unsubscribes
    flat = requests.post(link, files={"List-Unsubscribe": (None, "One-Click")}, timeout=30)
    assert flat.status_code == 200 and statuses(site)[READER] == "unsubscribed"


def test_a_confirmation_nested_in_multiparts_is_refused_and_the_link_still_works(site, caplog):
    configure_signup(site)
    with signup_endpoint(site) as (base, app):
        assert sign_up(base, "new@example.org").status_code == 200
        settle(app)
        link = base + confirm_path(wait_for_email(site, "new@example.org"))
        _, body = nested_form(960)
        with caplog.at_level(logging.INFO):
            answer = requests.post(link, data=body.replace(b"List-Unsubscribe", b"confirm"),
                                   headers={"Content-Type": "multipart/form-data; boundary=0"},
                                   timeout=60)
        assert answer.status_code == 400 and no_traceback(caplog)
        assert csv_row(site, "new@example.org")["status"] == "unconfirmed"

        pressed = requests.post(link, files={"confirm": (None, "yes")}, timeout=30)
        assert pressed.status_code == 200
        assert csv_row(site, "new@example.org")["status"] == "active"
