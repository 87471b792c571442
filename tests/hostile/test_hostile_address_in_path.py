"""An unsubscribe URL with the address in its path (``/unsubscribe/{email}/{token}``) and an
address with a ``/`` before the @ (``a/b@example.com``: valid, and `subscribers add` takes it).
The link carries it as ``a%2Fb%40example.com``, the server hands the path over decoded, and the
route took one segment for the address: that reader's one-click unsubscribe was a 404, "There
is nothing here", and they stayed on the list."""

from __future__ import annotations

import email

import requests
from conftest import invoke
from web_server import SECRET, serving, statuses, subscriber_csv

from newsletter.config import load_settings
from newsletter.web import NewsletterApp

READER = "a/b@example.com"


def test_a_reader_with_a_slash_in_the_address_unsubscribes_in_one_click(site):
    toml = site / "newsletter.toml"
    toml.write_text(toml.read_text().replace("https://blog.example.com/unsubscribe/{token}",
                                             "https://blog.example.com/unsubscribe/{email}/{token}"))
    subscriber_csv(site, READER, "c@example.com")
    sent = invoke(site, "send", "what-matters", "--yes", env={"NEWSLETTER_SECRET": SECRET})
    assert sent.exit_code == 0, sent.output
    messages = [email.message_from_bytes(path.read_bytes())
                for path in (site / "outbox" / "what-matters").glob("*.eml")]
    header, = [message["List-Unsubscribe"] for message in messages
               if READER in message["To"]]
    link = header.split("<", 1)[1].split(">", 1)[0]
    assert "/unsubscribe/a%2Fb%40example.com/" in link

    app = NewsletterApp(load_settings(site, {"NEWSLETTER_SECRET": SECRET}))
    with serving(app) as base:
        answer = requests.post(link.replace("https://blog.example.com", base),
                               data={"List-Unsubscribe": "One-Click"}, timeout=30)

    assert answer.status_code == 200
    assert statuses(site) == {READER: "unsubscribed", "c@example.com": "active"}
