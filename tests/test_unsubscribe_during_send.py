"""A send running while readers unsubscribe and the writer adds readers: nothing is lost.

The send runs as a real `newsletter send` process against a slow fake Postmark; the endpoint
runs under waitress in this process; `subscribers add` runs as real processes. All three
change or read the same subscriber files at once.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import requests
from conftest import REFERENCE_POST, run_cli, start_cli
from fake_providers import KEYS, provider_environ, start_fake, write_provider_settings
from web_server import SECRET, serving, statuses, subscriber_csv

from newsletter.config import load_settings
from newsletter.message import UnsubscribeTokens
from newsletter.web import NewsletterApp

READERS = [f"reader{i:03d}@example.com" for i in range(600)]
LEAVING = READERS[-200:]  # late in the list: their batches come after the unsubscribes start
# Two rounds of three `subscribers add` processes alongside the send (16 proved no more).
JOINING = [f"newcomer{i:02d}@example.org" for i in range(6)]


def unsubscribe(base: str, address: str) -> float:
    """POST the one-click unsubscribe; return the time the 200 came back."""
    url = f"{base}/unsubscribe/{UnsubscribeTokens(SECRET).make(address)}"
    answer = requests.post(url, data={"List-Unsubscribe": "One-Click"}, timeout=60)
    assert answer.status_code == 200, answer.text
    return time.time()


def claimed_at(site) -> dict[str, float]:
    """address -> when its batch was committed as submitting (the row's created_at)."""
    with sqlite3.connect(site / ".newsletter" / "ledger.db") as db:
        rows = db.execute("SELECT address, created_at FROM deliveries WHERE post_id = ?",
                          (REFERENCE_POST,)).fetchall()
    return {address: dt.datetime.fromisoformat(created).timestamp() for address, created in rows}


def test_unsubscribes_and_adds_during_a_send_lose_nothing_and_stop_later_batches(site):
    subscriber_csv(site, *READERS)
    fake = start_fake("postmark", KEYS["postmark"], latency=0.08)
    write_provider_settings(site, name="postmark", api_url=fake.url, batch_size=10,
                            concurrency=2, timeout=30)
    environ = provider_environ("postmark")
    app = NewsletterApp(load_settings(site, {"NEWSLETTER_SECRET": SECRET}))
    try:
        with serving(app, threads=8) as base:
            send = start_cli(site, "send", REFERENCE_POST, "--yes", env=environ,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            deadline = time.monotonic() + 60
            while fake.request_count == 0 and send.poll() is None and time.monotonic() < deadline:
                time.sleep(0.01)
            with ThreadPoolExecutor(8) as posts, ThreadPoolExecutor(3) as adds:
                added = [adds.submit(run_cli, site, "subscribers", "add", a) for a in JOINING]
                returned = dict(zip(LEAVING, posts.map(lambda a: unsubscribe(base, a), LEAVING)))
                assert all(f.result().returncode == 0 for f in added)
            output, _ = send.communicate(timeout=120)
    finally:
        fake.close()

    assert send.returncode == 0, output
    final = statuses(site)
    # No row lost: every reader is still listed, every newcomer was added.
    assert set(final) == set(READERS) | set(JOINING)
    # Every unsubscribe is recorded.
    assert {a for a, status in final.items() if status == "unsubscribed"} == set(LEAVING)
    # No reader got a batch submitted after their unsubscribe had been answered.
    claimed = claimed_at(site)
    late = {a: (claimed[a], returned[a]) for a in LEAVING if claimed.get(a, 0) > returned[a]}
    assert late == {}
    # The send did overlap the unsubscribes: some leaving readers were skipped.
    assert any(a not in claimed for a in LEAVING), output
    # Every reader who stayed got exactly one message.
    assert all(fake.accepted[a] == 1 for a in READERS if a not in LEAVING)
    assert all(fake.accepted[a] <= 1 for a in LEAVING)
