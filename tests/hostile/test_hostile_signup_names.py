"""A sign-up's name never reaches a stranger's inbox (issue 23, item 4).

Anyone may sign up any address. Before, the form's name ("WIN $1000 at http://evil.example")
became the display name of the confirmation email's To:, sent from the writer's domain to
whoever owns the address. Now the confirmation email carries no name at all, the name waits in
the journal until the address's owner confirms, and a name holding an address or a URL is
refused.
"""

from __future__ import annotations

import pytest
import requests
from signup_support import (
    PATIENT,
    configure_signup,
    confirm_path,
    csv_row,
    emails_to,
    journal_rows,
    settle,
    sign_up,
    signup_endpoint,
    wait_for_email,
)

READER = "owner@example.com"


@pytest.fixture
def endpoint(site):
    configure_signup(site)
    with signup_endpoint(site) as (base, app):
        yield base, site, app


@pytest.mark.parametrize("name", [
    "WIN $1000 at http://evil.example",
    "WIN $1000 at evil.example/win",
    "visit www.evil",
    "write to prize@evil.example",
    "hxxp://evil.example",
    "Free money at EVIL.COM",
])
@pytest.mark.parametrize("as_json", [False, True], ids=["form", "json"])
def test_a_name_holding_an_address_or_a_url_is_refused(endpoint, name, as_json):
    base, site, app = endpoint
    fields = {"email": READER, "name": name, "elapsed": PATIENT}
    answer = (requests.post(f"{base}/subscribe", json=fields) if as_json
              else requests.post(f"{base}/subscribe", data=fields))
    settle(app)

    assert answer.status_code == 400
    message = "Please give just your name, without a web or email address."
    assert (answer.json()["message"] == message) if as_json else (message in answer.text)
    assert journal_rows(site) == [] and emails_to(site, READER) == []


def test_the_confirmation_email_carries_no_name_and_the_name_waits_for_the_owner(endpoint):
    base, site, app = endpoint
    assert sign_up(base, READER, name="Nora Q. Reader").status_code == 200
    settle(app)

    [message] = emails_to(site, READER)
    assert message["To"] == READER
    assert "Nora" not in message.as_string()
    assert csv_row(site, READER)["name"] == ""  # the unconfirmed row: no stranger's words

    requests.post(base + confirm_path(message), data={"confirm": "yes"})
    welcome = wait_for_email(site, READER, "welcome")

    assert csv_row(site, READER)["name"] == "Nora Q. Reader"  # the owner confirmed it
    assert welcome["To"] == f"\"Nora Q. Reader\" <{READER}>"
