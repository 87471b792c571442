"""A subscriber row: the Subscriber it describes, or the problem that keeps it from being sent to.

Addresses are checked with email-validator (syntax only, never the network). ``address`` is
email-validator's normalised form: Unicode-normalised, domain lower-cased, local part kept as
written. Two rows are the same reader when their addresses match case-insensitively (``key``):
RFC 5321 lets a server tell ``Jane@`` from ``jane@``, but real mailboxes don't, and mailing
someone twice is worse than that theoretical miss.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import field
from enum import StrEnum
from pathlib import Path
from typing import Iterable, Iterator, TextIO

from newsletter.addresses import address_key, fast_normalised, normalise_address, normalised_key
from newsletter.errors import SubscriberError
from newsletter.records import record
from newsletter.subscribers.csv_format import COLUMNS, Layout, Record, parse_csv, read_csv
from newsletter.subscribers.misplaced import out_of_place
from newsletter.subscribers.status_columns import foreign_list_file


class Status(StrEnum):
    """A reader's status in the `status` column (empty means active)."""

    ACTIVE = "active"  # receives every newsletter
    UNSUBSCRIBED = "unsubscribed"  # asked to stop; the row stays as a suppression record
    BOUNCED = "bounced"  # the address hard-bounced
    COMPLAINED = "complained"  # marked a newsletter as spam
    UNCONFIRMED = "unconfirmed"  # signed up but never confirmed: never sent posts


STATUS_VALUES = frozenset(status.value for status in Status)
# Statuses that record a reader leaving: never undone by an import or a suppression.
LEFT = frozenset({Status.UNSUBSCRIBED, Status.BOUNCED, Status.COMPLAINED})


def suppresses(status: str) -> bool:
    """The one rule for who may be mailed: a status cell (stripped, lower-cased) suppresses its
    address unless it is empty or says active; an unknown status suppresses too (never guess).
    Any suppressing copy of an address wins over every active one, in any store."""
    return status not in MAILED


MAILED = ("", Status.ACTIVE.value)  # read once: an enum member's .value is a property call
SPILLED = "unreadable"  # the status of a row whose status is out of place: suppresses
_ACTIVE = Status.ACTIVE


_STATUS_BY_VALUE = {status.value: status for status in Status}  # Status(text), without enum's call
_VALUES = {status: status.value for status in Status}  # a member's or its text's value
_KNOWN_COLUMNS = frozenset(COLUMNS)
TAG_SEPARATORS = ",;|"  # what separates the tags of a cell
STATUS_NAMES = ", ".join(Status)


@record(slots=True)
class Subscriber:
    """One valid row of a subscriber file, read-only by convention (change it with replace()).
    Not frozen: several times dearer to build, once a reader a send; slots: an import holds many."""

    email: str  # as written in the file (spaces trimmed)
    address: str  # normalised: domain lower-cased, local part as written
    name: str = ""
    status: Status = Status.ACTIVE
    tags: tuple[str, ...] = ()
    subscribed_at: str = ""
    extra: dict[str, str] = field(default_factory=dict)  # unknown columns, as written
    source: Path | None = None
    line: int = 0

    @property
    def key(self) -> str:
        """The de-duplication key (:func:`newsletter.addresses.address_key`)."""
        return address_key(self.address)

    @property
    def active(self) -> bool:
        return self.status is Status.ACTIVE

    def tagged(self, wanted: frozenset[str]) -> bool:
        """Whether the reader holds one of ``wanted`` (tags folded to lower case), as a send's
        --tag segment picks its readers."""
        return not wanted.isdisjoint(tag.lower() for tag in self.tags)


def nul_problem(reader: Subscriber, label: str) -> SubscriberError | None:
    """The problem of a reader whose row holds a NUL byte (0x00), or None. No text holds one
    (the file is damaged, or made to break things) and PostgreSQL cannot store one, so an
    import or a copy leaves the row behind, named (``label``: its file), whichever the store."""
    extra = reader.extra
    if "\0" not in "".join((reader.name, reader.subscribed_at, *reader.tags, *extra,
                            *extra.values())):  # one search of the joined cells
        return None
    return SubscriberError("a NUL byte (0x00) in the row: not text",
                           where=f"{label}:{reader.line}",
                           hint="remove it (the file may be damaged); the row is left out")


def light(error: SubscriberError) -> SubscriberError:
    """``error`` without its frames and the errors it was raised from, to be kept among a
    read's problems: each held its row, the address checker's frames and their locals, 4 KB
    a bad row, and a file of two million bad rows took 8.7 GB."""
    error.__traceback__ = error.__context__ = None
    return error


