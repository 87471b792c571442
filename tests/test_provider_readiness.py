"""A missing key or server is found before a post is due: `check` and `send --due --dry-run`
(even with nothing due) start the provider as a send would; `check --online` also asks the
provider, with one read-only call to a fake that answers as its API documents."""

from __future__ import annotations

import json

import pytest
from dns_server import dns_server
from fake_providers import (
    KEYS, SECRET_NAMES, provider_environ, start_fake, write_provider_settings, write_settings,
)

from conftest import invoke
from test_smtp import LocalController, Mailbox, _authenticate

from newsletter.config import load_settings
from newsletter.sending import readiness_findings

EARLY = "2026-01-02T00:00Z"  # before the example post: nothing is due
HTTP = ("postmark", "sendgrid", "mailgun", "resend")
KEY_PATHS = {"postmark": "/server", "sendgrid": "/v3/scopes",
             "mailgun": "/v4/domains/mg.example.com", "resend": "/domains"}


def use(site, name: str, **settings) -> None:
    extra = {"domain": "mg.example.com"} if name == "mailgun" else {}
    write_provider_settings(site, name=name, **extra, **settings)


def site_lines(result) -> list[str]:
    """The findings `check --json` reports about the site rather than a post."""
    return [f"{f['severity']}: {f['where']}: {f['code']}: {f['message']}"
            for f in json.loads(result.output)["findings"] if f["post"] is None]


@pytest.mark.parametrize("name", HTTP)
def test_check_names_a_missing_key_and_secret_with_nothing_due(site, name):
    use(site, name)
    write_settings(site, "schedule", since="2027-01-01T00:00:00Z")  # no post to check
    result = invoke(site, "check", "--json", env={})
    assert result.exit_code == 2
    assert site_lines(result) == [
        f"error: environment: provider-setup: NEWSLETTER_SECRET is not set; provider {name} "
        "sends real mail",
        f"error: environment: provider-setup: {SECRET_NAMES[name]} is not set"]
    assert json.loads(result.output)["checked"] == []


def test_the_outbox_needs_nothing(site):
    result = invoke(site, "check", "--json", env={})
    assert result.exit_code == 0 and site_lines(result) == []


@pytest.mark.parametrize("name", HTTP)
def test_send_due_dry_run_with_nothing_due_names_the_missing_key(site, name):
    use(site, name)
    result = invoke(site, "send", "--due", "--dry-run", "--now", EARLY,
                    env={"NEWSLETTER_SECRET": "s"})
    assert result.exit_code == 2
    assert f"error: environment: provider-setup: {SECRET_NAMES[name]} is not set" in result.output
    assert "Nothing is due" not in result.output


def test_a_cron_run_with_nothing_due_is_not_silent_about_a_missing_key(site):
    use(site, "postmark")
    result = invoke(site, "send", "--due", "--now", EARLY, env={"NEWSLETTER_SECRET": "s"})
    assert result.exit_code == 2
    assert "POSTMARK_SERVER_TOKEN is not set" in result.output
    assert not (site / ".newsletter" / "ledger.db").exists()


def test_an_smtp_server_never_named_is_an_error(site):
    write_provider_settings(site, name="smtp", port=2525)
    result = invoke(site, "check", "--json", env={"NEWSLETTER_SECRET": "s"})
    assert "error: newsletter.toml: provider-setup: provider.host is not set: smtp would send " \
           "through localhost" in site_lines(result)
    write_provider_settings(site, name="smtp", host="localhost", port=2525)
    assert site_lines(invoke(site, "check", "--json", env={"NEWSLETTER_SECRET": "s"})) == []


def test_mailgun_without_a_domain_is_named(site):
    write_provider_settings(site, name="mailgun")
    result = invoke(site, "check", "--json", env=provider_environ("mailgun"))
    assert any("provider.domain is not set" in line for line in site_lines(result))


# ---------------------------------------------------------------- --online: the key itself

@pytest.fixture
def fake(site):
    servers = []

    def start(name: str, **settings):
        server = start_fake(name, KEYS[name])
        servers.append(server)
        use(site, name, api_url=server.url, timeout=10, **settings)
        return server

    yield start
    for server in servers:
        server.close()


def key_findings(site, environ) -> list[str]:
    settings = load_settings(site, environ)
    return [f"{f.severity}: {f.code}: {f.message}"
            for f in readiness_findings(settings, online=True)]


@pytest.mark.parametrize("name", HTTP)
def test_a_good_key_passes_with_one_read_only_call(site, fake, name):
    server = fake(name)
    assert key_findings(site, provider_environ(name)) == []
    assert server.reads == [KEY_PATHS[name]] and server.request_count == 0  # nothing sent


