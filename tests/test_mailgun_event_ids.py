"""Mailgun keeps an event's id unique within a day only (its Events API reference): another
day's event of the same id is a new event, not a retry to drop; the same event twice still counts once."""

from __future__ import annotations

import json
import re

import pytest
import requests
from conftest import invoke
from fake_providers import provider_environ
from test_delivery_events import ANN, BOB, SLUG, TAG, sent  # noqa: F401 (sent is a fixture)
from web_server import statuses
from webhook_support import mailgun_event, mailgun_request

DAY = 24 * 60 * 60


@pytest.mark.parametrize("sent", ["mailgun"], indirect=True)
def test_another_days_event_of_the_same_id_counts_and_a_repeat_does_not(sent):
    _, site, base = sent
    delivered = {**mailgun_event("delivered", ANN, TAG["mailgun"], 0),
                 "id": "Ase7i2zsRYeDXztHGENqRA"}
    # The next day, Bob's message bounced; Mailgun gave that event the same id.
    bounced = {**mailgun_event("bounced", BOB, TAG["mailgun"], 0), "id": delivered["id"],
               "timestamp": delivered["timestamp"] + DAY}
    delivered["timestamp"] -= DAY
    # The last: the same event again (a webhook set up twice, say), as Mailgun signs each.
    requests_made = [mailgun_request(delivered), mailgun_request(bounced),
                     mailgun_request(bounced)]
    answers = [requests.post(f"{base}/webhooks/mailgun", data=body, headers=headers).text
               for headers, body in requests_made]

    assert [re.search(r"(\d+) events recorded, (\d+) seen before", a).groups()
            for a in answers] == [("1", "0"), ("1", "0"), ("0", "1")]
    funnel = json.loads(invoke(site, "status", SLUG, "--json",
                               env=provider_environ("mailgun")).output)
    assert (funnel["delivered"], funnel["bounced"], funnel["hard_bounced"]) == (1, 1, 1)
    assert statuses(site)[BOB] == "bounced"
