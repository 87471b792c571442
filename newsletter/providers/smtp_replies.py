"""What an SMTP server's answers and failures mean for a send (docs/providers.md#smtp).

A refusal about us, not the reader (our sender, our right to relay, this machine, the account's
quota, the post's size) would meet every reader alike, as would a connection no retry can make
(a certificate this machine does not trust, TLS settings that do not match the port, a server
refusing this machine): the adapter stops the run on them, naming what to change, rather than
trying each reader in turn, or failing each one.
"""

from __future__ import annotations

import re
import smtplib
import ssl

from newsletter.errors import AuthError, ProviderError, QuotaError, TransientError

# A refused recipient that is about us, not the reader (Postfix "Relay access denied",
# Sendmail "Relaying denied", Exim "relay not permitted", Exchange "Unable to relay").
RELAY_DENIED = re.compile(r"relay(ing)?( access)? (denied|not permitted|not allowed)"
                          r"|unable to relay", re.IGNORECASE)
# Likewise this machine refused: Postfix tells its client and HELO restrictions at RCPT
# ("Client host rejected", "Helo command rejected"), a block list names our address
# ("Client host [192.0.2.1] blocked using zen.spamhaus.org").
MACHINE_REFUSED = re.compile(r"client host (\[[^\]]*\] )?(rejected|blocked)"
                             r"|helo command rejected|blocked using", re.IGNORECASE)
# The account's sending quota, used up ("454 Throttling failure: Daily message quota exceeded"
# from Amazon SES, "550 5.4.5 Daily user sending quota exceeded" from Gmail); not a reader's
# full mailbox ("552 5.2.2 Mailbox quota exceeded", "over quota").
SENDING_QUOTA = re.compile(r"(daily|sending|message|submission) ?quota|daily (sending )?limit"
                           r"|sending limit", re.IGNORECASE)
MAILBOX_FULL = re.compile(r"\b[45]\.2\.2\b")  # RFC 3463: mailbox full
# RFC 3463 X.3.4, "message too big for system": the server's limit, the same for every reader
# (X.2.3, a mailbox's own limit, stays that reader's).
TOO_LARGE = re.compile(r"(?<![\d.])5\.3\.4(?![\d.])")
SMALLER = ("make the post's images fewer or smaller (each message carries them), or send "
           "through a server that takes larger messages")


def reply_text(reply: bytes | str) -> str:
    """A server's reply as text."""
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def server_words(exc: Exception) -> str:
    """What a failure says: the server's code and words for a refused command
    (``(554, b'...')`` as the server put it), else the error's own text."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {reply_text(exc.smtp_error)}"
    return str(exc)


def quota_used_up(reason: str) -> bool:
    """The reply says the account may send no more for now; never for a reader's full mailbox
    (x.2.2), whatever its words: each run would stop at that reader again."""
    return bool(SENDING_QUOTA.search(reason)) and not MAILBOX_FULL.search(reason)


def names_address(text: str, address: str) -> bool:
    """``address`` appears in ``text`` as a whole address (not inside mary.jane@...)."""
    return re.search(rf"(?<![\w.+-]){re.escape(address)}(?![\w.-])", text, re.I) is not None


def refusal(reason: str, what: str, code: int, host: str, login: bool, sender: str,
            reader: str) -> ProviderError | None:
    """The error for a refusal (``what``: sender, recipient or message) that is not the
    reader's alone: one every reader would meet stops the run, a 4xx is tried again; None for
    a 5xx that rejects this reader's message."""
    if quota_used_up(reason):  # no short wait clears it: stop, readers stay pending
        return QuotaError(reason, hint=f"{host}'s sending quota is used up; the readers left "
                                       "are sent by a later run")
    if what == "recipient" and RELAY_DENIED.search(reason):  # every reader, 454 or 554
        return AuthError(reason, hint="the server passes on mail only from those it knows: " + (
            "let this login send to other domains" if login else
            "set SMTP_USERNAME and SMTP_PASSWORD, or let this machine send through it"))
    if what != "sender" and MACHINE_REFUSED.search(reason):
        return AuthError(reason, hint="the server refuses mail from this machine (its address, "
                                      "its name, or a block list): ask its administrator, or "
                                      "send through another server")
    if 400 <= code < 500:
        return TransientError(reason)
    if what == "message" and TOO_LARGE.search(reason):  # no SIZE said so: every reader alike
        return AuthError(reason, hint=SMALLER)
    if code == 530:  # RFC 4954 and 3207: log in, or STARTTLS, first (at MAIL, RCPT...)
        return AuthError(reason, hint="the server wants a login or STARTTLS first: check "
                                      "SMTP_USERNAME, SMTP_PASSWORD and provider.security")
    if what == "sender" or (reader.lower() != sender.lower() and names_address(reason, sender)):
        # Postfix tells a refused sender at RCPT ("Sender address rejected: not owned by
        # user"), Amazon SES after DATA ("identities failed the check: <from>").
        return AuthError(reason, hint="check email.from and the server's sender rules")
    return None


