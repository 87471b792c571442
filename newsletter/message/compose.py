"""One recipient's message: the post's rendered Email with that reader's values filled in.

CONTRACT (shared by sending and every provider adapter):

- ``Message.email`` is the post's :class:`newsletter.render.Email`, rendered once per post and
  shared by every message of the campaign.
- ``Message.values`` holds the per-recipient placeholder values (``unsubscribe_url``, ``email``)
  that ``Email.fill(values)`` substitutes into the HTML (escaped) and text parts.
- ``Message.headers`` holds every final header as a one-line string, in order: From, To, Subject,
  Date, Message-ID, Reply-To (if set), List-Id, List-Unsubscribe, List-Unsubscribe-Post. Values are plain
  Unicode (not RFC 2047 encoded); ``as_bytes()`` encodes them for MIME.
- Adapters that substitute per recipient on the provider side (Mailgun recipient-variables,
  SendGrid substitutions) call ``message.email.fill({...provider tokens...})`` once per batch.
- ``Message.as_bytes()`` is the complete RFC 5322 message (CRLF, multipart/alternative: text then
  html), for SMTP and the outbox.
- ``Message.test`` is True for a ``send --to`` copy (subject prefixed ``[TEST] ``, random
  Message-ID, never in the ledger). Otherwise the Message-ID is derived from the post and the
  address, so a resent in-doubt message keeps it.

Build messages with a :class:`MessageFactory`, one per post and run: it checks every value that
goes into a header, makes the unsubscribe token and shares the MIME encoder between messages.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
import time
from dataclasses import field
from email.utils import format_datetime
from functools import partial
from operator import attrgetter
from string import Formatter
from typing import TYPE_CHECKING, Iterable, Mapping, NamedTuple
from urllib.parse import quote, urlsplit

from newsletter.addresses import address_key, address_keys
from newsletter.message.assembled import Assembled
from newsletter.message.message_ids import MessageIds
from newsletter.message.mime import MimeEncoder
from newsletter.message.recipient import checked_recipients, format_address, one_line
from newsletter.message.tokens import UnsubscribeTokens
from newsletter.records import record

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.render import Email

logger = logging.getLogger(__name__)

TEST_PREFIX = "[TEST] "
# What quote() never escapes, and "@" (the one character of a plain address it does).
_URL_SAFE_OR_AT = re.compile(r"[A-Za-z0-9_.~@-]*")
_ADDRESS = attrgetter("address")  # of a Prepared


def quote_address(address: str) -> str:
    """``quote(address, safe="")``, without quote()'s per-character loop for plain addresses."""
    if _URL_SAFE_OR_AT.fullmatch(address):
        return address.replace("@", "%40")
    return quote(address, safe="")


def _around_token(link: str) -> tuple[str, str] | None:
    """(text before, text after) of a link whose one field is a plain ``{token}``, else None."""
    pieces = list(Formatter().parse(link))
    fields = [(field, spec, conversion) for _, field, spec, conversion in pieces
              if field is not None]
    if fields != [("token", "", None)]:
        return None
    at = next(i for i, piece in enumerate(pieces) if piece[1] is not None)
    return ("".join(piece[0] for piece in pieces[:at + 1]),
            "".join(piece[0] for piece in pieces[at + 1:]))


def list_id(settings: Settings) -> str:
    """The List-Id header (RFC 2919): the site's title, and newsletter.<the site's host>."""
    host = urlsplit(settings.site.url).hostname or settings.email.sender_domain
    name = one_line(settings.site.title)
    return format_address(name, f"newsletter.{host}") if name else f"<newsletter.{host}>"


def sender_headers(settings: Settings) -> tuple[str, str | None]:
    """The From header, and the Reply-To header (None when not set), of every message."""
    config = settings.email
    reply_to = one_line(config.reply_to) if config.reply_to else None
    return format_address(one_line(config.from_name), config.from_address), reply_to


@record(slots=True)
class Message:
    """A ready-to-send message for one recipient. Read-only by convention, and slotted: a
    frozen dataclass costs several times as much to build, and one with a ``__dict__`` twice
    as much, paid once a reader on the send's busiest thread."""

    post_id: str
    email: Email
    to_address: str  # normalised address
    to_name: str
    values: Mapping[str, str]
    headers: Mapping[str, str]
    encoder: MimeEncoder = field(compare=False, repr=False)  # the post's, shared
    test: bool = False  # a `send --to` test message: never recorded in the ledger
    _parts: tuple[str, str] | None = field(default=None, init=False, compare=False, repr=False)

    @property
    def message_id(self) -> str:
        return self.headers["Message-ID"]

    @property
    def subject(self) -> str:
        return self.headers["Subject"]

    @property
    def parts(self) -> tuple[str, str]:
        """(html, text) with this recipient's values filled in (filled once)."""
        if self._parts is None:
            self._parts = self.email.fill(self.values)
        return self._parts

    @property
    def html(self) -> str:
        return self.parts[0]

    @property
    def text(self) -> str:
        return self.parts[1]

    def as_bytes(self) -> bytes:
        """The whole message as MIME bytes (CRLF line ends)."""
        return self.encoder.encode(self.headers, self.values)


class Prepared(NamedTuple):
    """What one reader's message holds of its own, checked and signed: the costly part of
    building it. A plain tuple of strings, so a helper process can prepare readers for a
    send (:mod:`newsletter.sending.reader_feed`) and :meth:`MessageFactory.assemble` finish them."""

    address: str
    name: str  # on one line, cut to MAX_NAME_LENGTH
    to: str  # the To header
    message_id: str
    unsubscribe_url: str

    @property
    def key(self) -> str:
        """The ledger's key (:func:`newsletter.addresses.address_key`)."""
        return address_key(self.address)

    @staticmethod
    def keys_of(readers: Iterable[Prepared]) -> list[str]:
        """Each reader's :attr:`key`, without a property call a reader."""
        return address_keys(map(_ADDRESS, readers))


