"""`newsletter serve` on several hosts against one PostgreSQL store: unsubscribes, the pages,
the Mailgun replay guard and the delivery events hold across them, and a killed host loses
nothing it answered."""

from __future__ import annotations

import json
import re
import secrets
import signal
import subprocess
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from typing import Iterator

import psycopg
import pytest
import requests
from test_delivery_events import ANN, CY, POST, READERS, send_through, status_json
from test_webhooks import ENVIRON, mailgun_request
from web_server import serving
from webhook_support import EVENT, SIGN

from newsletter.config import load_settings

from newsletter.message.tokens import UnsubscribeTokens
from newsletter.web import NewsletterApp
from tests.conftest import invoke, run_cli, start_cli
from tests.pg_support import pg_url, use_postgresql  # noqa: F401 (fixture)

ONE_CLICK = {"List-Unsubscribe": "One-Click"}
TOKENS = UnsubscribeTokens(ENVIRON["NEWSLETTER_SECRET"])


@contextmanager
def host(site) -> Iterator[tuple[str, subprocess.Popen]]:
    """`newsletter serve` as its own process, as on another host; yields (base URL, process)."""
    process = start_cli(site, "serve", "--port", "0", env=ENVIRON, stdout=subprocess.PIPE,
                        stderr=subprocess.DEVNULL, text=True)
    try:
        line = process.stdout.readline()
        yield re.search(r"http://127\.0\.0\.1:\d+", line).group(0), process
    finally:
        if process.poll() is None:
            process.terminate()
        process.wait(20)


def statuses(url) -> dict[str, str]:
    with psycopg.connect(url) as db:
        return dict(db.execute("SELECT address, status FROM subscribers"))


def unsubscribe(base: str, address: str) -> int:
    return requests.post(f"{base}/unsubscribe/{TOKENS.make(address)}", data=ONE_CLICK,
                         timeout=30).status_code


def a_list_on_postgresql(site, url, count: int) -> list[str]:
    return list_on_postgresql(site, url, [f"reader{i}@example.org" for i in range(count)])


def list_on_postgresql(site, url, readers: list[str]) -> list[str]:
    (site / "subscribers" / "subscribers.csv").write_text(
        "email,name,status,tags,subscribed_at\n"
        + "".join(f"{address},,active,,2026-01-01\n" for address in readers))
    assert invoke(site, "store", "copy", "--to", url).exit_code == 0
    for path in (site / "subscribers").iterdir():
        path.unlink()
    use_postgresql(site, url)
    return readers


def test_two_hosts_share_unsubscribes_and_pages_and_keep_their_state_in_the_database(
        site, pg_url):
    first, second = a_list_on_postgresql(site, pg_url, 2)
    with host(site) as (a, _), host(site) as (b, _):
        assert unsubscribe(a, first) == 200
        page = requests.get(f"{b}/unsubscribe/{TOKENS.make(first)}", timeout=30)
        assert "You are unsubscribed" in page.text
        assert "Stop sending" in requests.get(f"{a}/unsubscribe/{TOKENS.make(second)}",
                                              timeout=30).text
        assert unsubscribe(b, second) == 200
        assert unsubscribe(a, second) == 200  # again, on the other host: nothing changes
    assert statuses(pg_url) == {first: "unsubscribed", second: "unsubscribed"}
    with psycopg.connect(pg_url) as db:
        # the repeat moved its row's time, added none (test_hostile_one_click_repeats.py)
        assert db.execute("SELECT count(*) FROM journal_changes").fetchone()[0] == 2
    assert_no_state_in_files(site)


def assert_no_state_in_files(site) -> None:
    """Every kind of state the store holds stays out of the files: no SQLite file anywhere."""
    made = [path.name for path in site.rglob("*") if path.suffix in {".db", ".db-wal",
                                                                       ".db-shm"}]
    assert made == [], made
    assert not list((site / ".newsletter").glob("*")), list((site / ".newsletter").glob("*"))


def test_delivery_events_from_any_host_make_one_funnel_and_are_stored_once(site, pg_url):
    list_on_postgresql(site, pg_url, list(READERS))
    delivered = SIGN["postmark"](EVENT["postmark"]("delivered", ANN, POST, 0))
    bounced = SIGN["postmark"](EVENT["postmark"]("bounced", CY, POST, 1))
    with ExitStack() as stack:
        send_through(site, "postmark", stack)
        a, _ = stack.enter_context(host(site))
        b, _ = stack.enter_context(host(site))
        answers = [requests.post(f"{base}/webhooks/postmark", data=body, headers=headers,
                                 timeout=30)
                   for base, (headers, body) in ((a, delivered), (b, delivered), (b, bounced))]
        assert unsubscribe(a, ANN) == 200  # counted against the post on the other host's list
        during = status_json(site, "postmark")  # while both still serve
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert "1 events recorded" in answers[0].text and "1 seen before" in answers[1].text
    assert (during["delivered"], during["bounced"], during["unsubscribed"]) == (1, 1, 1)
    with psycopg.connect(pg_url) as db:
        assert db.execute("SELECT kind, post_id FROM events ORDER BY kind").fetchall() == [
            ("bounced", POST), ("delivered", POST), ("unsubscribed", POST)]
    assert_no_state_in_files(site)


