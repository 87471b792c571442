"""Helpers for sign-up tests: a site set up for sign-ups, the endpoint, the outbox's emails."""

from __future__ import annotations

import email
import email.policy
import json
import re
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import requests
from web_server import SECRET, serving

from newsletter.config import load_settings
from newsletter.web import NewsletterApp

PATIENT = "5000"  # milliseconds on the page before sending: a person, not a bot
CONFIRM_LINK = re.compile(r"https://blog\.example\.com(/confirm/[A-Za-z0-9_.\-]+)")


def configure_signup(site: Path, **settings) -> None:
    """Append a [signup] table with these settings to the site's newsletter.toml."""
    lines = ["", "[signup]"]
    for key, value in settings.items():
        if isinstance(value, bool):
            value = str(value).lower()
        elif isinstance(value, (str, list, tuple)):
            value = json.dumps(value)  # a TOML basic string or array of them
        lines.append(f"{key} = {value}")
    toml = site / "newsletter.toml"
    toml.write_text(toml.read_text() + "\n".join(lines) + "\n")


@contextmanager
def signup_endpoint(site: Path) -> Iterator[tuple[str, NewsletterApp]]:
    """The site's WSGI app under waitress: (base URL, app); closed afterwards."""
    app = NewsletterApp(load_settings(site, {"NEWSLETTER_SECRET": SECRET}))
    try:
        with serving(app) as base:
            yield base, app
    finally:
        app.close()


def sign_up(base: str, address: str, **fields) -> requests.Response:
    """POST the form as the snippet does, as a patient person."""
    return requests.post(f"{base}/subscribe", data={"email": address, "elapsed": PATIENT,
                                                    **fields}, timeout=30)


def settle(app: NewsletterApp) -> None:
    """Wait until the worker has done everything the journal holds."""
    assert app.signups.worker.wait_idle(30), "the sign-up worker did not finish"


def outbox_emails(site: Path, kind: str = "confirm") -> list[email.message.EmailMessage]:
    """The messages of one sign-up email kind in the outbox (confirm or welcome), oldest first."""
    folder = site / "outbox" / f"signup-{kind}"
    files = sorted(folder.glob("*.eml"), key=lambda path: path.stat().st_mtime_ns)
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in files]


def emails_to(site: Path, address: str, kind: str = "confirm") -> list:
    return [m for m in outbox_emails(site, kind) if address in m["To"]]


def wait_for_email(site: Path, address: str, kind: str = "confirm", timeout: float = 20):
    """The first email of ``kind`` to ``address``, once the outbox has it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if emails := emails_to(site, address, kind):
            return emails[0]
        time.sleep(0.05)
    raise AssertionError(f"no {kind} email for {address} within {timeout} s")


def confirm_path(message) -> str:
    """The path of the confirmation link in a confirmation email's text part."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    return CONFIRM_LINK.search(text).group(1)


def csv_row(site: Path, address: str) -> dict[str, str]:
    """The row of ``address`` in subscribers.csv, by column name."""
    import csv

    with (site / "subscribers" / "subscribers.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["email"].lower() == address.lower():
                return {key: value or "" for key, value in row.items()}
    raise AssertionError(f"{address} is not in subscribers.csv")


def signup_id(site: Path, address: str) -> int:
    """The journal id of the latest sign-up of ``address`` (what its confirmation link names)."""
    return max(row[0] for row in journal_rows(site) if row[1] == address)


def journal_rows(site: Path) -> list[tuple]:
    """Every row of the sign-up journal."""
    path = site / ".newsletter" / "signups.db"
    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        return db.execute("SELECT * FROM signups ORDER BY id").fetchall()
