"""Rewriting a subscriber file: whole (a locked edit) or streamed (folding the journal).

Every record the rewrite does not change is written back byte for byte; changed and new ones
are encoded with the file's own delimiter and line ending. The new text goes to a temporary
file in the same folder, is fsynced and renamed over the old one, so readers only ever see a
whole file, old or new.
"""

from __future__ import annotations

import io
import os
import tempfile
from contextlib import contextmanager
from itertools import chain, islice
from pathlib import Path
from typing import Callable, Iterable, Iterator, TextIO

from newsletter.errors import SubscriberError
from newsletter.subscribers.csv_encoding import not_utf8
from newsletter.subscribers.csv_format import (
    COLUMNS,
    MAX_LINE,
    Layout,
    Record,
    RowEncoder,
    line_too_long,
    parse_csv,
)
from newsletter.subscribers.status_columns import foreign_list_file


APPENDED = 1000  # records added at the end, encoded at once


class UnclosedQuoteError(SubscriberError):
    """A file that holds an unclosed quote: read around it, never rewritten until it is fixed."""


class CsvFile:
    """A subscriber file held for a rewrite: its records as a list (``load``), or streamed
    through an edit (``rewrite``)."""

    def __init__(self, path: Path, layout: Layout, preamble: str,
                 records: list[Record] | Iterator[Record], label: str | None = None,
                 header_changed: bool = False):
        self.path = path
        self.label = label or str(path)  # how problems name the file
        self.layout = layout
        self.preamble = preamble  # BOM, blank lines and header, as written
        self.records = records
        self.header_changed = header_changed  # the header must be written anew
        self.dropped = False  # records were removed (`subscribers prune`)
        self._positions: dict[str, int] = {}  # column -> position, as new_record looks them up
        self._appended: Iterable[dict[str, str]] = ()  # records added as the file is written
        self._encode_row = RowEncoder(layout.delimiter, layout.newline)

    @classmethod
    def load(cls, path: Path, label: str | None = None) -> CsvFile:
        """Read ``path`` whole; a missing or empty file starts with the standard header."""
        label = label or str(path)
        if not path.exists():
            return cls(path, Layout(header=list(COLUMNS)), "", [], label, header_changed=True)
        try:
            text = _read_bounded(path, label).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise not_utf8(label, exc, path) from None
        layout, stream = parse_csv(io.StringIO(text, newline=""), label)
        if (foreign := foreign_list_file(path.name, label, layout)) is not None:
            raise foreign  # never edited: a status column added would make its rows readers
        records = list(_whole(stream, label))
        empty = not layout.preamble.strip("\ufeff\r\n\t ") and not records
        if layout.header is None and not records:
            layout.header = list(COLUMNS)
        return cls(path, layout, layout.preamble, records, label, header_changed=empty)

    @classmethod
    def rewrite(cls, path: Path, label: str, columns: Iterable[str],
                edit: Callable[[CsvFile, Record], None],
                appended: Iterable[dict[str, str]] = ()) -> None:
        """Stream ``path`` through ``edit`` into its replacement, then add ``appended`` records.

        ``columns`` are the ones the edits write (added to the header first, if missing).
        Memory stays flat however long the file is. Raises UnclosedQuoteError (nothing
        written) if the file holds one.
        """
        if not path.exists():
            csv_file = cls(path, Layout(header=list(COLUMNS)), "", iter(()), label,
                           header_changed=True)
            handle = None
        else:
            handle = path.open("r", encoding="utf-8", newline="")
            layout, stream = parse_csv(handle, label, source=path)
            first = next(stream, None)
            empty = first is None and not layout.preamble.strip("\ufeff\r\n\t ")
            if empty:  # as load() does: an empty file starts with the standard header
                layout.header = list(COLUMNS)
            records = chain([first] if first else [], stream)
            csv_file = cls(path, layout, layout.preamble, _whole(records, label), label,
                           header_changed=empty)
        try:
            for column in columns:
                csv_file.index(column)
            source = csv_file.records

            def edited() -> Iterator[Record]:
                for record in source:
                    edit(csv_file, record)
                    yield record
                for values in appended:
                    yield csv_file.new_record(values)

            csv_file.records = edited()
            write_atomically(path, csv_file.chunks())
        finally:
            if handle is not None:
                handle.close()

    def index(self, column: str) -> int:
        """The position of ``column`` (the cell readers read), adding it if the file lacks it."""
        position = self.layout.position(column)
        if position is not None:
            return position
        if self.layout.header is None:
            raise SubscriberError(
                f"cannot add a {column!r} column to a file without a header", where=self.label,
                hint="add a header line (email,name,status,tags,subscribed_at)",
            )
        self.layout.columns.append(column)
        self.layout.header.append(column)
        self.header_changed = True
        return len(self.layout.columns) - 1

    def set_cell(self, record: Record, column: str, value: str) -> None:
        """Change one cell of ``record``; the rest of the record is written back as it was."""
        index = self.index(column)
        cells = record.cells + [""] * (index + 1 - len(record.cells))
        if cells[index] != value:
            cells[index] = value
            record.cells, record.raw = cells, None

    def new_record(self, values: dict[str, str]) -> Record:
        """A record holding ``values`` by column; unknown columns join the header (if any)."""
        return Record(0, self._cells(values), None)

    def _cells(self, values: dict[str, str]) -> list[str]:
        if self.layout.header is None:  # no header: no room for columns beyond the standard five
            values = {name: value for name, value in values.items() if name in COLUMNS}
        positions = self._positions
        if not positions.keys() >= values.keys():  # a column this file lacks, or not looked up
            positions.update((name, self.index(name)) for name in values)
        cells = [""] * len(self.layout.columns)
        for name, value in values.items():
            cells[positions[name]] = value
        while cells and not cells[-1]:
            cells.pop()
        return cells

    def append(self, values: dict[str, str]) -> Record:
        """Add a record at the end (see :meth:`new_record`)."""
        record = self.new_record(values)
        self.records.append(record)
        return record

    def append_all(self, values: Iterable[dict[str, str]], columns: Iterable[str]) -> None:
        """Add records at the end as the file is written (streamed: memory stays flat).
        ``columns``: every column they may hold, added to the header now, before it is
        written."""
        self.new_record(dict.fromkeys(columns, ""))  # the header learns the columns
        self._appended = chain(self._appended, values)
        self.header_changed = True  # the file is written again, whatever else changed

    def drop(self, doomed: list[Record]) -> None:
        """Remove these records from the file (on the next save)."""
        gone = {id(record) for record in doomed}
        self.records = [record for record in self.records if id(record) not in gone]
        self.dropped = self.dropped or bool(gone)

    @property
    def changed(self) -> bool:
        return (self.header_changed or self.dropped
                or any(record.raw is None for record in self.records))

    def chunks(self) -> Iterator[str]:
        """The file's new text: unchanged records exactly as read, changed ones re-encoded.

        Each changed record keeps its new text, so once written the file is unchanged again.
        """
        layout = self.layout
        if self.header_changed:
            self.preamble = (("\ufeff" if layout.bom else "") + layout.separator_line
                             + self._encode(layout.header or []))
            self.header_changed = False
        self.dropped = False
        last = self.preamble
        yield last
        appended, self._appended = iter(self._appended), ()
        for record in self.records:
            if last and not last.endswith(("\n", "\r")):
                yield layout.newline  # the last line had no line ending
            if record.raw is None:
                record.raw = self._encode(record.cells)
            last = record.raw
            yield last
        # Records added as the file is written: encoded APPENDED at a time, the same text.
        while batch := list(islice(appended, APPENDED)):
            if last and not last.endswith(("\n", "\r")):
                yield layout.newline
            last = self._encode_row.many([cells for values in batch
                                          if (cells := self._cells(values))])
            yield last

    def _encode(self, cells: list[str]) -> str:
        return self._encode_row(cells) if cells else ""

    def save(self) -> None:
        """Write the file atomically if anything changed."""
        if self.changed:
            write_atomically(self.path, self.chunks())


