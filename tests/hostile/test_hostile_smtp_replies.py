"""SMTP servers that answer oddly (real servers on 127.0.0.1): each answer is classified as what
it proves, never as a failed reader who may well have the message, and a connection the server
is done with is never used again.

Before: a reply to the message's end mark other than 250 (a 2xx, or a line that is no reply)
failed the reader, though the server may have taken the message (`--retry-failed` then sent it
twice); a server that turned away more messages on a connection ("452 too many messages on
this connection", or "421 closing" with the connection left open) got every later message of
that thread on the same connection, each retry refused alike; a 552 5.3.4 "message too big"
without a SIZE announced failed every reader of the list in turn, as did Postfix's refusal of
this machine at RCPT ("Client host rejected", "Helo command rejected"); a login refused for now
(454 "temporary authentication failure") stopped the run saying to check the password; and
`check --online` crashed with a traceback when a server hung up at QUIT without its 221.
"""

from __future__ import annotations

import re
import socket
import threading

import pytest
from fake_providers import make_messages, write_provider_settings
from test_provider_readiness import key_findings
from test_smtp import ADDRESSES, connect, smtp_server  # noqa: F401

from newsletter.errors import AuthError, InDoubtError, TransientError


class ScriptedServer:
    """An SMTP server on 127.0.0.1 whose replies come from ``reply(command, session)``: the
    command's verb in capitals (``END`` for the message's end mark); ``session`` counts the
    MAIL commands of that connection; None hangs up. Records each connection's commands."""

    def __init__(self, reply):
        self.reply, self.sessions = reply, []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client):
        commands = []
        self.sessions.append(commands)
        with client, client.makefile("rb") as lines:
            client.sendall(b"220 scripted ESMTP\r\n")
            for line in lines:
                verb = line.split(b" ")[0].strip().upper().decode()
                commands.append(verb)
                if verb == "DATA":
                    client.sendall(b"354 go ahead\r\n")
                    for _ in iter(lines.readline, b".\r\n"):
                        pass
                    commands.append(verb := "END")
                answer = self.reply(verb, commands.count("MAIL"))
                if answer is None:  # hang up, answering nothing
                    return
                client.sendall(b"221 bye\r\n" if verb == "QUIT" else answer)
                if verb == "QUIT":
                    return

    def close(self):
        self.listener.close()


def replying(**answers):
    """A ``reply`` that gives ``answers[verb]`` (250 OK for the rest; EHLO a plain list)."""
    def reply(verb, mails):
        if verb == "EHLO":
            return b"250-scripted\r\n250 8BITMIME\r\n"
        return answers.get(verb, b"250 OK\r\n")
    return reply


@pytest.fixture
def scripted():
    servers = []

    def start(reply):
        servers.append(ScriptedServer(reply))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.mark.parametrize("answer", [b"251 2.0.0 queued as 4F2A\r\n",  # a 2xx: taken
                                    b"OK queued as 4F2A\r\n"])  # no reply code at all
def test_an_end_of_message_answer_other_than_250_never_fails_the_reader(connect, scripted,
                                                                        answer):
    server = scripted(replying(END=answer))
    smtp = connect(port=server.port)
    [message] = make_messages(smtp.settings, ADDRESSES[:1])

    if answer.startswith(b"2"):
        assert smtp.send_batch([message])[0].status == "sent"
    else:
        with pytest.raises(InDoubtError, match="no reply that says whether .* took the message"):
            smtp.send_batch([message])


def test_a_server_that_takes_no_more_messages_on_a_connection_gets_a_new_one(connect, scripted):
    # As Exim past smtp_accept_max_per_connection, or a relay that limits each session: the
    # refusal is about the connection, and it stays open.
    server = scripted(lambda verb, mails: b"250-scripted\r\n250 8BITMIME\r\n" if verb == "EHLO"
                      else b"452 4.5.3 Too many messages on this connection\r\n"
                      if verb == "MAIL" and mails > 2 else b"250 OK\r\n")
    smtp = connect(port=server.port)
    outcomes = []
    for message in make_messages(smtp.settings, [f"r{n}@example.com" for n in range(5)]):
        try:
            outcomes.append(smtp.send_batch([message])[0].status)
        except TransientError:  # the send's retry, in a real run
            outcomes.append(smtp.send_batch([message])[0].status + " on retry")

    assert outcomes == ["sent", "sent", "sent on retry", "sent", "sent on retry"]
    assert [session.count("END") for session in server.sessions] == [2, 2, 1]


