"""A provider that sends no delivery events (the outbox, SMTP: no webhooks) gets no funnel of
zeros: "delivered 0, 0.0%" read as if nothing had arrived. `status POST` and the report say
what is known (accepted) and that nothing more is, in a line."""

from __future__ import annotations

import re
from html import unescape

import requests
from browser import preview_server
from conftest import invoke
from fake_providers import write_provider_settings

from newsletter.config import load_settings
from newsletter.sending import Funnel, no_events_note

NOTE = "outbox sends no delivery events: what happened after it is not known here."


def test_the_outbox_says_nothing_is_known_after_the_hand_off(site, tmp_path):
    assert invoke(site, "send", "what-matters", "--yes").exit_code == 0

    text = invoke(site, "status", "what-matters").output
    assert f"After the hand-off: 4 accepted.\n  {NOTE}\n" in text
    assert "delivered" not in text and "0.0%" not in text
    with preview_server(site, tmp_path) as url:
        page = unescape(re.sub(r"\s+", " ", requests.get(f"{url}/report", timeout=30).text))
    section = page[page.index('data-post-id="/posts/what-matters"'):]
    assert f"4 accepted. {NOTE[0].upper()}{NOTE[1:]}" in section
    assert 'class="chart"' not in section.partition("</section>")[0]


def test_smtp_says_so_too_and_a_provider_with_webhooks_keeps_its_funnel(site):
    no_events = Funnel("/posts/what-matters", 4, 0, 0, 0, 0, 0, 0, 0, None, None)
    some = Funnel("/posts/what-matters", 4, 0, 0, 0, 3, 1, 0, 0, None, None)
    write_provider_settings(site, name="smtp", host="127.0.0.1", port=2525)
    smtp = load_settings(site, {"NEWSLETTER_SECRET": "x" * 40})
    assert no_events_note(smtp, no_events) == (
        "smtp sends no delivery events: what happened after it is not known here")
    assert no_events_note(smtp, some) is None  # sent through another provider before
    write_provider_settings(site, name="sendgrid")
    sendgrid = load_settings(site, {"NEWSLETTER_SECRET": "x" * 40, "SENDGRID_API_KEY": "SG.x"})
    assert no_events_note(sendgrid, no_events) is None  # its events may come yet