def _whole(records: Iterator[Record], label: str) -> Iterator[Record]:
    """The records of a file to rewrite; UnclosedQuoteError at the first problem record, and
    "not changed:" before the message of a CSV the parser gave up on."""
    try:
        for record in records:
            if record.problem:
                error = record.error(label)
                raise UnclosedQuoteError(error.message, where=error.where, hint=error.hint)
            yield record
    except UnclosedQuoteError:
        raise
    except SubscriberError as error:
        raise SubscriberError(f"not changed: {error.message}", where=error.where,
                              hint=error.hint) from None


def write_atomically(path: Path, chunks: Iterable[str]) -> None:
    """Replace ``path`` with the text of ``chunks`` (see :func:`replacing`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as handle:
        handle.writelines(chunks)


@contextmanager
def replacing(path: Path) -> Iterator[TextIO]:
    """A text file that takes ``path``'s place once written whole: temp file in the same
    folder, fsync, rename, fsync folder. Until then, and whatever stops the writing (a full
    disk), ``path`` stays as it was and the temp file goes; an OSError names ``path``."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    # The suffix keeps a leftover temp file (after a crash) out of subscribers/*.csv.
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:  # a read-only folder: name the file, not a random temp name
        raise OSError(error.errno, error.strerror, str(path)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except OSError as error:  # the disk is full: the old file stays whole
        Path(temp).unlink(missing_ok=True)
        raise OSError(error.errno, error.strerror, str(path)) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _read_bounded(path: Path, label: str) -> bytes:
    """The bytes of ``path``, read line by line so that a line no list holds (over MAX_LINE
    characters of up to four bytes each) is refused before it is read whole."""
    limit = 4 * MAX_LINE
    lines = []
    with path.open("rb") as handle:
        while line := handle.readline(limit + 1):
            if len(line) > limit:
                raise line_too_long(label, len(lines) + 1)
            lines.append(line)
    return b"".join(lines)
