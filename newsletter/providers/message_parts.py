"""Pieces of a message that HTTP adapters put into their request bodies."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Callable

from newsletter.errors import ContentError
from newsletter.message import Assembled
from newsletter.render import RECIPIENT_FIELDS

if TYPE_CHECKING:
    from newsletter.message import Message
    from newsletter.render import Email

# Headers every provider builds from its own fields (or sets itself); the rest are passed on.
BUILT_HEADERS = frozenset({"From", "To", "Subject", "Date", "Message-ID", "Reply-To"})



def common_headers(messages: list[Message]) -> dict[str, str]:
    """The :func:`extra_headers` every message of the batch has alike (sent once a batch)."""
    first = messages[0]
    if isinstance(messages, Assembled):  # alike but for each reader's own: none of them built
        own = messages.own_headers()
        return {name: value for name, value in extra_headers(first).items() if name not in own}
    return {name: value for name, value in extra_headers(first).items()
            if all(m.headers.get(name) == value for m in messages)}


def extra_headers(message: Message) -> dict[str, str]:
    """The message's own headers the provider does not build: List-Unsubscribe and -Post."""
    return {name: value for name, value in message.headers.items() if name not in BUILT_HEADERS}


def shared_parts(message: Message, token: Callable[[str], str],
                 escaped: bool = True) -> tuple[str, str]:
    """The post's (html, text) once, with a provider placeholder where each reader's value goes.

    HTML and text get different placeholders because a value is escaped in the HTML part
    only (``Email.fill``); :func:`recipient_values` gives both forms per reader. Without
    ``escaped`` (no reader of the batch has a value that escaping changes) both parts get the
    plain one.
    """
    html, _ = message.email.fill({key: token(f"{key}_html" if escaped else key)
                                  for key in message.values})
    _, text = message.email.fill({key: token(key) for key in message.values})
    return html, text


def refuse_merge_tags(provider: str, rendered: Email, token: Callable[[str], str],
                      every_tag: re.Pattern[str] | None = None) -> None:
    """ContentError if the post's own text holds a tag the provider would fill per reader: one
    of our values', or any that ``every_tag`` matches (a provider that fills every variable it
    is given, the reader's address and headers included)."""
    parts = (rendered.html, rendered.text, rendered.subject)
    tags = [tag for key in RECIPIENT_FIELDS for tag in (token(key), token(f"{key}_html"))]
    found = next((tag for tag in tags if any(tag in part for part in parts)), None)
    if found is None and every_tag is not None:
        found = next((match[0] for part in parts if (match := every_tag.search(part))), None)
    if found is not None:
        raise ContentError(
            f"the post contains {found[:80]!r}, which {provider} would replace with each "
            "reader's own value", where=rendered.post_id, hint="reword that text",
        )


def message_size(email: Email) -> int:
    """Bytes of one message's bodies and inline images (base64), as a request carries them."""
    return len(email.html) + len(email.text) + sum(len(i.base64) for i in email.inline_images)


def refuse_oversized(provider: str, email: Email, size: int, limit: int) -> None:
    """ContentError if one message, ``size`` bytes with its images, is over the provider's limit."""
    if size > limit:
        raise ContentError(
            f"each message would be {size / 1e6:.1f} MB with its images; {provider} takes at "
            f"most {limit // 1000 // 1000} MB a message", where=email.post_id,
            hint='use smaller images, or [images] mode = "hosted"')


def recipient_values(message: Message) -> dict[str, str]:
    """One reader's values for the placeholders of :func:`shared_parts`."""
    values = dict(message.values)
    for key, value in message.values.items():
        values[_HTML_NAMES.get(key) or f"{key}_html"] = html_value(value)
    return values


def any_escaped(messages: list[Message]) -> bool:
    """True if a value of some message of the batch reads otherwise in the HTML part."""
    # One search over all the values joined: a search per value was most of the cost.
    if isinstance(messages, Assembled):
        return _escapes(messages.values_text())
    return _escapes("".join([value for m in messages for value in m.values.values()]))


def html_value(value: str) -> str:
    """A reader's value as the HTML part holds it (``Email.fill`` escapes it there)."""
    # html.escape is five str.replace calls: most values (plain addresses, URLs without "&")
    # need none of them.
    return html.escape(value) if _escapes(value) else value


def _escapes(text: str) -> bool:
    """True if ``html.escape`` changes ``text``. Five substring searches: a regular
    expression's character class took 30 times as long on a batch's values (0.37 us a
    reader)."""
    return "&" in text or "<" in text or ">" in text or '"' in text or "'" in text


_HTML_NAMES = {key: f"{key}_html" for key in RECIPIENT_FIELDS}  # once, not once a reader
