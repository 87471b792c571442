"""Provider webhooks over real HTTP: each provider's signature, then the status it sets."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import ec
from web_server import serving, statuses, subscriber_csv
from webhook_support import (
    ENVIRON,
    RESEND_KEY,
    SIGN,
    mailgun_request,
    postmark_request,
    resend_request,
    sendgrid_request,
)

from newsletter.config import load_settings
from newsletter.web import NewsletterApp

ANN, BOB, CY = "ann@example.com", "bob+news@example.org", "cy@example.net"
# One hard bounce (ANN), one complaint (BOB) and one soft bounce (CY) per provider, as each
# provider words them.
EVENTS = {
    "postmark": [
        {"RecordType": "Bounce", "Type": "HardBounce", "TypeCode": 1, "Email": ANN,
         "MessageStream": "broadcast", "Description": "Unknown user", "Inactive": True},
        {"RecordType": "SpamComplaint", "Type": "SpamComplaint", "Email": BOB},
        {"RecordType": "Bounce", "Type": "SoftBounce", "TypeCode": 4096, "Email": CY},
    ],
    "sendgrid": [[
        {"email": ANN, "event": "bounce", "type": "bounce", "reason": "550 5.1.1 no such user",
         "timestamp": 1764115200, "sg_event_id": "e1"},
        {"email": BOB, "event": "spamreport", "timestamp": 1764115200, "sg_event_id": "e2"},
        {"email": CY, "event": "deferred", "timestamp": 1764115200, "sg_event_id": "e3"},
        {"email": CY, "event": "delivered", "timestamp": 1764115200, "sg_event_id": "e4"},
    ]],
    "mailgun": [
        {"event": "failed", "severity": "permanent", "recipient": ANN, "reason": "bounce"},
        {"event": "complained", "recipient": BOB},
        {"event": "failed", "severity": "temporary", "recipient": CY, "reason": "greylisted"},
    ],
    "resend": [
        {"type": "email.bounced", "created_at": "2026-11-25T10:00:00Z",
         "data": {"email_id": "4ef9", "to": [ANN],
                  "bounce": {"type": "Permanent", "subType": "General", "message": "no user"}}},
        {"type": "email.complained", "created_at": "2026-11-25T10:00:00Z",
         "data": {"email_id": "4efa", "to": [BOB]}},
        {"type": "email.delivery_delayed", "created_at": "2026-11-25T10:00:00Z",
         "data": {"email_id": "4efb", "to": [CY]}},
    ],
}
BAD = {  # signed with the wrong credentials
    "postmark": {"password": "guessed"},
    "sendgrid": {"key": ec.generate_private_key(ec.SECP256R1())},
    "mailgun": {"key": "someone-elses-key"},
    "resend": {"key": b"someone-elses-signing-key-32-byt"},
}
PROVIDERS = list(SIGN)


class Hooks:
    """The served app's webhook URLs."""

    def __init__(self, base: str):
        self.base = base

    def url(self, provider: str) -> str:
        return f"{self.base}/webhooks/{provider}"

    def __call__(self, provider: str, headers: dict, body: bytes) -> requests.Response:
        return requests.post(self.url(provider), data=body, headers=headers)


@pytest.fixture
def hooks(site):
    """(post, site): ``post(provider, headers, body)`` against an app with three active readers."""
    subscriber_csv(site, ANN, BOB, CY)
    app = NewsletterApp(load_settings(site, ENVIRON))
    with serving(app) as base:
        yield Hooks(base), site


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_signed_webhook_marks_bounces_and_complaints_and_only_counts_soft_bounces(hooks, provider):
    post, site = hooks

    answers = [post(provider, *SIGN[provider](payload)) for payload in EVENTS[provider]]

    assert [a.status_code for a in answers] == [200] * len(answers)
    assert statuses(site) == {ANN: "bounced", BOB: "complained", CY: "active"}


def test_a_webhook_url_written_with_a_trailing_slash_is_the_same_webhook(hooks):
    """A provider's dashboard takes the URL as the writer types it: /webhooks/mailgun/ too."""
    post, site = hooks

    answers = [requests.post(post.url("mailgun") + "/", data=body, headers=headers)
               for headers, body in map(SIGN["mailgun"], EVENTS["mailgun"])]

    assert [a.status_code for a in answers] == [200] * len(answers)
    assert statuses(site) == {ANN: "bounced", BOB: "complained", CY: "active"}
    assert requests.post(post.url("mailgun") + "//", data=b"{}").status_code == 404


