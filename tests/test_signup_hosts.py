"""Sign-ups on the PostgreSQL store, served by two hosts: a sign-up taken by one is confirmed
through the other, one confirmation email goes out whichever worker sees it, and a stale
unconfirmed sign-up is pruned from the database (docs/store.md#several-hosts)."""

from __future__ import annotations

import datetime as dt
import time

import psycopg
import requests
from signup_support import configure_signup, confirm_path, emails_to, sign_up, wait_for_email
from web_server import SECRET, serving

from newsletter.config import load_settings
from newsletter.web import NewsletterApp
from tests.conftest import invoke
from tests.pg_support import pg_url, use_postgresql  # noqa: F401 (fixture)

NEW = "new.reader@example.com"


def reader(url, address: str) -> tuple | None:
    with psycopg.connect(url) as db:
        return db.execute("SELECT status, name, extra->>'consent_page' FROM subscribers "
                          "WHERE address = %s", (address,)).fetchone()


def test_a_sign_up_on_one_host_is_confirmed_on_the_other_with_one_email(site, pg_url):
    assert invoke(site, "store", "copy", "--to", pg_url).exit_code == 0
    use_postgresql(site, pg_url)
    configure_signup(site, tags=["weekly"])
    settings = load_settings(site, {"NEWSLETTER_SECRET": SECRET})
    first, second = NewsletterApp(settings), NewsletterApp(settings)
    try:
        first.start(), second.start()
        with serving(first) as a, serving(second) as b:
            page = "https://blog.example.com/posts/x/"
            assert sign_up(a, NEW, name="Nora", page=page).status_code == 200
            message = wait_for_email(site, NEW)
            time.sleep(1.0)  # the time the other host's worker would take to mail it again
            assert len(emails_to(site, NEW)) == 1
            assert reader(pg_url, NEW)[0] == "unconfirmed"
            pressed = requests.post(b + confirm_path(message), data={"confirm": "yes"},
                                    timeout=30)
            assert pressed.status_code == 200 and "You are subscribed" in pressed.text
            again = requests.post(a + confirm_path(message), data={"confirm": "yes"},
                                  timeout=30)
            assert again.status_code == 200
    finally:
        first.close(), second.close()
    status, name, consent_page = reader(pg_url, NEW)
    assert (status, consent_page) == ("active", page)
    assert list(site.rglob("*.db")) == []


def test_prune_removes_stale_unconfirmed_readers_from_the_database(site, pg_url):
    assert invoke(site, "store", "copy", "--to", pg_url).exit_code == 0
    use_postgresql(site, pg_url)
    old = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=30)).isoformat()
    with psycopg.connect(pg_url, autocommit=True) as db:
        db.execute("INSERT INTO subscribers (key, email, address, status, subscribed_at) VALUES "
                   "('stale@example.org', 'stale@example.org', 'stale@example.org', "
                   "'unconfirmed', %s), ('undated@example.org', 'undated@example.org', "
                   "'undated@example.org', 'unconfirmed', '')", (old,))
    result = invoke(site, "subscribers", "prune", "--unconfirmed-older-than", "7d")
    assert result.exit_code == 0, result.output
    assert "removed stale@example.org (unconfirmed for more than 7d)" in result.output
    assert reader(pg_url, "stale@example.org") is None
    assert reader(pg_url, "undated@example.org")[0] == "unconfirmed"


