"""Opens and clicks a machine made: Apple Mail Privacy Protection loads every image of an email
as it arrives, a virus scanner follows every link. SendGrid (``sg_machine_open``) and Mailgun
(``client-info.bot``) mark them; the funnel counts only the readers' own, and says how many
more a machine made, so an open rate is not a fetch rate."""

from __future__ import annotations

import json
import re
from contextlib import ExitStack
from html import unescape

import pytest
import requests
from browser import preview_server
from conftest import invoke
from fake_providers import provider_environ, write_settings
from pg_support import pg_url  # noqa: F401 (a fixture)
from test_delivery_events import (  # noqa: F401 (sent is a fixture)
    ANN,
    BOB,
    CY,
    DEE,
    READERS,
    SLUG,
    TAG,
    post_events,
    send_through,
    sent,
)
from web_server import serving, subscriber_csv
from webhook_support import ENVIRON, mailgun_event, sendgrid_event, signed

from newsletter.config import load_settings
from newsletter.sending.events import DeliveryEvent, EventStore
from newsletter.state import postgres
from newsletter.web import NewsletterApp


def machine_open(provider: str, address: str, n: int, bot: str = "apple") -> dict:
    """An open as the provider reports one it found a machine made."""
    if provider == "sendgrid":
        return {**sendgrid_event("opened", address, TAG[provider], n),
                "sg_machine_open": True, "useragent": "Mozilla/5.0"}
    event = mailgun_event("opened", address, TAG[provider], n)
    return {**event, "client-info": {"client-name": "unknown", "client-type": "unknown",
                                     "user-agent": "Mozilla/5.0", "bot": bot}}


def scanner_click(address: str, n: int) -> dict:
    """A Mailgun click its bot detection gave to a firewall or virus scanner."""
    event = mailgun_event("clicked", address, TAG["mailgun"], n)
    return {**event, "client-info": {"client-name": "unknown", "bot": "generic"}}


@pytest.mark.parametrize("sent", ["sendgrid", "mailgun"], indirect=True)
def test_an_open_a_machine_made_counts_apart_from_the_readers_own(sent, tmp_path):
    provider, site, base = sent
    tag = TAG[provider]
    # Ann read it (her own open, then Apple's proxy too: she counts as opened); Bob's and
    # Cy's only opens are Apple's proxy fetching the image; Dee's open is her own.
    machine = [machine_open(provider, address, 20 + n)
               for n, address in enumerate((ANN, BOB, CY, BOB))]
    answers = post_events(base, provider, [
        ("delivered", address, tag) for address in (ANN, BOB, CY, DEE)] + [
        ("opened", ANN, tag), ("opened", DEE, tag)])
    answers += [requests.post(f"{base}/webhooks/{provider}", data=body, headers=headers)
                for headers, body in signed(provider, machine)]
    assert {answer.status_code for answer in answers} == {200}

    funnel = json.loads(invoke(site, "status", SLUG, "--json",
                               env=provider_environ(provider)).output)
    assert (funnel["opened"], funnel["opened_by_machine"]) == (2, 2)
    assert funnel["clicked_by_machine"] == 0
    keys = list(funnel)
    assert keys[keys.index("opened") + 1] == "opened_by_machine"
    text = invoke(site, "status", SLUG, env=provider_environ(provider)).output
    assert "opened             2  40.0% (+2 by a machine only, not counted)" in text

    # The report page says so too, beside the table of readers' own opens.
    with preview_server(site, tmp_path) as url:
        page = unescape(re.sub(r"\s+", " ", requests.get(f"{url}/report", timeout=30).text))
    assert "Not counted: 2 opened only by a machine" in page
    assert '<tr data-step="opened"><th scope="row">Opened</th><td>2</td>' in page


def test_a_click_a_scanner_made_is_no_click(sent_mailgun, tmp_path):
    """A firewall or virus scanner following every link of the email, as Mailgun's bot
    detection names it, is not a reader who clicked."""
    site, base = sent_mailgun
    answers = post_events(base, "mailgun", [("clicked", ANN, TAG["mailgun"])])
    answers += [requests.post(f"{base}/webhooks/mailgun", data=body, headers=headers)
                for headers, body in signed("mailgun", [scanner_click(BOB, 30),
                                                        scanner_click(ANN, 31)])]
    assert {answer.status_code for answer in answers} == {200}

    funnel = json.loads(invoke(site, "status", SLUG, "--json",
                               env=provider_environ("mailgun")).output)
    assert (funnel["clicked"], funnel["clicked_by_machine"]) == (1, 1)
    assert (funnel["opened"], funnel["opened_by_machine"]) == (0, 0)


@pytest.fixture
def sent_mailgun(site):
    """The post sent through Mailgun's fake, tracked, `serve` running: (site, base URL)."""
    subscriber_csv(site, *READERS)
    write_settings(site, "tracking", opens=True, clicks=True)
    with ExitStack() as stack:
        send_through(site, "mailgun", stack)
        base = stack.enter_context(serving(NewsletterApp(load_settings(site, ENVIRON))))
        yield site, base


@pytest.mark.parametrize("on", ["files", "postgresql"])
def test_both_stores_count_the_readers_a_machine_alone_opened_for_alike(on, tmp_path, request):
    database = postgres.Database(request.getfixturevalue("pg_url")) if on == "postgresql" \
        else None
    store = EventStore(tmp_path, database, owned=database is not None)
    post, other = "/posts/plain-words", "/posts/older"
    store.record([
        DeliveryEvent("sendgrid", "m1", "machine_opened", "bob", post, 1.0),
        DeliveryEvent("sendgrid", "m2", "machine_opened", "bob", post, 2.0),
        DeliveryEvent("sendgrid", "m3", "machine_opened", "ann", post, 3.0),
        DeliveryEvent("sendgrid", "o1", "opened", "ann", post, 4.0),  # she read it too
        DeliveryEvent("sendgrid", "o2", "opened", "cy", other, 5.0),  # another post's open
        DeliveryEvent("sendgrid", "m4", "machine_opened", "cy", post, 6.0),
        DeliveryEvent("mailgun", "c1", "machine_clicked", "ann", post, 7.0),
    ])
    try:
        assert store.machine_only(post) == {"machine_opened": 2, "machine_clicked": 1}
        assert store.readers_by_kind(post)["opened"] == 1
    finally:
        store.close()
