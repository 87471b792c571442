"""Postmark's bounce types as its bounce API lists them: those that say the message came back
undelivered count as soft bounces; replies and the unclassified are kept out of the funnel."""

from __future__ import annotations

import pytest
import requests
from test_delivery_events import (  # noqa: F401 (sent is a fixture)
    ANN,
    BOB,
    CY,
    DEE,
    EVE,
    TAG,
    sent,
    status_json,
)
from web_server import statuses
from webhook_support import EVENT, signed

# (Type, TypeCode, Name) as Postmark's bounce API lists them.
RETURNED = {ANN: ("SpamNotification", 512, "Spam notification"),
            BOB: ("VirusNotification", 8192, "Virus notification"),
            CY: ("SMTPApiError", 100007, "SMTP API error")}
NOT_BOUNCES = {DEE: ("Unknown", 2048, "Unknown type"),
               EVE: ("AddressChange", 128, "Address change")}


@pytest.mark.parametrize("sent", ["postmark"], indirect=True)
def test_a_message_a_filter_sent_back_is_a_soft_bounce_and_an_unclassified_one_no_word(sent):
    """A receiver's spam or virus filter that sends the message back, or an error taking it
    in, is a message not delivered: before, each was dropped, and the reader stayed "no word
    yet" for good. None says the address is dead: every status stays."""
    provider, site, base = sent
    payloads = [{**EVENT[provider]("soft_bounce", address, TAG[provider], n),
                 **dict(zip(("Type", "TypeCode", "Name"), kind))}
                for n, (address, kind) in enumerate({**RETURNED, **NOT_BOUNCES}.items())]

    answers = [requests.post(f"{base}/webhooks/{provider}", data=body, headers=headers)
               for headers, body in signed(provider, payloads)]

    assert {a.status_code for a in answers} == {200}
    funnel = status_json(site, provider)
    assert (funnel["accepted"], funnel["delivered"], funnel["bounced"], funnel["hard_bounced"],
            funnel["no_word_yet"]) == (5, 0, 3, 0, 2)
    assert set(statuses(site).values()) == {"active"}
