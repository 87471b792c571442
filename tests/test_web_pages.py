"""What a reader reads on the endpoint's pages, over real HTTP: headings in plain words and a way
back to the blog, whichever link or form brought them there."""

from __future__ import annotations

import logging
import re

import pytest
import requests
from signup_support import (
    configure_signup,
    confirm_path,
    csv_row,
    settle,
    sign_up,
    signup_endpoint,
    wait_for_email,
)
from web_server import SECRET, subscriber_csv

from newsletter.message.tokens import UnsubscribeTokens

READER = "ann@example.com"
BLOG = '<a href="https://blog.example.com">'


@pytest.fixture
def endpoint(site):
    subscriber_csv(site, READER)
    configure_signup(site, min_fill_seconds=0.25)
    with signup_endpoint(site) as (base, _):
        yield base


def heading(page: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", page).group(1)


@pytest.mark.parametrize("path", [
    "/nothing",  # a link cut short or mistyped
    "/unsubscribe/cut-sho",  # an unsubscribe link a mail client broke
    "/confirm/cut-sho.rt",  # a confirmation link a mail client broke
])
def test_an_error_page_links_back_to_the_blog(endpoint, path):
    """The unsubscribe and confirmation links' error pages named no way out: a reader who met
    one had to find the blog's address alone (the form's pages had the link, these had not)."""
    answer = requests.get(endpoint + path)

    assert answer.status_code in (403, 404)
    assert BLOG in answer.text and "Example Notes</a>" in answer.text


def test_the_not_found_page_does_not_say_its_heading_twice(endpoint):
    answer = requests.get(endpoint + "/nothing")

    assert answer.status_code == 404
    assert heading(answer.text) == "There is nothing here"
    assert "<p>There is nothing here.</p>" not in answer.text


@pytest.mark.parametrize("method, path, data, status", [
    ("POST", "/subscribe", {"email": "not an address", "elapsed": "5000"}, 400),
    ("POST", "/subscribe", {"email": "", "elapsed": "5000"}, 400),
    ("GET", "/subscribe", None, 405),  # the form's address opened in a browser
    ("POST", "/subscribe", {"email": "a" * 9000 + "@example.com"}, 413),
    ("POST", f"/unsubscribe/{UnsubscribeTokens(SECRET).make(READER)}", {"x": "y"}, 400),
])
def test_a_reader_reads_a_heading_in_plain_words_not_http_jargon(endpoint, method, path, data,
                                                                  status):
    """"Bad Request", "Method Not Allowed" and "Request Entity Too Large" were the headings a
    reader met when the form's address was mistyped or its page opened in a browser."""
    answer = requests.request(method, endpoint + path, data=data)

    assert answer.status_code == status
    assert heading(answer.text) not in ("Bad Request", "Method Not Allowed",
                                        "Request Entity Too Large", "Content Too Large")
    assert BLOG in answer.text


def test_the_confirmation_pages_lead_back_to_the_post_the_form_was_on(site):
    """"You are subscribed" was a dead end: a reader who confirmed had no way back to the
    blog but their browser's history."""
    configure_signup(site, min_fill_seconds=0.25)
    post = "https://blog.example.com/2026/a-post/"
    with signup_endpoint(site) as (base, app):
        assert sign_up(base, "nora@example.com", page=post).status_code == 200
        link = base + confirm_path(wait_for_email(site, "nora@example.com"))

        shown, pressed = requests.get(link), requests.post(link, data={"confirm": "yes"})
        again = requests.get(link)

    for answer in (shown, pressed, again):
        assert answer.status_code == 200
        assert f'<a href="{post}">Back to Example Notes</a>' in answer.text
    assert heading(pressed.text) == heading(again.text) == "You are subscribed"


def test_a_form_sent_from_a_site_not_allowed_is_not_called_a_broken_link(endpoint):
    """A reader on the writer's other address (www. or an old domain) pressed Subscribe and
    read "This link does not work": there was no link, only the form they had just filled in."""
    answer = requests.post(endpoint + "/subscribe", data={"email": "nora@example.com"},
                           headers={"Origin": "https://www.blog.example.com"})

    assert answer.status_code == 403
    assert heading(answer.text) == "This form cannot be sent from here"
    assert BLOG in answer.text


@pytest.mark.parametrize("as_json", [False, True], ids=["form", "json"])
def test_a_reader_who_ticks_every_one_of_many_tags_is_signed_up_with_them_all(site, as_json):
    """The form took 20 fields at most: with the address, name and the two traps, a reader who
    ticked more than 15 of a writer's tags was told "The form data is malformed" (and the JSON
    form kept the first 50 ticked)."""
    tags = [f"Topic {number}" for number in range(1, 61)]
    configure_signup(site, min_fill_seconds=0.25, tags=tags)
    fields = {"email": "nora@example.com", "name": "Nora", "website": "", "page": "",
              "elapsed": 5000, "tags": tags}
    with signup_endpoint(site) as (base, app):
        answer = requests.post(f"{base}/subscribe", **{"json" if as_json else "data": fields})
        settle(app)

    assert answer.status_code == 200, answer.text
    assert csv_row(site, "nora@example.com")["tags"] == ",".join(tags)


def test_a_blog_that_hides_its_origin_is_told_why_its_form_is_refused(site, caplog):
    """A blog whose pages send Referrer-Policy no-referrer or same-origin (a common privacy
    header) makes Chromium post its plain form with `Origin: null`: every sign-up was refused
    and the log said only "refused a sign-up from origin 'null' (signup.allowed_origins)", which
    sent the writer to a setting that cannot help. It now says, once, what does."""
    caplog.set_level(logging.INFO)
    configure_signup(site, min_fill_seconds=0.25)
    with signup_endpoint(site) as (base, _):
        answers = [requests.post(f"{base}/subscribe", headers={"Origin": "null"},
                                 data={"email": f"r{n}@example.com", "elapsed": "5000"})
                   for n in range(2)]

    assert [answer.status_code for answer in answers] == [403, 403]
    told = [r.getMessage() for r in caplog.records
            if "null" in r.getMessage() and r.levelno == logging.WARNING]
    assert len(told) == 1 and len([r for r in caplog.records if "null" in r.getMessage()]) == 1
    assert "Referrer-Policy" in told[0] and "--json-example" in told[0]
    assert "signup.allowed_origins" not in told[0]
