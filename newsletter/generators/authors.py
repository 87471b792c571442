"""The blog's writer as its generator's settings say them, for init's sender and reply-to."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from newsletter.generators.settings_files import SiteInfo


def with_author(info: SiteInfo, author: Any, email: Any = None) -> SiteInfo:
    """``info`` with the writer that ``author`` and ``email`` say (see :func:`author_of`)."""
    return replace(info, author=author_of(author, email))


def author_of(author: Any, email: Any = None) -> tuple[str | None, str | None]:
    """The writer's (name, address) from an ``author`` that is a name or a {name, email}
    mapping (Jekyll's, Eleventy's metadata), and the site's ``email``; None for what they do
    not say as text."""
    if isinstance(author, dict):
        author, email = author.get("name"), author.get("email") or email
    name, address = (value.strip() if isinstance(value, str) and value.strip() else None
                     for value in (author, email))
    return name, address
