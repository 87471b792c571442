"""Sign-ups through `newsletter serve` over real HTTP: the form, the confirmation email, the
Confirm button, the consent record, and what a following send does."""

from __future__ import annotations

import logging
import re
import time

import pytest
import requests
from conftest import invoke
from signup_support import (
    PATIENT,
    configure_signup,
    confirm_path,
    csv_row,
    emails_to,
    journal_rows,
    outbox_emails,
    settle,
    sign_up,
    signup_endpoint,
    signup_id,
    wait_for_email,
)
from web_server import SECRET, statuses, subscriber_csv

from newsletter.config import load_settings
from newsletter.locks import exclusive_lock
from newsletter.web import NewsletterApp

NEW = "new.reader@example.com"
BLOG = "https://blog.example.com"


@pytest.fixture
def endpoint(site):
    """(base URL, site, app) with the example site's readers and sign-ups on."""
    configure_signup(site, tags=["weekly", "Book notes"])
    with signup_endpoint(site) as (base, app):
        yield base, site, app


def test_a_new_address_gets_an_unconfirmed_row_and_one_confirmation_email(endpoint):
    base, site, app = endpoint

    answer = sign_up(base, NEW, name="Nora Reader", tags="weekly", page=f"{BLOG}/posts/x/")
    settle(app)

    assert answer.status_code == 200
    assert "Check your inbox" in answer.text
    assert f'href="{BLOG}/posts/x/"' in answer.text  # back to the page the form was on
    row = csv_row(site, NEW)
    # The name waits in the journal until the address's owner confirms (issue 23, item 4).
    assert (row["name"], row["status"], row["tags"]) == ("", "unconfirmed", "weekly")
    assert row["subscribed_at"].startswith("20")
    [message] = emails_to(site, NEW)
    assert message["Subject"] == "Confirm your subscription to Example Notes"
    assert message["To"] == NEW
    assert message["From"] == "Jane Writer <jane@example.com>"
    assert message["List-Unsubscribe"] is None  # not on the list yet
    html = message.get_body(preferencelist=("html",)).get_content()
    path = confirm_path(message)
    assert f'href="{BLOG}{path}"' in html
    assert 'style="' in html and "background-color:#1d5fa8" in html  # email.css, inlined
    assert "48 hours" in message.get_body(preferencelist=("plain",)).get_content()
    assert statuses(site)[NEW] == "unconfirmed"


def test_an_unconfirmed_reader_is_never_sent_posts(endpoint):
    base, site, app = endpoint
    sign_up(base, NEW)
    settle(app)

    result = invoke(site, "send", "what-matters", "--yes")

    assert result.exit_code == 0, result.output
    sent = {path.stem for path in (site / "outbox" / "what-matters").glob("*.eml")}
    assert NEW not in sent and "ada@example.com" in sent


def test_confirming_makes_the_reader_active_with_a_consent_record_and_a_send_reaches_them(
        endpoint):
    base, site, app = endpoint
    page = f"{BLOG}/posts/what-matters/"
    sign_up(base, NEW, name="Nora", page=page)
    settle(app)
    link = base + confirm_path(emails_to(site, NEW)[0])

    shown = requests.get(link)
    assert shown.status_code == 200
    assert "Confirm your subscription" in shown.text and NEW in shown.text
    assert re.search(r'<form method="post">.*name="confirm" value="yes"', shown.text)
    assert statuses(site)[NEW] == "unconfirmed"  # showing the button changes nothing

    pressed = requests.post(link, data={"confirm": "yes"})

    assert pressed.status_code == 200
    assert "You are subscribed" in pressed.text
    row = csv_row(site, NEW)
    assert (row["status"], row["name"]) == ("active", "Nora")
    assert row["consent_at"].startswith("20") and row["consent_at"].endswith("+00:00")
    assert row["consent_page"] == page
    assert re.fullmatch(r"[0-9a-f]{32}", row["consent_ip_hash"])
    csv_text = (site / "subscribers" / "subscribers.csv").read_text()
    assert "127.0.0.1" not in csv_text  # a hash, never the address
    assert "127.0.0.1" not in repr(journal_rows(site))
    welcome = wait_for_email(site, NEW, "welcome")
    assert welcome["Subject"] == "Welcome to Example Notes"
    assert welcome["List-Unsubscribe"].startswith("<https://blog.example.com/unsubscribe/")

    result = invoke(site, "send", "what-matters", "--yes")

    assert result.exit_code == 0, result.output
    assert (site / "outbox" / "what-matters" / f"{NEW}.eml").exists()


