"""`subscribers export`: one CSV row per reader, as the list reads after de-duplication."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING, TextIO

from newsletter.subscribers.csv_format import COLUMNS
from newsletter.subscribers.rows import Status

if TYPE_CHECKING:
    from newsletter.errors import SubscriberError
    from newsletter.subscribers.store import SubscriberStore

# A cell starting with one of these is a formula to a spreadsheet (=HYPERLINK(...), +cmd|...,
# @SUM(...)); OWASP's advice on CSV injection is to prefix it with a quote, shown as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_readers(store: SubscriberStore, stream: TextIO, status: Status | str | None = None,
                   problems: list[SubscriberError] | None = None) -> int:
    """Write one CSV row per reader (normalised address) to ``stream``; return the count.
    The rows left out because they cannot be read go to ``problems``.

    Every cell that a spreadsheet would run as a formula is neutralised (:func:`as_text`);
    the subscriber files themselves keep what was written in them.
    """
    readers, found = store.load()
    if problems is not None:
        problems.extend(found)
    if status is not None:
        readers = [r for r in readers if r.status == Status(status)]
    extra = list(dict.fromkeys(name for r in readers for name in r.extra))
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([as_text(cell) for cell in (*COLUMNS, *extra)])
    for r in readers:
        writer.writerow([as_text(cell) for cell in (
            r.address, r.name, r.status.value, ",".join(r.tags), r.subscribed_at,
            *(r.extra.get(name, "") for name in extra))])
    return len(readers)


def as_text(cell: str) -> str:
    """``cell`` as a spreadsheet will show it, never run it: a leading ``'`` before a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell
