"""Signed, expiring confirmation links for sign-ups (double opt-in).

A token is ``<payload>.<mac>``, both base64url: the payload is ``<issued unix time>:<sign-up
id>:<address>``, the MAC an HMAC-SHA256 of it under NEWSLETTER_SECRET with its own purpose
string, so no other token the tool makes (unsubscribe links) can pass for one. It expires
``signup.confirm_within`` after it was issued. The sign-up id is the sign-up's row in the
journal: a token confirms that sign-up only, and only while the journal says it is unspent
(:meth:`newsletter.web.signup_journal.SignupJournal.spend`).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import time

from newsletter.records import record

PURPOSE = b"confirm-subscription\n"
MAC_BYTES = 16  # 128 bits: unguessable, short enough for a link
MAX_TOKEN = 600  # a token for the longest address (254 characters) is about 380
CLOCK_SKEW = 300  # seconds a token may seem to come from the future (several servers)


class TokenError(Exception):
    """A confirmation token that is not ours (``forged``) or too old (``expired``)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@record(frozen=True)
class Confirmation:
    """What a valid token asks: confirm sign-up ``signup_id``, of ``address``."""

    signup_id: int
    address: str


def make_confirm_token(secret: str, signup_id: int, address: str,
                       issued: float | None = None) -> str:
    """The token that confirms sign-up ``signup_id`` of ``address``, issued now (or at
    ``issued``, Unix time)."""
    payload = f"{int(time.time() if issued is None else issued)}:{signup_id}:{address}".encode()
    return f"{_encode(payload)}.{_encode(_mac(secret, payload))}"


def read_confirm_token(secret: str, token: str, lifetime: float,
                       now: float | None = None) -> Confirmation:
    """What a valid token confirms; TokenError("forged") or TokenError("expired") (a token
    of the earlier form, without a sign-up id, counts as expired: it may not be spent)."""
    encoded, _, mac = token.partition(".")
    if len(token) > MAX_TOKEN or not mac:
        raise TokenError("forged")
    try:
        payload, given = _decode(encoded), _decode(mac)
    except (binascii.Error, ValueError):
        raise TokenError("forged") from None
    if not hmac.compare_digest(_mac(secret, payload), given):
        raise TokenError("forged")
    issued, _, rest = payload.decode("utf-8", "replace").partition(":")
    signup_id, _, address = rest.partition(":")
    now = time.time() if now is None else now
    if not issued.isdigit() or not rest or int(issued) > now + CLOCK_SKEW:
        raise TokenError("forged")  # signed by us, so never seen: refuse rather than guess
    if now - int(issued) > lifetime or not signup_id.isdigit() or not address:
        raise TokenError("expired")
    return Confirmation(int(signup_id), address)


def _mac(secret: str, payload: bytes) -> bytes:
    return hmac.digest(secret.encode(), PURPOSE + payload, "sha256")[:MAC_BYTES]


def _encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _decode(text: str) -> bytes:
    if not text.isascii():
        raise ValueError("not base64")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
