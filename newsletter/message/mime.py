"""MIME bytes for one post's messages, fast enough for 100,000 readers.

Building each message with ``email.message.EmailMessage`` is slow (most of it is
quoted-printable encoding the HTML in pure Python), and would cap a send's speed. The
messages of one post differ only in a few lines (those holding the reader's address or
unsubscribe link) and a few headers, so :class:`MimeEncoder` works out once per post which lines
can differ, quoted-printable encodes the others once (``binascii.b2a_qp``, in C), and per
message fills in and encodes only the varying lines. Quoted-printable works line by line, so the result is
byte for byte what encoding the whole part would give.

Images that travel inline (``Email.inline_images``) follow the HTML part inside a
``multipart/related`` part (RFC 2387), each base64-encoded once per post with the ``Content-ID``
its ``cid:`` URL names (RFC 2392): multipart/alternative(text, multipart/related(html, images)).

Headers: structured ASCII headers (Message-ID, Date, List-Unsubscribe...) and the multipart
``Content-Type`` lines are folded here (:func:`fold_line`), at 78 octets, only at the spaces
between their items: never inside a URL's angle brackets (RFC 2369 forbids whitespace there) or
a quoted string, so unfolding gives back the value exactly; an item longer than a line keeps a
line of its own. The ``email`` package (policy SMTP) folds and RFC 2047 encodes the other
headers when they are not plain short ASCII: it would RFC 2047 encode a long
``List-Unsubscribe`` URL, which no receiver decodes.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from dataclasses import replace
from email.header import Header
from typing import TYPE_CHECKING, Mapping

if TYPE_CHECKING:
    from newsletter.render import Email, EmailImage

# Headers whose values are ASCII tokens, dates and URLs: written unfolded, never encoded.
RAW_HEADERS = frozenset({"Message-ID", "Date", "List-Unsubscribe", "List-Unsubscribe-Post"})
MAX_LINE = 78  # RFC 5322 recommended line length; longer or non-ASCII values go to `email`
PART_HEADERS = b'Content-Type: text/%s; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'
_FROM_LINE = re.compile(rb"(?:^|(?<=\n))From ")  # at the start of an encoded line
IMAGE_HEADERS = ('Content-Type: {type}\r\nContent-Transfer-Encoding: base64\r\n'
                 'Content-ID: <{name}>\r\nContent-Disposition: inline; filename="{name}"\r\n\r\n')


def fold_line(name: str, value: str) -> str:
    """``name: value`` with CRLF, folded before the spaces that separate its items where a line
    would pass 78 octets. Unfolding (removing each CRLF) gives the line back exactly."""
    if len(name) + 2 + len(value) <= MAX_LINE:
        return f"{name}: {value}\r\n"
    items: list[str] = []
    for piece in value.split(" "):
        if items and _unclosed(items[-1]):  # a space inside <...> or "...": not a fold point
            items[-1] += " " + piece
        else:
            items.append(piece)
    lines, line = [], f"{name}: {items[0]}"  # never a fold right after the colon: parsers
    for item in items[1:]:  # such as Python's keep the space that follows it in the value
        if len(line) + 1 + len(item) > MAX_LINE and item:
            lines.append(line)
            line = ""
        line += " " + item
    return "\r\n".join([*lines, line]) + "\r\n"


def encode_header(name: str, value: str) -> bytes:
    """One header line (folded if needed) with CRLF; refuses line breaks in ``value``."""
    if "\r" in value or "\n" in value:
        raise ValueError(f"line break in the {name} header")
    line = f"{name}: {value}\r\n"
    if name in RAW_HEADERS:
        return fold_line(name, value).encode("ascii")
    if name == "Subject" and ("=?" in value or not value.isascii()):
        # Written as it is, text such as "=?utf-8?q?x?=" is an RFC 2047 encoded-word that mail
        # readers decode (to "x"); encoded whole, it reads as written (docs/email.md#subject).
        # Any other non-ASCII subject too: Header keeps each space inside a word, where the
        # policies' folder can put it between two words, and readers drop it there (RFC 2047
        # 6.2: a Japanese title's "こ — 第" arrived as "こ— 第").
        encoded = Header(value, "utf-8", header_name=name).encode(linesep="\r\n")
        return f"{name}: {encoded}\r\n".encode("ascii")
    if value.isascii() and len(line) <= MAX_LINE + 2:
        return line.encode("ascii")
    from email import policy  # only for a long or non-ASCII line (14 million instructions)

    chosen = policy.SMTP if _address_part_ascii(value) else policy.SMTPUTF8
    return chosen.fold_binary(name, chosen.header_store_parse(name, value)[1])


def _unclosed(text: str) -> bool:
    return text.count("<") > text.count(">") or text.count('"') % 2 == 1


def _content_type(value: str) -> bytes:
    return fold_line("Content-Type", value).encode("ascii")


def _address_part_ascii(value: str) -> bool:
    # An internationalised address (non-ASCII inside <...>, or a bare one: a reader without a
    # name) can only be sent as UTF-8; RFC 2047 encoded-words are not allowed in an address.
    start = value.rfind("<")
    return value[max(start, 0):].isascii()


def qp_line(line: str) -> bytes:
    """One line, quoted-printable encoded, ending in CRLF (soft breaks use CRLF too)."""
    # b2a_qp picks CRLF soft breaks only when the data's first newline is CRLF: hence the "\r\n".
    encoded = binascii.b2a_qp(line.rstrip("\r").encode("utf-8") + b"\r\n", istext=True)
    if b"From " in encoded:
        # A line starting "From " is written ">From " by a receiver that stores mail in mbox
        # files; its F encoded as =46 reads the same and stays as written (RFC 2049 section 3).
        # A soft break after it keeps every line within quoted-printable's 76 characters.
        encoded = _FROM_LINE.sub(b"=46=\r\nrom ", encoded)
    return encoded


def image_part(image: EmailImage) -> bytes:
    """One inline image's MIME part: headers, then base64 in 76-character lines."""
    head = IMAGE_HEADERS.format(type=image.content_type, name=image.name).encode("ascii")
    return head + base64.encodebytes(image.data).replace(b"\n", b"\r\n")