def test_a_sign_up_or_confirmation_the_database_cannot_take_now_is_asked_again(site, pg_url):
    """A table held past the URL's lock_timeout: the form and the Confirm button answer 503
    with Retry-After, as on the files (they answered 500, with a traceback in the log), and
    the link whose consent was not written still works (it was spent: 410 ever after)."""
    assert invoke(site, "store", "copy", "--to", pg_url).exit_code == 0
    use_postgresql(site, pg_url + "%20-clock_timeout%3D300")
    configure_signup(site)
    app = NewsletterApp(load_settings(site, {"NEWSLETTER_SECRET": SECRET}))
    try:
        app.start()
        with serving(app) as base, psycopg.connect(pg_url) as holder:
            holder.execute("LOCK TABLE signups IN SHARE MODE")  # reads pass, writes wait
            refused = sign_up(base, NEW)
            holder.rollback()
            assert (refused.status_code, refused.headers.get("Retry-After")) == (503, "60")
            assert sign_up(base, NEW).status_code == 200
            link = base + confirm_path(wait_for_email(site, NEW))
            holder.execute("LOCK TABLE subscribers IN SHARE MODE")
            pressed = requests.post(link, data={"confirm": "yes"}, timeout=30)
            holder.rollback()
            assert (pressed.status_code, pressed.headers.get("Retry-After")) == (503, "60")
            again = requests.post(link, data={"confirm": "yes"}, timeout=30)
            assert again.status_code == 200 and "You are subscribed" in again.text
    finally:
        app.close()
    assert reader(pg_url, NEW)[0] == "active"


def test_a_host_starting_while_another_mails_a_confirmation_leaves_that_email_to_it(site,
                                                                                   pg_url):
    """A worker mails again what a stopped host left claimed: only a host that is gone
    (every host's worker did it as it started, so a host started during another's mailing
    sent a second confirmation email), and then a host still running does it too (only one
    that started later did)."""
    from newsletter.subscribers import Signup

    assert invoke(site, "store", "copy", "--to", pg_url).exit_code == 0
    use_postgresql(site, pg_url)
    configure_signup(site)
    settings = load_settings(site, {"NEWSLETTER_SECRET": SECRET})
    first, second = NewsletterApp(settings), NewsletterApp(settings)
    try:
        journal, limits = first.signups.journal, first.signups.limits
        journal.admit(Signup(NEW), "https://blog.example.com/", "client", limits)
        claimed, _ = journal.claim(journal.pending(10), [True], limits, time.time())
        assert len(claimed) == 1  # the first host's email is on its way to the provider
        second.signups.worker.process()  # the second host starts meanwhile
        assert emails_to(site, NEW) == []
        first.close()  # the first host stops before handing it over
        deadline = time.monotonic() + 20  # until the server has ended its sessions
        while not second.signups.journal.orphans(1) and time.monotonic() < deadline:
            time.sleep(0.02)
        second.signups.worker.process()  # the second host's next turn mails it
        second.signups.worker.process()
    finally:
        first.close(), second.close()
    assert len(emails_to(site, NEW)) == 1


def test_a_confirmation_its_host_died_on_before_answering_works_on_another_host(site, pg_url):
    """The link was spent, then the host was killed before the consent was written: the
    reader's retry on another host was refused (410, "used already"), so they could not
    subscribe with it. Both commit together now, and the retry subscribes them."""
    from concurrent.futures import ThreadPoolExecutor

    from test_serve_hosts import host

    assert invoke(site, "store", "copy", "--to", pg_url).exit_code == 0
    use_postgresql(site, pg_url)
    configure_signup(site)
    app = NewsletterApp(load_settings(site, {"NEWSLETTER_SECRET": SECRET}))
    try:
        app.start()
        with serving(app) as b, ThreadPoolExecutor(1) as background:
            assert sign_up(b, NEW).status_code == 200
            path = confirm_path(wait_for_email(site, NEW))
            with host(site) as (a, process), psycopg.connect(pg_url) as holder:
                holder.execute("LOCK TABLE subscribers IN SHARE MODE")  # the consent waits
                pressed = background.submit(requests.post, a + path, data={"confirm": "yes"},
                                            timeout=30)
                deadline = time.monotonic() + 20
                while time.monotonic() < deadline and not holder.execute(
                        "SELECT count(*) FROM pg_locks WHERE NOT granted "
                        "AND relation = 'subscribers'::regclass").fetchone()[0]:
                    time.sleep(0.02)
                process.kill()  # host A dies before it answers
                process.wait(20)
                holder.rollback()
            assert pressed.exception() is not None
            again = requests.post(b + path, data={"confirm": "yes"}, timeout=30)
            assert again.status_code == 200 and "You are subscribed" in again.text
    finally:
        app.close()
    assert reader(pg_url, NEW)[0] == "active"
