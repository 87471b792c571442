"""No API key, password or signing secret ever shows: not in output, logs, errors or .eml files."""

from __future__ import annotations

import logging
from contextlib import ExitStack

import pytest
from conftest import invoke
from fake_providers import (
    DEFAULTS, KEYS, OK, fail, start_fake, write_provider_settings, write_readers, write_settings,
)
from folder_server import serving_folder

SECRETS = {
    "POSTMARK_SERVER_TOKEN": KEYS["postmark"], "SENDGRID_API_KEY": KEYS["sendgrid"],
    "MAILGUN_API_KEY": KEYS["mailgun"], "RESEND_API_KEY": KEYS["resend"],
    "SMTP_USERNAME": "writer", "SMTP_PASSWORD": "smtp-SECRET-pass",
    "NEWSLETTER_SECRET": "signing-SECRET-0123456789",
}
HIDDEN = [value for name, value in SECRETS.items() if name != "SMTP_USERNAME"]


def _assert_hidden(*texts: str) -> None:
    for text in texts:
        for secret in HIDDEN:
            assert secret[:10] not in text  # a truncated leak counts too


@pytest.fixture
def debug_logs(caplog):
    caplog.set_level(logging.DEBUG)  # urllib3, requests and our own loggers, all of it
    return caplog


@pytest.mark.parametrize("answer", [OK, fail(401), fail(500)], ids=["accepted", "401", "500"])
@pytest.mark.parametrize("name", sorted(KEYS))
def test_a_send_never_shows_the_key(site, debug_logs, name, answer):
    server = start_fake(name, KEYS[name])
    server.enqueue(answer)
    blog = ExitStack()
    try:
        if name == "resend":  # its batches take no attachments: the blog serves the image
            url = blog.enter_context(serving_folder(site / "static" / "newsletter"))
            write_settings(site, "images", mode="hosted", url=url)
        write_readers(site, ["ann@example.com", "bob@example.org"])
        settings = {"name": name, "api_url": server.url, **DEFAULTS}
        if name != "mailgun":
            settings.pop("domain")
        write_provider_settings(site, **settings)

        result = invoke(site, "send", "what-matters", "--yes", env=SECRETS)
        test = invoke(site, "send", "what-matters", "--to", "me@example.com", env=SECRETS)
        status = invoke(site, "status", env=SECRETS)
    finally:
        server.close()
        blog.close()

    assert server.accepted  # the keys were really used
    _assert_hidden(result.output, test.output, status.output, debug_logs.text)
    _assert_hidden(*(repr(record.args) for record in debug_logs.records))


def test_outbox_files_hold_no_secret(site):
    write_readers(site, ["ann@example.com", "bob@example.org"])

    result = invoke(site, "send", "what-matters", "--yes", env=SECRETS)
    preview = invoke(site, "preview", "what-matters", env=SECRETS)

    assert result.exit_code == 0 and preview.exit_code == 0
    files = list(site.glob("outbox/**/*.eml")) + list(site.glob("preview/**/*"))
    assert len(list(site.glob("outbox/**/*.eml"))) == 2
    _assert_hidden(result.output, preview.output,
                   *(f.read_bytes().decode("utf-8", "replace") for f in files if f.is_file()))


def test_settings_and_adapters_hide_their_secrets(site):
    from newsletter.config import load_settings
    from newsletter.providers import PROVIDERS

    write_provider_settings(site, name="mailgun", domain="mg.example.com")
    settings = load_settings(site, SECRETS)

    texts = [repr(settings), repr(settings.secrets)]
    for name in ("postmark", "sendgrid", "mailgun", "resend", "smtp"):
        provider = PROVIDERS[name](settings)
        texts += [repr(provider), provider.describe(), repr(vars(provider).get("settings"))]
    _assert_hidden(*texts)


@pytest.mark.parametrize("name", ["postmark", "sendgrid", "resend"])
def test_a_key_with_a_stray_line_end_is_refused_before_anyone_is_claimed(site, name):
    # A .env file saved with CRLF line ends leaves "\r" on every value. requests refuses such
    # a header with an error quoting the value: the key was printed in a traceback, and the
    # batch, claimed before the request, was left in doubt though nothing went out.
    server = start_fake(name, KEYS[name])
    try:
        write_readers(site, ["ann@example.com", "bob@example.org"])
        write_provider_settings(site, name=name, api_url=server.url,
                                **{k: v for k, v in DEFAULTS.items() if k != "domain"})
        env = {**SECRETS, {"postmark": "POSTMARK_SERVER_TOKEN", "sendgrid": "SENDGRID_API_KEY",
                           "resend": "RESEND_API_KEY"}[name]: KEYS[name] + "\r"}
        result = invoke(site, "send", "what-matters", "--yes", env=env)
        status = invoke(site, "status", "what-matters", env=env)
    finally:
        server.close()
    assert result.exit_code == 2 and "line break or space" in result.output
    _assert_hidden(result.output)
    assert "in doubt" not in status.output.replace("in doubt 0", "")
