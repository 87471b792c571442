"""SendGrid's personalizations: one JSON object a reader, the bulk of a SendGrid request.

:class:`Personalizations` writes each reader's object from pieces encoded once a batch. A batch
whose readers differ only in their values (the usual one: made by one MessageFactory, with no
value that JSON or HTML escapes) is written from one template of the batch's shape: the texts
between the readers' values, joined with each reader's values (:class:`_Template`), in a fraction
of the time (docs/performance.md).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import replace
from functools import partial
from itertools import chain
from json.encoder import encode_basestring
from operator import itemgetter
from typing import TYPE_CHECKING, Callable

from newsletter.addresses import address_key
from newsletter.message import Assembled, Prepared
from newsletter.providers.base import TEST_COPY
from newsletter.providers.message_parts import html_value
from newsletter.render import RECIPIENT_FIELDS

if TYPE_CHECKING:
    from newsletter.message import Message

# What JSON strings escape (json's encode_basestring, ensure_ascii off): deleted from a batch's
# values encoded as UTF-8, they leave it as long as it was when there is none.
_CONTROLS = bytes(range(0x20))
_ADDRESS, _NAME = itemgetter(0), itemgetter(1)  # of a row: a Prepared, or read from a Message
# A stand-in reader's fields, marked: one marker a process, its pattern compiled once (one made
# afresh for each batch was compiled twice a batch: 0.6% of the send's instructions)
_MARKER = f"nlfield{secrets.token_hex(8)}x"
_MARKED = re.compile(f"{_MARKER}(\\d+)x")


def tag(name: str) -> str:
    # Substitution tags are plain strings replaced in subject, reply-to and content.
    return f"-nl-{name}-"


def _tags(key: str) -> tuple[str, str]:
    """The tags of a reader value, plain and HTML-escaped, as JSON keys."""
    return encode_basestring(tag(key)) + ":", encode_basestring(tag(f"{key}_html")) + ":"


_TAGS = {key: _tags(key) for key in RECIPIENT_FIELDS}  # made once, looked up twice a reader


def clean_name(name: str) -> str:
    """A display name as SendGrid takes it: without ``;`` or ``,``; empty: no name."""
    return name.replace(";", " ").replace(",", " ").strip()


class Personalizations:
    """Each reader's personalization as JSON text, ``{"to", "substitutions", "headers",
    "subject"}``, as ``json_body`` would write it, from pieces encoded once a batch: the
    tags, the names of the headers each reader has of their own (List-Unsubscribe), the
    batch's subject. ``json.dumps`` of a dict per reader was the largest cost of a batch."""

    def __init__(self, first: Message, not_own: frozenset[str], escaped: bool = True):
        self.not_own = not_own
        self.escaped = escaped  # each value goes HTML-escaped too, under its own tag
        self.subject = first.subject
        self.names = first.headers.keys()  # the headers every reader of a post has
        self.own = self._own(first.headers)

    def encode_all(self, messages: list[Message]) -> list[str]:
        """:meth:`encode` of each message of a batch: from the batch's template when it has one."""
        template = _Template.of(self, messages)
        if template is None:
            return list(map(self.encode, messages))
        return template.fill()

    def _own(self, headers: dict[str, str]) -> list[tuple[str, str]]:
        """(name, name as a JSON key) of each header of ``headers`` not sent once a batch."""
        return [(name, encode_basestring(name) + ":")
                for name in headers if name not in self.not_own]

    def encode(self, message: Message) -> str:
        reader = message.to_address
        address = encode_basestring(reader)
        # The reader as _address reads the To header, from the Message's own fields: parsing
        # the header is costly, once a reader (tests/test_provider_sendgrid.py checks both agree).
        name = clean_name(message.to_name)
        to = (f'{{"email":{address},"name":{encode_basestring(name)}}}' if name
              else f'{{"email":{address}}}')
        plain, html = [], []  # the substitutions: each value, then each HTML-escaped
        for key, value in message.values.items():
            plain_tag, html_tag = _TAGS.get(key) or _tags(key)
            # The reader's {email} is their address: encoded once for both.
            encoded = address if value is reader else encode_basestring(value)
            plain.append(plain_tag + encoded)
            if self.escaped:
                escaped = html_value(value)
                html.append(html_tag + (encoded if escaped is value
                                        else encode_basestring(escaped)))
        headers = message.headers
        own = self.own if headers.keys() == self.names else self._own(headers)
        extra = (',"headers":{' + ",".join([key + encode_basestring(headers[name])
                                            for name, key in own]) + "}") if own else ""
        if message.test:  # a test copy names no reader: it never counts as theirs
            extra += f',"custom_args":{{"{TEST_COPY}":"yes"}}'
        else:
            key = address_key(reader)  # the address itself, unless it has capitals
            extra += ',"custom_args":{"reader":' + (
                address if key == reader else encode_basestring(key)) + "}"
        if message.subject != self.subject:
            extra += ',"subject":' + encode_basestring(message.subject)
        return f'{{"to":[{to}],"substitutions":{{{",".join(plain + html)}}}{extra}}}'


