"""The fake provider APIs refuse what the real ones refuse, so adapter tests mean something."""

from __future__ import annotations

import json

import pytest
import requests
from fake_providers import KEYS, start_fake

BAD_REQUESTS = {
    "postmark": ("/email/batch", {"X-Postmark-Server-Token": KEYS["postmark"]},
                 [{"From": "a@example.com", "To": "b@example.com"}]),  # no body at all
    "sendgrid": ("/v3/mail/send", {"Authorization": f"Bearer {KEYS['sendgrid']}"},
                 {"personalizations": [{"subject": "no to"}], "from": {"email": "a@example.com"}}),
    "resend": ("/emails/batch", {"Authorization": f"Bearer {KEYS['resend']}"},
               [{"from": "a@example.com", "subject": "no to"}]),
}


@pytest.mark.parametrize("name", BAD_REQUESTS)
def test_a_request_the_real_api_would_refuse_is_refused(name):
    path, headers, body = BAD_REQUESTS[name]
    server = start_fake(name, KEYS[name])
    try:
        answer = requests.post(server.url + path, data=json.dumps(body),
                               headers={"Content-Type": "application/json", **headers}, timeout=5)
        assert answer.status_code in (400, 422)
        assert len(server.invalid) == 1 and not server.accepted
    finally:
        server.close()


def test_mailgun_refuses_a_batch_without_recipient_variables():
    server = start_fake("mailgun", KEYS["mailgun"])
    try:
        fields = [("from", "a@example.com"), ("to", "b@example.com"), ("to", "c@example.com"),
                  ("subject", "s"), ("text", "t")]
        answer = requests.post(server.url + "/v3/mg.example.com/messages", auth=("api", KEYS["mailgun"]),
                               files=[(k, (None, v)) for k, v in fields], timeout=5)
        assert answer.status_code == 400
        assert server.invalid[0].problem == "recipient-variables must name every recipient"
    finally:
        server.close()


PATHS = {"postmark": "/email/batch", "sendgrid": "/v3/mail/send",
         "mailgun": "/v3/mg.example.com/messages", "resend": "/emails/batch"}


@pytest.mark.parametrize("name", sorted(PATHS))
def test_a_wrong_key_is_refused(name):
    server = start_fake(name, KEYS[name])
    try:
        answer = requests.post(server.url + PATHS[name], data=b"{}", timeout=5,
                               headers={"Authorization": "Bearer nope",
                                        "X-Postmark-Server-Token": "nope"})
        assert answer.status_code == 401
        assert not server.accepted
    finally:
        server.close()
