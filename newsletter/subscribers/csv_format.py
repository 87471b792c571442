"""The subscriber CSV format: read messy files, rewrite them atomically without disturbing them.

Real lists come from spreadsheets: a BOM, CRLF, ``;`` separators, blank lines, spaces around
values, no header at all. :func:`read_csv` streams records with their first line number;
:class:`CsvFile` holds a whole file for a rewrite and writes back every record it did not
change byte for byte (same delimiter, line ending, BOM, header and unknown columns).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import field
from itertools import chain, islice
from pathlib import Path
from typing import Iterable, Iterator

from newsletter.errors import SubscriberError
from newsletter.records import record
from newsletter.subscribers.csv_encoding import not_utf8
from newsletter.subscribers.csv_records import (
    ROW_START,
    Record,
    split_records,
)

COLUMNS = ("email", "name", "status", "tags", "subscribed_at")
# Header names spreadsheets and other tools use for the address column; Google Contacts' CSV
# names a contact's first address "E-mail 1 - Value" (its others stay columns of their own).
EMAIL_HEADERS = {"email", "e-mail", "email address", "email_address", "e-mail address",
                 "e-mail 1 - value",
                 # the same in the languages spreadsheets and mail services are set to
                 "e-mail-adresse", "e-mail adresse", "courriel", "adresse e-mail",
                 "adresse email", "adresse électronique", "adresse de courriel",
                 "correo electrónico", "dirección de correo electrónico",
                 "indirizzo email", "indirizzo e-mail", "e-mailadres", "endereço de e-mail",
                 "endereço de email"}
DELIMITERS = (",", ";", "\t")
# Characters in one line of a list: a reader's line holds well under a thousand. A longer one
# is refused without being read whole (a 1 GB line once took 2 GB of memory).
MAX_LINE = 100_000
_SEPARATOR_LINE = re.compile(r'"?sep=([,;\t|])"?[,;\t|]*', re.IGNORECASE)


@record
class Layout:
    """How one CSV file is written: what a rewrite must keep."""

    delimiter: str = ","
    newline: str = "\n"
    bom: bool = False
    separator_line: str = ""  # Excel's "sep=;" line as written, kept above a rewritten header
    header: list[str] | None = None  # the header cells as written; None: the file has none
    columns: list[str] = field(default_factory=lambda: list(COLUMNS))  # one name per position
    preamble: str = ""  # BOM, blank lines and header line as written (read keeping text only)
    header_line: int = 0  # the line the header starts on; 0: none read

    def column_name(self, index: int) -> str:
        return self.columns[index] if index < len(self.columns) else f"column{index + 1}"

    def position(self, name: str) -> int | None:
        """Where the cell named ``name`` is (the last one, as a later cell wins), or None."""
        for index in range(len(self.columns) - 1, -1, -1):
            if self.columns[index] == name:
                return index
        return None


# The reader's whole name under another header: a form's or a sheet's "Full Name", and in the
# languages of EMAIL_HEADERS. Read as the name only where no column is named "name". (A lone
# "Nom", "Nombre" or "Nome" is one part of a name: export_cells.NAME_PARTS.)
NAME_HEADERS = {"full name", "fullname", "full_name", "display name", "display_name",
                "your name", "subscriber name", "contact name", "nom complet",
                "nombre completo", "nome completo", "naam", "volledige naam",
                "vollständiger name"}


def column_names(header: list[str]) -> list[str]:
    """Canonical column names for a header row: known names lower-cased, others as written.
    A header cell's spaces count as one (a wrapped "E-mail⏎address" is "e-mail address")."""
    written = [cell.strip().lstrip("\ufeff") for cell in header]
    # "ó" as one character or two; a line break or a run of spaces as one space
    keys = [" ".join(unicodedata.normalize("NFC", name.lower()).split()) for name in written]
    names = ["email" if key in EMAIL_HEADERS else key if key in COLUMNS else name
             for key, name in zip(keys, written)]
    if "name" not in names:
        named = next((at for at, key in enumerate(keys) if key in NAME_HEADERS), None)
        if named is not None:
            names[named] = "name"
    return names


class RowEncoder:
    """One CSV record as text, ending in ``newline``. A cell holding a line break is quoted,
    a lone carriage return too: Python's csv.writer quotes only the characters of its own line
    terminator, so with "\\n" a name holding "\\r" was written bare, and read back as two rows
    (the reader's status left on the second)."""

    def __init__(self, delimiter: str = ",", newline: str = "\n"):
        self.newline = newline
        self._delimiter, self._quoted = delimiter, (delimiter, '"', "\r", "\n")
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, delimiter=delimiter, lineterminator="\r\n")

    def __call__(self, cells: Iterable[str]) -> str:
        buffer = self._buffer
        buffer.seek(0)
        buffer.truncate()
        self._writer.writerow(cells)
        return buffer.getvalue()[:-2] + self.newline

    def many(self, rows: list[list[str]]) -> str:
        """The records of ``rows`` (none empty) one after another, as ``self(cells)`` writes
        each. When no cell holds what csv.writer quotes (the delimiter, a quote, a line break)
        and no record is a lone empty cell (written ``""``), that is each record's cells
        joined by the delimiter: joined in C, not a writer's call a record (an import's
        million new readers)."""
        cells = "".join(map("".join, rows))
        if not rows or any(mark in cells for mark in self._quoted) or [""] in rows:
            return "".join(map(self, rows))
        newline = self.newline
        return newline.join(map(self._delimiter.join, rows)) + newline


