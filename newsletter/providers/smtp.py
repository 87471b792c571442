"""SMTP with the standard library: the MIME bytes of each message, on a reused connection.

Why ``max_batch = 1``: an SMTP server answers each message (and each recipient) on its own,
and the adapter contract has one error per batch. With one message per batch every outcome
maps exactly: accepted (250) -> sent; a 5xx for the recipient or content -> rejected (for the
sender, or one that names our sender -> ``AuthError``); a 4xx -> ``TransientError`` (nothing
accepted, try later); a connection lost before the message's end mark left ->
``TransientError``; lost after it, before the reply -> ``InDoubtError``. A batch of several
could not say "the first two were accepted, the third may have been" without new result
kinds. Speed comes from keeping the connection open across batches (one per sending thread),
not from batching.
"""

from __future__ import annotations

import re
import smtplib
import ssl
import threading
import time
from typing import TYPE_CHECKING, Callable

from newsletter.errors import (
    AuthError,
    ConfigError,
    InDoubtError,
    ProviderError,
    TransientError,
)
from newsletter.providers.base import Provider, Result
from newsletter.providers.declaration import Declaration
from newsletter.providers.smtp_replies import (
    SMALLER,
    lasting_failure,
    refusal,
    reply_text,
    server_words,
)

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.message import Message

DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
LOOPBACK = ("localhost", "127.0.0.1", "::1")
# Connections that failed in a row (a host that does not resolve, nothing on the port) before
# the run stops: as many as every batch in flight retrying to the end (4 threads, 5 tries),
# where each of the list's readers, one a batch, would otherwise be tried five times in turn.
CONNECT_TRIES = 20
LEADING_DOT = re.compile(rb"(?m)^\.")
UPLOAD_RATE = 32_000  # bytes a second a message's upload may be as slow as (1 Mbit/s, 4 threads)
IDLE_CHECK = 10.0  # seconds idle after which a kept connection is checked with NOOP first


