"""SMTP failures no retry can fix (real servers on 127.0.0.1): a certificate this machine does
not trust, TLS settings that do not match the port, a server that refuses this machine or is
out of reach, no login smtplib can do; and refusals about us rather than the reader (our
sender, our right to relay, the account's quota, a post over the server's SIZE). The run stops
with a line that says what to change, instead of trying every reader five times and leaving
each pending, or failing each one as if their address were bad."""

from __future__ import annotations

import re
import socket
import ssl
import threading

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from certificates import self_signed
from fake_providers import make_messages
from test_smtp import ADDRESSES, LocalController, Mailbox, connect, smtp_server  # noqa: F401

from newsletter.errors import AuthError, QuotaError, TransientError


@pytest.fixture
def tls_context(tmp_path):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*self_signed(tmp_path, "127.0.0.1"))
    return context


def _serve(controller: Controller):
    controller.start()
    return controller


def _send_one(smtp):
    return smtp.send_batch(make_messages(smtp.settings, ADDRESSES[:1]))


def test_a_self_signed_certificate_stops_the_run_and_names_the_way_out(connect, tls_context):
    mailbox = Mailbox()
    relay = _serve(LocalController(mailbox, hostname="127.0.0.1", port=0, tls_context=tls_context))
    try:
        with pytest.raises(AuthError, match="certificate this machine does not trust") as caught:
            _send_one(connect(port=relay.port, security="starttls"))
    finally:
        relay.stop()
    assert "self-signed certificate" in str(caught.value)
    assert "SSL_CERT_FILE" in caught.value.hint
    assert mailbox.received == []


def test_implicit_tls_against_a_starttls_port_names_the_setting(connect, smtp_server):
    with pytest.raises(AuthError, match="no TLS with 127.0.0.1") as caught:
        _send_one(connect(security="ssl"))  # the fixture's server speaks plain SMTP first
    assert caught.value.hint == 'port 587 and 25 speak plain SMTP first: use security = "starttls"'
    assert smtp_server[0].received == []


def _greeting_server(greeting: bytes | None):
    """A TCP server on 127.0.0.1 that sends ``greeting`` (or nothing) to each client."""
    server = socket.create_server(("127.0.0.1", 0))
    clients = []

    def serve():
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            clients.append(client)
            if greeting:
                client.sendall(greeting)

    threading.Thread(target=serve, daemon=True).start()
    return server, clients


def test_a_554_greeting_stops_the_run_and_a_421_is_tried_again(connect):
    refusing, refused_clients = _greeting_server(b"554 5.7.1 No SMTP service here\r\n")
    busy, busy_clients = _greeting_server(b"421 4.3.2 Too busy, try later\r\n")
    try:
        with pytest.raises(AuthError, match="refuses connections from this machine .554 5.7.1"):
            _send_one(connect(port=refusing.getsockname()[1]))
        with pytest.raises(TransientError, match="421"):
            _send_one(connect(port=busy.getsockname()[1]))
    finally:
        for each in (refusing, busy, *refused_clients, *busy_clients):
            each.close()


def test_starttls_settings_against_the_implicit_tls_port_name_the_setting(connect):
    silent, clients = _greeting_server(None)  # as port 465: it waits for the TLS handshake
    try:
        with pytest.raises(AuthError, match="sent no greeting in 0.2 s") as caught:
            _send_one(connect(port=silent.getsockname()[1], security="starttls", timeout=0.2))
    finally:
        for each in (silent, *clients):
            each.close()
    assert 'expects TLS from the start (465) needs security = "ssl"' in caught.value.hint


class _TokenOnly:
    """A handler whose server offers AUTH XOAUTH2 alone (LOGIN and PLAIN excluded)."""

    async def auth_XOAUTH2(self, server, args):
        return None


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_a_server_offering_no_login_smtplib_can_do_stops_the_run(connect):
    relay = _serve(LocalController(_TokenOnly(), hostname="127.0.0.1", port=0,
                                   auth_exclude_mechanism=["LOGIN", "PLAIN"],
                                   auth_require_tls=False))
    try:
        with pytest.raises(AuthError, match=r"offers no login smtplib can do \(AUTH XOAUTH2\)"):
            _send_one(connect({"SMTP_USERNAME": "writer", "SMTP_PASSWORD": "pa55-SECRET"},
                              port=relay.port))
    finally:
        relay.stop()


