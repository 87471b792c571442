"""The funnel's first steps add up to the readers accepted: delivered, bounced, and no word
yet (still deferred, or no event came), so a writer never wonders where the rest went."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
import requests
from browser import preview_server
from conftest import invoke
from fake_providers import provider_environ
from pg_support import pg_url  # noqa: F401 (a fixture)
from test_delivery_events import (  # noqa: F401 (sent is a fixture)
    ANN,
    BOB,
    CY,
    EVE,
    PROVIDERS,
    SLUG,
    TAG,
    post_events,
    sent,
)

from newsletter.sending.events import DeliveryEvent, EventStore
from newsletter.state import postgres


@pytest.mark.parametrize("sent", PROVIDERS, indirect=True)
def test_delivered_bounced_and_no_word_yet_add_up_to_accepted(sent, tmp_path):
    provider, site, base = sent
    tag = TAG[provider]
    # Ann delivered; Bob bounced; Cy's receiver asked the provider to try later, and nothing
    # since; nothing at all about Dee yet; Eve's first try bounced softly, the retry went in.
    answers = post_events(base, provider, [
        ("delivered", ANN, tag), ("bounced", BOB, tag), ("deferred", CY, tag),
        ("soft_bounce", EVE, tag), ("delivered", EVE, tag)])
    assert {answer.status_code for answer in answers} == {200}

    funnel = json.loads(invoke(site, "status", SLUG, "--json",
                               env=provider_environ(provider)).output)
    assert (funnel["accepted"], funnel["delivered"], funnel["bounced"],
            funnel["no_word_yet"], funnel["deferred"]) == (5, 2, 1, 2, 1)
    keys = list(funnel)
    assert keys[keys.index("hard_bounced") + 1:keys.index("hard_bounced") + 3] == [
        "no_word_yet", "deferred"]
    text = invoke(site, "status", SLUG, env=provider_environ(provider)).output
    assert ("  no word yet        2  40.0% (1 deferred: the provider is still trying)"
            in text.splitlines())

    with preview_server(site, tmp_path) as url:
        page = unescape(re.sub(r"\s+", " ", requests.get(f"{url}/report", timeout=30).text))
    assert '<tr data-step="no_word_yet"><th scope="row">No word yet</th><td>2</td>' in page
    bars = dict(re.findall(r'data-step="(\w+)" data-count="(\d+)"', page))
    assert sum(int(bars[step]) for step in ("delivered", "bounced", "no_word_yet")) == 5



@pytest.mark.parametrize("on", ["files", "postgresql"])
def test_both_stores_add_up_the_same_outcomes(on, tmp_path, request):
    """Out of order, soft then delivered, delivered then bounced, a tie, deferred only: the
    same figures from the files and from PostgreSQL."""
    database = postgres.Database(request.getfixturevalue("pg_url")) if on == "postgresql" \
        else None
    store = EventStore(tmp_path, database, owned=database is not None)
    post = "/posts/plain-words"
    store.record([DeliveryEvent("sendgrid", f"{reader}-{n}", kind, reader, post, at)
                  for reader, events in {
                      "ann": [("delivered", 5.0), ("bounced", 9.0)],  # a late hard bounce
                      "bob": [("bounced", 9.0), ("delivered", 5.0)],  # told out of order
                      "cy": [("soft_bounce", 1.0), ("deferred", 2.0), ("delivered", 7.0)],
                      "dee": [("deferred", 3.0), ("deferred", 4.0)],  # still trying
                      "eve": [("delivered", 6.0), ("soft_bounce", 6.0)],  # a tie: bounced
                      "fay": [("opened", 8.0)],  # an open alone: no word of delivery
                  }.items() for n, (kind, at) in enumerate(events)])
    try:
        # (delivered, bounced, of those hard, readers with neither)
        assert store.outcomes(post) == (1, 3, 2, 1)
    finally:
        store.close()