def test_a_421_mid_session_is_tried_again_on_a_new_connection(connect, scripted):
    # "421 closing" says the server is done with the connection, even if it leaves it open.
    server = scripted(lambda verb, mails: b"250-scripted\r\n250 8BITMIME\r\n" if verb == "EHLO"
                      else b"421 4.3.2 System shutting down\r\n"
                      if verb == "RCPT" and len(server.sessions) == 1 else b"250 OK\r\n")
    smtp = connect(port=server.port)
    [message] = make_messages(smtp.settings, ADDRESSES[:1])

    with pytest.raises(TransientError, match="smtp 421 for the recipient: 4.3.2 System"):
        smtp.send_batch([message])
    assert smtp.send_batch([message])[0].status == "sent"
    assert [session.count("END") for session in server.sessions] == [0, 1]


def test_a_message_too_big_for_the_server_stops_the_run_though_no_size_was_announced(
        connect, smtp_server):
    mailbox, _ = smtp_server  # Exchange: no SIZE in EHLO, a 552 5.3.4 after the message
    mailbox.data_replies.append("552 5.3.4 Message size exceeds fixed maximum message size")
    smtp = connect()

    with pytest.raises(AuthError, match="552 for the message: 5.3.4 Message size") as caught:
        smtp.send_batch(make_messages(smtp.settings, ADDRESSES[:1]))
    assert "images fewer or smaller" in caught.value.hint


@pytest.mark.parametrize("answer, error, said", [
    (b"454 4.7.0 Temporary authentication failure\r\n", TransientError,
     "refused the login for now (454 4.7.0 Temporary authentication failure)"),
    (b"535 5.7.8 Authentication credentials invalid\r\n", AuthError,
     "refused the login (535 5.7.8 Authentication credentials invalid)"),
])
def test_a_login_refused_for_now_is_tried_again_and_one_refused_for_good_stops(
        connect, scripted, answer, error, said):
    server = scripted(lambda verb, mails: b"250-scripted\r\n250 AUTH PLAIN\r\n" if verb == "EHLO"
                      else answer if verb == "AUTH" else b"250 OK\r\n")
    smtp = connect({"SMTP_USERNAME": "writer", "SMTP_PASSWORD": "pa55-SECRET"}, port=server.port)

    with pytest.raises(error) as caught:
        smtp.send_batch(make_messages(smtp.settings, ADDRESSES[:1]))
    assert said in str(caught.value) and "pa55-SECRET" not in str(caught.value)
    assert ("check SMTP_USERNAME and SMTP_PASSWORD" in str(caught.value)) is (error is AuthError)


@pytest.mark.parametrize("reply", [  # Postfix tells its client restrictions at RCPT
    "554 5.7.1 <unknown[127.0.0.1]>: Client host rejected: Access denied",
    "504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname",
    "554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org",
])
def test_a_server_refusing_this_machine_stops_the_run_instead_of_failing_every_reader(
        connect, smtp_server, reply):
    mailbox, _ = smtp_server
    for address in ADDRESSES:
        mailbox.rcpt_replies[address] = reply
    smtp = connect()

    with pytest.raises(AuthError, match="for the recipient: " + re.escape(reply[4:])) as caught:
        smtp.send_batch(make_messages(smtp.settings, ADDRESSES[:1]))
    assert caught.value.hint == ("the server refuses mail from this machine (its address, its "
                                 "name, or a block list): ask its administrator, or send "
                                 "through another server")
    assert mailbox.received == []


def test_check_online_takes_a_login_whose_quit_goes_unanswered(site, scripted):
    # The login worked; a server that hangs up at QUIT without its 221 crashed `check --online`.
    server = scripted(lambda verb, mails: b"250-scripted\r\n250 AUTH PLAIN\r\n" if verb == "EHLO"
                      else b"235 2.7.0 Authentication successful\r\n" if verb == "AUTH"
                      else None if verb == "QUIT" else b"250 OK\r\n")
    write_provider_settings(site, name="smtp", host="127.0.0.1", port=server.port,
                            security="none", timeout=10)
    environ = {"NEWSLETTER_SECRET": "s", "SMTP_USERNAME": "writer", "SMTP_PASSWORD": "pa55-SECRET"}

    assert key_findings(site, environ) == []