def test_a_post_larger_than_the_server_takes_stops_before_anyone_fails(connect):
    mailbox = Mailbox()  # as a Postfix relay with a small message_size_limit
    relay = _serve(LocalController(mailbox, hostname="127.0.0.1", port=0, data_size_limit=2000))
    try:
        smtp = connect(port=relay.port)
        message = make_messages(smtp.settings, ADDRESSES[:1])
        size = len(message[0].as_bytes())
        with pytest.raises(AuthError, match=f"takes messages of up to 2,000 bytes; this post's "
                                            f"are {size:,}") as caught:
            smtp.send_batch(message)
    finally:
        relay.stop()
    assert "images fewer or smaller" in caught.value.hint
    assert mailbox.received == []


@pytest.mark.parametrize("code", ["554 5.7.1", "454 4.7.1"])  # 454: Postfix's soft_bounce
def test_a_relay_that_refuses_to_pass_mail_on_stops_the_run(connect, smtp_server, code):
    mailbox, _ = smtp_server  # as Postfix answers a client it does not know, for every reader
    for address in ADDRESSES:
        mailbox.rcpt_replies[address] = f"{code} <{address}>: Relay access denied"
    smtp = connect()
    ann, _ = make_messages(smtp.settings, ADDRESSES)

    with pytest.raises(AuthError, match="Relay access denied") as caught:
        smtp.send_batch([ann])
    assert "SMTP_USERNAME and SMTP_PASSWORD" in caught.value.hint
    assert mailbox.received == []


@pytest.mark.parametrize("reply", [
    "454 Throttling failure: Daily message quota exceeded.",  # Amazon SES: a 4xx, yet no
    # retry in this run clears it
    "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException",  # Microsoft 365
])
def test_a_used_up_sending_quota_stops_the_run_and_a_full_mailbox_fails_one_reader(
        connect, smtp_server, reply):
    mailbox, _ = smtp_server
    mailbox.rcpt_replies["ann@example.com"] = "552 5.2.2 <ann@example.com>: message quota exceeded"
    mailbox.data_replies.append(reply)
    smtp = connect()
    ann, bob = make_messages(smtp.settings, ADDRESSES)

    full = smtp.send_batch([ann])[0]
    with pytest.raises(QuotaError, match=re.escape(reply[4:40])) as caught:
        smtp.send_batch([bob])
    assert full.status == "rejected" and "message quota exceeded" in full.reason
    assert "sent by a later run" in caught.value.hint
    assert mailbox.received == []


@pytest.mark.parametrize("stage, reply", [
    ("rcpt", "553 5.7.1 <jane@example.com>: Sender address rejected: not owned by user writer"),
    ("data", "554 Message rejected: Email address is not verified. The following identities "
             "failed the check in region EU-WEST-1: jane@example.com"),
])
def test_a_refusal_that_names_our_sender_stops_the_run(connect, smtp_server, stage, reply):
    mailbox, _ = smtp_server  # Postfix tells a refused sender at RCPT, Amazon SES after DATA
    if stage == "rcpt":
        mailbox.rcpt_replies["ann@example.com"] = reply
    else:
        mailbox.data_replies.append(reply)
    smtp = connect()

    with pytest.raises(AuthError, match="jane@example.com") as caught:
        smtp.send_batch(make_messages(smtp.settings, ADDRESSES[:1]))
    assert caught.value.hint == "check email.from and the server's sender rules"


def test_a_refusal_that_names_the_reader_fails_that_reader_alone(connect, smtp_server):
    mailbox, _ = smtp_server  # Amazon SES's sandbox: only verified readers may get mail
    mailbox.data_replies.append("554 Message rejected: Email address is not verified. The "
                                "following identities failed the check: mary.jane@example.com")
    smtp = connect()

    result = smtp.send_batch(make_messages(smtp.settings, ["mary.jane@example.com"]))[0]
    assert result.status == "rejected" and "mary.jane@example.com" in result.reason


