"""The provider's word that it took a message in (SendGrid `processed`, Mailgun `accepted`,
Resend `email.sent`): it comes seconds after the send, long before any delivery, and is exactly
what `reconcile` needs of a reader in doubt. No funnel step: the reader is accepted, with no
word yet of delivery."""

from __future__ import annotations

import pytest
import requests
from conftest import invoke
from fake_providers import provider_environ
from test_delivery_events import BOB, CY, POST, TAG, sent, status_json  # noqa: F401 (fixture)
from web_server import statuses
from webhook_support import ENVIRON, EVENT, signed

from newsletter.config import load_settings
from newsletter.sending import Ledger, State


@pytest.mark.parametrize("sent", ["sendgrid", "mailgun", "resend"], indirect=True)
def test_the_providers_word_that_it_took_a_message_settles_a_reader_in_doubt(sent):
    """Before, these events were dropped: a send killed mid-run whose readers' deliveries had
    not come yet left them in doubt, though the provider had said it took their messages."""
    provider, site, base = sent
    with Ledger.open(load_settings(site, ENVIRON)) as ledger:
        ledger.mark(POST, [BOB, CY], State.IN_DOUBT, "read timeout")
    answers = [requests.post(f"{base}/webhooks/{provider}", data=body, headers=headers)
               for headers, body in signed(provider, [EVENT[provider]("taken", BOB, TAG[provider],
                                                                     1)])]
    assert {a.status_code for a in answers} == {200}, [a.text for a in answers]

    figures = status_json(site, provider)
    assert (figures["sent"], figures["in_doubt"], figures["accepted"], figures["delivered"],
            figures["bounced"], figures["no_word_yet"]) == (3, 2, 4, 0, 0, 4)
    result = invoke(site, "reconcile", "--dry-run", env=provider_environ(provider))
    assert f"1 known to {provider} by its webhook events (would become sent)" in result.output, \
        result.output
    assert set(statuses(site).values()) == {"active"}
