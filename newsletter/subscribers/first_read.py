"""A list's first read for a send: who the files suppress and which keys repeat, scanned lean.

A send yields no reader before it knows both (list_pass.py). When no earlier read kept that
answer for these files, finding it took a whole pass parsing every record as a send does (and
checking each reader), so a first send's first request waited for it (~0.6 s of CPU on 100,000
readers, docs/performance.md). The answer needs only two cells of each record: the address and
the status. Most of a list's lines hold no quote, and each such line is a record whose cells
are the line split at the separator (csv_records.split_records' fast path), so
:func:`lean_cells` reads the text in big blocks and splits each line itself; a block holding
a quote, a lone carriage return or an over-long line, or one that cannot be decoded, is read
from its start by the full reader, as is the rest of its file (and a file without a header,
or whose header is a problem, whole). The rows' own checks are left to the pass that streams
the readers once the answer is known (:func:`pass_cells`, which splits plain blocks the same
way): the first chunk leaves right after the scan.
"""

from __future__ import annotations

from itertools import dropwhile, islice
from pathlib import Path
from typing import Iterator, TextIO

from newsletter.records import record
from newsletter.subscribers.csv_format import MAX_LINE, Layout, bounded_lines, records_from
from newsletter.subscribers.csv_records import Record
from newsletter.subscribers.folder import ListFolder
from newsletter.subscribers.list_cells import block_reader, record_cells
from newsletter.subscribers.list_pass import suppressed_and_repeated
from newsletter.subscribers.rows import problems_reported, open_records

BLOCK = 1 << 20  # characters read at a time


def read_pass(folder: ListFolder, opened: list[tuple[Path, TextIO]], before: dict | None
              ) -> tuple[set[str], set[str]]:
    """The keys the opened files suppress and those that may repeat: kept (``before``), or
    read by :func:`lean_cells` (and kept)."""
    return suppressed_and_repeated(
        folder, opened, lambda found: lean_cells(folder, opened, found), before)


def lean_cells(folder: ListFolder, opened: list[tuple[Path, TextIO]], problems: list
               ) -> Iterator[tuple[list[str], list[str]]]:
    """(emails, lower-cased statuses) of the records the send's pass reads, a block at a time
    (list_cells.cells_from gives the same email and status, record by record, and the same
    file problems in ``problems``), most of them without a Record or a csv reader. Records
    without an email may be left out: they have no key to suppress or repeat."""
    for path, handle in opened:
        handle.seek(0)
        label = folder.label(path)
        before = len(problems)  # the records' problems go there too, as they are read
        layout, records = open_records(path, label, problems, handle)
        if layout.header is None or len(problems) > before:  # read as the pass reads it
            yield from _in_blocks(record_cells(path, label, layout, records))
            continue
        records.close()  # not started: the handle stands right after the header
        yield from _lean_file(path, label, layout, handle, problems)


def _lean_file(path: Path, label: str, layout, handle: TextIO, problems: list
               ) -> Iterator[tuple[list[str], list[str]]]:
    """:func:`lean_cells` of the records after the header of one file."""
    delimiter = layout.delimiter
    of_block = block_reader(layout)
    for lines in _plain_blocks(handle):
        if lines is None:  # the full reader from the block's start, to the file's end
            records = problems_reported(records_from(bounded_lines(handle, label), delimiter,
                                                      0, label), label, problems)
            yield from _in_blocks(record_cells(path, label, layout, records))
            return
        yield of_block(lines)


def _in_blocks(cells: Iterator[tuple]) -> Iterator[tuple[list[str], list[str]]]:
    """The (emails, statuses) of the full reader's ``cells``, a thousand records at a time."""
    while block := list(islice(cells, 1000)):
        yield [email for _, _, email, _ in block], [status for _, _, _, status in block]