def sniff_delimiter(line: str) -> str:
    """The separator a spreadsheet used: the most frequent of , ; TAB outside quotes."""
    unquoted = "".join(line.split('"')[::2])
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(path: Path, label: str | None = None, keep_text: bool = True,
             encoding: str = "utf-8") -> tuple[Layout, Iterator[Record]]:
    """Open ``path`` and return its layout and a stream of its data records (header excluded).

    Raises SubscriberError naming the file (as ``label``) when it cannot be decoded or has no
    email column. The stream raises SubscriberError where the CSV becomes unreadable.
    """
    handle = path.open("r", encoding=encoding, newline="")
    try:
        layout, records = parse_csv(handle, label or str(path), keep_text,
                                    source=path if encoding == "utf-8" else None)
    except BaseException:
        handle.close()
        raise
    return layout, _closing(handle, records)


def _closing(handle, records: Iterator[Record]) -> Iterator[Record]:
    with handle:
        yield from records


def parse_csv(lines: Iterable[str], label: str, keep_text: bool = True,
              source: Path | None = None) -> tuple[Layout, Iterator[Record]]:
    """The layout and data records of CSV text given as lines (line endings kept).

    Without ``keep_text`` records come without their text (``raw`` None): enough to read a
    list, not to rewrite it. ``source``: the file ``lines`` decode as UTF-8, where a byte
    that is not UTF-8 is looked for to name its line.
    """
    layout, records = _read_layout(label, bounded_lines(lines, label), keep_text, source)
    return layout, _guarded(label, records, source)


def bounded_lines(lines: Iterable[str], label: str) -> Iterator[str]:
    """``lines`` one by one, each at most MAX_LINE characters; at a longer one, a
    SubscriberError naming ``label:line``. An open file is read with ``readline(limit)``, so
    the long line is never held whole."""
    readline = getattr(lines, "readline", None)
    if readline is None:
        source = iter(lines)
        readline = lambda limit: next(source, "")  # noqa: E731 (already in memory)
    number = 1
    while text := readline(MAX_LINE + 1):
        if len(text) > MAX_LINE:
            raise line_too_long(label, number)
        yield text
        number += 1


def line_too_long(label: str, number: int) -> SubscriberError:
    return SubscriberError(f"a line longer than {MAX_LINE:,} characters",
                           where=f"{label}:{number}",
                           hint="no reader's line is that long: check that this is the list you "
                                "meant, and remove or fix that line")


def records_from(lines: Iterable[str], delimiter: str, first_line: int,
                 label: str) -> Iterator[Record]:
    """The records (without text) of lines that follow a file's header, numbered from
    ``first_line``; SubscriberError where the CSV becomes unreadable."""
    return _guarded(label, split_records(lines, delimiter, first_line, keep_text=False))


def _guarded(path: str, records: Iterator[Record],
             source: Path | None = None) -> Iterator[Record]:
    """Turn decoding and CSV errors met while streaming into a SubscriberError."""
    line = 0
    try:
        for record in records:
            line = record.line
            yield record
    except UnicodeDecodeError as exc:
        raise not_utf8(path, exc, source) from None
    except csv.Error as exc:
        raise SubscriberError(
            f"unreadable CSV after line {line} ({exc})", where=path,
            hint="look for an unclosed quote; the rows after it are skipped",
        ) from None


def _read_layout(path: str, handle, keep_text: bool,
                 source: Path | None = None) -> tuple[Layout, Iterator[Record]]:
    layout = Layout()
    # The lines above the header, as written: kept only for a rewrite (``keep_text``), since a
    # file of a billion blank lines held a list of them all.
    skipped: list[str] = []
    count = 0
    separator = None
    try:
        for text in handle:
            if not text.isspace():  # a blank line, the most a file can hold here, costs no more
                if not count and text.startswith("\ufeff"):
                    layout.bom, text = True, text[1:]
                hint = (_SEPARATOR_LINE.fullmatch(text.rstrip("\r\n")) if separator is None
                        else None)
                if hint:  # Excel's "sep=;" line: the separator, not a row
                    separator, layout.separator_line = hint.group(1), text
                elif text.strip():
                    break
            count += 1
            if keep_text:
                skipped.append(text)
        else:
            return layout, iter(())  # empty file: nothing to read
    except UnicodeDecodeError as exc:
        raise not_utf8(path, exc, source) from None
    layout.delimiter = separator or sniff_delimiter(text)
    layout.newline = "\r\n" if text.endswith("\r\n") else "\n"
    records = split_records(chain([text], handle), layout.delimiter, count + 1, keep_text)
    try:
        first = next(records)
    except csv.Error as exc:
        raise SubscriberError(f"unreadable CSV ({exc})", where=path) from None
    if first.problem:
        raise first.error(path)
    names = column_names(first.cells)
    layout.preamble = ("\ufeff" if layout.bom else "") + "".join(skipped)
    if "email" in names:
        layout.header, layout.columns, layout.header_line = first.cells, names, first.line
        layout.preamble += first.raw or ""
        return layout, records
    # a title above the header ("Exported by me@example.com"); a reader's row is no title
    ahead = [] if ROW_START.match(text) else list(islice(_guarded(path, records, source), 10))
    header_at = next((row.line for row in ahead if "@" not in "".join(row.cells) and "email"
                      in column_names(re.split("[,;\t]", "\t".join(row.cells)))), None)
    if header_at is not None:
        raise SubscriberError(f"the header is line {header_at}, not line {first.line}",
                              where=f"{path}:{first.line}", hint=f"delete the lines above "
                                                                 f"line {header_at}")
    if any("@" in cell for cell in first.cells):
        return layout, chain([first], ahead, records)  # no header: the first row is a reader
    raise SubscriberError(
        "no email column in the header", where=f"{path}:{first.line}",
        hint="name the column holding addresses 'email' (or start the file with an address)",
    )
