"""Signed unsubscribe tokens: an HMAC of the reader's address under NEWSLETTER_SECRET."""

from __future__ import annotations

import base64
import hmac
import logging
from typing import TYPE_CHECKING

from newsletter.addresses import address_key
from newsletter.errors import ConfigError

if TYPE_CHECKING:
    from newsletter.config import Settings

logger = logging.getLogger(__name__)

# DEVELOPMENT ONLY. Signs unsubscribe links when NEWSLETTER_SECRET is unset and the provider is
# the local outbox, so the example site works out of the box. Anyone can forge links signed with
# it, so a real provider refuses to start without NEWSLETTER_SECRET (see signing_secret()).
DEVELOPMENT_SECRET = "newsletter-development-secret--not-for-real-mail--set-NEWSLETTER_SECRET"
TOKEN_BYTES = 16  # 128 bits of HMAC-SHA256: unguessable, and short enough for a URL
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
        hint="set NEWSLETTER_SECRET to a long random string (it signs unsubscribe links)",
    )


def make_token(secret: str, address: str) -> str:
    """The unsubscribe token of ``address``: an HMAC of the address, case-insensitive."""
    # hmac.digest: the same bytes as hmac.new(...).digest(), in one C call.
    digest = hmac.digest(secret.encode(), b"unsubscribe\n" + address_key(address).encode(), "sha256")
    return base64.urlsafe_b64encode(digest[:TOKEN_BYTES]).rstrip(b"=").decode()


def verify_token(secret: str, address: str, token: str) -> bool:
    """True if ``token`` was made for ``address`` with ``secret`` (constant-time comparison)."""
    expected = make_token(secret, address).encode()
    return hmac.compare_digest(expected, token.encode("utf-8", "replace"))