def test_webhooks_under_the_path_prefix_the_endpoint_is_served_at_are_taken(hooks):
    """Behind a proxy serving the endpoint at https://blog.example.com/newsletter/ (the path
    kept), the provider posts to /newsletter/webhooks/<provider>: it was a 404, so every
    bounce and complaint was lost."""
    post, site = hooks
    url = f"{post.base}/newsletter/webhooks/postmark"

    answers = [requests.post(url, data=body, headers=headers)
               for headers, body in map(SIGN["postmark"], EVENTS["postmark"])]

    assert [a.status_code for a in answers] == [200] * len(answers)
    assert statuses(site) == {ANN: "bounced", BOB: "complained", CY: "active"}
    assert requests.post(f"{post.base}/newsletter/webhooks/nobody", data=b"{}").status_code == 404


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_badly_signed_webhook_is_refused_and_changes_nothing(hooks, provider):
    post, site = hooks

    answers = [post(provider, *SIGN[provider](payload, **BAD[provider]))
               for payload in EVENTS[provider]]

    assert {a.status_code for a in answers} == {401}
    assert statuses(site) == {ANN: "active", BOB: "active", CY: "active"}


@pytest.mark.parametrize("provider", PROVIDERS)
def test_an_unsigned_webhook_is_refused(hooks, provider):
    post, site = hooks
    _, body = SIGN[provider](EVENTS[provider][0])
    if provider == "mailgun":  # its signature travels in the body
        body = json.dumps({"event-data": EVENTS["mailgun"][0]}).encode()

    assert post(provider, {"Content-Type": "application/json"}, body).status_code == 401
    assert statuses(site)[ANN] == "active"


# Mailgun retries with its first signature for 8 hours: older than those is a replay.
@pytest.mark.parametrize("provider, age", [("sendgrid", 3600), ("mailgun", 10 * 3600),
                                           ("resend", 3600)])
def test_a_replayed_old_signature_is_refused(hooks, provider, age):
    post, site = hooks

    answer = post(provider, *SIGN[provider](EVENTS[provider][0], when=time.time() - age))

    assert answer.status_code == 401
    assert "replay" in answer.text
    assert statuses(site)[ANN] == "active"


def test_a_tampered_body_fails_the_signature(hooks):
    post, site = hooks
    headers, body = sendgrid_request(EVENTS["sendgrid"][0])

    answer = post("sendgrid", headers, body.replace(ANN.encode(), BOB.encode()))

    assert answer.status_code == 401
    assert statuses(site)[BOB] == "active"


def test_a_provider_side_unsubscribe_unsubscribes(hooks):
    post, site = hooks
    change = {"RecordType": "SubscriptionChange", "Recipient": BOB, "Origin": "Recipient",
              "SuppressSending": True, "SuppressionReason": "ManualSuppression",
              "MessageStream": "broadcast", "ChangedAt": "2026-11-25T10:53:34Z"}
    unsubscribe = {"email": ANN, "event": "unsubscribe", "timestamp": 1764115200}

    assert post("postmark", *postmark_request(change)).status_code == 200
    assert post("sendgrid", *sendgrid_request([unsubscribe])).status_code == 200
    assert post("mailgun", *mailgun_request({"event": "unsubscribed", "recipient": CY})
                ).status_code == 200
    assert statuses(site) == {ANN: "unsubscribed", BOB: "unsubscribed", CY: "unsubscribed"}


def test_leaving_one_sendgrid_unsubscribe_group_keeps_the_reader_on_the_list(hooks):
    post, site = hooks
    # A SendGrid account's other mail (an app's product news) can send with an unsubscribe
    # group; a reader who leaves it still gets mail without that group, as the newsletter is.
    left_group = {"email": ANN, "event": "group_unsubscribe", "asm_group_id": 42,
                  "timestamp": 1764115200, "sg_event_id": "g1",
                  "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
                  "useragent": "Mozilla/5.0", "ip": "192.0.2.7",
                  "url": "https://u123.ct.sendgrid.net/asm/"}

    assert post("sendgrid", *sendgrid_request([left_group])).status_code == 200
    assert statuses(site) == {ANN: "active", BOB: "active", CY: "active"}


