"""Odd marks of a machine's open or click, in signed webhooks: a bot that is not a name, a
client-info that is not an object, an sg_machine_open that is not true. Each is taken (never a
500, which makes the provider retry for days) and counted as the reader's own: only the
documented marks set an open or click apart."""

from __future__ import annotations

import json

import pytest
import requests
from conftest import invoke
from fake_providers import provider_environ
from test_delivery_events import ANN, BOB, CY, DEE, SLUG, TAG, sent  # noqa: F401 (a fixture)
from webhook_support import mailgun_event, sendgrid_event, signed

ODD = {
    "mailgun": [{"client-info": "apple"}, {"client-info": {"bot": True}},
                {"client-info": {"bot": ["apple"]}}, {"client-info": {"bot": ""}}],
    "sendgrid": [{"sg_machine_open": "false"}, {"sg_machine_open": 1},
                 {"sg_machine_open": None}, {"sg_machine_open": {"apple": True}}],
}
EVENT = {"mailgun": mailgun_event, "sendgrid": sendgrid_event}


@pytest.mark.parametrize("sent", list(ODD), indirect=True)
def test_an_odd_machine_mark_is_taken_and_the_open_is_the_readers(sent):
    provider, site, base = sent
    payloads = [{**EVENT[provider]("opened", reader, TAG[provider], n), **odd}
                for n, (reader, odd) in enumerate(zip((ANN, BOB, CY, DEE), ODD[provider]))]
    answers = [requests.post(f"{base}/webhooks/{provider}", data=body, headers=headers)
               for headers, body in signed(provider, payloads)]

    assert {answer.status_code for answer in answers} == {200}, [a.text for a in answers]
    funnel = json.loads(invoke(site, "status", SLUG, "--json",
                               env=provider_environ(provider)).output)
    assert (funnel["opened"], funnel["opened_by_machine"]) == (4, 0)