def test_confirming_twice_is_harmless(endpoint):
    base, site, app = endpoint
    sign_up(base, NEW)
    settle(app)
    link = base + confirm_path(emails_to(site, NEW)[0])
    requests.post(link, data={"confirm": "yes"})
    first = csv_row(site, NEW)
    wait_for_email(site, NEW, "welcome")

    again = requests.post(link, data={"confirm": "yes"})
    time.sleep(0.5)  # the time a second welcome would take to be written

    assert again.status_code == 200 and "You are subscribed" in again.text
    assert csv_row(site, NEW) == first  # the first consent record stays
    assert len(emails_to(site, NEW, "welcome")) == 1
    assert "You are subscribed" in requests.get(link).text


@pytest.mark.parametrize("as_json", [False, True], ids=["form", "json"])
def test_the_answer_is_the_same_for_new_unconfirmed_active_and_unsubscribed_addresses(
        endpoint, as_json):
    base, site, app = endpoint
    sign_up(base, "pending@example.net")
    settle(app)
    addresses = {"new": NEW, "unconfirmed": "pending@example.net",
                 "active": "ada@example.com", "unsubscribed": "alan@example.com"}
    bodies = {}
    for standing, address in addresses.items():
        fields = {"email": address, "elapsed": PATIENT, "page": f"{BLOG}/"}
        answer = (requests.post(f"{base}/subscribe", json=fields) if as_json
                  else requests.post(f"{base}/subscribe", data=fields))
        assert answer.status_code == 200
        headers = {name: value for name, value in answer.headers.items() if name != "Date"}
        bodies[standing] = (answer.content, headers)
    settle(app)

    assert len({repr(body) for body in bodies.values()}) == 1, bodies
    # Behind the same answer: a confirmation for everyone who may (re)join, none for readers.
    assert len(emails_to(site, NEW)) == 1
    assert len(emails_to(site, "pending@example.net")) == 2
    assert emails_to(site, "ada@example.com") == []
    assert len(emails_to(site, "alan@example.com")) == 1
    assert statuses(site)["alan@example.com"] == "unsubscribed"  # until they confirm


@pytest.mark.parametrize("status", ["unsubscribed", "bounced"])
def test_a_reader_who_left_comes_back_only_by_confirming(endpoint, status):
    base, site, app = endpoint
    from newsletter.subscribers import SubscriberStore

    store = SubscriberStore(directory=site / "subscribers", state_dir=site / ".newsletter")
    store.set_status("alan@example.com", "active")  # a reader who left keeps their status
    store.set_status("alan@example.com", status)
    sign_up(base, "alan@example.com", tags="Book notes")
    settle(app)
    assert statuses(site)["alan@example.com"] == status

    requests.post(base + confirm_path(emails_to(site, "alan@example.com")[0]),
                  data={"confirm": "yes"})

    row = csv_row(site, "alan@example.com")
    assert row["status"] == "active"
    assert row["tags"] == "founding,Book notes"  # the row they had, with what they asked for
    assert row["consent_at"]


def test_a_complained_reader_cannot_come_back_through_the_form(endpoint):
    base, site, app = endpoint
    from web_server import subscriber_csv as write_list

    write_list(site, "cara@example.org", status="complained")
    answer = sign_up(base, "cara@example.org")
    settle(app)

    assert answer.status_code == 200 and "Check your inbox" in answer.text
    assert emails_to(site, "cara@example.org") == []
    # Even a valid link (she complained after getting it) does not bring her back.
    from newsletter.web.confirm_tokens import make_confirm_token

    token = make_confirm_token(SECRET, signup_id(site, "cara@example.org"), "cara@example.org")
    pressed = requests.post(f"{base}/confirm/{token}", data={"confirm": "yes"})
    assert pressed.status_code == 200 and "cannot subscribe you" in pressed.text
    assert statuses(site)["cara@example.org"] == "complained"


def test_a_bounce_of_the_confirmation_email_marks_the_address_bounced(endpoint):
    base, site, app = endpoint
    from newsletter.subscribers import SubscriberStore, Suppression, apply_suppressions

    sign_up(base, NEW)
    settle(app)
    store = SubscriberStore(directory=site / "subscribers", state_dir=site / ".newsletter")

    changed = apply_suppressions(store, [Suppression(NEW, "bounced", "hard bounce")])

    assert [change.address for change in changed] == [NEW]
    assert statuses(site)[NEW] == "bounced"


