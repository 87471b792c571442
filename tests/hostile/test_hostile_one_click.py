"""One-click unsubscribes under stress on the files store: a full disk, a state folder made
read-only while `serve` runs, one reader's link clicked many times at once, a `serve` killed
right after its 200.

Before, a serve thread whose journal connection was opened while ``.newsletter/`` was
read-only kept it read-only: once the folder was writable again, every one-click that thread
took still answered 503 ("attempt to write a readonly database") until `serve` restarted;
and a thread whose events.db connection was opened then never counted a one-click again.
"""

from __future__ import annotations

import logging
import re
import signal
import sqlite3
import time
import subprocess
from concurrent.futures import ThreadPoolExecutor

import requests
from conftest import start_cli
from disk_limits import read_only, tiny_disk
from web_server import SECRET, serving, subscriber_csv

from newsletter.config import load_settings
from newsletter.message.tokens import UnsubscribeTokens
from newsletter.subscribers import SubscriberStore
from newsletter.web import NewsletterApp

READERS = [f"r{n}@example.com" for n in range(4)]


def one_click(base: str, address: str) -> requests.Response:
    return requests.post(f"{base}/unsubscribe/{UnsubscribeTokens(SECRET).make(address)}",
                         data={"List-Unsubscribe": "One-Click"}, timeout=60)


def still_mailed(site) -> set[str]:
    store = SubscriberStore(directory=site / "subscribers", state_dir=site / ".newsletter")
    return {address for address in READERS if store.is_active(address)}


def counted(site) -> list[str]:
    with sqlite3.connect(site / ".newsletter" / "events.db") as db:
        return [row[0] for row in db.execute("SELECT reader FROM events")]


def app_of(site) -> NewsletterApp:
    subscriber_csv(site, *READERS)
    return NewsletterApp(load_settings(site, {"NEWSLETTER_SECRET": SECRET}))


def fill(folder) -> None:
    """The rest of ``folder``'s disk, taken by a file ``filler``."""
    with (folder / "filler").open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
        except OSError:
            pass


def assert_try_again(answers, caplog) -> None:
    for answer in answers:
        assert answer.status_code == 503, answer.text
        assert answer.headers["Retry-After"] == "60"
        assert "Please try again in a minute." in answer.text
    for record in caplog.records:
        assert record.exc_info is None and "\n" not in record.getMessage()
    assert any("not recorded" in record.getMessage() for record in caplog.records)


def test_a_full_state_disk_answers_503_and_unsubscribes_once_room_is_made(site, caplog):
    state = site / ".newsletter"
    app = app_of(site)
    with tiny_disk(state, 2048), serving(app, threads=2) as base:
        assert one_click(base, READERS[0]).status_code == 200
        fill(state)
        with caplog.at_level(logging.WARNING):
            full = [one_click(base, READERS[1]) for _ in range(4)]
        assert still_mailed(site) == set(READERS[1:])
        (state / "filler").unlink()
        later = [one_click(base, address) for address in READERS[1:] * 3]
    assert_try_again(full, caplog)
    assert [answer.status_code for answer in later] == [200] * 9
    assert still_mailed(site) == set()


def test_after_a_read_only_spell_every_serve_thread_records_one_clicks_again(site, caplog):
    state = site / ".newsletter"
    app = app_of(site)
    with serving(app, threads=2) as base:
        assert one_click(base, READERS[0]).status_code == 200
        with caplog.at_level(logging.WARNING), read_only(state):
            during = [one_click(base, READERS[1]) for _ in range(4)]
        later = [one_click(base, address) for address in READERS[1:] * 4]
    assert 503 in {answer.status_code for answer in during}  # a thread that opened it then
    assert_try_again([answer for answer in during if answer.status_code != 200], caplog)
    assert [answer.status_code for answer in later] == [200] * 12
    assert still_mailed(site) == set()


def test_one_readers_link_clicked_many_times_at_once_unsubscribes_and_counts_once(site):
    app = app_of(site)
    with serving(app, threads=8) as base, ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda _: one_click(base, READERS[2]), range(48)))
    assert [answer.status_code for answer in answers] == [200] * 48
    assert still_mailed(site) == set(READERS) - {READERS[2]}
    assert counted(site) == [READERS[2]]


def test_an_unsubscribe_answered_200_survives_a_kill_right_after(site):
    subscriber_csv(site, *READERS)
    server = start_cli(site, "serve", "--port", "0", env={"NEWSLETTER_SECRET": SECRET},
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        base = re.search(r"http://127\.0\.0\.1:\d+", server.stdout.readline()).group(0)
        answers = [one_click(base, address) for address in READERS[:3]]
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait(20)
    assert [answer.status_code for answer in answers] == [200] * 3
    assert still_mailed(site) == {READERS[3]}
    assert sorted(counted(site)) == READERS[:3]


def test_after_a_read_only_spell_of_events_db_every_one_click_is_counted_again(site, caplog):
    app = app_of(site)
    events = site / ".newsletter" / "events.db"
    with serving(app, threads=2) as base:
        assert one_click(base, READERS[0]).status_code == 200  # made events.db
        app.events.store.close()  # the threads' connections: opened again, while read-only
        with caplog.at_level(logging.WARNING), read_only(events):
            during = [one_click(base, READERS[1]) for _ in range(4)]
        later = [one_click(base, address) for address in READERS[2:]]
    assert [answer.status_code for answer in during + later] == [200] * 6  # never lost
    assert any("not counted" in record.getMessage() for record in caplog.records)
    assert sorted(counted(site)) == [READERS[0], *READERS[2:]]


def test_a_read_only_subscribers_folder_leaves_serve_a_one_line_log_and_every_unsubscribe(site):
    """The background fold cannot rewrite the CSV: before, its process printed a traceback
    (OSError: Read-only file system) to serve's log at every retry."""
    subscriber_csv(site, *READERS)
    log = site.parent / "serve.log"
    with read_only(site / "subscribers"), log.open("w") as errors:
        server = start_cli(site, "serve", "--port", "0", env={"NEWSLETTER_SECRET": SECRET},
                           stdout=subprocess.PIPE, stderr=errors, text=True)
        try:
            base = re.search(r"http://127\.0\.0\.1:\d+", server.stdout.readline()).group(0)
            answers = [one_click(base, address) for address in READERS[:3]]
            deadline = time.monotonic() + 60
            while "fold exited" not in log.read_text() and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            server.terminate()
            server.wait(30)
    assert [answer.status_code for answer in answers] == [200] * 3
    assert still_mailed(site) == {READERS[3]}  # in effect from the journal
    text = log.read_text()
    assert "fold exited" in text and "Traceback" not in text, text
    assert "journal not folded yet: [Errno 30] Read-only file system" in text, text


def test_a_journal_that_is_not_a_database_answers_503_to_the_page_and_the_click(site, caplog):
    """Before, the GET of an unsubscribe link (the page with its button) answered 500 with a
    traceback when the journal (or the PostgreSQL store) could not be read."""
    app = app_of(site)
    (site / ".newsletter" / "journal.db").write_bytes(b"not a database " * 1000)
    link = f"/unsubscribe/{UnsubscribeTokens(SECRET).make(READERS[0])}"
    with caplog.at_level(logging.WARNING), serving(app) as base:
        page = requests.get(base + link, timeout=60)
        click = one_click(base, READERS[0])
    assert_try_again([page, click], caplog)
    assert any("unsubscribe page of r0@example.com not shown" in record.getMessage()
               for record in caplog.records)
