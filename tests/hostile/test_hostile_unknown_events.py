"""Events no funnel step is for, as each provider documents them (and one it may add): every
one is taken (a 4xx makes the provider retry it for hours, then give up on the endpoint),
changes nobody's status and counts nowhere."""

from __future__ import annotations

import json
from contextlib import ExitStack

import pytest
import requests
from conftest import invoke
from fake_providers import provider_environ
from test_delivery_events import ANN, BOB, CY, POST, READERS, SLUG, TAG, send_through
from web_server import serving, statuses, subscriber_csv
from webhook_support import ENVIRON, moment, signed, stamp

from newsletter.config import load_settings
from newsletter.web import NewsletterApp


def _postmark(address: str, n: int) -> list[dict]:
    labels = {"Tag": POST, "Metadata": {"post": POST}, "MessageStream": "broadcast",
              "MessageID": f"pm-{address}"}
    return [
        # The receiver delivered it, then filed it as spam (no complaint by the reader).
        {**labels, "RecordType": "Bounce", "ID": 91 + n, "Type": "SpamNotification",
         "TypeCode": 512, "Email": address, "BouncedAt": moment(n), "Inactive": False},
        # The address reactivated at Postmark: nothing to undo here.
        {**labels, "RecordType": "SubscriptionChange", "Recipient": address, "Origin": "Customer",
         "SuppressSending": False, "SuppressionReason": None, "ChangedAt": moment(n)},
        {**labels, "RecordType": "SomethingNew", "Recipient": address, "ReceivedAt": moment(n)},
    ]


def _sendgrid(address: str, n: int) -> list[dict]:
    common = {"email": address, "timestamp": stamp(n), "post": POST, "category": [POST],
              "sg_message_id": f"14c5d75ce93.{n}.filter0001.16648.5515E0B88.0"}
    return [{**common, "event": name, "sg_event_id": f"u-{name}-{address}", **extra}
            for name, extra in (("processed", {}), ("group_resubscribe", {"asm_group_id": 7}),
                                ("group_unsubscribe", {"asm_group_id": 7}),
                                ("something_new", {}))]


def _mailgun(address: str, n: int) -> list[dict]:
    common = {"recipient": address, "timestamp": stamp(n) + 0.5, "tags": [POST],
              "user-variables": {"post": POST}}
    return [{**common, "event": name, "id": f"u-{name}-{address}"}
            for name in ("accepted", "stored", "rejected", "list_member_uploaded")]


def _resend(address: str, n: int) -> list[dict]:
    data = {"email_id": f"re-{address}", "to": [address], "tags": {"post": TAG["resend"]},
            "subject": "Plain Words", "created_at": moment(n)}
    return [{"type": name, "created_at": moment(n), "data": data}
            for name in ("email.sent", "email.scheduled", "email.received", "email.something_new",
                         "suppression.added")]


EVENTS = {"postmark": _postmark, "sendgrid": _sendgrid, "mailgun": _mailgun, "resend": _resend}


@pytest.mark.parametrize("provider", list(EVENTS))
def test_events_without_a_funnel_step_are_taken_and_count_nowhere(site, provider):
    subscriber_csv(site, *READERS)
    payloads = [p for n, reader in enumerate((ANN, BOB, CY)) for p in EVENTS[provider](reader, n)]
    with ExitStack() as stack:
        send_through(site, provider, stack)
        base = stack.enter_context(serving(NewsletterApp(load_settings(site, ENVIRON))))
        answers = [requests.post(f"{base}/webhooks/{provider}", data=body, headers=headers)
                   for headers, body in signed(provider, payloads)]

    assert [a.status_code for a in answers] == [200] * len(answers), [a.text for a in answers]
    assert set(statuses(site).values()) == {"active"}
    figures = json.loads(invoke(site, "status", SLUG, "--json",
                                env=provider_environ(provider)).output)
    assert {step: figures[step] for step in ("accepted", "delivered", "bounced", "complained",
                                             "unsubscribed")} == {
        "accepted": 5, "delivered": 0, "bounced": 0, "complained": 0, "unsubscribed": 0}