def test_only_the_tags_the_writer_allows_are_kept(endpoint):
    base, site, app = endpoint

    requests.post(f"{base}/subscribe", data=[("email", NEW), ("elapsed", PATIENT),
                                             ("tags", "WEEKLY"), ("tags", "book notes"),
                                             ("tags", "admin"), ("tags", "weekly")])
    settle(app)

    assert csv_row(site, NEW)["tags"] == "weekly,Book notes"


def test_a_json_sign_up_from_an_allowed_origin_gets_cors_headers(endpoint):
    base, site, app = endpoint

    preflight = requests.options(f"{base}/subscribe", headers={
        "Origin": BLOG, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    answer = requests.post(f"{base}/subscribe", json={"email": NEW, "elapsed": 5000},
                           headers={"Origin": BLOG})
    settle(app)

    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == BLOG
    assert preflight.headers["Access-Control-Allow-Methods"] == "POST"
    assert "content-type" in preflight.headers["Access-Control-Allow-Headers"].lower()
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] == BLOG
    assert answer.json() == {"ok": True, "message": (
        "Check your inbox. If this address is not subscribed yet, we have sent it an email: "
        "open it and press Confirm to finish. The link works for 48 hours.")}
    assert len(emails_to(site, NEW)) == 1


@pytest.mark.parametrize("origin", ["https://evil.example", "null",
                                    "https://blog.example.com.evil.example"])
def test_a_sign_up_from_a_refused_origin_changes_nothing(endpoint, origin):
    base, site, app = endpoint

    preflight = requests.options(f"{base}/subscribe", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST"})
    as_json = requests.post(f"{base}/subscribe", json={"email": NEW, "elapsed": 5000},
                            headers={"Origin": origin})
    as_form = requests.post(f"{base}/subscribe", data={"email": NEW, "elapsed": PATIENT},
                            headers={"Origin": origin})
    settle(app)

    assert preflight.status_code == 403
    assert "Access-Control-Allow-Origin" not in preflight.headers
    for answer in (as_json, as_form):
        assert answer.status_code == 403
        assert "Access-Control-Allow-Origin" not in answer.headers
    assert as_json.json()["ok"] is False
    assert journal_rows(site) == [] and outbox_emails(site) == []
    assert NEW not in statuses(site)


def test_a_client_over_its_hourly_limit_is_told_to_wait(site):
    configure_signup(site, max_per_ip=3)
    with signup_endpoint(site) as (base, app):
        answers = [sign_up(base, f"reader{i}@example.net") for i in range(4)]
        # Behind the writer's proxy, another client is counted on its own.
        other = requests.post(f"{base}/subscribe",
                              data={"email": "other@example.net", "elapsed": PATIENT},
                              headers={"X-Forwarded-For": "203.0.113.9"})
        settle(app)

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert answers[3].headers["Retry-After"] == "3600"
    assert "Too many sign-ups" in answers[3].text
    assert other.status_code == 200
    assert len(outbox_emails(site)) == 4
    assert "reader3@example.net" not in statuses(site)


def test_a_proxy_that_writes_the_client_port_still_tells_clients_apart(site):
    # Some proxies forward "address:port": read as the proxy itself, every reader behind it
    # would share one hourly limit
    configure_signup(site, max_per_ip=2)

    def from_client(hop: str, address: str) -> int:
        return requests.post(f"{base}/subscribe", data={"email": address, "elapsed": PATIENT},
                             headers={"X-Forwarded-For": hop}).status_code

    with signup_endpoint(site) as (base, app):
        answers = [from_client(hop, f"reader{n}{i}@example.net") for n, hop in
                   enumerate(["198.51.100.7:50123", "[2001:db8::7]:443"]) for i in range(2)]
        again = from_client("198.51.100.7:50999", "reader9@example.net")
        settle(app)

    assert answers == [200, 200, 200, 200]
    assert again == 429
    assert len(outbox_emails(site)) == 4


def test_a_proxy_left_out_of_trusted_proxies_is_named_once_in_the_log(site, caplog):
    """In a container the proxy on the host connects from the bridge (172.17.0.1), not
    127.0.0.1: every reader then counted as one client and the 21st sign-up of the hour was
    turned away (429) with nothing saying why. The log now names the proxy and the setting."""
    caplog.set_level(logging.WARNING)
    configure_signup(site, trusted_proxies=["10.0.0.0/8"])  # not this test's 127.0.0.1
    with signup_endpoint(site) as (base, app):
        for n in range(2):
            requests.post(f"{base}/subscribe", data={"email": f"r{n}@example.net",
                                                     "elapsed": PATIENT},
                          headers={"X-Forwarded-For": f"198.51.100.{n}"})
        requests.post(f"{base}/subscribe", data={"email": "r9@example.net", "elapsed": PATIENT})
        settle(app)

    named = [r.getMessage() for r in caplog.records if "trusted_proxies" in r.getMessage()]
    assert named == ["sign-ups come through 127.0.0.1 with X-Forwarded-For, but it is not in "
                     "signup.trusted_proxies: every reader behind it counts as one client "
                     "(max_per_ip); if it is your proxy, add it there"]


def test_the_daily_cap_stops_confirmation_emails_and_says_so(site, caplog):
    configure_signup(site, max_per_day=2)
    caplog.set_level(logging.WARNING)
    with signup_endpoint(site) as (base, app):
        # The worker waits (another server process's worker has the journal) while four
        # sign-ups come in: none is mailed yet, so the form takes them all.
        with exclusive_lock(site / ".newsletter" / "signups.lock", 5, RuntimeError):
            firsts = [sign_up(base, f"reader{i}@example.net") for i in range(4)]
        settle(app)
        later = sign_up(base, "late@example.net")
        settle(app)

    assert [answer.status_code for answer in firsts] == [200] * 4
    assert len(outbox_emails(site)) == 2  # the cap holds even for sign-ups already taken
    assert statuses(site)["reader3@example.net"] == "unconfirmed"  # kept, not mailed
    assert later.status_code == 503 and "tomorrow" in later.text
    assert any("daily cap reached" in record.getMessage() for record in caplog.records)
    assert "late@example.net" not in statuses(site)


def test_sign_ups_journalled_before_a_restart_are_finished(site):
    from newsletter.subscribers import Signup
    from newsletter.web.signup_journal import Limits, SignupJournal

    limits = Limits(3, 20, 1000)
    journal = SignupJournal(site / ".newsletter" / "signups.db")
    journal.admit(Signup(NEW, "Nora"), f"{BLOG}/", "client", limits)
    journal.admit(Signup("half@example.net"), f"{BLOG}/", "client", limits)
    # The server died while mailing one sign-up, before its worker got to the other.
    [half] = [entry for entry in journal.pending(10) if entry.signup.address == "half@example.net"]
    journal.claim([half], [True], limits, now=time.time())
    journal.close()

    app = NewsletterApp(load_settings(site, {"NEWSLETTER_SECRET": SECRET}))
    try:
        app.start()
        settle(app)
    finally:
        app.close()

    assert statuses(site)[NEW] == "unconfirmed"
    assert len(emails_to(site, NEW)) == 1
    assert len(emails_to(site, "half@example.net")) == 1  # its email goes out after all
    assert journal_rows(site)[-1][8] == "done"


def test_sign_ups_are_off_without_the_confirmation_templates(site, caplog):
    (site / "templates" / "confirm.txt").unlink()
    subscriber_csv(site, "ann@example.com")
    caplog.set_level(logging.WARNING)
    with signup_endpoint(site) as (base, app):
        answer = sign_up(base, NEW)

    assert app.signups is None
    assert answer.status_code == 404
    assert any("sign-ups are off" in record.getMessage()
               and "run `newsletter init`" in record.getMessage() for record in caplog.records)


def test_sign_ups_can_be_turned_off(site):
    configure_signup(site, enabled=False)
    with signup_endpoint(site) as (base, app):
        assert sign_up(base, NEW).status_code == 404
    assert journal_rows(site) == []


def test_the_paths_come_from_the_settings(site):
    configure_signup(site, path="/newsletter/join",
                     confirm_url="https://blog.example.com/newsletter/yes/{token}")
    with signup_endpoint(site) as (base, app):
        assert sign_up(base, NEW).status_code == 404
        answer = requests.post(f"{base}/newsletter/join", data={"email": NEW, "elapsed": PATIENT})
        settle(app)
        message = emails_to(site, NEW)[0]
        text = message.get_body(preferencelist=("plain",)).get_content()
        path = re.search(r"https://blog\.example\.com(/newsletter/yes/\S+)", text).group(1)
        confirmed = requests.post(base + path, data={"confirm": "yes"})

    assert answer.status_code == 200
    assert confirmed.status_code == 200
    assert statuses(site)[NEW] == "active"


def test_newsletter_serve_says_where_sign_ups_arrive(site):
    import subprocess
    import sys

    env = {"NEWSLETTER_SECRET": SECRET, "PATH": "/usr/bin:/bin"}
    server = subprocess.Popen(
        [sys.executable, "-m", "newsletter", "--site", str(site), "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        first, second = server.stdout.readline(), server.stdout.readline()
    finally:
        server.terminate()
        server.wait(10)
    base = re.search(r"http://127\.0\.0\.1:\d+", first).group(0)
    assert second.strip() == f"Sign-ups at {base}/subscribe, confirmed at {base}/confirm/{{token}}"
    # The example site's provider writes files: a reader signing up would wait for nothing.
    assert (" WARNING the provider is the outbox: confirmation emails are written to "
            "outbox/signup-confirm/, not sent; set [provider] in newsletter.toml before readers "
            "sign up\n") in server.stderr.read()


def test_without_the_providers_key_sign_ups_are_off_and_unsubscribes_still_work(site, caplog):
    toml = site / "newsletter.toml"
    toml.write_text(toml.read_text().replace('name = "outbox"', 'name = "postmark"'))
    subscriber_csv(site, "ann@example.com")
    caplog.set_level(logging.WARNING)
    from newsletter.message.tokens import UnsubscribeTokens

    with signup_endpoint(site) as (base, app):
        signed_up = sign_up(base, NEW)
        token = UnsubscribeTokens(SECRET).make("ann@example.com")
        left = requests.post(f"{base}/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})

    assert signed_up.status_code == 404
    assert left.status_code == 200
    assert any("sign-ups are off" in r.getMessage() and "POSTMARK_SERVER_TOKEN" in r.getMessage()
               for r in caplog.records)


def test_sign_ups_wait_in_the_journal_while_the_list_cannot_be_written(site, caplog,
                                                                      monkeypatch):
    from newsletter.web import signup_worker

    monkeypatch.setattr(signup_worker, "ERROR_PAUSE_SECONDS", 0.2)
    caplog.set_level(logging.WARNING)
    listing = site / "subscribers" / "subscribers.csv"
    good = listing.read_bytes()
    listing.write_bytes(good + b"broken\xff@example.com,,active\n")  # saved as Latin-1
    with signup_endpoint(site) as (base, app):
        answer = sign_up(base, NEW)
        deadline = time.monotonic() + 10
        while not any("sign-ups wait" in r.getMessage() for r in caplog.records):
            assert time.monotonic() < deadline, "the worker never said why sign-ups wait"
            time.sleep(0.05)
        assert [row[8] for row in journal_rows(site)] == ["received"]  # kept, not lost

        listing.write_bytes(good)  # the writer fixes the file
        settle(app)

    assert answer.status_code == 200
    assert statuses(site)[NEW] == "unconfirmed"
    assert len(emails_to(site, NEW)) == 1


def test_confirmations_the_provider_took_none_of_are_sent_again_once_it_can(site, caplog,
                                                                          monkeypatch):
    """A provider down (or the outbox unwritable) for longer than the send's own retries: the
    confirmation email was logged as not sent and its sign-up marked done, so the reader,
    told to check their inbox, never got it. It is now sent again later."""
    from newsletter.web import signup_worker

    monkeypatch.setattr(signup_worker, "RETRY_SECONDS", 0.2)
    caplog.set_level(logging.WARNING)
    configure_signup(site)
    # A file where the confirmations' folder goes: no confirmation can be written (a file in
    # place of the outbox itself turns sign-ups off before any is taken).
    (site / "outbox").mkdir()
    outbox = site / "outbox" / "signup-confirm"
    outbox.write_text("")
    with signup_endpoint(site) as (base, app):
        assert sign_up(base, NEW).status_code == 200
        deadline = time.monotonic() + 10
        while not any("will be sent again" in r.getMessage() for r in caplog.records):
            assert time.monotonic() < deadline, "the confirmation was never tried"
            time.sleep(0.05)
        assert [row[8] for row in journal_rows(site)] == ["mailing"]  # kept, not given up

        outbox.unlink()  # the provider is back
        settle(app)

    assert len(emails_to(site, NEW)) == 1
