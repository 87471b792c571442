"""CSV text as records: where each starts, its cells, and the text it came from.

A list's lines are mostly a record each; a quoted cell may hold line breaks, and a quote left
open must not swallow the rows after it (:func:`split_records`).
"""

from __future__ import annotations

import csv
import re
from typing import Iterable, Iterator

from newsletter.errors import SubscriberError
from newsletter.records import record


@record(slots=True)
class Record:
    """One CSV record: where it starts, its cells (as written) and its text.

    ``raw`` is None once the record is changed, and when it was read without keeping its text.
    A record with a ``problem`` holds no cells: it stands for lines that could not be read.
    """

    line: int
    cells: list[str]
    raw: str | None
    problem: str | None = None  # UNCLOSED_QUOTE: not a record, the rows around it are

    @property
    def blank(self) -> bool:
        return not "".join(self.cells).strip()

    def error(self, label: str) -> SubscriberError:
        """The problem of a problem record, as ``file:line: ...``."""
        return SubscriberError(self.problem or "unreadable record", where=f"{label}:{self.line}",
                               hint="close the quote (or remove it); the file is not changed "
                                    "by any command until then")


# A line that starts like a record of its own: an address (maybe quoted), then a separator
# (or nothing more: a list of addresses only).
ROW_START = re.compile(r'\s*"?[^\s"@,;\t]+@[^\s"@,;\t]+"?[ \t]*(?P<separator>[,;\t]|\r?\n|$)')
UNCLOSED_QUOTE = "unclosed quote"


def _feed(source: Iterator[str], taken: list[str], back: list[str],
          ended: list[bool]) -> Iterator[str]:
    """The lines csv.reader reads, each also appended to ``taken``: those put ``back`` (the
    next one last) first, then ``source``'s, never one ahead of what the reader asked for.
    ``ended[0]`` turns true once there is no line left: a record the reader gives after that
    ran into the end of the file."""
    ended[0] = False
    while True:
        text = back.pop() if back else next(source, None)
        if text is None:
            ended[0] = True
            return
        taken.append(text)
        yield text


def _swallowed_row(taken: list[str], delimiter: str) -> int | None:
    """Index of the first continuation line of a multi-line record that starts like a row of
    its own (then a quote left open swallowed it), or None. A record whose quotes all close
    where a cell ends (a note whose second line starts with an address) is a record."""
    for index in range(1, len(taken)):
        found = ROW_START.match(taken[index])
        if found and found["separator"] in (delimiter, "\n", "\r\n", ""):
            return None if _well_quoted(taken, delimiter) else index
    return None


def _well_quoted(taken: list[str], delimiter: str) -> bool:
    """True if ``taken`` is one record whose every quote closes at the end of its cell: a quote
    left open closes at the next quote in the file, which rarely ends a cell as well."""
    try:
        return sum(1 for _ in csv.reader(taken, delimiter=delimiter, strict=True)) == 1
    except csv.Error:
        return False


def split_records(lines: Iterable[str], delimiter: str, first_line: int = 1,
             keep_text: bool = True) -> Iterator[Record]:
    """Parse lines into records; each keeps the exact text it came from if ``keep_text``
    (else blank records, which only a rewrite writes back, are left out, but for the first:
    the header's place, whose layout says what a blank one there means).

    A line without a quote (or a line break before its end) is a record of its own, whose
    cells csv.reader would split at each delimiter: it is split so, in C, without the reader
    (most of a list's lines; the reader's line-by-line feed was a third of reading a list).

    A quoted cell left open runs on into the following lines, and a CSV parser reads every
    row up to the next quote into it. When a continuation line starts like a row of its own
    (an address and the separator), the record is given back as a problem record at the line
    before it, and parsing resumes at that line: no row after the quote is lost unreported.
    """
    back: list[str] = []  # lines to read again, the next one last
    ended = [False]
    line = first_line
    source = iter(lines)
    while True:
        text = back.pop() if back else next(source, None)
        if text is None:
            return
        body = text[:-2] if text.endswith("\r\n") else text.rstrip("\r\n")
        if '"' not in body and "\n" not in body and "\r" not in body:
            cells = body.split(delimiter) if body else []
            if keep_text:
                yield Record(line, cells, text)
            elif "@" in body or "".join(cells).strip() or line == first_line:
                yield Record(line, cells, None)
            line += 1
            continue
        # csv.reader pulls one line at a time and never reads ahead of the record it returns,
        # so `taken` holds exactly the lines of the record it gives.
        back.append(text)
        taken: list[str] = []
        cells = next(csv.reader(_feed(source, taken, back, ended), delimiter=delimiter), None)
        if cells is None:
            return
        count = len(taken)
        if count > 1 and (resume := _swallowed_row(taken, delimiter)) is not None:
            yield Record(line + resume - 1, [], None, problem=UNCLOSED_QUOTE)
            back.extend(reversed(taken[resume:]))
            line += resume
        elif ended[0]:  # only a quote left open reads on into the end of the file
            yield Record(line, [], None, problem=UNCLOSED_QUOTE)
            line += count
        else:
            if keep_text or "".join(cells).strip() or line == first_line:
                yield Record(line, cells, "".join(taken) if keep_text else None)
            line += count
