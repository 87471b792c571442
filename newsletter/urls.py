"""Splitting a URL that may be hostile (a post's link, a setting) without an exception.

``urllib.parse.urlsplit`` raises ValueError for a host with an unbalanced ``[`` or ``]``
(``http://[``) and for a host whose Unicode folds into ``/ ? # @ :``, and its ``port`` for a
port past 65535 or not a number; no browser opens such a URL either. Every URL the tool did
not write itself is split here, so such a URL is a finding or a refusal naming it, never a
traceback.
"""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit

WEB_PORTS = {"http": 80, "https": 443}  # each web scheme's default port


def split_url(url: str) -> SplitResult | None:
    """``url`` split into its parts, or None when it cannot be (see the module's docstring)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
    except ValueError:
        return None
    return parts
