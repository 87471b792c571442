"""A confirmation link sent before its address left the list brings nobody back: the address
unsubscribed (`subscribers remove`), bounced (a provider's webhook) or was suppressed by
`subscribers sync` after the sign-up, and a later click on the old link must not subscribe it
again. Signing up anew does. On both stores."""

from __future__ import annotations

import pytest
import requests
from fake_providers import provider_environ
from signup_support import configure_signup, confirm_path, emails_to, settle, sign_up
from test_sync import STREAM, provider_lists  # noqa: F401 (a fixture)
from web_server import serving
from webhook_support import ENVIRON, postmark_event, postmark_request

from conftest import invoke
from newsletter.config import load_settings
from newsletter.subscribers import open_store
from newsletter.web import NewsletterApp
from tests.pg_support import pg_url, store_site  # noqa: F401 (fixtures)

NEW = "nora@example.net"


@pytest.fixture
def endpoint(store_site):  # noqa: F811
    """(base URL, site, app): sign-ups on, provider webhooks signed as in ENVIRON."""
    configure_signup(store_site)
    app = NewsletterApp(load_settings(store_site, ENVIRON))
    try:
        with serving(app) as base:
            yield base, store_site, app
    finally:
        app.close()


def status_of(site, address: str) -> str:
    readers, _ = open_store(load_settings(site, {})).load()
    return {reader.address: str(reader.status) for reader in readers}[address]


def mailed_link(base, site, app) -> str:
    """Sign NEW up; the link of the newest confirmation email."""
    before = len(emails_to(site, NEW))
    sign_up(base, NEW)
    settle(app)
    emails = emails_to(site, NEW)
    assert len(emails) == before + 1
    return base + confirm_path(emails[-1])


def test_a_link_sent_before_subscribers_remove_does_not_subscribe_again(endpoint):
    base, site, app = endpoint
    old = mailed_link(base, site, app)
    assert invoke(site, "subscribers", "remove", NEW).output == f"unsubscribed {NEW}\n"

    shown = requests.get(old)
    pressed = requests.post(old, data={"confirm": "yes"})

    for answer in (shown, pressed):
        assert answer.status_code == 410
        assert ("left the list (unsubscribed, or its mail bounced or was marked as spam) after "
                "this link was sent") in answer.text
        assert "Confirm your subscription" not in answer.text
    assert status_of(site, NEW) == "unsubscribed"
    assert emails_to(site, NEW, "welcome") == []

    fresh = mailed_link(base, site, app)  # they change their mind: a new sign-up works
    assert requests.post(old, data={"confirm": "yes"}).status_code == 410  # still void
    welcomed = requests.post(fresh, data={"confirm": "yes"})
    assert welcomed.status_code == 200 and "Thank you!" in welcomed.text
    assert status_of(site, NEW) == "active"


@pytest.mark.parametrize("kind", ["bounced", "complained"])
def test_a_link_sent_before_a_bounce_or_complaint_does_not_subscribe_the_address(endpoint, kind):
    base, site, app = endpoint
    old = mailed_link(base, site, app)
    headers, body = postmark_request(postmark_event(kind, NEW, None))
    assert requests.post(f"{base}/webhooks/postmark", data=body, headers=headers).ok

    pressed = requests.post(old, data={"confirm": "yes"})

    assert pressed.status_code == 410 and "after this link was sent" in pressed.text
    assert status_of(site, NEW) == kind


def test_a_link_sent_before_subscribers_sync_suppressed_the_address_is_void(
        endpoint, provider_lists):  # noqa: F811
    base, site, app = endpoint
    old = mailed_link(base, site, app)  # the app keeps mailing through the outbox
    provider_lists("postmark", {STREAM: [  # the confirmation bounced at the provider
        {"EmailAddress": NEW, "SuppressionReason": "HardBounce", "Origin": "Recipient"}]},
        message_stream=STREAM)
    synced = invoke(site, "subscribers", "sync", env=provider_environ("postmark"))
    assert synced.exit_code == 0, synced.output
    assert status_of(site, NEW) == "bounced"

    assert requests.post(old, data={"confirm": "yes"}).status_code == 410
    assert status_of(site, NEW) == "bounced"


def test_an_address_added_back_since_is_told_it_is_subscribed(endpoint):
    base, site, app = endpoint
    old = mailed_link(base, site, app)
    assert invoke(site, "subscribers", "remove", NEW).exit_code == 0
    assert invoke(site, "subscribers", "add", NEW, "--resubscribe").exit_code == 0

    for answer in (requests.get(old), requests.post(old, data={"confirm": "yes"})):
        assert answer.status_code == 200 and "You are subscribed" in answer.text
    assert status_of(site, NEW) == "active"


def test_a_reader_who_left_before_signing_up_still_comes_back_by_confirming(endpoint):
    base, site, app = endpoint
    sign_up(base, "alan@example.com")  # unsubscribed in the example list: a link goes out
    settle(app)
    link = base + confirm_path(emails_to(site, "alan@example.com")[-1])

    pressed = requests.post(link, data={"confirm": "yes"})

    assert pressed.status_code == 200 and "Thank you!" in pressed.text
    assert status_of(site, "alan@example.com") == "active"
