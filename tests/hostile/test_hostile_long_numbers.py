"""Whole numbers too long to read: Python turns at most 4,300 digits into an int (against
quadratic-time reading), and past that tomllib, json and PyYAML raise a bare ValueError, none of
their syntax errors. A 5,000-digit number in newsletter.toml crashed every command (and `init`)
with a traceback; in a post's TOML or JSON front matter it crashed `posts`, `check` and `send`;
in YAML front matter it was "an impossible date" naming no line; in a webhook's body it was a
500 with a traceback in the log, for Mailgun's before any signature was checked (the signature
is inside the JSON). Each is now one line at the number's line, or a 4xx that changes nothing.
"""

from __future__ import annotations

import json

import pytest
import requests
from conftest import invoke
from test_webhooks import ANN, BOB
from web_server import serving, statuses, subscriber_csv
from webhook_support import ENVIRON, postmark_request

from newsletter.config import load_settings
from newsletter.web import NewsletterApp

DIGITS = 5000
LONG = "9" * DIGITS
REFUSAL = f"a number of {DIGITS:,} digits (at most 4,300 are read)"


def test_a_settings_number_too_long_to_read_is_one_line_at_its_line(site):
    path = site / "newsletter.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("[provider]", f"[provider]\nbatch_size = {LONG}", 1),
                    encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index(f"batch_size = {LONG}") + 1

    result = invoke(site, "check")

    assert result.exit_code == 2
    assert result.output == (f"error: newsletter.toml:{line}: {REFUSAL}; put it in quotes if it "
                             "is text, else shorten it\n")
    assert invoke(site, "init").exit_code == 0  # it keeps the file, and says what it kept


@pytest.mark.parametrize("front_matter, line", [
    (f"---\ntitle: Long\ndate: 2026-11-20\nweight: {LONG}\n---\n", 4),
    (f"+++\ntitle = 'Long'\ndate = 2026-11-20\nweight = {LONG}\n+++\n", 4),
    (f'---json\n{{"title": "Long",\n "date": "2026-11-20",\n "weight": {LONG}}}\n---\n', 4),
    (f'{{"title": "Long",\n "date": "2026-11-20",\n "weight": {LONG}}}\n', 3),
], ids=["yaml", "toml", "json-fenced", "json-object"])
def test_a_front_matter_number_too_long_to_read_names_the_post_and_line(site, front_matter, line):
    (site / "content" / "posts" / "long.md").write_text(front_matter + "\nBody.\n",
                                                        encoding="utf-8")

    result = invoke(site, "posts")

    assert result.exit_code == 2
    assert result.stderr == (f"error: content/posts/long.md:{line}: {REFUSAL}; put it in quotes if "
                             "it is text, else shorten it\n")
    assert "/posts/what-matters" in result.stdout  # the other posts are still listed


def test_a_webhook_body_with_a_number_too_long_to_read_is_refused_and_changes_nothing(site):
    subscriber_csv(site, ANN, BOB)
    before = (site / "subscribers" / "subscribers.csv").read_bytes()
    mailgun_body = ('{"signature": {"timestamp": "1", "token": "t", "signature": "s"}, '
                    f'"event-data": {{"event": "complained", "recipient": "{ANN}", '
                    f'"timestamp": {LONG}}}}}').encode()
    postmark = postmark_request({"RecordType": "SpamComplaint", "Email": BOB})
    postmark_body = json.dumps({"RecordType": "SpamComplaint", "Email": BOB}).encode()
    postmark_body = postmark_body[:-1] + f', "ID": {LONG}}}'.encode()

    with serving(NewsletterApp(load_settings(site, ENVIRON))) as base:
        unsigned = requests.post(f"{base}/webhooks/mailgun", data=mailgun_body,
                                 headers={"Content-Type": "application/json"})
        signed = requests.post(f"{base}/webhooks/postmark", data=postmark_body,
                               headers={**postmark[0], "Content-Type": "application/json"})

    assert (unsigned.status_code, signed.status_code) == (401, 400)
    assert signed.text.strip() == "the body is not JSON"
    assert (site / "subscribers" / "subscribers.csv").read_bytes() == before
    assert statuses(site) == {ANN: "active", BOB: "active"}
