"""The script a careful writer would write instead of `newsletter send`: the baseline of
bench_sdk.py.

    python bench/careful_script.py PROVIDER API_URL SITE

It renders the post once (newsletter's own renderer, so both sides pay the same for that),
reads the subscriber CSV, signs each reader's unsubscribe link with an HMAC, and sends with the
provider's official SDK, one batch call after another: postmarker's ``emails.send_batch``
(500 whole messages a call) and sendgrid's ``mail.send.post`` with one personalization per
reader and ``substitutions`` (1,000 a call). Mailgun and Resend have no SDK in the bench
extras: their calls are plain ``requests`` posts (recipient-variables; 100 whole emails).
No ledger, no retries, no record of who got what. Prints the messages sent.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import os
import sys
from pathlib import Path

SECRET = os.environ.get("NEWSLETTER_SECRET", "bench").encode()
KEY_NAMES = {"postmark": "POSTMARK_SERVER_TOKEN", "sendgrid": "SENDGRID_API_KEY",
             "mailgun": "MAILGUN_API_KEY", "resend": "RESEND_API_KEY"}
BATCH = {"postmark": 500, "sendgrid": 1000, "mailgun": 1000, "resend": 100}


def rendered(site: Path):
    from newsletter.config import load_settings
    from newsletter.posts import find_post, load_posts
    from newsletter.render import render_post

    settings = load_settings(site, os.environ)
    return settings, render_post(settings, find_post(load_posts(settings)[0], "what-matters"))


def readers(site: Path):
    for path in sorted((site / "subscribers").glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row.get("status", "active") == "active":
                    yield row["email"].strip().lower(), row.get("name", "")


def unsubscribe_url(settings, address: str) -> str:
    token = hmac.new(SECRET, address.encode(), hashlib.sha256).hexdigest()[:32]
    return f"{settings.site.url}/unsubscribe?email={address}&token={token}"


def batches(settings, site: Path, size: int):
    """Lists of (address, name, unsubscribe link), ``size`` readers each."""
    batch = []
    for address, name in readers(site):
        batch.append((address, name, unsubscribe_url(settings, address)))
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def send_postmark(settings, email, site: Path, url: str) -> int:
    from postmarker.core import PostmarkClient

    client = PostmarkClient(server_token=os.environ[KEY_NAMES["postmark"]],
                            root_api_url=url + "/")
    sent = 0
    for batch in batches(settings, site, BATCH["postmark"]):
        sent += len(client.emails.send_batch(*[{
            "From": settings.email.from_, "To": f"{name} <{address}>",
            "Subject": email.subject, "MessageStream": "broadcast",
            "HtmlBody": email.html.replace("%%unsubscribe_url%%", link)
                                  .replace("%%email%%", address),
            "TextBody": email.text.replace("%%unsubscribe_url%%", link)
                                  .replace("%%email%%", address),
            "Headers": {"List-Unsubscribe": f"<{link}>",
                        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}}
            for address, name, link in batch]))
    return sent


def send_sendgrid(settings, email, site: Path, url: str) -> int:
    from sendgrid import SendGridAPIClient

    client = SendGridAPIClient(os.environ[KEY_NAMES["sendgrid"]], host=url)
    html = email.html.replace("%%unsubscribe_url%%", "-unsub-").replace("%%email%%", "-email-")
    text = email.text.replace("%%unsubscribe_url%%", "-unsub-").replace("%%email%%", "-email-")
    sent = 0
    for batch in batches(settings, site, BATCH["sendgrid"]):
        personalizations = [{
            "to": [{"email": address, "name": name}],
            "substitutions": {"-unsub-": link, "-email-": address},
            "headers": {"List-Unsubscribe": f"<{link}>",
                        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}}
            for address, name, link in batch]
        client.client.mail.send.post(request_body={
            "personalizations": personalizations, "from": {"email": settings.email.from_address},
            "subject": email.subject, "content": [{"type": "text/plain", "value": text},
                                                  {"type": "text/html", "value": html}]})
        sent += len(batch)
    return sent


def send_mailgun(settings, email, site: Path, url: str) -> int:
    import requests

    session, sent = requests.Session(), 0
    html = email.html.replace("%%unsubscribe_url%%", "%recipient.unsub%")
    text = email.text.replace("%%unsubscribe_url%%", "%recipient.unsub%")
    for batch in batches(settings, site, BATCH["mailgun"]):
        variables = {address: {"unsub": link} for address, _, link in batch}
        fields = [("from", settings.email.from_), ("subject", email.subject), ("html", html),
                  ("text", text), ("recipient-variables", json.dumps(variables))]
        fields += [("to", f"{name} <{address}>") for address, name, _ in batch]
        answer = session.post(f"{url}/v3/mg.example.com/messages",
                              auth=("api", os.environ[KEY_NAMES["mailgun"]]),
                              files=[(k, (None, v)) for k, v in fields], timeout=60)
        answer.raise_for_status()
        sent += len(batch)
    return sent


def send_resend(settings, email, site: Path, url: str) -> int:
    import requests

    session, sent = requests.Session(), 0
    for batch in batches(settings, site, BATCH["resend"]):
        emails = [{"from": settings.email.from_, "to": [f"{name} <{address}>"],
                   "subject": email.subject,
                   "html": email.html.replace("%%unsubscribe_url%%", link),
                   "text": email.text.replace("%%unsubscribe_url%%", link),
                   "headers": {"List-Unsubscribe": f"<{link}>"}}
                  for address, name, link in batch]
        answer = session.post(f"{url}/emails/batch", json=emails, timeout=60, headers={
            "Authorization": f"Bearer {os.environ[KEY_NAMES['resend']]}"})
        answer.raise_for_status()
        sent += len(batch)
    return sent


def main() -> None:
    provider, url, site = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    settings, email = rendered(site)
    send = {"postmark": send_postmark, "sendgrid": send_sendgrid, "mailgun": send_mailgun,
            "resend": send_resend}[provider]
    print(send(settings, email, site, url))


if __name__ == "__main__":
    main()
