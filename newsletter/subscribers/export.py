"""`subscribers export`: one CSV row per reader, as the list reads after de-duplication."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING, TextIO

from newsletter.subscribers.csv_format import COLUMNS
from newsletter.subscribers.rows import Status

if TYPE_CHECKING:
    from newsletter.subscribers.store import SubscriberStore


def export_readers(store: SubscriberStore, stream: TextIO,
                   status: Status | str | None = None) -> int:
    """Write one CSV row per reader (normalised address) to ``stream``; return the count."""
    readers, _ = store.load()
    if status is not None:
        readers = [r for r in readers if r.status == Status(status)]
    extra = list(dict.fromkeys(name for r in readers for name in r.extra))
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([*COLUMNS, *extra])
    for r in readers:
        writer.writerow([r.address, r.name, r.status.value, ",".join(r.tags),
                         r.subscribed_at, *(r.extra.get(name, "") for name in extra)])
    return len(readers)
