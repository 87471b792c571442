"""`subscribers export`: one CSV row per reader, as the list reads after de-duplication."""

from __future__ import annotations

import csv
import json
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from newsletter.subscribers.csv_file import replacing
from newsletter.subscribers.csv_format import COLUMNS, RowEncoder
from newsletter.subscribers.rows import Status

if TYPE_CHECKING:
    from newsletter.errors import SubscriberError
    from newsletter.subscribers.store import SubscriberStore

# A cell starting with one of these is a formula to a spreadsheet (=HYPERLINK(...), +cmd|...,
# @SUM(...)); OWASP's advice on CSV injection is to prefix it with a quote, shown as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A spreadsheet in a locale that separates with ";" (German, French...) or a tab splits an
# exported record there, whatever its quotes: "Bob;=cmd|..." would start a cell with a formula.
_FORMULA_AFTER_SEPARATOR = re.compile(r'([;\t])(?="*[=+\-@])')


def export_readers(store: SubscriberStore, stream: TextIO, status: Status | str | None = None,
                   problems: list[SubscriberError] | None = None, *,
                   as_written: bool = False) -> int:
    """Write one CSV row per reader (normalised address) to ``stream``; return the count.
    The rows left out because they cannot be read go to ``problems``.

    Every cell that a spreadsheet would run as a formula is neutralised (:func:`as_text`);
    the subscriber files themselves keep what was written in them (``as_written``: a list
    file for the files store, every cell as the list holds it).
    """
    text = str if as_written else as_text
    wanted = None if status is None else Status(status)
    found: list[SubscriberError] = []
    # The extra columns, in the order readers have them; one no reader has a value in is
    # none (a files list writes a row without its empty last cells, so reads no such column:
    # the PostgreSQL store's export added it, the two stores' exports differed)
    extra: dict[str, None] = {}
    written = 0
    # Each reader spooled, not held: the header's extra columns are known only at the end,
    # and a list of a million readers held whole took 760 MB.
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as spool:
        spooled = csv.writer(spool)
        for r in store.each_reader(found):
            if wanted is None or r.status == wanted:
                extra.update(dict.fromkeys(name for name, value in r.extra.items() if value))
                spooled.writerow((text(r.address), text(r.name), r.status.value,
                                  text(",".join(r.tags)), text(r.subscribed_at),
                                  json.dumps(r.extra) if r.extra else ""))
                written += 1
        if problems is not None:
            problems.extend(found)
        encode = RowEncoder()
        whole = str if as_written else split_safe
        stream.write(whole(encode([text(cell) for cell in (*COLUMNS, *extra)])))
        spool.seek(0)
        for *cells, extras in csv.reader(spool):
            values = json.loads(extras) if extras else {}
            stream.write(whole(encode([*cells, *(text(values.get(name, "")) for name in extra)])))
    return written


def export_file(store: SubscriberStore, path: Path, status: Status | str | None = None,
                problems: list[SubscriberError] | None = None) -> int:
    """:func:`export_readers` into ``path``, which the export takes the place of once whole:
    one cut short (a full disk) is no file that looks like the list, and an earlier export
    there is kept. A device or a pipe is written as it is."""
    writing = path.open("w", encoding="utf-8", newline="") if path.exists() and \
        not path.is_file() else replacing(path)
    with writing as stream:
        return export_readers(store, stream, status, problems)


def split_safe(record: str) -> str:
    """``record`` with a ``'`` before a formula that follows a ``;`` or a tab in a cell: such a
    spreadsheet splits there, quotes or not, and would run it."""
    if ";" in record or "\t" in record:
        return _FORMULA_AFTER_SEPARATOR.sub(r"\1'", record)
    return record


def as_text(cell: str) -> str:
    """``cell`` as a spreadsheet will show it, never run it: a leading ``'`` before a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell
