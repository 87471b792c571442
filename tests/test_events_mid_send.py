"""Delivery events that arrive while a send is still running, or in a batch with a broken item.

A provider delivers the first messages of a send within seconds, and its webhook can tell
`serve` of them before the send has recorded them as sent. SendGrid posts its events in
batches, and answers anything but a 2xx by sending the same batch again, for a day.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
import requests
from conftest import invoke
from fake_providers import provider_environ
from test_delivery_events import (  # noqa: F401 (sent is a fixture)
    ANN, BOB, CY, DEE, EVE, POST, SLUG, TAG, post_events, sent)
from webhook_support import ENVIRON, sendgrid_request

from newsletter.config import load_settings
from newsletter.sending import Ledger, State, site_lock

# A send of one batch in flight, as `status` sees it from another process: the site lock held.
HOLD_LOCK_WHILE_STATUS = """
import os, subprocess, sys
from pathlib import Path
from newsletter.config import load_settings
from newsletter.sending import site_lock
site = Path(sys.argv[1])
with site_lock(load_settings(site, os.environ)):
    done = subprocess.run([sys.executable, "-m", "newsletter", "--site", str(site), "status",
                           *sys.argv[2:]], capture_output=True, text=True)
sys.stdout.write(done.stdout)
sys.stderr.write(done.stderr)
"""


def status_during_a_send(site, provider: str, *args: str) -> str:
    environ = {**ENVIRON, **provider_environ(provider)}
    done = subprocess.run([sys.executable, "-c", HOLD_LOCK_WHILE_STATUS, str(site), SLUG, *args],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, **environ})
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("sent", ["sendgrid"], indirect=True)
def test_deliveries_told_of_before_the_send_records_them_are_counted_as_accepted(sent):
    """Before: "accepted 1, delivered 5, 500.0%", and no word yet held at 0 to hide it."""
    provider, site, base = sent
    with Ledger.open(load_settings(site, ENVIRON)) as ledger:
        ledger.mark(POST, [BOB, CY, DEE, EVE], State.SUBMITTING, None)
    # Ann's was recorded as sent; Bob's, Cy's and Dee's not yet, though their events came;
    # of Eve's, nothing yet.
    post_events(base, provider, [("delivered", ANN, TAG[provider]),
                                 ("delivered", BOB, TAG[provider]),
                                 ("delivered", CY, TAG[provider]),
                                 ("deferred", DEE, TAG[provider])])

    text = status_during_a_send(site, provider)
    assert re.search(r"\n +accepted +4 +\(3 in flight, told of by webhooks\)\n", text), text
    assert re.search(r"\n +delivered +3 +75\.0%\n", text), text
    assert re.search(r"\n +no word yet +1 +25\.0% \(1 deferred", text), text
    figures = json.loads(status_during_a_send(site, provider, "--json"))
    assert (figures["sent"], figures["in_flight"], figures["accepted"], figures["delivered"],
            figures["no_word_yet"]) == (1, 4, 4, 3, 1)


def test_a_sendgrid_batch_with_one_broken_item_keeps_its_good_events(site):
    """Before: one item that is no JSON object refused the whole batch with a 400, so its good
    events were lost and SendGrid posted the same batch again and again."""
    from web_server import serving, subscriber_csv

    from newsletter.web import NewsletterApp

    subscriber_csv(site, ANN, BOB)
    batch = [{"email": ANN, "event": "bounce", "type": "bounce", "sg_event_id": "b1",
              "timestamp": 1_700_000_000}, "not an event", None, [1, 2],
             {"email": BOB, "event": "spamreport", "sg_event_id": "b2",
              "timestamp": 1_700_000_001}]
    with serving(NewsletterApp(load_settings(site, ENVIRON))) as base:
        headers, body = sendgrid_request(batch)
        answer = requests.post(f"{base}/webhooks/sendgrid", data=body, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.text.startswith("ok: 2 status changes")
    assert answer.text.endswith(", 3 malformed (skipped)\n")
    listed = invoke(site, "subscribers", "list").stdout
    assert f"{ANN}\tReader 0\tbounced" in listed and f"{BOB}\tReader 1\tcomplained" in listed