class _Template:
    """A batch's personalizations as one shape: the JSON texts around each reader's fields
    (address, name, values, own headers), written once by :meth:`Personalizations.encode` of
    a stand-in reader whose fields are markers, and joined with each reader's fields, which
    JSON writes as they are. An :class:`Assembled` batch's rows are its readers themselves
    (each a Prepared: its values and own headers are made of those fields); another batch's
    are read out of its messages."""

    def __init__(self, encoder: Personalizations, rows: list[tuple[str, ...]],
                 stand_in: Callable[[list[str]], Message]):
        self.rows = rows
        (*self.named, placed), (*self.unnamed, _) = (
            self._shape(encoder, stand_in, len(rows[0]), named) for named in (True, False))
        self.placed = itemgetter(*placed, placed[0])  # a tuple, however few they are

    @classmethod
    def of(cls, encoder: Personalizations, messages: list[Message]) -> _Template | None:
        """The batch's template; None unless every reader has the first one's headers, values
        and subject, is no test copy, has their address as their key, their name as SendGrid
        takes it and no field that JSON escapes."""
        first = messages[0]
        if encoder.escaped or first.test:
            return None
        alike = isinstance(messages, Assembled)  # by construction
        if alike and _as_sendgrid_takes(list(map(_NAME, messages.readers))):
            rows = messages.readers  # the rows at hand: no message is built
            stand_in = partial(_reader_like, messages)
        else:
            names, keys = encoder.names, first.values.keys()
            if not alike and (
                    any(m.test or m.headers.keys() != names or m.values.keys() != keys
                        for m in messages)
                    or {m.headers["Subject"] for m in messages} != {encoder.subject}):
                return None
            own = [name for name, _ in encoder.own]
            rows = [(m.to_address, clean_name(m.to_name), *m.values.values(),
                     *[m.headers[name] for name in own]) for m in messages]
            stand_in = partial(_stand_in, encoder, first)
        addresses = " ".join(map(_ADDRESS, rows))
        if addresses != addresses.lower() or len(addresses.split()) != len(rows):
            return None  # some reader's key (address_key) is not their address as written
        template = cls(encoder, rows, stand_in)
        # The fields the template places (a Prepared's To header and Message-ID are not)
        text = "".join(chain.from_iterable(map(template.placed, rows)))
        encoded = text.encode()
        if '"' in text or "\\" in text or len(encoded.translate(None, _CONTROLS)) < len(encoded):
            return None
        return template

    @staticmethod
    def _shape(encoder: Personalizations, stand_in: Callable[[list[str]], Message],
               fields: int, named: bool):
        """(texts, getter, fields): ``"".join(getter(texts + row))`` is a reader's JSON (a name
        that is empty once cleaned leaves it out: ``named`` False), made of the row's
        ``fields`` (their indexes)."""
        marks = [f"{_MARKER}{index}x" for index in range(fields)]
        if not named:
            marks[1] = ""
        pieces = _MARKED.split(encoder.encode(stand_in(marks)))
        texts = tuple(pieces[0::2])
        order = []
        for index, field in enumerate(pieces[1::2]):
            order += [index, len(texts) + int(field)]
        return texts, itemgetter(*order, len(texts) - 1), sorted({int(field) for field in pieces[1::2]})

    def fill(self) -> list[str]:
        """Each reader's personalization, in the batch's order."""
        (named_texts, named), (unnamed_texts, unnamed) = self.named, self.unnamed
        return ["".join(named(named_texts + row) if row[1] else unnamed(unnamed_texts + row))
                for row in self.rows]


def _as_sendgrid_takes(names: list[str]) -> bool:
    """Whether each of ``names`` is as :func:`clean_name` leaves it."""
    return names == list(map(str.strip, names)) and not any(c in "".join(names) for c in ",;")


def _reader_like(batch: Assembled, marks: list[str]) -> Message:
    """The message ``batch`` would hold for a reader whose fields are ``marks``."""
    return batch.like(Prepared(*marks))


def _stand_in(encoder: Personalizations, first: Message, marks: list[str]) -> Message:
    """``first`` with the fields of a row read out of a message (address, name, values, own
    headers) replaced by ``marks``."""
    values = dict(zip(first.values, marks[2:]))
    headers = dict(first.headers)
    for (name, _), mark in zip(encoder.own, marks[2 + len(values):]):
        headers[name] = mark
    return replace(first, to_address=marks[0], to_name=marks[1], values=values, headers=headers)