def test_resends_contact_and_domain_events_are_taken_and_change_no_one(hooks):
    post, site = hooks
    # Resend sends these to the same endpoint when "all events" are chosen; a 4xx would make
    # Svix retry them for days and, after enough failures, disable the endpoint.
    contact = {"type": "contact.created", "created_at": "2026-11-25T10:00:00.512Z",
               "data": {"id": "c-41", "audience_id": "a-7", "email": BOB, "first_name": "Bob",
                        "unsubscribed": False, "created_at": "2026-11-25T10:00:00.480Z"}}
    domain = {"type": "domain.updated", "created_at": "2026-11-25T10:01:00.000Z",
              "data": {"id": "d-3", "name": "example.com", "status": "verified",
                       "region": "us-east-1", "records": []}}

    answers = [post("resend", *resend_request(event)) for event in (contact, domain)]

    assert [a.status_code for a in answers] == [200, 200]
    assert statuses(site) == {ANN: "active", BOB: "active", CY: "active"}


def test_a_resend_bounce_to_a_named_reader_takes_them_off_the_list(hooks):
    post, site = hooks
    # Resend's events name the recipients as the email was given them: with the reader's name.
    bounce = {"type": "email.bounced", "created_at": "2026-11-25T10:00:00.125Z",
              "data": {"email_id": "5a1c", "to": ['"Ann, Reader" <ann@example.com>'],
                       "created_at": "2026-11-25 09:59:58.901234+00",
                       "bounce": {"type": "Permanent", "subType": "General", "message": "gone"}}}

    assert post("resend", *resend_request(bounce)).status_code == 200
    assert statuses(site) == {ANN: "bounced", BOB: "active", CY: "active"}


def test_events_for_addresses_not_on_the_list_add_no_one(hooks):
    post, site = hooks
    bounce = dict(EVENTS["postmark"][0], Email="stranger@example.com")

    assert post("postmark", *postmark_request(bounce)).status_code == 200
    assert set(statuses(site)) == {ANN, BOB, CY}


@pytest.mark.parametrize("body", [b"not json", b"[1, 2", b'"a string"', b'{"data": 5}', b"\xff\xfe"])
def test_a_malformed_signed_body_is_a_client_error(hooks, body):
    post, site = hooks
    # Resend's signature covers the raw body, so garbage can be signed correctly.
    headers, _ = resend_request({})
    message_id, timestamp = headers["svix-id"], headers["svix-timestamp"]
    digest = hmac.new(RESEND_KEY, f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256)
    headers["svix-signature"] = "v1," + base64.b64encode(digest.digest()).decode()

    answer = post("resend", headers, body)

    assert answer.status_code == 400
    assert statuses(site) == {ANN: "active", BOB: "active", CY: "active"}


def test_a_huge_webhook_body_is_refused(hooks):
    post, _ = hooks

    answer = post("sendgrid", {"Content-Type": "application/json"}, b"[" + b" " * (5 << 20) + b"]")

    assert answer.status_code == 413


def test_webhooks_are_posted(hooks):
    post, _ = hooks

    for provider in PROVIDERS:
        answer = requests.get(post.url(provider))
        assert answer.status_code == 405
        assert answer.headers["Allow"] == "POST"


def test_a_provider_without_its_secret_is_refused(site):
    subscriber_csv(site, ANN)
    environ = {k: v for k, v in ENVIRON.items() if k != "SENDGRID_WEBHOOK_PUBLIC_KEY"}
    app = NewsletterApp(load_settings(site, environ))
    with serving(app) as base:
        headers, body = sendgrid_request(EVENTS["sendgrid"][0])
        answer = requests.post(f"{base}/webhooks/sendgrid", data=body, headers=headers)
    assert answer.status_code == 403
    assert "SENDGRID_WEBHOOK_PUBLIC_KEY" in answer.text
    assert statuses(site)[ANN] == "active"


