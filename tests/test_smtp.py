"""SMTP adapter against a real aiosmtpd server on 127.0.0.1."""

from __future__ import annotations

import email
import email.policy
from collections import deque

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from fake_providers import make_messages, write_provider_settings

from newsletter.config import load_settings
from newsletter.errors import AuthError, ConfigError, InDoubtError, TransientError
from newsletter.providers.smtp import SmtpProvider

ADDRESSES = ["ann@example.com", "bob@example.org"]


class Mailbox:
    """An aiosmtpd handler that keeps what it accepted and plays back scripted replies."""

    def __init__(self):
        self.received: list[tuple[list[str], bytes]] = []
        self.rcpt_replies: dict[str, str] = {}  # address -> reply, e.g. "550 no such user"
        self.data_replies: deque[str] = deque()  # next DATA replies; "drop" cuts the connection

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.rcpt_replies:
            return self.rcpt_replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        reply = self.data_replies.popleft() if self.data_replies else "250 Message accepted"
        if reply.startswith("250") or reply == "drop":
            self.received.append((list(envelope.rcpt_tos), envelope.original_content))
        if reply == "drop":  # the message arrived; the reply never will
            server.transport.abort()
        return "250 Message accepted" if reply == "drop" else reply


class LocalController(Controller):
    """aiosmtpd's Controller on a free port (port 0) of 127.0.0.1."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def _authenticate(server, session, envelope, mechanism, auth_data):
    ok = (auth_data.login, auth_data.password) == (b"writer", b"pa55-SECRET")
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    controller = LocalController(mailbox, hostname="127.0.0.1", port=0,
                                 authenticator=_authenticate, auth_require_tls=False)
    controller.start()
    yield mailbox, controller.port
    controller.stop()


@pytest.fixture
def connect(site, smtp_server):
    providers = []

    def connect(environ=None, **settings):
        values = {"host": "127.0.0.1", "port": smtp_server[1], "security": "none", "timeout": 10,
                  **settings}
        write_provider_settings(site, name="smtp", **values)
        loaded = load_settings(site, {"NEWSLETTER_SECRET": "s", **(environ or {})})
        providers.append(SmtpProvider(loaded))
        return providers[-1]

    yield connect
    for provider in providers:
        provider.close()


def test_each_message_goes_out_as_its_own_mime_bytes(connect, smtp_server):
    mailbox, _ = smtp_server
    smtp = connect()
    messages = make_messages(smtp.settings, ADDRESSES)

    results = [smtp.send_batch([m])[0] for m in messages]

    assert [r.message_id for r in results] == [m.message_id for m in messages]
    assert [rcpt for rcpt, _ in mailbox.received] == [[a] for a in ADDRESSES]
    assert [data for _, data in mailbox.received] == [m.as_bytes() for m in messages]
    parsed = email.message_from_bytes(mailbox.received[0][1], policy=email.policy.default)
    assert parsed["List-Unsubscribe"] == messages[0].headers["List-Unsubscribe"]


def test_one_connection_serves_many_messages(connect, smtp_server):
    smtp = connect()
    for message in make_messages(smtp.settings, ADDRESSES):
        smtp.send_batch([message])

    assert len(smtp._open) == 1


def test_a_5xx_for_one_recipient_rejects_only_that_message(connect, smtp_server):
    mailbox, _ = smtp_server
    mailbox.rcpt_replies["ann@example.com"] = "550 5.1.1 No such user"
    smtp = connect()
    ann, bob = make_messages(smtp.settings, ADDRESSES)

    rejected, sent = smtp.send_batch([ann])[0], smtp.send_batch([bob])[0]

    assert rejected.status == "rejected"
    assert rejected.reason == "smtp 550 for the recipient: 5.1.1 No such user"
    assert sent.status == "sent"
    assert [rcpt for rcpt, _ in mailbox.received] == [["bob@example.org"]]


def test_a_4xx_is_transient_and_a_retry_goes_through(connect, smtp_server):
    mailbox, _ = smtp_server
    mailbox.data_replies.append("451 4.3.0 Try again later")
    smtp = connect()
    message = make_messages(smtp.settings, ADDRESSES[:1])

    with pytest.raises(TransientError, match="451"):
        smtp.send_batch(message)
    assert smtp.send_batch(message)[0].status == "sent"
    assert len(mailbox.received) == 1


def test_a_dropped_connection_during_data_is_in_doubt(connect, smtp_server):
    mailbox, _ = smtp_server
    mailbox.data_replies.append("drop")
    smtp = connect()
    first, second = make_messages(smtp.settings, ADDRESSES)

    with pytest.raises(InDoubtError, match="lost while sending"):
        smtp.send_batch([first])
    assert smtp.send_batch([second])[0].status == "sent"  # a new connection
    assert len(mailbox.received) == 2


def test_a_reader_whose_address_is_not_ascii_goes_out_with_smtputf8(connect, smtp_server):
    mailbox, _ = smtp_server
    smtp = connect()
    zoe, bob = make_messages(smtp.settings, ["zoë+news@bücher.example", "bob@example.org"])

    assert [smtp.send_batch([m])[0].status for m in (zoe, bob)] == ["sent", "sent"]
    assert [rcpt for rcpt, _ in mailbox.received] == [["zoë+news@bücher.example"],
                                                      ["bob@example.org"]]
    assert mailbox.received[0][1] == zoe.as_bytes()


def test_a_server_without_smtputf8_fails_only_the_reader_it_cannot_take(connect, site):
    mailbox = Mailbox()
    controller = LocalController(mailbox, hostname="127.0.0.1", port=0, enable_SMTPUTF8=False)
    controller.start()
    try:
        smtp = connect(port=controller.port)
        zoe, bob = make_messages(smtp.settings, ["zoë@example.com", "bob@example.org"])

        refused, sent = smtp.send_batch([zoe])[0], smtp.send_batch([bob])[0]
    finally:
        controller.stop()
    assert refused.status == "rejected" and "no SMTPUTF8" in refused.reason
    assert sent.status == "sent"
    assert [rcpt for rcpt, _ in mailbox.received] == [["bob@example.org"]]


def test_a_sender_address_that_is_not_ascii_needs_smtputf8(connect, site, smtp_server):
    settings = site / "newsletter.toml"
    settings.write_text(settings.read_text().replace("<jane@example.com>", "<jané@bücher.example>"))
    mailbox = Mailbox()
    plain = LocalController(mailbox, hostname="127.0.0.1", port=0, enable_SMTPUTF8=False)
    plain.start()
    try:
        with pytest.raises(AuthError, match=r"no SMTPUTF8\); email.from is jané@bücher.example"):
            connect(port=plain.port).send_batch(make_messages(connect().settings, ADDRESSES[:1]))
    finally:
        plain.stop()
    assert mailbox.received == []  # and the run stops: every message would be refused

    smtp = connect()  # the fixture's server offers SMTPUTF8
    assert smtp.send_batch(make_messages(smtp.settings, ADDRESSES[:1]))[0].status == "sent"
    rcpt, data = smtp_server[0].received[0]
    assert rcpt == ["ann@example.com"]
    # the Message-ID, which must be ASCII, names the sender's domain in punycode
    assert email.message_from_bytes(data)["Message-ID"].endswith("@xn--bcher-kva.example>")


def test_no_server_is_transient(connect, smtp_server):
    smtp = connect(port=1)  # nothing listens on port 1

    with pytest.raises(TransientError, match="cannot connect to 127.0.0.1:1"):
        smtp.send_batch(make_messages(smtp.settings, ADDRESSES[:1]))


def test_login_with_the_right_password(connect, smtp_server):
    smtp = connect({"SMTP_USERNAME": "writer", "SMTP_PASSWORD": "pa55-SECRET"})

    assert smtp.send_batch(make_messages(smtp.settings, ADDRESSES[:1]))[0].status == "sent"
    assert "pa55-SECRET" not in repr(smtp) + smtp.describe()


def test_a_refused_login_stops_the_run(connect, smtp_server):
    smtp = connect({"SMTP_USERNAME": "writer", "SMTP_PASSWORD": "wrong"})

    with pytest.raises(AuthError, match="refused the login") as caught:
        smtp.send_batch(make_messages(smtp.settings, ADDRESSES[:1]))
    assert "wrong" not in str(caught.value)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_a_server_that_wants_a_login_says_so_and_stops_the_run(connect):
    mailbox = Mailbox()
    controller = LocalController(mailbox, hostname="127.0.0.1", port=0, auth_required=True,
                                 authenticator=_authenticate, auth_require_tls=False)
    controller.start()
    try:
        smtp = connect(port=controller.port)  # no SMTP_USERNAME: MAIL FROM gets 530
        with pytest.raises(AuthError) as caught:
            smtp.send_batch(make_messages(smtp.settings, ADDRESSES[:1]))
    finally:
        controller.stop()
    assert str(caught.value).startswith("smtp 530 for the sender: 5.7.0 Authentication required")
    assert "SMTP_USERNAME, SMTP_PASSWORD and provider.security" in caught.value.hint
    assert mailbox.received == []


def test_a_password_is_never_sent_unencrypted_to_another_host(site):
    write_provider_settings(site, name="smtp", host="mail.example.com", security="none")
    settings = load_settings(site, {"SMTP_USERNAME": "writer", "SMTP_PASSWORD": "x"})

    with pytest.raises(ConfigError, match="unencrypted"):
        SmtpProvider(settings)


def test_newsletter_send_delivers_the_post_to_every_reader_over_smtp(site, smtp_server):
    from conftest import run_cli
    from sending_support import ledger_states, site_settings

    mailbox, port = smtp_server
    write_provider_settings(site, name="smtp", host="127.0.0.1", port=port, security="none")
    result = run_cli(site, "send", "what-matters", "--yes", env={"NEWSLETTER_SECRET": "s"})
    assert result.returncode == 0, result.stderr
    states = ledger_states(site_settings(site))
    assert set(states.values()) == {"sent"} and len(states) == 4  # the example site's readers
    delivered = sorted(recipient for recipients, _ in mailbox.received for recipient in recipients)
    assert delivered == sorted(states)  # each reader once, in their own message