def lasting_failure(exc: Exception, connection: smtplib.SMTP | None, where: str, said: str,
                    security: str, timeout: float) -> AuthError | None:
    """The AuthError for a failure to connect, greet, secure or log in that trying again
    cannot help; None when a retry may (``connection``: None until the server greeted us)."""
    if isinstance(exc, smtplib.SMTPAuthenticationError) and exc.smtp_code >= 500:
        # The server's words say why: Gmail's "534 5.7.9 Application-specific password
        # required", Microsoft 365's "535 5.7.139 ... SmtpClientAuthentication is disabled".
        return AuthError(f"smtp: {where} refused the login ({said})",
                         hint="check SMTP_USERNAME and SMTP_PASSWORD")
    if isinstance(exc, smtplib.SMTPNotSupportedError):  # smtplib: "STARTTLS extension not..."
        if "STARTTLS" in said:  # refused before the password could go out unencrypted
            return AuthError(f"smtp: {where} offers no STARTTLS: nothing would be encrypted",
                             hint="check provider.host and provider.port (submission servers "
                                  "offer STARTTLS on 587)")
        return AuthError(f"smtp: {where} offers no login (no AUTH)",
                         hint="unset SMTP_USERNAME and SMTP_PASSWORD for a server that takes "
                              "mail without one; else check provider.port (587 or 465)")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return AuthError(
            f"smtp: {where} showed a certificate this machine does not trust ({said})",
            hint="set provider.host to the name on the server's certificate; for a relay "
                 "with a certificate of its own, set SSL_CERT_FILE to that certificate")
    if isinstance(exc, ssl.SSLError) and not isinstance(
            exc, (ssl.SSLEOFError, ssl.SSLZeroReturnError, ssl.SSLSyscallError)):
        hint = ('port 587 and 25 speak plain SMTP first: use security = "starttls"'
                if security == "ssl" else "check provider.security and provider.port")
        return AuthError(f"smtp: no TLS with {where} ({said})", hint=hint)
    if isinstance(exc, smtplib.SMTPConnectError) and exc.smtp_code >= 500:
        return AuthError(f"smtp: {where} refuses connections from this machine ({said})",
                         hint="check provider.host, and that the server lets this machine send")
    if isinstance(exc, smtplib.SMTPServerDisconnected) and connection is None and (
            security != "ssl" and "timed out" in said):
        # Connected, but no 220: most often port 465, which waits for our TLS handshake as
        # we wait for its greeting. (No connection at all, a firewall's: a retry may help.)
        return AuthError(f"smtp: {where} sent no greeting in {timeout:g} s",
                         hint='a port that expects TLS from the start (465) needs security = '
                              '"ssl"; else check provider.host and provider.port')
    if connection is not None and "No suitable authentication method" in said:
        offered = connection.esmtp_features.get("auth", "").strip() or "none"
        return AuthError(f"smtp: {where} offers no login smtplib can do (AUTH {offered})",
                         hint="use a server or account that takes AUTH PLAIN or LOGIN")
    return None