def row_key(email: str) -> str | None:
    """The key of a row's address, or None when it is not a valid address.

    Only rows that will be compared, not sent to, come here. For a plain ASCII address
    without IDNA labels email-validator changes nothing but the domain's case, so lowering it
    gives the same key at a fraction of the cost; invalid ones simply never match a valid key.
    """
    email = email.strip()
    if email.isascii() and "@" in email and "xn--" not in (key := email.lower()):
        return key  # address_key(email): stripped already
    try:
        return normalised_key(email)
    except SubscriberError:
        return None


def split_tags(text: str) -> tuple[str, ...]:
    """Tags as written in a cell: separated by commas, semicolons or |."""
    if not text:
        return ()
    parts = text.replace(";", ",").replace("|", ",").split(",")  # TAG_SEPARATORS (fastest)
    return tuple(filter(None, map(str.strip, parts)))  # each stripped, empty ones left out


def new_row(email: str, name: str = "", tags: Iterable[str] = (),
            status: Status = Status.ACTIVE, subscribed_at: str = "",
            extra: dict[str, str] | None = None) -> dict[str, str]:
    """The cells of a new record by column name; subscribed_at defaults to now (UTC)."""
    stamp = subscribed_at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    # A known status's value from a dict (Status(status) is an enum call: an import's millions)
    return {"email": email, "name": name, "status": _VALUES.get(status) or Status(status).value,
            "tags": ",".join(tags), "subscribed_at": stamp, **(extra or {})}


@record
class Row:
    """A data record with its cells named by column; not yet validated."""

    source: Path
    label: str  # the file as problems name it
    line: int
    values: dict[str, str]
    spilled: str = ""  # why its status is a guess (misplaced.out_of_place): never sent to

    @property
    def where(self) -> str:
        return f"{self.label}:{self.line}"

    @property
    def email(self) -> str:
        return self.values.get("email", "")

    @property
    def status_text(self) -> str:
        if self.spilled:
            return SPILLED
        return self.values.get("status", "").lower() or Status.ACTIVE.value

    @property
    def suppressed(self) -> bool:
        return suppresses(self.status_text)

    @property
    def left(self) -> bool:
        """True if the status says the reader left (an unknown status counts as leaving)."""
        return self.suppressed and self.status_text != Status.UNCONFIRMED

    @property
    def suppression(self) -> Status:
        """The status this row imposes on its address; an unknown one counts as unsubscribed."""
        known = self.status_text in STATUS_VALUES
        return Status(self.status_text) if known else Status.UNSUBSCRIBED

    def to_subscriber(self) -> Subscriber:
        """Validate the row; raise SubscriberError (where=file:line) when it cannot be sent to."""
        values = self.values
        email = values.get("email", "")
        if self.spilled:
            raise SubscriberError(
                f"{self.spilled}: which cell is the status is a guess", where=self.where,
                hint="put the status in the status column (a cell too many? a \"Lee, Ann\" "
                     "without quotes?); the reader gets nothing until it is fixed")
        if not email:
            raise SubscriberError("no email address", where=self.where,
                                  hint="fill in the email column or delete the row")
        if "\n" in email or "\r" in email:
            raise SubscriberError("the email cell spans several lines", where=self.where,
                                  hint="look for an unclosed quote on this line")
        try:
            address = normalise_address(email)
        except SubscriberError as error:
            raise SubscriberError(error.message, where=self.where,
                                  hint="fix the address; the row is skipped for sending") from None
        status = _STATUS_BY_VALUE.get(self.status_text)
        if status is None:
            raise SubscriberError(
                f"unknown status {values['status']!r}", where=self.where,
                hint=f"use one of {STATUS_NAMES}; the reader gets nothing until it is fixed",
            )
        known = values.keys() <= _KNOWN_COLUMNS
        return Subscriber(
            email=email, address=address, name=values.get("name", ""),
            status=status, tags=split_tags(values.get("tags", "")),
            subscribed_at=values.get("subscribed_at", ""),
            extra={} if known else {k: v for k, v in values.items() if k not in COLUMNS},
            source=self.source, line=self.line,
        )


