"""A confirmation link confirms the sign-up it was sent for, once; no old link undoes a later
unsubscribe (issue 23, item 2).

Before, a token was only "this address, signed, not expired": confirm, unsubscribe, press the
same Confirm link again within 48 hours, and the reader was active again with a fresh consent
record and a second welcome email.
"""

from __future__ import annotations

import requests
from signup_support import (
    configure_signup,
    confirm_path,
    emails_to,
    settle,
    sign_up,
    signup_endpoint,
    wait_for_email,
)
from web_server import statuses

READER = "changed.mind@example.com"
CONFIRM = {"confirm": "yes"}


def unsubscribe(base: str, welcome) -> requests.Response:
    """The one-click unsubscribe of the welcome email's List-Unsubscribe header."""
    url = welcome["List-Unsubscribe"].split(",")[0].strip(" <>")
    url = url.replace("https://blog.example.com", base)
    return requests.post(url, data={"List-Unsubscribe": "One-Click"}, timeout=30)


def test_pressing_confirm_again_after_unsubscribing_changes_nothing(site):
    configure_signup(site)
    with signup_endpoint(site) as (base, app):
        sign_up(base, READER)
        settle(app)
        link = base + confirm_path(emails_to(site, READER)[0])
        assert requests.post(link, data=CONFIRM).status_code == 200
        assert unsubscribe(base, wait_for_email(site, READER, "welcome")).status_code == 200

        shown = requests.get(link)
        again = requests.post(link, data=CONFIRM)
    # The server is closed: a second welcome, had one been sent, is in the outbox by now.
    assert statuses(site)[READER] == "unsubscribed"
    assert len(emails_to(site, READER, "welcome")) == 1
    for answer in (shown, again):
        assert answer.status_code == 410
        assert "used already" in answer.text and "sign up again" in answer.text
        assert "Confirm</button>" not in answer.text


def test_confirming_spends_every_earlier_link_of_the_address(site):
    configure_signup(site)
    with signup_endpoint(site) as (base, app):
        for _ in range(2):  # two sign-ups, two emails, two links
            sign_up(base, READER)
            settle(app)
        first, second = (base + confirm_path(message) for message in emails_to(site, READER))
        assert first != second
        assert requests.post(second, data=CONFIRM).status_code == 200
        assert unsubscribe(base, wait_for_email(site, READER, "welcome")).status_code == 200

        again = requests.post(first, data=CONFIRM)
    assert again.status_code == 410
    assert statuses(site)[READER] == "unsubscribed"
    assert len(emails_to(site, READER, "welcome")) == 1


def test_a_new_sign_up_after_unsubscribing_gets_a_link_that_works(site):
    configure_signup(site)
    with signup_endpoint(site) as (base, app):
        sign_up(base, READER)
        settle(app)
        requests.post(base + confirm_path(emails_to(site, READER)[0]), data=CONFIRM)
        unsubscribe(base, wait_for_email(site, READER, "welcome"))

        sign_up(base, READER)  # they changed their mind again, on purpose
        settle(app)
        fresh = base + confirm_path(emails_to(site, READER)[-1])
        back = requests.post(fresh, data=CONFIRM)
    assert back.status_code == 200 and "You are subscribed" in back.text
    assert statuses(site)[READER] == "active"


def test_a_journal_from_before_spent_links_is_taken_as_it_is(site):
    import sqlite3

    (site / ".newsletter").mkdir(exist_ok=True)
    with sqlite3.connect(site / ".newsletter" / "signups.db") as db:  # the earlier schema
        db.execute("CREATE TABLE signups (id INTEGER PRIMARY KEY, address TEXT NOT NULL, key TEXT"
                   " NOT NULL, name TEXT NOT NULL, tags TEXT NOT NULL, page TEXT NOT NULL, client"
                   " TEXT NOT NULL, received_at REAL NOT NULL, state TEXT NOT NULL, mailed_at "
                   "REAL)")
    configure_signup(site)
    with signup_endpoint(site) as (base, app):
        sign_up(base, READER)
        settle(app)
        pressed = requests.post(base + confirm_path(emails_to(site, READER)[0]), data=CONFIRM)
    assert pressed.status_code == 200
    assert statuses(site)[READER] == "active"
