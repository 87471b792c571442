"""Which route a request's path is: the unsubscribe link or a provider's webhook (the health
check is :data:`newsletter.config.HEALTH_PATH`). The sign-up routes are
:mod:`newsletter.web.signup`'s."""

from __future__ import annotations

import re
from typing import Mapping
from urllib.parse import parse_qsl, urlsplit

from newsletter.web.request import HttpError

WEBHOOK_PREFIX = "/webhooks/"
LEGACY_QUERY = {"email": "email", "token": "token"}  # links mailed as ?email=...&token=...


class UnsubscribeRoute:
    """Where unsubscribe links point, and where in them the token (and an address) sit.

    The configured ``email.unsubscribe_url`` is matched with its ``{token}`` (and ``{email}``)
    in the path or the query. Links mailed before the token named the reader by itself,
    ``<path>?email=...&token=...``, are still read, on the configured path without its
    placeholder segments (``/unsubscribe/{token}`` and ``/unsubscribe?t={token}`` both take
    ``/unsubscribe?email=...&token=...``).
    """

    def __init__(self, template: str):
        parts = urlsplit(template)
        pieces = re.split(r"\{(email|token)\}", parts.path)
        # Literal text and placeholders alternate; a token matches one path segment, an
        # address one or more: a/b@example.com is an address, and the server hands the path
        # over with its %2F decoded.
        self.path = re.compile("".join(
            (f"(?P<{piece}>.+)" if piece == "email" else f"(?P<{piece}>[^/]+)") if index % 2
            else re.escape(piece) for index, piece in enumerate(pieces)
        ))
        # The configuration has checked that a query placeholder is a whole value.
        self.query = {name: value[1:-1] for name, value in parse_qsl(parts.query)
                      if value in ("{email}", "{token}")}
        self.legacy_path = re.sub(r"/?\{(email|token)\}", "", parts.path).rstrip("/") or "/"

    def match(self, path: str) -> dict[str, str] | None:
        """The placeholders found in ``path`` if it is an unsubscribe path, else None."""
        found = self.path.fullmatch(path)
        if found:
            return found.groupdict()
        return {} if path.rstrip("/") == self.legacy_path.rstrip("/") else None

    def recipient(self, from_path: dict[str, str], query: Mapping[str, list[str]]) -> tuple[str, str]:
        """(address or "", token) from the path and query string; HttpError 400 when missing."""
        values = dict(from_path)
        names = {**LEGACY_QUERY, **self.query}
        for name, field in names.items():
            given = set(query.get(name, []))
            if len(given) > 1:
                raise HttpError(400, f"The link gives {name} more than once.")
            if given and not values.get(field):
                values[field] = given.pop()
        token = values.get("token", "").strip()
        if not token:
            raise HttpError(400, "This unsubscribe link is incomplete. Please use the link from "
                                 "the newsletter as it is.")
        return values.get("email", "").strip(), token


def webhook_provider(path: str) -> str | None:
    """The last segment of a path ending in ``/webhooks/<provider>``, else None. Under any
    prefix: behind a proxy that serves the endpoint at https://blog.example/newsletter/ the
    provider posts to /newsletter/webhooks/<provider>. A trailing slash is the same webhook
    (as a dashboard's URL field may have it)."""
    _, found, provider = path.rpartition(WEBHOOK_PREFIX)
    provider = provider.removesuffix("/")
    return provider if found and "/" not in provider else None
