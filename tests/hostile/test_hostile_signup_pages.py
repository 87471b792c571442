"""The page a sign-up says it came from never turns the "Back to" link into a stranger's.

A sign-up's ``page`` (or its Referer) is kept only on the blog's origins, and becomes the link
back to the blog on the form's answer and on the confirmation page the address's owner opens.
Python read ``https://evil.example\\@blog.example.com/`` as a URL of blog.example.com (the
text before the ``@`` as a user name), while every browser ends the host at the backslash and
goes to evil.example: anyone could sign up someone else with it, and the owner's confirmation
page linked to the stranger's site. Now a page a browser might read otherwise is not kept;
and one no URL parser takes (``http://[x``) no longer fails the sign-up with a 500 and a
traceback. A page an older version journalled is checked again before it is linked or recorded.
"""

from __future__ import annotations

import sqlite3

import pytest
import requests
from signup_support import (
    PATIENT,
    configure_signup,
    confirm_path,
    csv_row,
    journal_rows,
    settle,
    sign_up,
    signup_endpoint,
    wait_for_email,
)

READER = "owner@example.com"
POST = "https://blog.example.com/posts/hello/"


@pytest.fixture
def endpoint(site):
    configure_signup(site)
    with signup_endpoint(site) as (base, app):
        yield base, site, app


@pytest.mark.parametrize("page", [
    "https://evil.example\\@blog.example.com/posts/hello/",
    "https://evil.example\\x@blog.example.com/",
    "https://someone@blog.example.com/posts/hello/",
])
@pytest.mark.parametrize("via", ["field", "referer"])
def test_a_page_a_browser_reads_as_another_site_is_not_linked(endpoint, page, via):
    base, site, app = endpoint
    fields, headers = ({"page": page}, {}) if via == "field" else ({}, {"Referer": page})
    answer = requests.post(f"{base}/subscribe", data={"email": READER, "elapsed": PATIENT,
                                                      **fields}, headers=headers, timeout=30)
    settle(app)

    assert answer.status_code == 200
    assert "evil.example" not in answer.text and "someone@" not in answer.text
    assert [row for row in journal_rows(site) if page in row] == []
    link = confirm_path(wait_for_email(site, READER))
    confirming = requests.get(base + link, timeout=30)
    assert "evil.example" not in confirming.text
    assert 'href="https://blog.example.com"' in confirming.text  # back to the blog itself
    requests.post(base + link, data={"confirm": "yes"}, timeout=30)
    assert csv_row(site, READER)["consent_page"] == ""


@pytest.mark.parametrize("page", ["http://[blog.example.com/", "https://[::1/x",
                                  "https://blog.example.com:99999/posts/hello/"])
@pytest.mark.parametrize("via", ["field", "referer"])
def test_a_page_no_parser_takes_is_dropped_and_the_sign_up_taken(endpoint, page, via):
    base, site, app = endpoint
    fields, headers = ({"page": page}, {}) if via == "field" else ({}, {"Referer": page})
    answer = requests.post(f"{base}/subscribe", data={"email": READER, "elapsed": PATIENT,
                                                      **fields}, headers=headers, timeout=30)
    settle(app)

    assert answer.status_code == 200
    assert 'href="https://blog.example.com"' in answer.text
    assert wait_for_email(site, READER)
    assert [row for row in journal_rows(site) if page in row] == []


def test_the_blogs_own_page_is_still_the_way_back(endpoint):
    base, site, app = endpoint
    answer = sign_up(base, READER, page=POST)
    settle(app)

    assert f'href="{POST}"' in answer.text
    link = confirm_path(wait_for_email(site, READER))
    assert f'href="{POST}"' in requests.get(base + link, timeout=30).text
    requests.post(base + link, data={"confirm": "yes"}, timeout=30)
    assert csv_row(site, READER)["consent_page"] == POST


def test_a_page_an_older_version_journalled_is_neither_linked_nor_recorded(endpoint):
    base, site, app = endpoint
    assert sign_up(base, READER, page=POST).status_code == 200
    settle(app)
    link = confirm_path(wait_for_email(site, READER))
    planted = "https://evil.example\\@blog.example.com/posts/hello/"
    with sqlite3.connect(site / ".newsletter" / "signups.db") as db:
        db.execute("UPDATE signups SET page = ?", (planted,))  # as the old check let it in

    confirming = requests.get(base + link, timeout=30)
    assert "evil.example" not in confirming.text
    assert 'href="https://blog.example.com"' in confirming.text
    pressed = requests.post(base + link, data={"confirm": "yes"}, timeout=30)
    assert pressed.status_code == 200 and "evil.example" not in pressed.text
    assert csv_row(site, READER)["consent_page"] == ""