def test_a_mailgun_signature_used_on_one_host_is_refused_on_the_other(site, pg_url):
    ann, bob = a_list_on_postgresql(site, pg_url, 2)
    headers, body = mailgun_request({"event": "complained", "recipient": ann})
    payload = json.loads(body)
    payload["event-data"] = {"event": "complained", "recipient": bob}
    with host(site) as (a, _), host(site) as (b, _):
        first = requests.post(f"{a}/webhooks/mailgun", data=body, headers=headers, timeout=30)
        again = requests.post(f"{b}/webhooks/mailgun", data=json.dumps(payload).encode(),
                              headers=headers, timeout=30)
    assert (first.status_code, again.status_code) == (200, 403)
    assert statuses(pg_url) == {ann: "complained", bob: "active"}


def test_a_killed_host_loses_no_unsubscribe_it_answered_and_the_other_takes_the_rest(
        site, pg_url):
    readers = a_list_on_postgresql(site, pg_url, 120)
    answered: dict[str, int] = {}
    with ExitStack() as stack:
        a, process = stack.enter_context(host(site))
        b, _ = stack.enter_context(host(site))

        def try_a(address: str) -> None:
            try:
                answered[address] = unsubscribe(a, address)
            except requests.RequestException:
                answered[address] = 0  # the host died under this request

        with ThreadPoolExecutor(8) as pool:
            futures = [pool.submit(try_a, address) for address in readers]
            futures[40].result()
            process.send_signal(signal.SIGKILL)
        ok = [address for address, status in answered.items() if status == 200]
        assert ok, "host A answered nothing before it was killed"
        now = statuses(pg_url)
        assert all(now[address] == "unsubscribed" for address in ok)
        for address in readers:  # what a reader does when a page fails: try again
            if answered[address] != 200:
                assert unsubscribe(b, address) == 200
    assert set(statuses(pg_url).values()) == {"unsubscribed"}


def test_a_host_whose_idle_connections_the_server_ended_still_answers_the_next_unsubscribe(
        site, pg_url):
    """A database restart or an idle timeout ends the connections `serve` keeps; each was
    then lent to the next request, which failed (503: an unsubscribe the reader saw fail)."""
    name = f"nl_{secrets.token_hex(4)}"
    first, second = a_list_on_postgresql(site, pg_url, 2)
    settings = site / "newsletter.toml"  # its connections named, to end only those
    settings.write_text(settings.read_text().replace(pg_url, f"{pg_url}&application_name={name}"))
    with serving(NewsletterApp(load_settings(site, ENVIRON))) as base:
        assert unsubscribe(base, first) == 200
        with psycopg.connect(pg_url, autocommit=True) as db:
            ended = db.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                               "WHERE application_name = %s", (name,)).fetchone()[0]
        assert ended >= 1
        assert unsubscribe(base, second) == 200
    assert statuses(pg_url) == {first: "unsubscribed", second: "unsubscribed"}


def test_an_unsubscribe_that_cannot_be_counted_is_still_recorded_and_answered(site, pg_url):
    """The unsubscribe and its count share one connection: the count failing (here its table
    gone) leaves the unsubscribe recorded, answered 200, and the connection fit for the next."""
    first, second, third = a_list_on_postgresql(site, pg_url, 3)
    with serving(NewsletterApp(load_settings(site, ENVIRON))) as base:
        assert unsubscribe(base, first) == 200
        with psycopg.connect(pg_url, autocommit=True) as db:
            db.execute("ALTER TABLE events RENAME TO events_away")
        assert unsubscribe(base, second) == 200
        with psycopg.connect(pg_url, autocommit=True) as db:
            db.execute("ALTER TABLE events_away RENAME TO events")
        assert unsubscribe(base, third) == 200
    assert statuses(pg_url) == dict.fromkeys((first, second, third), "unsubscribed")
    with psycopg.connect(pg_url) as db:
        counted = {reader for (reader,) in db.execute(
            "SELECT reader FROM events WHERE kind = 'unsubscribed'")}
    assert counted == {first, third}


@pytest.mark.parametrize("flaw", ["newer", "another site"])
def test_a_host_refuses_at_start_a_store_it_cannot_use(site, pg_url, flaw):
    """A site without sign-ups (nothing else opens the store as serve starts): serve said
    "Serving ..." and answered every request 503 from a store a newer newsletter migrated or
    another site holds (the files store's journal is refused at start)."""
    a_list_on_postgresql(site, pg_url, 1)
    with open(site / "newsletter.toml", "a", encoding="utf-8") as settings:
        settings.write("\n[signup]\nenabled = false\n")
    with psycopg.connect(pg_url, autocommit=True) as db:
        if flaw == "newer":
            db.execute("INSERT INTO newsletter_migrations (kind, name) "
                       "VALUES ('events', 'm900_from_the_future')")
        else:
            db.execute("UPDATE newsletter_site SET url = 'https://other.example.net'")
    result = run_cli(site, "serve", "--port", "0", env=ENVIRON, timeout=60)
    assert (result.returncode, result.stdout) == (1, ""), result.stderr
    assert result.stderr.startswith("error: the PostgreSQL store"), result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
