"""Mailgun's legacy webhooks (set up before its JSON webhooks, still posted for such domains):
each event a form, urlencoded or multipart with the bounced message attached, the signature
fields beside the event's, the message's custom variables as fields of their own. Before, every
one was refused as unsigned (401): no bounce, complaint or delivery of such a domain counted."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import time
from urllib.parse import urlencode

import pytest
import requests
from conftest import invoke
from fake_providers import provider_environ
from test_delivery_events import ANN, BOB, CY, DEE, EVE, POST, SLUG, sent  # noqa: F401 (fixture)
from web_server import statuses

KEY = "mailgun-signing-key"  # webhook_support.ENVIRON's


def legacy_fields(event: str, recipient: str, *, key: str = KEY, **fields) -> dict[str, str]:
    """A legacy webhook's fields as Mailgun's legacy webhook reference lists them: the custom
    variables the send set (v:post, v:reader) as fields of their own."""
    timestamp, token = str(int(time.time()) - 60), secrets.token_hex(25)
    return {"event": event, "recipient": recipient, "domain": "mg.example.com",
            "message-headers": json.dumps([["To", recipient], ["Subject", "Plain Words"]]),
            "Message-Id": "<20261207093000.1.ABCDEF@mg.example.com>",
            "post": POST, "reader": recipient, "timestamp": timestamp, "token": token,
            "signature": hmac.new(key.encode(), (timestamp + token).encode(),
                                  hashlib.sha256).hexdigest(), **fields}


def post_form(base: str, fields: dict[str, str]) -> requests.Response:
    return requests.post(f"{base}/webhooks/mailgun", data=urlencode(fields),
                         headers={"Content-Type": "application/x-www-form-urlencoded"})


def post_multipart(base: str, fields: dict[str, str], attachment: bytes) -> requests.Response:
    # As Mailgun posts a bounce with the bounced message attached (not UTF-8 here).
    return requests.post(f"{base}/webhooks/mailgun", data=fields,
                         files={"attachment-1": ("message.eml", attachment, "message/rfc822")})


def funnel(site) -> dict:
    return json.loads(invoke(site, "status", SLUG, "--json", env=provider_environ("mailgun")).output)


@pytest.mark.parametrize("sent", ["mailgun"], indirect=True)
def test_legacy_form_webhooks_count_and_change_statuses_as_json_ones_do(sent):
    _, site, base = sent
    answers = [
        post_form(base, legacy_fields("delivered", ANN)),
        post_multipart(base, legacy_fields("bounced", BOB, code="550",
                                           error="5.1.1 The email account does not exist"),
                       b"Subject: Plain Words\r\n\r\n\xff\xfe latin-1 \xe9t\xe9\r\n"),
        # Mailgun's own bounce list held Cy's address from an earlier message: never tried.
        post_form(base, legacy_fields("dropped", CY, reason="hardfail",
                                      description="Not delivering to previously bounced address")),
        post_form(base, legacy_fields("complained", DEE)),
        post_form(base, legacy_fields("unsubscribed", EVE)),
        post_form(base, legacy_fields("opened", ANN)),
    ]

    assert [a.status_code for a in answers] == [200] * 6, [a.text for a in answers]
    assert statuses(site) == {ANN: "active", BOB: "bounced", CY: "active", DEE: "complained",
                              EVE: "unsubscribed"}
    figures = funnel(site)
    assert (figures["delivered"], figures["bounced"], figures["hard_bounced"],
            figures["complained"], figures["unsubscribed"], figures["opened"]) == (1, 2, 1, 1, 1, 1)


@pytest.mark.parametrize("sent", ["mailgun"], indirect=True)
def test_a_legacy_form_signed_with_another_key_or_used_twice_is_refused(sent):
    _, site, base = sent
    forged = post_form(base, legacy_fields("complained", ANN, key="someone-elses-key"))
    unsigned = post_form(base, {k: v for k, v in legacy_fields("complained", BOB).items()
                                if k not in ("token", "signature")})
    once = legacy_fields("delivered", CY)
    first = post_form(base, once)
    # The signature covers only timestamp and token: the same ones with other event fields.
    replayed = post_form(base, {**once, "event": "complained"})

    assert (forged.status_code, unsigned.status_code) == (401, 401)
    assert (first.status_code, replayed.status_code) == (200, 403)
    assert re.search(r"1 events recorded", first.text)
    assert statuses(site)[ANN] == statuses(site)[BOB] == statuses(site)[CY] == "active"
    assert funnel(site)["delivered"] == 1


@pytest.mark.parametrize("sent", ["mailgun"], indirect=True)
def test_an_unreadable_legacy_form_is_a_client_error_that_changes_nothing(sent):
    _, site, base = sent
    answer = requests.post(f"{base}/webhooks/mailgun", data=b"--x\r\nnot a part\r\n",
                           headers={"Content-Type": "multipart/form-data; boundary=x"})

    assert answer.status_code == 400
    assert "legacy Mailgun form" in answer.text
    assert set(statuses(site).values()) == {"active"}
