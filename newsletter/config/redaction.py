"""Hiding secrets in text that came from outside: a provider's error, a server's reply, a bug.

A key travels in more forms than one, and a provider may echo any of them back: as it is (also
after ``Bearer``), URL-encoded, or base64-encoded inside a longer value (HTTP Basic sends
``base64("api:KEY")``, SMTP AUTH PLAIN ``base64("\\0user\\0password")``). Every form is hidden
*before* the text is cut short: cutting first can leave the front of a key at the cut, where no
search for the whole key finds it (docs/providers.md#secrets-in-provider-answers).
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from urllib.parse import quote, quote_plus

HIDDEN = "<hidden>"
SHORTEST_SECRET = 4  # shorter values would hide ordinary words, and protect nothing


def redact(text: str, secrets: tuple[str, ...], limit: int | None = None) -> str:
    """``text`` with every form of every secret replaced by ``<hidden>``, then cut to ``limit``."""
    pattern = _pattern(secrets)
    if pattern is not None:
        text = pattern.sub(HIDDEN, text)
    return text if limit is None else text[:limit]


@lru_cache(maxsize=8)
def _pattern(secrets: tuple[str, ...]) -> re.Pattern | None:
    forms = {form for secret in secrets for form in secret_forms(secret)}
    if not forms:
        return None
    # Longest first, so a form that contains another is hidden whole.
    return re.compile("|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True)))


def secret_forms(secret: str) -> set[str]:
    """The strings that give ``secret`` away: raw, URL-encoded, and its base64 at any offset."""
    forms = {secret, quote(secret, safe=""), quote_plus(secret)}
    data = secret.encode("utf-8")
    # base64 turns 3 bytes into 4 characters, so inside base64(prefix + secret + suffix) the
    # secret's characters depend on len(prefix) % 3. For each offset, keep the characters made
    # from the secret's bits alone: they appear whatever surrounds it.
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + data).decode("ascii")
        first = -(-8 * offset // 6)  # the first character with no bit of the padding
        last = 8 * (offset + len(data)) // 6  # past the last character with no bit after it
        core = encoded[first:last]
        forms |= {core, core.replace("+", "-").replace("/", "_")}  # and the URL-safe alphabet
    return {form for form in forms if len(form) >= SHORTEST_SECRET}
