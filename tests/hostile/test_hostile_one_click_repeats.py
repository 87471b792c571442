"""A one-click link posted again and again keeps one journal row, not one per request.

Every reader of a newsletter holds their unsubscribe link, and the POST that spends it may be
repeated at will. Each repeat added a row to the suppression journal, which keeps rows for a
month (files) or for good (PostgreSQL): one reader's script, posting as fast as `serve` answers,
filled the disk under the state folder or the database. Now a change the journal already holds
in effect (the same reader, the same status) is not written again: its time moves to the
latest request, so a confirmation link sent before it still counts as sent before the reader
left (docs/signup.md). A second reader's click, and a click after the reader came back, are
journalled as ever.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time

import psycopg
import requests
from pg_support import each_store, list_into_store, pg_url  # noqa: F401 (fixtures)
from web_server import SECRET, serving, subscriber_csv

from newsletter.config import load_settings
from newsletter.message.tokens import UnsubscribeTokens
from newsletter.subscribers import SubscriberStore
from newsletter.subscribers.journal import stamp
from newsletter.web import NewsletterApp

READER, OTHER = "ann@example.com", "bob@example.org"
REPEATS = 30


def one_click(base: str, address: str) -> requests.Response:
    return requests.post(f"{base}/unsubscribe/{UnsubscribeTokens(SECRET).make(address)}",
                         data={"List-Unsubscribe": "One-Click"}, timeout=60)


def journal_rows(site, url: str | None) -> list[tuple[str, str, str]]:
    """(key, status, at) of every journalled change, oldest first."""
    query = "SELECT key, status, at FROM {} ORDER BY id"
    if url is None:
        with sqlite3.connect(site / ".newsletter" / "journal.db") as db:
            return db.execute(query.format("changes")).fetchall()
    with psycopg.connect(url) as db:
        return db.execute(query.format("journal_changes")).fetchall()


def test_a_reader_posting_their_one_click_again_and_again_keeps_one_journal_row(site,
                                                                                each_store):
    subscriber_csv(site, READER, OTHER)
    list_into_store(site)
    files = SubscriberStore(directory=site / "subscribers", state_dir=site / ".newsletter")
    app = NewsletterApp(load_settings(site, {"NEWSLETTER_SECRET": SECRET}))
    try:
        # The list held as a send holds it: no fold in between, every repeat meets the first.
        with serving(app) as base, files.locked():
            answers = [one_click(base, READER) for _ in range(REPEATS - 1)]
            before_last = stamp(dt.datetime.now(dt.timezone.utc))
            time.sleep(0.01)
            answers.append(one_click(base, READER))
            answers.append(one_click(base, OTHER))
    finally:
        app.close()

    assert {answer.status_code for answer in answers} == {200}
    rows = journal_rows(site, each_store)
    assert [(key, status) for key, status, _ in rows] == [(READER, "unsubscribed"),
                                                         (OTHER, "unsubscribed")]
    assert rows[0][2] > before_last  # the reader left as late as their last click


def test_a_reader_who_came_back_and_clicks_again_is_journalled_again(site, each_store):
    subscriber_csv(site, READER)
    list_into_store(site)
    settings = load_settings(site, {"NEWSLETTER_SECRET": SECRET})
    app = NewsletterApp(settings)
    try:
        with serving(app) as base:
            assert one_click(base, READER).status_code == 200
            app.store.set_status(READER, "active")  # `subscribers` brought them back
            assert app.store.is_active(READER)
            assert one_click(base, READER).status_code == 200
            assert not app.store.is_active(READER)
    finally:
        app.close()

    assert [(key, status) for key, status, _ in journal_rows(site, each_store)] == [
        (READER, "unsubscribed"), (READER, "unsubscribed")]
