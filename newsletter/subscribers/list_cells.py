"""A list's records as a send reads them: the cells that decide each one, and the readers a
pass over them lets through (reading.py streams them; first_read.py and appended.py read
them in their own ways)."""

from __future__ import annotations

from itertools import repeat
from pathlib import Path
from typing import Callable, Container, Iterable, Iterator, TextIO

from newsletter.errors import SubscriberError
from newsletter.subscribers.csv_format import Layout, Record
from newsletter.subscribers.folder import ListFolder
from newsletter.subscribers.misplaced import out_of_place
from newsletter.subscribers.rows import (
    MAILED,
    SPILLED,
    STATUS_VALUES,
    PlainRows,
    Subscriber,
    light,
    open_records,
    row_of,
)

Source = tuple[Path, str, Layout, PlainRows]


def pass_readers(cells: Iterable[tuple[Source, Record, str, str]], listed: frozenset[str],
                 journalled: frozenset[str], repeats: Container[str],
                 problems: list[SubscriberError] | None,
                 tags: frozenset[str] | None, seen: set[str] | None = None
                 ) -> Iterator[Subscriber]:
    """The pass of :func:`stream_active` over :func:`cells_from`'s ``cells``: suppressed by
    the files (``listed``) or the journal. ``seen``: the repeats already let through (shared
    by the parts of one pass read apart, plain_pass.py)."""
    seen = set() if seen is None else seen  # of the repeats only
    for (path, label, layout, plain), record, email, status in cells:
        if status not in MAILED:  # suppresses(status)
            if status in STATUS_VALUES:
                continue  # suppressed: never sent to
            # An unknown status (a typo for "active"?) suppresses too, never guessed, and is
            # named with the rows the send cannot use, so no reader is left out unsaid.
            subscriber = None
        else:
            subscriber = plain.subscriber(record, email, status)
        if subscriber is None:  # not a plain row: the Row validates it, or says why not
            row = row_of(path, label, layout, record)
            try:
                subscriber = row.to_subscriber()
            except SubscriberError as error:
                if problems is not None:
                    problems.append(light(error))
                continue
        key = subscriber.key
        if key in listed:
            continue
        if tags is not None and not subscriber.tagged(tags):
            continue
        if key in repeats:
            if key in seen:
                continue
            seen.add(key)
        if key in journalled:  # after the repeats: every copy of theirs stays unsent
            continue
        yield subscriber


def cells_from(folder: ListFolder, opened: list[tuple[Path, TextIO]],
               problems: list[SubscriberError] | None,
               ) -> Iterator[tuple[Source, Record, str, str]]:
    """((path, label, layout, plain rows), record, email, lower-cased status) of each record.

    Reads already opened files from their start; file problems go to ``problems``.
    """
    problems = [] if problems is None else problems
    for path, handle in opened:
        handle.seek(0)
        label = folder.label(path)
        layout, records = open_records(path, label, problems, handle)
        yield from record_cells(path, label, layout, records)


def record_cells(path: Path, label: str, layout: Layout, records: Iterable[Record]
                 ) -> Iterator[tuple[Source, Record, str, str]]:
    """:func:`cells_from` of one file's ``records``."""
    source = (path, label, layout, PlainRows(path, layout))
    email_and_status = status_reader(layout)
    for record in records:
        yield (source, record, *email_and_status(record.cells))


def status_reader(layout: Layout) -> Callable[[list[str]], tuple[str, str]]:
    """(email, lower-cased status) of a record's cells in ``layout``: SPILLED where its status
    is out of place (misplaced.py), so the reader is suppressed, never sent to."""
    email_at, status_at = layout.position("email"), layout.position("status")
    width = len(layout.columns)

    def email_and_status(cells: list[str]) -> tuple[str, str]:
        email = cells[email_at].strip() if email_at < len(cells) else ""
        status = (cells[status_at].strip().lower()
                  if status_at is not None and status_at < len(cells) else "")
        # might_say_left, inline: the row's cells may say it left though its status is empty
        if (len(cells) > width or not status and "ed" in "\0".join(cells).lower()) and \
                out_of_place(layout, cells):
            status = SPILLED
        return email, status

    return email_and_status


def block_reader(layout: Layout) -> Callable[[list[str]], tuple[list[str], list[str]]]:
    """(emails, statuses) of the records of a plain block's lines (each line's cells: the line
    split at the separator) in ``layout``, as :func:`status_reader` reads them, leaving out the
    rows without an email: in a few C calls a block when every line has one cell a column and
    a status (none is then out of place), else line by line."""
    email_and_status = status_reader(layout)
    delimiter, width = layout.delimiter, len(layout.columns)
    email_at, status_at = layout.position("email"), layout.position("status")

    def of_block(lines: list[str]) -> tuple[list[str], list[str]]:
        if None not in (email_at, status_at) and \
                set(map(str.count, lines, repeat(delimiter))) == {width - 1}:
            cells = delimiter.join(lines).split(delimiter)  # width a line, in order
            emails = list(map(str.strip, cells[email_at::width]))
            statuses = list(map(str.lower, map(str.strip, cells[status_at::width])))
            if "" not in emails and "" not in statuses:
                return emails, statuses
        pairs = [pair for line in lines if (pair := email_and_status(line.split(delimiter)))[0]]
        return [email for email, _ in pairs], [status for _, status in pairs]

    return of_block