@pytest.mark.parametrize("name", HTTP)
def test_a_wrong_key_is_refused(site, fake, name):
    server = fake(name)
    environ = {**provider_environ(name), SECRET_NAMES[name]: "wrong-key"}
    found = key_findings(site, environ)
    if name == "mailgun":  # a domain sending key is refused there too: only a warning
        assert found == [f"warning: provider-key: mailgun refused the key for reading domain "
                         "mg.example.com: a domain sending key may only send, so a test send "
                         "(newsletter send POST --to you@...) tells; any other key is wrong"]
    else:
        [line] = found
        assert line.startswith(f"error: provider-key: {name} answered 40")
        assert line.endswith("(the key was refused)")
    assert "wrong-key" not in " ".join(found)
    assert server.reads == [KEY_PATHS[name]]


def test_a_sendgrid_key_without_mail_send_is_an_error(site, fake):
    fake("sendgrid").api.scopes = ("suppression.read",)
    assert key_findings(site, provider_environ("sendgrid")) == [
        "error: provider-key: sendgrid: the key may not send mail (its scopes lack mail.send)"]


def test_a_mailgun_domain_the_account_lacks_or_has_not_verified(site, fake):
    server = fake("mailgun")
    server.api.domains = {"other.example.com": "active"}
    assert key_findings(site, provider_environ("mailgun")) == [
        "error: provider-key: mailgun has no domain mg.example.com for this key"]
    server.api.domains = {"mg.example.com": "unverified"}
    assert key_findings(site, provider_environ("mailgun")) == [
        "warning: provider-key: the mailgun domain mg.example.com is unverified: verify its "
        "DNS records at Mailgun"]


def test_a_resend_sending_only_key_is_valid_and_an_unverified_sender_is_a_warning(site, fake):
    server = fake("resend")
    server.api.sending_only = True
    assert key_findings(site, provider_environ("resend")) == []
    server.api.sending_only = False
    server.api.domains = {"example.com": "pending"}
    assert key_findings(site, provider_environ("resend")) == [
        "warning: provider-key: the From domain example.com is pending at Resend: publish its "
        "DNS records and verify it"]


def test_no_answer_is_a_warning_not_a_verdict(site):
    use(site, "postmark", api_url="http://127.0.0.1:1", timeout=5)
    [line] = key_findings(site, provider_environ("postmark"))
    assert line.startswith("warning: provider-key: could not check the key: postmark: no "
                           "answer from http://127.0.0.1:1")


def test_a_missing_key_is_not_asked_about(site, fake):
    server = fake("postmark")
    assert [line.split(":")[1] for line in key_findings(site, {"NEWSLETTER_SECRET": "s"})] \
        == [" provider-setup"]
    assert server.reads == []


def test_check_online_reports_the_key_with_the_other_site_findings(site, fake):
    fake("postmark")
    write_settings(site, "schedule", since="2027-01-01T00:00:00Z")  # no post: no link fetched
    with dns_server({"example.com": ["v=spf1 -all"],
                     "_dmarc.example.com": ["v=DMARC1; p=none"]}) as dns:
        environ = {**provider_environ("postmark"), "POSTMARK_SERVER_TOKEN": "wrong"}
        result = invoke(site, "check", "--online", "--json", "--nameserver", dns.address,
                        env=environ)
    assert result.exit_code == 2
    [line] = site_lines(result)
    assert line.startswith("error: environment: provider-key: postmark answered 401: Bad or "
                           "missing Server API token (ErrorCode 10) (the key was refused)")


@pytest.mark.parametrize("password, expected", [("pa55-SECRET", []), ("wrong", ["error"])])
def test_smtp_logs_in_and_quits_without_sending(site, password, expected):
    mailbox = Mailbox()
    controller = LocalController(mailbox, hostname="127.0.0.1", port=0,
                                 authenticator=_authenticate, auth_require_tls=False)
    controller.start()
    try:
        write_provider_settings(site, name="smtp", host="127.0.0.1", port=controller.port,
                                security="none", timeout=10)
        environ = {"NEWSLETTER_SECRET": "s", "SMTP_USERNAME": "writer", "SMTP_PASSWORD": password}
        found = key_findings(site, environ)
    finally:
        controller.stop()
    assert [line.split(":")[0] for line in found] == expected
    if expected:
        assert "refused the login (535 5.7.8 Authentication credentials invalid)" in found[0]
    assert mailbox.received == []  # nothing was sent


def test_a_setting_left_from_another_provider_is_a_warning(site):
    """Each provider declares the [provider] keys it reads: a Mailgun domain left after a
    switch to Postmark is named, as the writer may believe it still applies."""
    use(site, "postmark", domain="mg.example.com")
    result = invoke(site, "check", "--json", env=provider_environ("postmark"))
    assert site_lines(result) == [
        "warning: newsletter.toml: provider-setting: provider.domain is set, but postmark does "
        "not read it"]
    use(site, "mailgun")
    assert site_lines(invoke(site, "check", "--json", env=provider_environ("mailgun"))) == []
