"""The message itself over SMTP (real servers on 127.0.0.1): preview's bytes, dot-stuffing,
and where a lost connection leaves it. Until DATA is answered 354, and while the message's end mark has not
left, the server has taken nothing: the message is tried again, never left in doubt."""

from __future__ import annotations

import re
import socket
import threading
import time

import pytest
from conftest import invoke
from fake_providers import StandInEmail, make_messages, write_provider_settings
from test_smtp import ADDRESSES, connect, smtp_server  # noqa: F401

from newsletter.errors import TransientError
from newsletter.message import SAMPLE_ADDRESS


def test_lines_that_start_with_a_dot_arrive_as_written(connect, smtp_server):
    mailbox, _ = smtp_server
    smtp = connect()
    email = StandInEmail(
        text="Hello {email}.\n.hidden files first\n..and two dots\n{unsubscribe_url}\n")
    [message] = make_messages(smtp.settings, ADDRESSES[:1], email)

    assert smtp.send_batch([message])[0].status == "sent"
    assert b"\r\n.hidden files first\r\n..and two dots\r\n" in message.as_bytes()
    assert mailbox.received[0][1] == message.as_bytes()  # the server took the dots off again


def _scripted_server(last: bytes, last_reply: bytes = b""):
    """An SMTP server on 127.0.0.1 that answers 250 to each command, and at ``last`` sends
    ``last_reply`` (if any) and closes the connection, reading nothing more."""
    server = socket.create_server(("127.0.0.1", 0))

    def serve():
        with server.accept()[0] as client, client.makefile("rb") as lines:
            client.sendall(b"220 scripted\r\n")
            for line in lines:
                if line.split()[0].upper() == last:
                    client.sendall(last_reply)
                    return
                client.sendall(b"250 OK\r\n")

    threading.Thread(target=serve, daemon=True).start()
    return server


def test_a_connection_lost_at_the_data_command_is_tried_again(connect):
    server = _scripted_server(b"DATA")  # closes at DATA, answering nothing
    try:
        smtp = connect(port=server.getsockname()[1])
        with pytest.raises(TransientError, match="lost before sending"):
            smtp.send_batch(make_messages(smtp.settings, ADDRESSES[:1]))
    finally:
        server.close()


def test_a_connection_lost_before_the_message_ended_is_tried_again(connect):
    # The server closes after its 354: the message's end mark (CRLF.CRLF) never leaves.
    server = _scripted_server(b"DATA", b"354 go ahead\r\n")
    email = StandInEmail(  # about 5 MB: more than the sockets' buffers take
        text="Hello {email}.\n" + ("z" * 70 + "\n") * 70_000 + "{unsubscribe_url}\n")
    try:
        smtp = connect(port=server.getsockname()[1])
        with pytest.raises(TransientError, match="lost before the message ended"):
            smtp.send_batch(make_messages(smtp.settings, ADDRESSES[:1], email))
    finally:
        server.close()


def test_a_large_post_over_a_slow_link_is_not_cut_off_by_the_timeout(connect):
    """provider.timeout bounds each wait, not a whole upload (Python's socket timeout would):
    the server here takes in nothing for a while after its 354, as a slow uplink would."""
    server = socket.create_server(("127.0.0.1", 0))
    received = []

    def serve():
        with server.accept()[0] as client, client.makefile("rb") as lines:
            client.sendall(b"220 slow\r\n")
            for line in lines:
                if line.upper().startswith(b"DATA"):
                    client.sendall(b"354 go ahead\r\n")
                    time.sleep(1)  # longer than the timeout, shorter than the upload may take
                    received.append(b"".join(iter(lines.readline, b".\r\n")))
                    client.sendall(b"250 taken\r\n")
                elif line.upper().startswith(b"QUIT"):
                    return
                else:
                    client.sendall(b"250 OK\r\n")

    threading.Thread(target=serve, daemon=True).start()
    email = StandInEmail(  # about 5 MB: more than the sockets' buffers take
        text="Hello {email}.\n" + ("z" * 70 + "\n") * 70_000 + "{unsubscribe_url}\n")
    try:
        smtp = connect(port=server.getsockname()[1], timeout=0.3)
        [message] = make_messages(smtp.settings, ADDRESSES[:1], email)
        assert smtp.send_batch([message])[0].status == "sent"
        smtp.close()
    finally:
        server.close()
    assert received == [message.as_bytes()]


def test_the_bytes_a_reader_gets_are_the_previews_message_eml(site, smtp_server):
    """`preview`'s message.eml is the message as sent: over SMTP only its Date, Message-ID and
    MIME boundaries (random for each message) differ, inline picture included."""
    mailbox, port = smtp_server
    (site / "subscribers" / "subscribers.csv").write_text(
        f"email,name,status\n{SAMPLE_ADDRESS},Sample Reader,active\nann@example.com,Ann,active\n")
    write_provider_settings(site, name="smtp", host="127.0.0.1", port=port, security="none")
    environ = {"NEWSLETTER_SECRET": "s" * 32}
    assert invoke(site, "preview", "what-matters", "--out", str(site / "shown"),
                  env=environ).exit_code == 0
    assert invoke(site, "send", "what-matters", "--yes", env=environ).exit_code == 0

    [received] = [data for rcpt, data in mailbox.received if rcpt == [SAMPLE_ADDRESS]]
    shown = (site / "shown" / "what-matters" / "message.eml").read_bytes()
    assert b"Content-ID: <" in shown  # the post's picture, inline
    assert _unstamped(received) == _unstamped(shown)


def _unstamped(message: bytes) -> bytes:
    """``message`` without what differs between two builds of it."""
    message = re.sub(rb"(?m)^(Date|Message-ID): .*\r\n", b"", message)
    return re.sub(rb"=_nl_[0-9a-f]+", b"=_nl_", message)
