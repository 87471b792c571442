"""Secret fragments: a provider that echoes our key back never gets any piece of it shown.

The echoing server below puts the key where the old code cut a provider's error text (200
characters), so cutting before hiding printed the key's first 13 characters; it also echoes
the credentials headers, where Mailgun's ``Basic base64("api:KEY")`` was never hidden.
"""

from __future__ import annotations

import base64
import json
import logging
import sqlite3
import threading
from contextlib import ExitStack
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.smtp import AuthResult
from conftest import invoke
from fake_providers import (
    SECRET_NAMES, answer_json, write_provider_settings, write_readers, write_settings,
)
from folder_server import serving_folder
from sending_support import without_backoff_waits
from test_smtp import LocalController

# Every 4 characters of it hold a capital: no hex id or English word can match by chance.
KEY = "Zq9VxW2kRt7mPq3L"
CUT = 200  # characters of a provider's error the old code kept, before hiding the key
READERS = ["ann@example.com", "bob@example.org"]


def fragments(text: str, size: int) -> set[str]:
    return {text[i:i + size] for i in range(len(text) - size + 1)}


def base64_core(prefix: bytes) -> str:
    """The characters of base64(prefix + KEY) made from the key's bits alone."""
    encoded = base64.b64encode(prefix + KEY.encode()).decode()
    return encoded[-(-8 * len(prefix) // 6):8 * (len(prefix) + len(KEY)) // 6]


# The key itself, and its base64 in HTTP Basic ("api:KEY") and SMTP AUTH PLAIN ("\0user\0KEY").
LEAKS = fragments(KEY, 4) | fragments(base64_core(b"api:"), 8) | fragments(
    base64_core(b"\0writer\0"), 8)


def assert_no_fragment(*texts: str) -> None:
    for text in texts:
        found = sorted(piece for piece in LEAKS if piece in text)
        assert not found, f"key fragments {found} in {text[:300]!r}"


def echo_text(headers) -> str:
    """Filler up to just before the cut, then the key, then what the request authenticated with."""
    credentials = " ".join(f"{name}={headers.get(name)}" for name in
                           ("Authorization", "X-Postmark-Server-Token") if headers.get(name))
    return "x" * (CUT - 13) + f" {KEY} you sent {credentials}"


class Echo(BaseHTTPRequestHandler):
    """Answers every request with the key and the request's credentials in its error text."""

    def log_message(self, *args):
        pass

    def _answer(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        text = echo_text(self.headers)
        mode = self.server.mode
        if mode == "per-message" and "/email/batch" in self.path:  # Postmark: 200, one per message
            status, payload = 200, [{"ErrorCode": 300, "Message": text} for _ in json.loads(body)]
        elif mode == "per-message":  # Resend's permissive validation
            status, payload = 200, {"data": [], "errors": [
                {"index": i, "message": text} for i in range(len(json.loads(body)))]}
        else:
            status = int(mode)
            payload = {"message": text, "errors": [{"message": text}], "name": "validation_error"}
        answer_json(self, status, payload)

    do_GET = do_POST = _answer


@pytest.fixture
def echo():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    server.mode = "400"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def quick_retries(monkeypatch):
    """A 500 is retried as shipped, without the real backoff's seconds between attempts."""
    without_backoff_waits(monkeypatch)


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def ledger_reasons(site) -> str:
    with sqlite3.connect(site / ".newsletter" / "ledger.db") as db:
        rows = db.execute("SELECT reason, message_id FROM deliveries")
        return "\n".join(str(row) for row in rows)


@pytest.fixture
def blog():
    """Servers standing in for the blog, stopped after the test."""
    with ExitStack() as stack:
        yield stack


def use_provider(site, name: str, url: str, blog: ExitStack) -> dict[str, str]:
    if name == "resend":  # its batches take no attachments: the blog serves the image
        write_settings(site, "images", mode="hosted",
                       url=blog.enter_context(serving_folder(site / "static" / "newsletter")))
    settings = {"name": name, "api_url": url, "timeout": 5}
    if name == "mailgun":
        settings["domain"] = "mg.example.com"
    write_provider_settings(site, **settings)
    return {SECRET_NAMES[name]: KEY, "NEWSLETTER_SECRET": "signing-secret-for-tests"}


# SendGrid and Mailgun answer a batch as a whole: no per-message errors to echo.
CASES = [(name, mode) for name in ("postmark", "sendgrid", "mailgun", "resend")
         for mode in ("400", "401", "500", "per-message")
         if mode != "per-message" or name in ("postmark", "resend")]


@pytest.mark.parametrize(("name", "mode"), CASES)
def test_an_echoed_key_never_shows_in_output_ledger_or_logs(site, echo, logs, blog, quick_retries,
                                                            name, mode):
    echo.mode = mode
    write_readers(site, READERS)
    env = use_provider(site, name, f"http://127.0.0.1:{echo.server_address[1]}", blog)

    sent = invoke(site, "send", "what-matters", "--yes", env=env)
    test = invoke(site, "send", "what-matters", "--to", "me@example.com", env=env)
    status = invoke(site, "status", "what-matters", env=env)

    assert sent.exit_code != 0  # the echo refused it: the error texts were really shown
    assert "x" * 20 in sent.output + status.output + ledger_reasons(site)
    assert_no_fragment(sent.output, test.output, status.output, ledger_reasons(site), logs.text)


@pytest.mark.parametrize("name", ["postmark", "sendgrid", "mailgun", "resend"])
def test_an_echoed_key_in_a_suppression_list_answer_never_shows(site, echo, logs, blog, name):
    echo.mode = "500"
    env = use_provider(site, name, f"http://127.0.0.1:{echo.server_address[1]}", blog)

    result = invoke(site, "subscribers", "sync", env=env)

    assert result.exit_code != 0 and "x" * 20 in result.output
    assert_no_fragment(result.output, logs.text)


class RefusingMailbox:
    """An SMTP server whose refusals quote the password, plain and as AUTH PLAIN's base64."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        plain = base64.b64encode(f"\0writer\0{KEY}".encode()).decode()
        return f"550 5.1.1 {'x' * 150} {KEY} auth {plain}"


def test_an_smtp_reply_quoting_the_password_never_shows(site, logs):
    def authenticate(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=auth_data.password == KEY.encode(), handled=False)

    controller = LocalController(RefusingMailbox(), hostname="127.0.0.1", port=0,
                                 authenticator=authenticate, auth_require_tls=False)
    controller.start()
    try:
        port = controller.port
        write_readers(site, READERS)
        write_provider_settings(site, name="smtp", host="127.0.0.1", port=port, security="none",
                                timeout=5)
        env = {"SMTP_USERNAME": "writer", "SMTP_PASSWORD": KEY, "NEWSLETTER_SECRET": "s"}
        sent = invoke(site, "send", "what-matters", "--yes", env=env)
        status = invoke(site, "status", "what-matters", env=env)
    finally:
        controller.stop()

    assert sent.exit_code == 1 and "x" * 20 in ledger_reasons(site)
    ours = "\n".join(record.getMessage() for record in logs.records
                     if not record.name.startswith("mail.log"))  # not the server's own log
    assert_no_fragment(sent.output, status.output, ledger_reasons(site), ours)
