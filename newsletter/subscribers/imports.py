"""`subscribers import`: merge the readers of another CSV file into the list."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from newsletter.errors import SubscriberError
from newsletter.subscribers.edits import index_copies, merge_reader
from newsletter.subscribers.rows import Subscriber, new_row, read_rows

if TYPE_CHECKING:
    from newsletter.subscribers.store import SubscriberStore


@dataclass
class ImportSummary:
    """What `import_file` did, reader by reader."""

    added: int = 0
    updated: int = 0  # status, name or tags changed
    unchanged: int = 0  # already listed as the file says (or listed twice in the file)
    skipped: int = 0  # unsubscribed, bounced or complained here, active in the file
    problems: list[SubscriberError] = field(default_factory=list)  # invalid rows of the file


def import_file(store: SubscriberStore, path: Path, resubscribe: bool = False) -> ImportSummary:
    """Merge the readers of another CSV into the list (see ImportSummary for the outcomes).

    New readers go to subscribers.csv with their status and columns. A reader listed here
    as unsubscribed, bounced or complained stays so unless ``resubscribe``; one the file
    marks as suppressed becomes so here. Names fill empty names; tags are added.
    """
    summary = ImportSummary()
    incoming: dict[str, Subscriber] = {}
    for item in _scan_file(Path(path)):
        if isinstance(item, SubscriberError):
            summary.problems.append(item)
        elif item.key in incoming:
            summary.unchanged += 1
        else:
            incoming[item.key] = item
    with store.transaction() as files:
        index = index_copies(files, set(incoming))
        for key, reader in incoming.items():
            if key not in index:
                files.default.append(new_row(reader.address, reader.name, reader.tags,
                                      reader.status, reader.subscribed_at, reader.extra))
                summary.added += 1
                continue
            outcome = merge_reader(index[key], reader, resubscribe)
            setattr(summary, outcome, getattr(summary, outcome) + 1)
    return summary


def _scan_file(path: Path) -> Iterator[Subscriber | SubscriberError]:
    """Every row of one file outside the list, as a Subscriber or a problem."""
    problems: list[SubscriberError] = []
    if not path.is_file():
        raise SubscriberError("no such file", where=str(path), hint="check the path")
    for row in read_rows(path, str(path), problems):
        try:
            yield row.to_subscriber()
        except SubscriberError as error:
            yield error
    if problems:  # the file itself is unreadable, whole or from some line on: import none of it
        raise SubscriberError(f"nothing imported: {problems[0].message}",
                              where=problems[0].where, hint=problems[0].hint)
