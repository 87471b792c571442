"""Unsubscribe tokens: the reader's address, encrypted and signed under NEWSLETTER_SECRET.

A token is one opaque string that names the reader by itself (RFC 8058 one-click requests carry
no cookies), so the unsubscribe URL never shows the address: an address in a URL lands in server
logs and referrers, and spam filters count it against the message (docs/email.md#one-click-unsubscribe).
It is AES-SIV (RFC 5297) over the address, keyed from the secret: deterministic (a reader's
link is the same in every newsletter), tamper-proof (a changed character fails to decrypt),
and unreadable without the secret.

Links mailed before the token held the address carry ``email=`` and an HMAC of the address
(:func:`verify_legacy_token`); `newsletter serve` keeps accepting them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

from newsletter.addresses import address_key
from newsletter.errors import ConfigError

if TYPE_CHECKING:
    from newsletter.config import Settings

logger = logging.getLogger(__name__)

# DEVELOPMENT ONLY. Signs unsubscribe links when NEWSLETTER_SECRET is unset and the provider is
# the local outbox, so the example site works out of the box. Anyone can forge links signed with
# it, so a real provider refuses to start without NEWSLETTER_SECRET (see signing_secret()).
DEVELOPMENT_SECRET = "newsletter-development-secret--not-for-real-mail--set-NEWSLETTER_SECRET"
MAKE_SECRET = """`python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`"""
LEGACY_TOKEN_BYTES = 16  # 128 bits of HMAC-SHA256 in the links of the ?email=&token= kind
# An address is at most 254 characters, 4 bytes each in UTF-8; with the 16-byte tag in base64.
MAX_TOKEN_LENGTH = (16 + 254 * 4) * 4 // 3 + 4
_PURPOSE = [b"newsletter unsubscribe"]  # associated data: a token made for nothing else
_URL_SAFE = bytes.maketrans(b"+/", b"-_")  # base64's alphabet to the URL-safe one


def signing_secret(settings: Settings) -> str:
    """The secret for unsubscribe tokens: NEWSLETTER_SECRET, or the development one for the outbox."""
    secret = settings.secrets.get("NEWSLETTER_SECRET")
    if secret:
        return secret
    if settings.provider.name == "outbox":
        logger.debug("NEWSLETTER_SECRET is not set: the outbox signs with the development secret")
        return DEVELOPMENT_SECRET
    raise ConfigError(
        f"NEWSLETTER_SECRET is not set; provider {settings.provider.name} sends real mail",
        where="environment",
        hint=f"make one with {MAKE_SECRET} and set NEWSLETTER_SECRET to it wherever newsletter "
             "runs, the same one for good (it signs unsubscribe links)",
    )


class UnsubscribeTokens:
    """Makes and reads the opaque unsubscribe tokens of one secret."""

    def __init__(self, secret: str):
        # A 512-bit key (AES-256-SIV), derived so that the secret itself is never the key.
        key = hmac.digest(secret.encode(), b"newsletter unsubscribe token key", hashlib.sha512)
        self._siv = AESSIV(key)

    def make(self, address: str) -> str:
        """The token of ``address``: URL-safe base64, no padding."""
        return self.make_all([address])[0]

    def make_all(self, addresses: list[str]) -> list[str]:
        """:meth:`make` of each address, the base64 of all of them turned URL-safe at once
        (base64 holds no line break, and "=" only as padding): a first send makes a token a
        reader, and the calls around the cipher were a fifth of a token's cost (a third of
        them are left; the cipher's own call is the rest, docs/performance.md)."""
        if not addresses:
            return []
        encrypt, purpose, b2a = self._siv.encrypt, _PURPOSE, binascii.b2a_base64
        sealed = b"\n".join([b2a(encrypt(address.encode(), purpose), newline=False)
                             for address in addresses])
        return sealed.replace(b"=", b"").translate(_URL_SAFE).decode("ascii").split("\n")

    def read(self, token: str) -> str | None:
        """The address ``token`` was made for, or None if it was not made with this secret."""
        if not token or len(token) > MAX_TOKEN_LENGTH or not token.isascii():
            return None
        try:
            sealed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            return self._siv.decrypt(sealed, _PURPOSE).decode("utf-8")
        except (binascii.Error, ValueError, InvalidTag):  # garbled, too short, forged, not UTF-8
            return None


def legacy_token(secret: str, address: str) -> str:
    """The token of links mailed as ``?email=...&token=...``: an HMAC of the address."""
    # hmac.digest: the same bytes as hmac.new(...).digest(), in one C call.
    digest = hmac.digest(secret.encode(), b"unsubscribe\n" + address_key(address).encode(), "sha256")
    return base64.urlsafe_b64encode(digest[:LEGACY_TOKEN_BYTES]).rstrip(b"=").decode()


def verify_legacy_token(secret: str, address: str, token: str) -> bool:
    """True if ``token`` is the :func:`legacy_token` of ``address`` (constant-time comparison)."""
    expected = legacy_token(secret, address).encode()
    return hmac.compare_digest(expected, token.encode("utf-8", "replace"))
