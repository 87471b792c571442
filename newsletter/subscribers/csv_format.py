"""The subscriber CSV format: read messy files, rewrite them atomically without disturbing them.

Real lists come from spreadsheets: a BOM, CRLF, ``;`` separators, blank lines, spaces around
values, no header at all. :func:`read_csv` streams records with their first line number;
:class:`CsvFile` holds a whole file for a rewrite and writes back every record it did not
change byte for byte (same delimiter, line ending, BOM, header and unknown columns).
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Iterable, Iterator

from newsletter.errors import SubscriberError

COLUMNS = ("email", "name", "status", "tags", "subscribed_at")
# Header names spreadsheets and other tools use for the address column.
EMAIL_HEADERS = {"email", "e-mail", "email address", "email_address", "e-mail address"}
DELIMITERS = (",", ";", "\t")


@dataclass
class Layout:
    """How one CSV file is written: what a rewrite must keep."""

    delimiter: str = ","
    newline: str = "\n"
    bom: bool = False
    header: list[str] | None = None  # the header cells as written; None: the file has none
    columns: list[str] = field(default_factory=lambda: list(COLUMNS))  # one name per position

    def column_name(self, index: int) -> str:
        return self.columns[index] if index < len(self.columns) else f"column{index + 1}"

    def position(self, name: str) -> int | None:
        """Where the cell named ``name`` is (the last one, as a later cell wins), or None."""
        for index in range(len(self.columns) - 1, -1, -1):
            if self.columns[index] == name:
                return index
        return None


@dataclass
class Record:
    """One CSV record: where it starts, its cells (as written) and its text.

    ``raw`` is None once the record is changed, and when it was read without keeping its text.
    """

    line: int
    cells: list[str]
    raw: str | None

    @property
    def blank(self) -> bool:
        return not "".join(self.cells).strip()


def column_names(header: list[str]) -> list[str]:
    """Canonical column names for a header row: known names lower-cased, others as written."""
    names = []
    for cell in header:
        name = cell.strip().lstrip("\ufeff")
        lowered = name.lower()
        if lowered in EMAIL_HEADERS:
            lowered = "email"
        names.append(lowered if lowered in COLUMNS else name)
    return names


def sniff_delimiter(line: str) -> str:
    """The separator a spreadsheet used: the most frequent of , ; TAB outside quotes."""
    unquoted = "".join(line.split('"')[::2])
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _records(lines: Iterable[str], delimiter: str, first_line: int = 1,
             keep_text: bool = True) -> Iterator[Record]:
    """Parse lines into records; each keeps the exact text it came from if ``keep_text``."""
    if not keep_text:  # a plain read: no per-line bookkeeping (a third of a streamed read)
        plain = csv.reader(lines, delimiter=delimiter)
        line = first_line
        for cells in plain:
            yield Record(line, cells, None)
            line = first_line + plain.line_num
        return
    consumed: list[str] = []

    def feed() -> Iterator[str]:
        for text in lines:
            consumed.append(text)
            yield text

    reader = csv.reader(feed(), delimiter=delimiter)
    line = first_line
    # csv.reader pulls one line at a time and never reads ahead of the record it returns,
    # so `consumed` holds exactly the lines of the record just parsed.
    for cells in reader:
        raw = "".join(consumed)
        yield Record(line, cells, raw)
        line += len(consumed)
        consumed.clear()


def read_csv(path: Path, label: str | None = None,
             keep_text: bool = True) -> tuple[Layout, Iterator[Record]]:
    """Open ``path`` and return its layout and a stream of its data records (header excluded).

    Raises SubscriberError naming the file (as ``label``) when it cannot be decoded or has no
    email column. The stream raises SubscriberError where the CSV becomes unreadable.
    """
    handle = path.open("r", encoding="utf-8", newline="")
    try:
        layout, records = parse_csv(handle, label or str(path), keep_text)
    except BaseException:
        handle.close()
        raise
    return layout, _closing(handle, records)


def _closing(handle, records: Iterator[Record]) -> Iterator[Record]:
    with handle:
        yield from records


def parse_csv(lines: Iterable[str], label: str,
              keep_text: bool = True) -> tuple[Layout, Iterator[Record]]:
    """The layout and data records of CSV text given as lines (line endings kept).

    Without ``keep_text`` records come without their text (``raw`` None): enough to read a
    list, not to rewrite it.
    """
    layout, records = _read_layout(label, iter(lines), keep_text)
    return layout, _guarded(label, records)


def _guarded(path: str, records: Iterator[Record]) -> Iterator[Record]:
    """Turn decoding and CSV errors met while streaming into a SubscriberError."""
    line = 0
    try:
        for record in records:
            line = record.line
            yield record
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, exc) from None
    except csv.Error as exc:
        raise SubscriberError(
            f"unreadable CSV after line {line} ({exc})", where=path,
            hint="look for an unclosed quote; the rows after it are skipped",
        ) from None


def _not_utf8(path: str, exc: UnicodeDecodeError) -> SubscriberError:
    return SubscriberError(
        f"not UTF-8 text ({exc.reason} at byte {exc.start})", where=path,
        hint="save it as 'CSV UTF-8' from your spreadsheet",
    )


def _read_layout(path: str, handle, keep_text: bool) -> tuple[Layout, Iterator[Record]]:
    layout = Layout()
    skipped: list[str] = []
    try:
        for text in handle:
            if not skipped and text.startswith("\ufeff"):
                layout.bom, text = True, text[1:]
            if text.strip():
                break
            skipped.append(text)
        else:
            return layout, iter(())  # empty file: nothing to read
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, exc) from None
    layout.delimiter = sniff_delimiter(text)
    layout.newline = "\r\n" if text.endswith("\r\n") else "\n"
    records = _records(chain([text], handle), layout.delimiter, len(skipped) + 1, keep_text)
    try:
        first = next(records)
    except csv.Error as exc:
        raise SubscriberError(f"unreadable CSV ({exc})", where=path) from None
    names = column_names(first.cells)
    if "email" in names:
        layout.header, layout.columns = first.cells, names
        return layout, records
    if any("@" in cell for cell in first.cells):
        return layout, chain([first], records)  # no header: the first row is a reader
    raise SubscriberError(
        "no email column in the header", where=f"{path}:{first.line}",
        hint="name the column holding addresses 'email' (or start the file with an address)",
    )


class CsvFile:
    """A whole subscriber file held for a rewrite."""

    def __init__(self, path: Path, layout: Layout, preamble: str, records: list[Record],
                 label: str | None = None):
        self.path = path
        self.label = label or str(path)  # how problems name the file
        self.layout = layout
        self.preamble = preamble  # BOM, blank lines and header, as written
        self.records = records
        # A missing or empty file gets the standard header on its first write.
        self.header_changed = not preamble.strip("\ufeff\r\n\t ") and not records
        self.dropped = False

    @classmethod
    def load(cls, path: Path, label: str | None = None) -> CsvFile:
        """Read ``path``; a missing or empty file starts with the standard header."""
        label = label or str(path)
        if not path.exists():
            return cls(path, Layout(header=list(COLUMNS)), "", [], label)
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _not_utf8(label, exc) from None
        layout, stream = parse_csv(io.StringIO(text, newline=""), label)
        try:
            records = list(stream)
        except SubscriberError as error:
            raise SubscriberError(
                f"not changed: {error.message}", where=error.where, hint=error.hint,
            ) from None
        if layout.header is None and not records:
            layout.header = list(COLUMNS)
        body = "".join(record.raw or "" for record in records)
        return cls(path, layout, text[: len(text) - len(body)], records, label)

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

    def append(self, values: dict[str, str]) -> Record:
        """Add a record at the end; unknown columns join the header (if the file has one)."""
        if self.layout.header is None:  # no header: no room for columns beyond the standard five
            values = {name: value for name, value in values.items() if name in COLUMNS}
        indexes = {self.index(name): value for name, value in values.items() if value}
        cells = [indexes.get(i, "") for i in range(max(indexes, default=0) + 1)]
        record = Record(0, cells, None)
        self.records.append(record)
        return record

    def drop(self, doomed: list[Record]) -> None:
        """Remove these records from the file (on the next save)."""
        gone = {id(record) for record in doomed}
        self.records = [record for record in self.records if id(record) not in gone]
        self.dropped = self.dropped or bool(gone)

    @property
    def changed(self) -> bool:
        return (self.header_changed or self.dropped
                or any(record.raw is None for record in self.records))

    def render(self) -> str:
        """The file's new text: unchanged records exactly as read, changed ones re-encoded."""
        layout = self.layout
        if self.header_changed:
            parts = [("\ufeff" if layout.bom else "") + self._encode(layout.header or [])]
        else:
            parts = [self.preamble]
        for record in self.records:
            if parts and parts[-1] and not parts[-1].endswith(("\n", "\r")):
                parts.append(layout.newline)  # the last line had no line ending
            parts.append(record.raw if record.raw is not None else self._encode(record.cells))
        return "".join(parts)

    def _encode(self, cells: list[str]) -> str:
        if not cells:
            return ""
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=self.layout.delimiter,
                   lineterminator=self.layout.newline).writerow(cells)
        return buffer.getvalue()

    def save(self) -> None:
        """Write the file atomically if anything changed."""
        if self.changed:
            write_atomically(self.path, self.render())


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text``: temp file in the same folder, fsync, rename, fsync folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    # The suffix keeps a leftover temp file (after a crash) out of subscribers/*.csv.
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
