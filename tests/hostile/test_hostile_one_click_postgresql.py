"""One-click unsubscribes on the PostgreSQL store while the database restarts mid-burst:
each is answered 200 (and is then in effect) or 503 to try again, never a 500 or a 200 for an
unsubscribe the store lacks; the pool's connections the restart ended are replaced, and
`serve`'s log says so in one line a request.

Before, psycopg's pool logged each failed reconnection as a warning of two lines ("...
Connection refused" then a tab and "Is the server running on that host...") and each
connection it dropped as "discarding closed connection: <psycopg.Connection [BAD] at 0x...>",
dozens of them, between serve's own one-line warnings.
"""

from __future__ import annotations

import re
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psycopg
import requests
from conftest import start_cli
from web_server import SECRET, serving, subscriber_csv

from newsletter.config import load_settings
from newsletter.message.tokens import UnsubscribeTokens
from newsletter.web import NewsletterApp
from tests.pg_support import move_to_postgresql, own_cluster, pg_url  # noqa: F401 (fixtures)

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
    log = tmp_path / "serve.log"
    with log.open("w") as errors:
        server = start_cli(site, "serve", "--port", "0", env={"NEWSLETTER_SECRET": SECRET},
                           stdout=subprocess.PIPE, stderr=errors, text=True)
    try:
        base = re.search(r"http://127\.0\.0\.1:\d+", server.stdout.readline()).group(0)
        first, answered_200, in_effect, retried = burst(base, own_cluster)
    finally:
        server.terminate()
        server.wait(30)
    assert set(first.values()) <= {200, 503}, first
    assert answered_200 <= in_effect
    assert set(retried.values()) <= {200}, retried  # the pool made new connections
    assert unsubscribed(own_cluster.url) == set(READERS)
    lines = log.read_text().splitlines()
    assert lines and all(re.match(r"\d{4}-\d\d-\d\d [\d:,]+ (INFO|WARNING) ", line)
                         for line in lines), "\n".join(lines)
    assert "psycopg" not in log.read_text()


def burst(base: str, own_cluster):
    """One-clicks for every reader from 16 clients, the database restarted after the first 40;
    (status of each, those answered 200, those unsubscribed then, status of each retry)."""
    with ThreadPoolExecutor(16) as pool:
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
    return first, answered_200, in_effect, retried


def test_one_link_clicked_many_times_at_once_unsubscribes_and_counts_once(site, pg_url, tmp_path):
    subscriber_csv(site, *READERS[:4])
    move_to_postgresql(site, pg_url, tmp_path / "copy-state")
    app = NewsletterApp(load_settings(site, {"NEWSLETTER_SECRET": SECRET}))
    stranger = "gone.from.the.list@example.com"  # mailed once, since removed: recorded
    with serving(app, threads=8) as base, ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda n: one_click(base, (READERS[2], stranger)[n % 2]),
                                range(64)))
    assert answers == [200] * 64
    assert unsubscribed(pg_url) == {READERS[2], stranger}
    with psycopg.connect(pg_url) as db:
        counted = [row[0] for row in db.execute("SELECT reader FROM events ORDER BY reader")]
    assert counted == sorted([READERS[2], stranger])