class SmtpProvider(Provider):
    """Any SMTP server: STARTTLS, implicit TLS or plain (local relays only, for passwords)."""

    name = "smtp"
    max_batch = 1  # see the module docstring

    def __init__(self, settings: Settings):
        super().__init__(settings)
        provider = settings.provider
        self.host, self.security, self.timeout = provider.host, provider.security, provider.timeout
        self.port = provider.port or DEFAULT_PORTS[self.security]
        try:  # as the socket module will: else every batch fails alike, as if it were a bug
            self.host.encode("idna")
        except UnicodeError:
            raise ConfigError(f"provider.host {self.host!r} is not a host name",
                              where="newsletter.toml", hint="a part between dots is empty, or "
                              "longer than 63 characters: check it for typos") from None
        self.username = settings.secrets.get("SMTP_USERNAME")
        self._password = settings.secrets.get("SMTP_PASSWORD")
        if bool(self.username) != bool(self._password):
            raise ConfigError("SMTP_USERNAME and SMTP_PASSWORD must be set together",
                              where="environment")
        if not f"{self.username or ''}{self._password or ''}".isascii():
            # smtplib encodes the login as ASCII: it would fail mid-send with a traceback.
            raise ConfigError("SMTP_USERNAME or SMTP_PASSWORD holds characters that are not ASCII",
                              where="environment", hint="smtplib can only send an ASCII login")
        if self._password and self.security == "none" and self.host not in LOOPBACK:
            raise ConfigError(
                f"provider.security = \"none\" would send SMTP_PASSWORD to {self.host} unencrypted",
                where="newsletter.toml", hint='use security = "starttls" or "ssl"')
        self.envelope_from = settings.email.from_address
        self._local = threading.local()
        self._open: list[smtplib.SMTP] = []
        self._lock = threading.Lock()
        self._failed_connects = 0  # in a row, over every thread

    def __repr__(self) -> str:
        return f"<SmtpProvider {self.host}:{self.port} password hidden>"

    def describe(self) -> str:
        login = ", with login" if self.username else ""
        return f"smtp ({self.host}:{self.port}, {self.security}{login})"

    def send_batch(self, messages: list[Message]) -> list[Result]:
        return self.sender(messages)()

    def sender(self, messages: list[Message]) -> Callable[[], list[Result]]:
        """The messages' bytes built now, before any command: a failure here sent nothing."""
        built = [(message, message.as_bytes()) for message in messages]
        return lambda: [self._send(message, data) for message, data in built]

    def _send(self, message: Message, data: bytes) -> Result:
        connection = self._connection()
        options = []
        if not (self.envelope_from + message.to_address).isascii():  # RFC 6531
            if not connection.has_extn("smtputf8"):
                return self._no_smtputf8()
            options.append("SMTPUTF8")
        self._check_size(connection, data)
        try:
            # Envelope first: a refusal here means nothing was accepted for this message.
            code, reply = connection.mail(self.envelope_from, options)
            if code != 250:
                return self._refused(connection, "sender", code, reply)
            code, reply = connection.rcpt(message.to_address)
            if code not in (250, 251):
                return self._refused(connection, "recipient", code, reply, message.to_address)
            # Until DATA is answered 354, nothing of the message has left (lost here: resend).
            code, reply = connection.docmd("data")
            if code != 354:
                return self._refused(connection, "message", code, reply, message.to_address)
        except (smtplib.SMTPException, OSError) as exc:
            raise self._lost(connection, exc, TransientError, "before sending") from None
        block = _data_block(data)
        try:  # a send that fails never wrote its last bytes, the end mark: nothing was taken
            # Python's timeout bounds the whole upload: a large post's, over a slow uplink,
            # gets as long as UPLOAD_RATE takes.
            connection.sock.settimeout(self.timeout + len(block) / UPLOAD_RATE)
            connection.send(block)
        except (smtplib.SMTPException, OSError) as exc:
            raise self._lost(connection, exc, TransientError, "before the message ended") from None
        try:
            connection.sock.settimeout(self.timeout)
            code, reply = connection.getreply()
        except (smtplib.SMTPException, OSError) as exc:
            raise self._lost(connection, exc, InDoubtError, "while sending") from None
        if not (200 <= code < 300 or 400 <= code < 600):  # none (-1), or one out of turn
            self._discard(connection)
            raise InDoubtError(f"smtp: {self.host} gave no reply that says whether it took the "
                               f"message ({self.provider_text(reply_text(reply))})")
        if code >= 400:  # RFC 5321 4.2: the first digit decides (a 251 took it too)
            return self._refused(connection, "message", code, reply, message.to_address)
        self._local.used = time.monotonic()
        self._failed_connects = 0  # in reach: only failures in a row count
        return Result.sent(message.message_id)

    def _lost(self, connection: smtplib.SMTP, exc: Exception, kind: type[ProviderError],
              when: str) -> ProviderError:
        """The error for a connection that broke ``when``; the next message opens a new one."""
        self._discard(connection)
        return kind(f"smtp: connection to {self.host} lost {when} ({self.provider_text(exc)})")

    def _check_size(self, connection: smtplib.SMTP, data: bytes) -> None:
        """Stop before a message larger than the server's SIZE (RFC 1870; Postfix's default is
        10 MB): it would be uploaded for every reader only to be refused with a 552 each time,
        and every reader would fail."""
        limit = connection.esmtp_features.get("size", "").strip()
        if limit.isdigit() and 0 < int(limit) < len(data):
            raise AuthError(f"smtp: {self.host} takes messages of up to {int(limit):,} bytes; "
                            f"this post's are {len(data):,}", hint=SMALLER)

    def _no_smtputf8(self) -> Result:
        """An address that is not ASCII (in the envelope and the headers), to a server without
        SMTPUTF8: the sender's stops the run, a reader's fails that reader alone."""
        problem = (f"smtp: {self.host} takes no address with characters that are not ASCII "
                   "(it offers no SMTPUTF8)")
        if not self.envelope_from.isascii():
            raise AuthError(f"{problem}; email.from is {self.envelope_from}",
                            hint="send from an ASCII address, or through a server with SMTPUTF8")
        return Result.rejected(problem)

    def _refused(self, connection: smtplib.SMTP, what: str, code: int, reply: bytes | str,
                 reader: str = "") -> Result:
        """A 5xx rejects the message for good, a 4xx says try later (nothing accepted); one about
        us, not the reader, stops the run (``refusal``)."""
        reason = f"smtp {code} for the {what}: {self.provider_text(reply_text(reply))}"
        # 421: the server is closing the connection; a 4xx for our sender is most often about
        # this connection (messages a session, Exim's 421/452): the retry opens a new one.
        done_with = code == 421 or (what == "sender" and 400 <= code < 500)
        try:
            if done_with:
                connection.quit()
            else:
                connection.rset()
        except (smtplib.SMTPException, OSError):
            done_with = True
        if done_with:
            self._discard(connection)
        error = refusal(reason, what, code, self.host, bool(self.username),
                        self.envelope_from, reader)
        if error is not None:
            raise error
        return Result.rejected(reason)

    def _connection(self) -> smtplib.SMTP:
        """This thread's open connection, checked with NOOP after a pause; else a new one."""
        connection = getattr(self._local, "connection", None)
        if connection is not None and time.monotonic() - self._local.used > IDLE_CHECK:
            try:
                if connection.noop()[0] != 250:
                    raise smtplib.SMTPServerDisconnected("NOOP refused")
            except (smtplib.SMTPException, OSError):
                self._discard(connection)
                connection = None
        if connection is None:
            connection = self._connect()
            self._local.connection, self._local.used = connection, time.monotonic()
            with self._lock:
                self._open.append(connection)
        return connection

    def _connect(self) -> smtplib.SMTP:
        connection = None  # until the server greeted us (smtplib raises for all but a 220)
        try:
            if self.security == "ssl":
                connection = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                              context=ssl.create_default_context())
            else:
                connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            connection.ehlo()
            if self.security == "starttls":
                connection.starttls(context=ssl.create_default_context())
                connection.ehlo()
            if self.username:
                connection.login(self.username, self._password)
        except (smtplib.SMTPException, OSError) as exc:
            if connection is not None:
                connection.close()
            raise self._connect_failure(exc, connection) from None
        self._failed_connects = 0
        return connection

    def _connect_failure(self, exc: Exception,
                         connection: smtplib.SMTP | None) -> AuthError | TransientError:
        """What a failure to connect, greet, secure or log in means: an AuthError (the run
        stops) where trying again, reader after reader, cannot help; else a TransientError."""
        where, said = f"{self.host}:{self.port}", self.provider_text(server_words(exc))
        stop = lasting_failure(exc, connection, where, said, self.security, self.timeout)
        if stop is not None:
            return stop
        if isinstance(exc, smtplib.SMTPAuthenticationError):  # a 4xx: the server's, for now
            return TransientError(f"smtp: {where} refused the login for now ({said})")
        failures = 0
        if not isinstance(exc, smtplib.SMTPResponseException):  # "421 busy" is in reach
            with self._lock:
                self._failed_connects += 1
                failures = self._failed_connects
        if failures >= CONNECT_TRIES:
            return AuthError(f"smtp: cannot connect to {where} ({said}); {failures} tries in a "
                             "row failed", hint="check provider.host and provider.port; the "
                                                "readers left are sent by the next run")
        return TransientError(f"smtp: cannot connect to {where} ({said})")

    def _discard(self, connection: smtplib.SMTP) -> None:
        """Forget a broken connection (the next message opens a new one)."""
        if getattr(self._local, "connection", None) is connection:
            self._local.connection = None
        with self._lock:
            if connection in self._open:
                self._open.remove(connection)
        connection.close()

    def close(self) -> None:
        """Say QUIT on every open connection."""
        with self._lock:
            connections, self._open = self._open, []
        for connection in connections:
            _hang_up(connection)
        self._local = threading.local()


def _hang_up(connection: smtplib.SMTP) -> None:
    """QUIT, and close the connection whatever the server answers (or if it answers nothing)."""
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError):
        connection.close()


def _data_block(data: bytes) -> bytes:
    """The message as DATA sends it (RFC 5321 4.5.2): a line's leading "." doubled, and the
    end of data, CRLF "." CRLF (what ``smtplib.SMTP.data`` writes after its 354)."""
    stuffed = LEADING_DOT.sub(b"..", data)
    return stuffed + (b".\r\n" if stuffed.endswith(b"\r\n") else b"\r\n.\r\n")


def check_key(provider: SmtpProvider) -> str | None:
    """`check --online`: connect, STARTTLS and log in as a send would, then QUIT; nothing is
    sent. An AuthError when the login (or STARTTLS) is refused."""
    _hang_up(provider._connect())
    return None


DECLARATION = Declaration(
    SmtpProvider,
    secrets=("SMTP_USERNAME", "SMTP_PASSWORD"),
    settings=("host", "port", "security"),
    check_key=check_key,
)