class PlainRows:
    """Subscribers built straight from the cells of a file's plain records, without a Row.

    A send's hot path: :meth:`subscriber` returns what ``Row.to_subscriber()`` returns for an
    active record of a file whose columns are all known (once each), when the address takes
    the fast path of :func:`normalise_address`; None for anything else, and the caller then
    builds the Row (which reports the problem, if any). tests/test_subscribers.py compares both.
    """

    def __init__(self, source: Path, layout: Layout):
        columns = layout.columns
        self.source = source
        self.plain = known_columns(columns)
        self.width = len(columns)
        self.name_at, self.tags_at, self.since_at = (
            layout.position(name) for name in ("name", "tags", "subscribed_at"))

    def subscriber(self, record: Record, email: str, status: str) -> Subscriber | None:
        """The Subscriber of ``record`` (``email`` and ``status``: its cells, stripped), or None."""
        cells = record.cells
        if not self.plain or len(cells) > self.width or status not in MAILED:
            return None
        address = fast_normalised(email)
        if address is None:
            return None
        count = len(cells)
        at = self.name_at
        name = cells[at].strip() if at is not None and at < count else ""
        at = self.tags_at
        tags = cells[at].strip() if at is not None and at < count else ""
        at = self.since_at
        since = cells[at].strip() if at is not None and at < count else ""
        # Positional, in the field order: keywords made this a fifth of reading a reader; the
        # member read once (Status.ACTIVE is a lookup through the enum's class each time).
        return Subscriber(email, address, name, _ACTIVE, split_tags(tags) if tags else (),
                          since, {}, self.source, record.line)


def known_columns(columns: list[str]) -> bool:
    """Whether each of ``columns`` is a known one, named once (a plain row's layout)."""
    return len(set(columns)) == len(columns) and set(columns) <= _KNOWN_COLUMNS


def row_of(source: Path, label: str, layout: Layout, record: Record) -> Row:
    """The Row of a record; one whose status is :func:`out_of_place` suppresses its address
    and is reported, never sent to."""
    return Row(source, label, record.line, row_values(layout, record),
               out_of_place(layout, record.cells))


def row_values(layout: Layout, record: Record) -> dict[str, str]:
    """A record's cells by column name, spaces trimmed; a row shorter than the header lacks
    its last columns (read as empty: filling them in made each short row cost the width of
    the header). A cell under no name (a blank header cell, or past the header) is a column
    (``columnN``) only when it holds something: the empty columns a spreadsheet leaves at the
    right of a file are not the list's."""
    columns, cells = layout.columns, [cell.strip() for cell in record.cells]
    values = dict(zip(columns, cells))  # a repeated column name: the later cell wins
    if "" in values or len(cells) > len(columns):
        values.pop("", None)
        for index, cell in enumerate(cells):
            if cell and (index >= len(columns) or not columns[index]):
                values[layout.column_name(index) or f"column{index + 1}"] = cell
    return values


def open_records(path: Path, label: str, problems: list[SubscriberError],
                 handle: TextIO | None = None) -> tuple[Layout, Iterator[Record]]:
    """The layout and non-blank records of one file; a file-level problem is appended and ends it.

    With ``handle`` (``path`` opened as UTF-8 text with ``newline=""``), records are read from
    it: an open file keeps the version it opened, however often the file is replaced since.
    Records come without their text (enough to read the list, not to rewrite it).
    """
    try:
        layout, records = (read_csv(path, label, keep_text=False) if handle is None
                           else parse_csv(handle, label, keep_text=False, source=path))
    except SubscriberError as error:
        problems.append(error)
        return Layout(), iter(())
    if (foreign := foreign_list_file(path.name, label, layout)) is not None:
        problems.append(foreign)  # an export saved here: who left it says its own way
        next(records, None)  # started, so that closing it closes the file it opened
        records.close()
        return Layout(), iter(())
    return layout, problems_reported(records, label, problems)


def problems_reported(records: Iterator[Record], label: str,
                      problems: list[SubscriberError]) -> Iterator[Record]:
    """``records`` but those that could not be read, reported in ``problems`` (where the CSV
    becomes unreadable, its end)."""
    try:
        for record in records:
            if record.problem:  # lines that could not be read: reported, the rest read on
                problems.append(record.error(label))
            else:  # read without text: none is blank (a blank first one is the header's)
                yield record
    except SubscriberError as error:
        problems.append(error)


def read_rows(path: Path, label: str, problems: list[SubscriberError]) -> Iterator[Row]:
    """Stream the non-blank rows of one file (see :func:`open_records`)."""
    layout, records = open_records(path, label, problems)
    for record in records:
        yield row_of(path, label, layout, record)