def test_a_server_out_of_reach_stops_the_run_once_every_batch_could_have_retried(
        connect, smtp_server):
    smtp = connect(port=1)  # nothing listens on port 1 (or a host that does not resolve)
    messages = make_messages(smtp.settings, ADDRESSES[:1])
    for _ in range(19):
        with pytest.raises(TransientError):
            smtp.send_batch(messages)
    smtp.port = smtp_server[1]  # back again (a restart): one connection clears the count
    assert smtp.send_batch(messages)[0].status == "sent"
    smtp.close()
    smtp.port = 1

    for _ in range(19):  # as 4 batches in flight, each tried 5 times, would meet it
        with pytest.raises(TransientError, match="cannot connect to 127.0.0.1:1"):
            smtp.send_batch(messages)
    with pytest.raises(AuthError, match="20 tries in a row failed") as caught:
        smtp.send_batch(messages)
    assert "provider.host and provider.port" in caught.value.hint


def _app_password_required(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=False, handled=False,
                      message="534 5.7.9 Application-specific password required")


def test_a_refused_login_says_what_the_server_said(connect):
    relay = _serve(LocalController(Mailbox(), hostname="127.0.0.1", port=0,
                                   authenticator=_app_password_required, auth_require_tls=False))
    try:
        with pytest.raises(AuthError) as caught:
            _send_one(connect({"SMTP_USERNAME": "writer", "SMTP_PASSWORD": "pa55-SECRET"},
                              port=relay.port))
    finally:
        relay.stop()
    assert "refused the login (534 5.7.9 Application-specific password required)" in str(
        caught.value)
    assert "pa55-SECRET" not in str(caught.value)


def test_a_port_that_never_answers_the_connection_is_no_greeting_problem(connect):
    # As a firewall that drops what goes to port 587: a full accept queue drops the handshake.
    server = socket.create_server(("127.0.0.1", 0), backlog=0)
    port = server.getsockname()[1]
    taken = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        with pytest.raises(TransientError, match=f"cannot connect to 127.0.0.1:{port}"):
            _send_one(connect(port=port, security="starttls", timeout=0.2))
    finally:
        taken.close()
        server.close()


def test_a_busy_server_that_answers_421_never_stops_the_run(connect):
    busy, clients = _greeting_server(b"421 4.3.2 Too many connections, try later\r\n")
    try:  # as Microsoft 365 past its few connections a mailbox: the other threads go on
        smtp = connect(port=busy.getsockname()[1])
        for _ in range(25):
            with pytest.raises(TransientError, match="421 4.3.2"):
                _send_one(smtp)
    finally:
        for each in (busy, *clients):
            each.close()


def test_a_server_that_wants_a_login_at_rcpt_stops_the_run(connect, smtp_server):
    mailbox, _ = smtp_server  # some servers ask for it only when a recipient is given
    mailbox.rcpt_replies["ann@example.com"] = "530 5.7.0 Authentication required"
    with pytest.raises(AuthError, match="530 for the recipient") as caught:
        _send_one(connect())
    assert "SMTP_USERNAME, SMTP_PASSWORD and provider.security" in caught.value.hint


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_a_server_without_starttls_never_gets_the_password_and_the_line_says_which(connect):
    tried = []

    def authenticate(server, session, envelope, mechanism, auth_data):
        tried.append(auth_data)
        return AuthResult(success=True)

    mailbox = Mailbox()  # no tls_context: its EHLO offers AUTH, but no STARTTLS
    relay = _serve(LocalController(mailbox, hostname="127.0.0.1", port=0,
                                   authenticator=authenticate, auth_require_tls=False))
    plain = _serve(LocalController(Mailbox(), hostname="127.0.0.1", port=0))  # no AUTH at all
    login = {"SMTP_USERNAME": "writer", "SMTP_PASSWORD": "pa55-SECRET"}
    try:
        with pytest.raises(AuthError) as no_tls:
            _send_one(connect(login, port=relay.port, security="starttls"))
        with pytest.raises(AuthError) as no_auth:
            _send_one(connect(login, port=plain.port))
    finally:
        relay.stop()
        plain.stop()
    assert str(no_tls.value).startswith(f"smtp: 127.0.0.1:{relay.port} offers no STARTTLS: "
                                        "nothing would be encrypted; check provider.host")
    assert str(no_auth.value).startswith(f"smtp: 127.0.0.1:{plain.port} offers no login (no "
                                         "AUTH); unset SMTP_USERNAME and SMTP_PASSWORD")
    assert tried == [] and mailbox.received == []