class PartEncoder:
    """Quoted-printable encoding of one body part, re-encoding only the lines that vary."""

    def __init__(self, template: str, first: str, second: str):
        # `first` and `second` are the part filled with two different sets of values: the lines
        # that differ between them are the only ones a recipient's values can change.
        lines = template.split("\n")
        first_lines, second_lines = first.split("\n"), second.split("\n")
        if not len(lines) == len(first_lines) == len(second_lines):
            raise ValueError("filling in recipient values changed the number of lines")
        self.varying: list[str] = []  # the unfilled lines that hold placeholders
        self.pieces: list[bytes | int] = []  # encoded runs of fixed lines, or an index in varying
        run: list[bytes] = []
        for line, a, b in zip(lines, first_lines, second_lines):
            if a == b:
                run.append(qp_line(a))
                continue
            if run:
                self.pieces.append(b"".join(run))
                run = []
            self.pieces.append(len(self.varying))
            self.varying.append(line)
        if run:
            self.pieces.append(b"".join(run))

    @property
    def template(self) -> str:
        """The varying lines, unfilled, one per line."""
        return "\n".join(self.varying)

    def encode(self, filled_varying: str) -> bytes:
        """The encoded part, given the varying lines filled in for one recipient."""
        lines = filled_varying.split("\n") if self.varying else []  # "".split() is [""]
        if len(lines) != len(self.varying):
            raise ValueError("a recipient value holds a line break")
        return b"".join(piece if isinstance(piece, bytes) else qp_line(lines[piece])
                        for piece in self.pieces)


class MimeEncoder:
    """Turns one post's messages into multipart/alternative bytes (text, then html)."""

    def __init__(self, email: Email):
        probe_a = {"unsubscribe_url": "https://a.invalid/a", "email": "a@a.invalid"}
        probe_b = {"unsubscribe_url": "https://b.invalid/b?x=1&y=2", "email": "b@b.invalid"}
        html_a, text_a = email.fill(probe_a)
        html_b, text_b = email.fill(probe_b)
        self.text = PartEncoder(email.text, text_a, text_b)
        self.html = PartEncoder(email.html, html_a, html_b)
        # Per message only these lines are filled in, through the Email's own fill() (so its
        # escaping rules apply), instead of filling the whole 20 KB html and text.
        self.varying = replace(email, html=self.html.template, text=self.text.template)
        # "=_" never occurs in quoted-printable or base64 output, so the boundary cannot clash
        # with a body.
        boundary = f"=_nl_{secrets.token_hex(12)}".encode()
        self.head = (b"MIME-Version: 1.0\r\n" + _content_type(
            f'multipart/alternative; boundary="{boundary.decode()}"') + b"\r\n--" + boundary
            + b"\r\n" + PART_HEADERS % b"plain")
        self.middle = b"--" + boundary + b"\r\n"
        self.tail = b"--" + boundary + b"--\r\n"
        images = email.inline_images
        if images:
            related = f"=_nl_{secrets.token_hex(12)}".encode()
            self.middle += _content_type(
                f'multipart/related; type="text/html"; boundary="{related.decode()}"'
            ) + b"\r\n--" + related + b"\r\n"
            self.tail = b"".join(b"--" + related + b"\r\n" + image_part(image) for image in images
                                 ) + b"--" + related + b"--\r\n" + self.tail
        self.middle += PART_HEADERS % b"html"
        self._header_cache: dict[tuple[str, str], bytes] = {}

    def encode(self, headers: Mapping[str, str], values: Mapping[str, str]) -> bytes:
        """The whole message: headers, then the text and html parts filled with ``values``."""
        html, text = self.varying.fill(values)
        return b"".join((
            *(self._header(name, value) for name, value in headers.items()),
            self.head, self.text.encode(text), self.middle, self.html.encode(html), self.tail,
        ))

    def _header(self, name: str, value: str) -> bytes:
        if name in ("To", "Message-ID", "List-Unsubscribe"):  # differ per message: no cache
            return encode_header(name, value)
        key = (name, value)
        encoded = self._header_cache.get(key)
        if encoded is None:
            if len(self._header_cache) > 64:  # Date changes every second of a long send
                self._header_cache.clear()
            encoded = self._header_cache[key] = encode_header(name, value)
        return encoded
