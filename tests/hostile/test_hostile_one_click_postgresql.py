"""One-click unsubscribes on the PostgreSQL store while the database restarts mid-burst:
each is answered 200 (and is then in effect) or 503 to try again, never a 500 or a 200 for an
unsubscribe the store lacks; the pool's connections the restart ended are replaced."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg
import requests
from web_server import SECRET, serving, subscriber_csv

from newsletter.config import load_settings
from newsletter.message.tokens import UnsubscribeTokens
from newsletter.web import NewsletterApp
from tests.pg_support import move_to_postgresql, own_cluster  # noqa: F401 (fixture)

READERS = [f"r{n}@example.com" for n in range(200)]
CLIENTS = threading.local()  # each client thread's keep-alive session


def one_click(base: str, address: str) -> int:
    if not hasattr(CLIENTS, "session"):
        CLIENTS.session = requests.Session()
    return CLIENTS.session.post(f"{base}/unsubscribe/{UnsubscribeTokens(SECRET).make(address)}",
                                data={"List-Unsubscribe": "One-Click"}, timeout=120).status_code


def unsubscribed(url: str) -> set[str]:
    with psycopg.connect(url) as db:
        return {row[0] for row in db.execute(
            "SELECT address FROM subscribers WHERE status = 'unsubscribed'")}


def test_a_database_restart_during_a_burst_of_one_clicks_loses_none(site, own_cluster, tmp_path):
    subscriber_csv(site, *READERS)
    move_to_postgresql(site, own_cluster.url, tmp_path / "copy-state")
    app = NewsletterApp(load_settings(site, {"NEWSLETTER_SECRET": SECRET}))
    with serving(app, threads=8) as base, ThreadPoolExecutor(16) as pool:
        answers = [pool.submit(one_click, base, address) for address in READERS]
        deadline = time.monotonic() + 60
        while sum(answer.done() for answer in answers) < 40 and time.monotonic() < deadline:
            time.sleep(0.01)
        own_cluster.restart()
        first = {address: answer.result() for address, answer in zip(READERS, answers)}
        answered_200 = {address for address, status in first.items() if status == 200}
        in_effect = unsubscribed(own_cluster.url)
        retried = {address: one_click(base, address)
                   for address, status in first.items() if status != 200}
    assert set(first.values()) <= {200, 503}, first
    assert answered_200 <= in_effect
    assert set(retried.values()) <= {200}, retried  # the pool made new connections
    assert unsubscribed(own_cluster.url) == set(READERS)