def test_a_signature_with_non_ascii_characters_is_refused_not_a_server_error(hooks):
    post, site = hooks
    headers, body = resend_request(EVENTS["resend"][0])
    headers["svix-signature"] = "v1,\xe9t\xe9"  # a byte above 127, read by WSGI as latin-1
    forged = [
        {"timestamp": str(int(time.time())), "token": "abc", "signature": "\u00e9"},
        {"timestamp": str(int(time.time())), "token": "\ud800", "signature": "00"},
    ]

    answers = [post("resend", headers, body)]
    answers += [post("mailgun", {"Content-Type": "application/json"},
                     json.dumps({"signature": block, "event-data": EVENTS["mailgun"][0]}).encode())
                for block in forged]

    assert [a.status_code for a in answers] == [401, 401, 401]
    assert statuses(site)[ANN] == "active"


def test_a_mailgun_subaccounts_webhook_is_taken_by_the_parent_accounts_signing_key(hooks):
    """Mailgun signs a subaccount's events with the subaccount's key, and adds a
    ``parent-signature`` made with the primary account's, so that one key serves every
    subaccount (Mailgun, "Securing webhooks"). Before, a writer who set the primary account's
    key had every bounce of a subaccount refused (401)."""
    post, site = hooks

    def from_subaccount(event_data, parent_key=ENVIRON["MAILGUN_WEBHOOK_SIGNING_KEY"]):
        headers, body = mailgun_request(event_data, key="the-subaccounts-own-key")
        payload = json.loads(body)
        block = payload["signature"]
        if parent_key:
            block["parent-signature"] = hmac.new(
                parent_key.encode(), (block["timestamp"] + block["token"]).encode(),
                hashlib.sha256).hexdigest()
        return headers, json.dumps(payload).encode()

    answers = [post("mailgun", *from_subaccount(EVENTS["mailgun"][0])),
               post("mailgun", *from_subaccount(EVENTS["mailgun"][1], parent_key=None)),
               post("mailgun", *from_subaccount(EVENTS["mailgun"][1], parent_key="guessed"))]

    assert [a.status_code for a in answers] == [200, 401, 401]
    assert statuses(site) == {ANN: "bounced", BOB: "active", CY: "active"}


def test_while_a_mailgun_signing_key_is_rotated_both_keys_are_taken(site):
    """Mailgun retries a webhook for 8 hours with the signature block of its first attempt:
    after the writer rotates the signing key, the retries still carry the old key's. Both keys
    set, separated by a space, take both; a key set neither way is still refused."""
    subscriber_csv(site, ANN, BOB, CY)
    environ = {**ENVIRON, "MAILGUN_WEBHOOK_SIGNING_KEY": "the-old-key  the-new-key"}
    with serving(NewsletterApp(load_settings(site, environ))) as base:
        post = Hooks(base)
        answers = [post("mailgun", *mailgun_request(EVENTS["mailgun"][0], key="the-old-key")),
                   post("mailgun", *mailgun_request(EVENTS["mailgun"][1], key="the-new-key")),
                   post("mailgun", *mailgun_request(EVENTS["mailgun"][2], key="the-old-key "
                                                    "the-new-key")),
                   post("mailgun", *mailgun_request({**EVENTS["mailgun"][1], "recipient": CY,
                                                     "event": "complained"}, key="the-new"))]

    assert [a.status_code for a in answers] == [200, 200, 401, 401]
    assert statuses(site) == {ANN: "bounced", BOB: "complained", CY: "active"}


def test_a_reply_postmark_files_as_an_unsubscribe_request_unsubscribes(hooks):
    """Postmark files a reply asking to be removed as a bounce of type "Unsubscribe" (TypeCode
    16, "Unsubscribe or Remove request"). Before, it was ignored: the reader who asked was
    mailed on."""
    post, site = hooks
    request = {"RecordType": "Bounce", "ID": 4_323_372_036_854_775_111, "Type": "Unsubscribe",
               "TypeCode": 16, "Name": "Unsubscribe request", "Email": BOB,
               "MessageStream": "broadcast", "Description": "Unsubscribe or Remove request.",
               "BouncedAt": "2026-11-25T10:53:34Z", "Inactive": False, "CanActivate": True}

    assert post("postmark", *postmark_request(request)).status_code == 200
    assert statuses(site) == {ANN: "active", BOB: "unsubscribed", CY: "active"}
