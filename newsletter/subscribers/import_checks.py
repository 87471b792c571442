"""What refuses a file in our own columns before anything is imported: two address or status
columns, a status column nobody said how to read, a status out of place or unknown. Each
refusal names the file (and line) and what to pass or fix; nothing is imported then."""

from __future__ import annotations

import shlex
from typing import Callable

from newsletter.errors import SubscriberError
from newsletter.subscribers.csv_format import COLUMNS, Layout, column_names
from newsletter.subscribers.formats import FORMATS, status_column_reader
from newsletter.subscribers.rows import STATUS_VALUES, Row
from newsletter.subscribers.status_columns import status_like


def our_status_reader(label: str, layout: Layout, header: list[str], status_column: str | None,
                      active_values: frozenset[str]) -> tuple[str, Callable] | None:
    """For a file in our own columns: None (our status words), or (the column as rows name
    it, the reader) that --status-column asks for; SubscriberError when a status-like column
    says something nobody told us how to read."""
    if status_column:
        column = status_column.strip().lower()
        if column not in header:
            raise SubscriberError(f"no column {status_column!r}", where=label,
                                  hint=f"the columns are {', '.join(layout.header or [])}")
        written = layout.header[header.index(column)]
        return (column_names([written])[0],
                status_column_reader(column, active_values))
    names = column_names(layout.header) if layout.header else list(COLUMNS)
    for written, name in zip(layout.header or [], names):
        if name not in COLUMNS and status_like(written):
            raise refusal(label, written, "a status")
    return None


def one_column_each(label: str, layout: Layout) -> None:
    """Refuse two address or two status columns: which is the reader's is a guess."""
    for column, kind, plural in (("email", "address", "addresses"),
                                 ("status", "status", "statuses")):
        written = [cell for cell, name in zip(layout.header or [], layout.columns)
                   if name == column]
        if len(written) > 1:
            raise SubscriberError(f"two {kind} columns ({', '.join(map(repr, written))}): "
                                  "nothing was imported", where=label,
                                  hint=f"keep the one that holds the readers' {plural}")


def check_our_status(row: Row, layout: Layout) -> None:
    """Refuse a row of our own columns whose status is a guess (out of place: ``row.spilled``)
    or a word that is not ours: the whole import stops, nothing changed."""
    text = row.values.get("status", "")
    if row.spilled:  # "Lee, Ann" unquoted, or a cell typed in: whose status is where?
        raise SubscriberError(f"{row.spilled}: a {layout.delimiter!r} inside a cell (a name "
                              "such as 'Lee, Ann') or a cell too many? nothing was imported",
                              where=row.where, hint="quote a cell that holds the separator, "
                                                    "put the status in the status column, delete "
                                                    "a cell too many")
    if text and text.lower() not in STATUS_VALUES:
        raise refusal(row.where, "status", f"{text!r}, not a newsletter status")


def refusal(where: str, column: str, what: str) -> SubscriberError:
    how = f"--status-column {shlex.quote(column)} --active-values A,B"
    return SubscriberError(
        f"column {column!r} holds {what}, in no export newsletter knows: nothing was imported",
        where=where, hint=f"say how to read it: {how} (or --from {'|'.join(FORMATS)})")

