"""Changing the subscriber files: one locked transaction, and the edits made inside it.

Every writer (commands, the unsubscribe endpoint, webhooks, sending) holds an exclusive lock
while it reads the files fresh, edits them and writes them back atomically, so no writer ever
loses another's change.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from newsletter.errors import SubscriberError
from newsletter.subscribers.csv_file import CsvFile
from newsletter.subscribers.csv_format import Record
from newsletter.subscribers.rows import Row, Status, Subscriber, row_key, row_values, split_tags


@dataclass
class ListFiles:
    """Every subscriber file, read whole inside one transaction."""

    readable: dict[Path, CsvFile]
    unreadable: dict[Path, SubscriberError]  # left untouched: a rewrite could lose rows
    default_path: Path

    @property
    def default(self) -> CsvFile:
        """subscribers.csv, where new readers and new suppression records go."""
        if self.default_path in self.unreadable:
            raise self.unreadable[self.default_path]
        return self.readable[self.default_path]


Copy = tuple[CsvFile, Record, Row]


def index_copies(files: ListFiles, keys: set[str] | None = None) -> dict[str, list[Copy]]:
    """Key -> every (file, record, row) holding that address, in file order.

    With ``keys``, only those addresses are indexed: a single change to a long list then
    builds one Row, not one per record.
    """
    index: dict[str, list[Copy]] = {}
    for path, csv_file in files.readable.items():
        email_at = csv_file.layout.position("email")  # the cell readers read
        for record in csv_file.records:
            if len(record.cells) <= email_at or record.blank:
                continue
            key = row_key(record.cells[email_at])
            if key and (keys is None or key in keys):
                row = Row(path, csv_file.label, record.line, row_values(csv_file.layout, record))
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


def merge_reader(copies: list[Copy], reader: Subscriber, resubscribe: bool) -> str:
    """Apply one imported reader to the copies already listed; return the ImportSummary field."""
    listed_suppressed = any(row.suppressed for _, _, row in copies)
    if not reader.active:
        if listed_suppressed:
            return "unchanged"
        set_statuses(copies, reader.status, only_if=lambda row: not row.suppressed)
        return "updated"
    if listed_suppressed and not resubscribe:
        return "skipped"
    changed = set_statuses(copies, Status.ACTIVE, only_if=lambda row: row.suppressed)
    csv_file, record, row = copies[0]
    if reader.name and not row.values.get("name"):
        csv_file.set_cell(record, "name", reader.name)
        changed = True
    tags = split_tags(row.values.get("tags", ""))
    new_tags = [tag for tag in reader.tags if tag not in tags]
    if new_tags:
        csv_file.set_cell(record, "tags", ",".join([*tags, *new_tags]))
        changed = True
    return "updated" if changed else "unchanged"