def pass_cells(folder: ListFolder, opened: list[tuple[Path, TextIO]], problems: list | None
               ) -> Iterator[tuple]:
    """list_cells.cells_from's cells of the opened files (the same records, line numbers and
    problems), the records of plain blocks split as :func:`lean_cells` splits them: the pass
    that streams a send's readers, without the full reader's line-by-line feed (half the
    cost of cells_from on 100,000 plain rows, docs/performance.md)."""
    for path, label, layout, parts in pass_parts(folder, opened, problems):
        for part in parts:
            records = part.records(layout.delimiter) if isinstance(part, PlainBlock) else part
            yield from record_cells(path, label, layout, records)


@record(slots=True)
class PlainBlock:
    """The lines of a plain block (:func:`_plain_lines`), the first one numbered ``line``."""

    line: int
    lines: list[str]

    def records(self, delimiter: str) -> Iterator[Record]:
        """Its records, as open_records reads them."""
        for number, body in enumerate(self.lines, self.line):
            if (found := plain_record(number, body, delimiter)) is not None:
                yield found


def plain_record(line: int, body: str, delimiter: str) -> Record | None:
    """The record of a plain line; None for a blank one (split_records leaves those out)."""
    cells = body.split(delimiter)
    return Record(line, cells, None) if "@" in body or "".join(cells).strip() else None


def pass_parts(folder: ListFolder, opened: list[tuple[Path, TextIO]], problems: list | None
               ) -> Iterator[tuple[Path, str, Layout, Iterator[PlainBlock | Iterator[Record]]]]:
    """(path, label, layout, parts) of each opened file, its parts in order: a PlainBlock
    where the lean split reads what the full reader would, else the full reader's records."""
    problems = [] if problems is None else problems
    for path, handle in opened:
        handle.seek(0)
        label = folder.label(path)
        before = len(problems)
        layout, records = open_records(path, label, problems, handle)
        header = layout.header
        # Where the data begins is known when the header was one line (no line break in it).
        if (header is None or len(problems) > before
                or any("\n" in cell or "\r" in cell for cell in header)):
            yield path, label, layout, iter((records,))
            continue
        records.close()  # not started: the handle stands right after the header
        yield path, label, layout, _lean_parts(path, label, handle, problems,
                                               layout.header_line + 1)


def _lean_parts(path: Path, label: str, handle: TextIO, problems: list, line: int
                ) -> Iterator[PlainBlock | Iterator[Record]]:
    """The parts after the header of one file (its data starting on ``line``)."""
    for lines in _plain_blocks(handle):
        if lines is None:  # the full reader, from the file's start (numbered and checked as
            handle.seek(0)  # it reads), for the records from this block on
            records = open_records(path, label, problems, handle)[1]
            yield dropwhile(lambda record: record.line < line, records)
            return
        yield PlainBlock(line, lines)
        line += len(lines)


def _plain_blocks(handle: TextIO) -> Iterator[list[str] | None]:
    """The lines of each next block of ``handle`` (:func:`_plain_lines`); at a block that is
    not plain, None with the handle back at the block's start, and the end."""
    while True:
        start = handle.tell()
        try:
            block = _block(handle)
        except UnicodeDecodeError:
            block = None
        if block == "":
            return
        lines = None if block is None else _plain_lines(block)
        if lines is None:
            handle.seek(start)
            yield None
            return
        yield lines


def _block(handle: TextIO) -> str:
    """The next BLOCK characters or so of ``handle``, ending where a line ends (or the file
    does); "" at the end."""
    block = handle.read(BLOCK)
    if block.endswith("\r"):  # a CRLF cut in two
        block += handle.read(1)
    if block and not block.endswith("\n"):
        block += handle.readline(MAX_LINE + 1)
    return block


def _plain_lines(block: str) -> list[str] | None:
    """The lines of ``block`` without their line ends, when each is a record split_records
    splits at the separator alone (no quote, no lone carriage return, none over MAX_LINE
    characters); else None."""
    if '"' in block:
        return None
    if "\r" in block:
        if block.count("\r") != block.count("\r\n"):
            return None
        block = block.replace("\r\n", "\n")
    lines = block.split("\n")
    if block.endswith("\n"):
        lines.pop()  # not a line: what follows the last line end
    if max(map(len, lines), default=0) >= MAX_LINE - 1:  # bounded_lines counts the line end too
        return None
    return lines
