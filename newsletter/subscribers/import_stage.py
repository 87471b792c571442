"""The readers of a file being imported, held on disk until the locked merge.

An import of a million rows held a Subscriber per reader in memory (765 MB). The stage keeps
them in a temporary SQLite file beside the state (one row per reader, a copy that left
winning over one that did not, as in the list), so the import's memory does not grow with the
file: the merge looks up the list's own readers in it, and the new readers stream from it
into subscribers.csv in the order the file gave them.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from newsletter.subscribers.rows import LEFT, Status, Subscriber, new_row, split_tags

CHUNK = 2000  # readers per statement
_LEFT = tuple(status.value for status in LEFT)


class ImportStage:
    """The distinct readers of an import, by key, on disk."""

    def __init__(self, state_dir: Path):
        state_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=state_dir, prefix=".import-", suffix=".db")
        os.close(fd)
        self.path = Path(name)
        self.db = sqlite3.connect(self.path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=OFF")  # thrown away after the import
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("""CREATE TABLE readers (key TEXT PRIMARY KEY, address TEXT, email TEXT,
            name TEXT, status TEXT, tags TEXT, subscribed_at TEXT, extra TEXT)""")
        self.db.execute("BEGIN")
        self.count = 0  # distinct readers staged
        # every column a new row may hold, in the order met (dict: ordered, no repeats)
        self.columns = dict.fromkeys(("email", "name", "status", "tags", "subscribed_at"))

    def add(self, readers: Iterable[Subscriber]) -> int:
        """Stage ``readers``; return how many repeated a reader staged before."""
        repeated = 0
        chunk: list[Subscriber] = []
        for reader in readers:
            chunk.append(reader)
            if len(chunk) == CHUNK:
                repeated += self._add(chunk)
                chunk = []
        return repeated + (self._add(chunk) if chunk else 0)

    def _add(self, chunk: list[Subscriber]) -> int:
        # Tags joined by commas, as the tags cell holds them (a tag never holds a comma).
        rows = [(r.key, r.address, r.email, r.name, r.status.value, ",".join(r.tags),
                 r.subscribed_at, json.dumps(r.extra) if r.extra else "") for r in chunk]
        before = self.db.total_changes
        self.db.executemany("INSERT OR IGNORE INTO readers VALUES (?,?,?,?,?,?,?,?)", rows)
        added = self.db.total_changes - before
        self.count += added
        repeated = len(rows) - added
        for reader in chunk:
            if reader.extra:
                self.columns.update(dict.fromkeys(reader.extra))
        left = [row[1:] + row[:1] for row in rows if row[4] in _LEFT]
        if left:  # a copy that left wins over one that did not, as in the list
            self.db.executemany(
                f"""UPDATE readers SET address=?, email=?, name=?, status=?, tags=?,
                    subscribed_at=?, extra=? WHERE key=? AND status NOT IN
                    ({','.join('?' * len(_LEFT))})""",
                [row + _LEFT for row in left])
        return repeated

    def __contains__(self, key: object) -> bool:
        return self.db.execute("SELECT 1 FROM readers WHERE key = ?", (key,)).fetchone() is not None

    def get(self, key: str) -> Subscriber:
        found = self.db.execute("SELECT * FROM readers WHERE key = ?", (key,)).fetchone()
        return _subscriber(found)

    def chunks(self, size: int = CHUNK) -> Iterator[list[Subscriber]]:
        """Every staged reader, ``size`` at a time, in the order the file gave them."""
        rows = self.db.execute("SELECT * FROM readers ORDER BY rowid")
        while chunk := rows.fetchmany(size):
            yield [_subscriber(row) for row in chunk]

    def new_rows(self, skip: set[str]) -> Iterator[dict[str, str]]:
        """The cells of every staged reader not in ``skip`` as a new record (``new_row``),
        in the order the file gave them."""
        for key, address, _, name, status, tags, subscribed_at, extra in self.db.execute(
                "SELECT * FROM readers ORDER BY rowid"):
            if key not in skip:
                yield new_row(address, name, (tags,) if tags else (), status, subscribed_at,
                              json.loads(extra) if extra else None)

    def close(self) -> None:
        self.db.close()
        self.path.unlink(missing_ok=True)


def _subscriber(row: tuple) -> Subscriber:
    _, address, email, name, status, tags, subscribed_at, extra = row
    return Subscriber(email=email, address=address, name=name, status=Status(status),
                      tags=tuple(split_tags(tags)), subscribed_at=subscribed_at,
                      extra=json.loads(extra) if extra else {})