class ReaderSigner:
    """The part of each reader's message that needs no rendered email (checked address, To,
    Message-ID, unsubscribe link): a send's helper process starts on it before the render."""

    def __init__(self, settings: Settings, post_id: str, secret: str, *, test: bool = False):
        self.settings = settings
        self.post_id = post_id
        self.secret = secret
        self.test = test
        self.domain = _ascii_domain(settings.email.sender_domain)  # the Message-IDs' domain
        self.tokens = UnsubscribeTokens(secret)
        self._unsubscribe_url = settings.email.unsubscribe_url.format
        # Most links hold {token} alone: then each is joined from the pieces around it, and
        # no address is quoted for an {email} the link does not hold.
        self._around_token = _around_token(settings.email.unsubscribe_url)
        self._message_ids = MessageIds(secret.encode(), post_id, self.domain)

    def prepare(self, address: str, name: str = "", token: str | None = None) -> Prepared:
        """The checked and signed part of one reader's message (see :class:`Prepared`);
        ``token``: the address's unsubscribe token, if known (a TokenCache's)."""
        prepared = self.prepare_all([(address, name, token or self.tokens.make(address))])
        return Prepared._make(prepared[0])

    def prepare_all(self, readers: list[tuple[str, str, str]]) -> list[tuple]:
        """:meth:`prepare` of each (address, name, token), as plain tuples (what crosses a
        helper's pipe; ``Prepared._make`` or reader_feed's ``_as_prepared`` of one is its
        Prepared)."""
        names, tos = checked_recipients(readers)  # first, as it raises for a bad address
        addresses = [reader[0] for reader in readers]
        around = self._around_token
        if around is not None:
            before, after = around
            urls = [before + token + after for _, _, token in readers]
        else:
            # {email} is allowed for links of the old kind
            # (docs/email.md#one-click-unsubscribe); the token alone names the reader.
            urls = [self._unsubscribe_url(email=quote_address(address), token=token)
                    for address, _, token in readers]
        return list(zip(addresses, names, tos, self._message_ids_of(addresses), urls))

    def _message_ids_of(self, addresses: list[str]) -> list[str]:
        """Derived from post and address, so a resent in-doubt message keeps its Message-ID
        (receivers may drop the copy); test sends get a random one."""
        if self.test:
            return [f"<test.{secrets.token_hex(12)}@{self.domain}>" for _ in addresses]
        return self._message_ids.of_all(addresses)


def _ascii_domain(domain: str) -> str:
    """``domain`` as a Message-ID holds it, in ASCII: an internationalised one in punycode."""
    # Python's own IDNA codec, as `check` names the host it looks up (check/fetch.py).
    return domain if domain.isascii() else domain.encode("idna").decode("ascii")


class MessageFactory:
    """Builds each recipient's Message for one rendered post."""

    def __init__(self, settings: Settings, email: Email, secret: str, *, test: bool = False):
        self.settings = settings
        self.email = email
        self.secret = secret
        self.test = test
        self.encoder = MimeEncoder(email)
        config = settings.email
        self.from_header, self.reply_to = sender_headers(settings)
        subject = one_line(email.subject)
        self.subject = TEST_PREFIX + subject if test else subject
        self.mailto = (f"<mailto:{quote(config.unsubscribe_mailto, safe='@')}?subject=unsubscribe>"
                       if config.unsubscribe_mailto else None)
        self.list_id = list_id(settings)
        self.signer = ReaderSigner(settings, email.post_id, secret, test=test)
        self.prepare = self.signer.prepare
        self._date = (0, "")

    def build(self, address: str, name: str = "") -> Message:
        """The message for one reader (raises SubscriberError for an unusable address)."""
        return self.assemble(self.prepare(address, name))

    def assemble(self, reader: Prepared) -> Message:
        """The message of a prepared reader: the headers this post shares, and theirs."""
        return self.assemble_all([reader])[0]

    def assemble_all(self, readers: list[Prepared]) -> Assembled:
        """:meth:`assemble` of each reader of a batch, dated once; the messages are built when
        first read (:class:`Assembled`)."""
        shared = {"From": self.from_header, "To": "", "Subject": self.subject,
                  "Date": self._date_header(), "Message-ID": ""}
        if self.reply_to:
            shared["Reply-To"] = self.reply_to
        shared.update({"List-Id": self.list_id, "List-Unsubscribe": "",
                       "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
        after = f">, {self.mailto}" if self.mailto else ">"
        return Assembled(readers, partial(self._messages, shared, after))

    def _messages(self, shared: dict[str, str], after: str, readers: list[Prepared]
                  ) -> list[Message]:
        """Each reader's Message (a send's hot path: the headers the batch shares are laid out
        once, in order, and copied for each reader, who fills in their own; each Message built
        positionally)."""
        post_id, email, encoder, test = self.email.post_id, self.email, self.encoder, self.test
        messages = []
        for address, name, to, message_id, url in readers:
            headers = shared.copy()
            headers["To"], headers["Message-ID"] = to, message_id
            headers["List-Unsubscribe"] = "<" + url + after
            messages.append(Message(post_id, email, address, name,
                                    {"unsubscribe_url": url, "email": address}, headers,
                                    encoder, test))
        return messages

    def _date_header(self) -> str:
        second = int(time.time())
        if self._date[0] != second:  # one date a second, shared by that second's messages
            now = dt.datetime.fromtimestamp(second, dt.timezone.utc)
            self._date = (second, format_datetime(now))
        return self._date[1]

