"""JSON batches that carry every reader's own copy of the post, without re-escaping the post.

Postmark and Resend take one JSON item per reader, each with the whole filled HTML and text
(the reference post's are 23 KB). Filling and ``json.dumps``-ing them per reader was the
costliest step of a send through them. JSON escapes
character by character, so a reader's escaped body is the post's escaped fixed pieces (escaped
once per batch) joined with the reader's escaped values. The bytes are exactly those of
``json_array`` over items holding ``Email.fill(values)``; tests/test_provider_json_bodies.py
compares both.
"""

from __future__ import annotations

import json
import re
import secrets
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Callable

from newsletter.providers.http import json_body
from newsletter.providers.message_parts import recipient_values, shared_parts

if TYPE_CHECKING:
    from newsletter.message import Message

# Stand-ins for the two bodies in an item; plain ASCII letters, so JSON leaves them as they are.
_SLOT = f"nlbody{secrets.token_hex(8)}"
HTML_SLOT, TEXT_SLOT = f"{_SLOT}html", f"{_SLOT}text"
# A value the same for every item of the batch (Postmark's inline images), given as raw JSON:
# the string SHARED_SLOT, quotes included, is replaced by it.
SHARED_SLOT = f"{_SLOT}shared"
BATCH_SLOT = f"{_SLOT}batch"  # a string value given at the end (FixedJson: the batch's key)
_SLOTS = re.compile(f'({HTML_SLOT}|{TEXT_SLOT}|"{SHARED_SLOT}")'.encode())
_SHARED = f'"{SHARED_SLOT}"'.encode()
_BATCH = f'"{BATCH_SLOT}"'.encode()


def json_escaped(text: str) -> bytes:
    """``text`` as it appears between the quotes of a :func:`json_body` string."""
    return json.dumps(text, ensure_ascii=False)[1:-1].encode()


class BodyTemplate:
    """One post's HTML and text as escaped JSON pieces, with the reader values' places."""

    def __init__(self, message: Message):
        self.email = message.email
        marker = f"nlvalue{secrets.token_hex(8)}"
        html, text = shared_parts(message, lambda name: f"{marker}{name}{marker}")
        split = re.compile(f"{marker}(\\w+?){marker}").split
        # Even positions: fixed text, escaped now; odd positions: the name of a reader value.
        self.parts = {
            HTML_SLOT.encode(): [json_escaped(p) if i % 2 == 0 else p
                                 for i, p in enumerate(split(html))],
            TEXT_SLOT.encode(): [json_escaped(p) if i % 2 == 0 else p
                                 for i, p in enumerate(split(text))],
        }

    def extend(self, out: list[bytes], slot: bytes, values: dict[str, bytes]) -> None:
        """Append the pieces of one reader's body to ``out``."""
        out.extend(piece if i % 2 == 0 else values[piece]
                   for i, piece in enumerate(self.parts[slot]))


class FixedJson:
    """``json_body(payload)`` in pieces around two slots: the value SHARED_SLOT stands for an
    array of JSON items, BATCH_SLOT for a string. The array is the bulk of the body (~0.5 MB
    for 1000 SendGrid personalizations): joined and encoded once (as UTF-8 apart from the
    pieces: a post's one non-ASCII character would widen the whole text), copied once more
    into the body."""

    def __init__(self, payload: dict):
        head, rest = json_body(payload).split(_SHARED, 1)
        middle, tail = rest.split(_BATCH, 1)
        self.pieces = (head + b"[", b"]" + middle, tail)

    def join(self, items: list[str], batch: str) -> bytes:
        """The body with ``items`` (each JSON text, ASCII or not) and the string ``batch``."""
        head, middle, tail = self.pieces
        return b"".join((head, ",".join(items).encode(), middle,
                         encode_basestring(batch).encode(), tail))


def json_array_with_bodies(messages: list[Message], item: Callable[[Message, str, str], dict],
                           shared: bytes = b"null") -> bytes:
    """``[item, ...]`` where ``item(message, HTML_SLOT, TEXT_SLOT)`` marks where the bodies go,
    and any value SHARED_SLOT stands for ``shared`` (JSON, serialised once for the batch)."""
    template: BodyTemplate | None = None
    out = [b"["]
    for index, message in enumerate(messages):
        if template is None or message.email is not template.email:
            template = BodyTemplate(message)
        values = {name: json_escaped(value) for name, value in recipient_values(message).items()}
        if index:
            out.append(b",")
        pieces = _SLOTS.split(json_body(item(message, HTML_SLOT, TEXT_SLOT)))
        for i, piece in enumerate(pieces):
            if i % 2 == 0:
                out.append(piece)
            elif piece == _SHARED:
                out.append(shared)
            else:
                template.extend(out, piece, values)
    out.append(b"]")
    return b"".join(out)
