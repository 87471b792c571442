"""An event whose message names no post: every message newsletter sends is tagged with its post,
so an untagged one may be another sender's mail through the same provider account (a SendGrid
account's Event Webhook reports the writer's app's password resets as well). It counts for the
post last sent to the reader, as docs/events.md says, but never as word of a reader in doubt."""

from __future__ import annotations

import json
from contextlib import ExitStack

import requests
from conftest import invoke
from fake_providers import provider_environ
from test_delivery_events import ANN, BOB, CY, POST, READERS, SLUG, TAG, send_through
from web_server import serving, subscriber_csv
from webhook_support import ENVIRON, EVENT, signed, stamp

from newsletter.config import load_settings
from newsletter.sending import Ledger, State
from newsletter.web import NewsletterApp


def test_an_untagged_event_never_settles_a_reader_in_doubt(site):
    """Bob and Cy are in doubt after a killed send. The app's password reset to Bob, through
    the same account, is delivered: before, that untagged event went to Bob's latest post (the
    one he is in doubt for), `status` counted him accepted and delivered, and `reconcile` made
    him sent on its word: Bob never got the post, and nothing would ever send it. Cy's own
    delivery, tagged with the post, still settles Cy; Ann's untagged event still counts for the
    post the ledger sent her."""
    subscriber_csv(site, *READERS)
    environ = provider_environ("sendgrid")
    with ExitStack() as stack:
        server = send_through(site, "sendgrid", stack)
        server.activity_feed = False  # no Email Activity add-on: only the webhooks can tell
        with Ledger.open(load_settings(site, ENVIRON)) as ledger:
            ledger.mark(POST, [BOB, CY], State.IN_DOUBT, "read timeout")
        base = stack.enter_context(serving(NewsletterApp(load_settings(site, ENVIRON))))
        password_resets = [{"email": reader, "event": "delivered", "timestamp": stamp(n),
                            "sg_event_id": f"app-reset-{n}", "smtp-id": f"<reset-{n}@app>"}
                           for n, reader in enumerate((BOB, ANN))]
        ours = EVENT["sendgrid"]("delivered", CY, TAG["sendgrid"], 3)
        answers = [requests.post(f"{base}/webhooks/sendgrid", data=body, headers=headers)
                   for headers, body in signed("sendgrid", [*password_resets, ours])]
        assert {a.status_code for a in answers} == {200}, [a.text for a in answers]

        figures = json.loads(invoke(site, "status", SLUG, "--json", env=environ).output)
        result = invoke(site, "reconcile", env=environ)

    assert (figures["sent"], figures["in_doubt"], figures["accepted"], figures["delivered"]) == (
        3, 2, 4, 2)  # Ann (untagged, sent to her) and Cy (tagged); never Bob
    assert "1 known to sendgrid by its webhook events (now sent)" in result.output, result.output
    with Ledger.open(load_settings(site, ENVIRON)) as ledger:
        states = dict(ledger.db.execute(
            "SELECT address, state FROM deliveries WHERE post_id = ?", (POST,)).fetchall())
    assert (states[BOB], states[CY]) == ("in_doubt", "sent")
