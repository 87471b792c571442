"""Changing the subscriber files: one locked transaction, and the edits made inside it.

Every writer (commands, the unsubscribe endpoint, webhooks, sending) holds an exclusive lock
while it reads the files fresh, edits them and writes them back atomically, so no writer ever
loses another's change.
"""

from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import Callable, Container, Iterable

from newsletter.errors import SubscriberError
from newsletter.records import record
from newsletter.subscribers.csv_file import CsvFile
from newsletter.subscribers.csv_format import Record
from newsletter.subscribers.rows import Row, Status, Subscriber, row_key, row_of
from newsletter.subscribers.adding import with_details


@record
class ListFiles:
    """Every subscriber file, read whole inside one transaction."""

    readable: dict[Path, CsvFile]
    unreadable: dict[Path, SubscriberError]  # left untouched: a rewrite could lose rows
    default_path: Path
    # Files with an unclosed quote: read around it, never rewritten; a change to one of their
    # readers stops with the file's error instead of adding a second row elsewhere.
    frozen: dict[Path, tuple[SubscriberError, frozenset[str]]] = field(default_factory=dict)
    # Readers this change made leave: (key, address, status, reason), for the journal.
    left: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def default(self) -> CsvFile:
        """subscribers.csv, where new readers and new suppression records go."""
        if self.default_path in self.unreadable:
            raise self.unreadable[self.default_path]
        if self.default_path in self.frozen:
            raise self.frozen[self.default_path][0]
        return self.readable[self.default_path]

    def freeze(self, path: Path, error: SubscriberError, rows: Iterable[Row]) -> None:
        """Hold ``path`` back from every change, remembering whose rows it has."""
        self.frozen[path] = (error, frozenset(key for row in rows if (key := row_key(row.email))))

    def check_frozen(self, keys: Container[str]) -> None:
        """Raise the error of a frozen file that lists any of ``keys``."""
        for error, listed in self.frozen.values():
            if any(key in keys for key in listed):
                raise error


Copy = tuple[CsvFile, Record, Row]


def index_copies(files: ListFiles, keys: Container[str] | None = None,
                 ) -> dict[str, list[Copy]]:
    """Key -> every (file, record, row) holding that address, in file order.

    With ``keys``, only those addresses are indexed: a single change to a long list then
    builds one Row, not one per record.
    """
    files.check_frozen(keys if keys is not None else set().union(
        *(listed for _, listed in files.frozen.values())))
    index: dict[str, list[Copy]] = {}
    for path, csv_file in files.readable.items():
        email_at = csv_file.layout.position("email")  # the cell readers read
        for record in csv_file.records:
            if len(record.cells) <= email_at or record.blank:
                continue
            key = row_key(record.cells[email_at])
            if key and (keys is None or key in keys):
                row = row_of(path, csv_file.label, csv_file.layout, record)
                index.setdefault(key, []).append((csv_file, record, row))
    return index


def set_statuses(copies: list[Copy], status: Status, only_if: Callable[[Row], bool]) -> bool:
    """Set ``status`` on the copies ``only_if`` accepts; True if any changed."""
    changed = False
    for csv_file, record, row in copies:
        if only_if(row):
            csv_file.set_cell(record, "status", status.value)
            changed = True
    return changed


def leave(files: ListFiles, copies: list[Copy], reader: Subscriber, reason: str) -> bool:
    """Give the reader's active and unconfirmed copies the status ``reader`` left with (one
    who already left keeps theirs); True if any changed. Recorded in ``files.left``."""
    changed = set_statuses(copies, reader.status, only_if=lambda row: not row.left)
    if changed:
        files.left.append((reader.key, reader.address, reader.status.value, reason))
    return changed


def merge_reader(copies: list[Copy], reader: Subscriber, resubscribe: bool) -> str:
    """Apply one imported reader, active or unconfirmed, to the copies already listed; return
    the ImportSummary field. (For readers who left, see :func:`leave`.)"""
    if not reader.active:
        return "unchanged"  # unconfirmed in the file: the status listed here stands
    if any(row.spilled for _, _, row in copies):  # whether they left is a guess: never acted on
        return "misplaced"
    if any(row.left for _, _, row in copies) and not resubscribe:
        return "skipped"
    changed = set_statuses(copies, Status.ACTIVE, only_if=lambda row: row.suppressed)
    changed = add_details(copies[0], reader.name, reader.tags) or changed
    return "updated" if changed else "unchanged"


def add_details(copy: Copy, name: str, tags: Iterable[str]) -> bool:
    """Give a listed reader ``name`` if they have none and any of ``tags`` they lack; True if
    that changed their row."""
    csv_file, record, row = copy
    before = (row.values.get("name", ""), row.values.get("tags", ""))
    after = with_details(*before, name, tags)
    for column, old, new in zip(("name", "tags"), before, after):
        if new != old:
            csv_file.set_cell(record, column, new)
    return after != before
