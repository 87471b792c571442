"""The readers of a file being imported, held on disk until the locked merge.

An import of a million rows held a Subscriber per reader in memory (765 MB). The stage keeps
them in a table (one row per reader, a copy that left winning over one that did not, as in the
list, and taking every copy's tags), so the import's memory does not grow with the file: the
merge looks up the list's own readers in it, and the new readers stream from it in the order
the file gave them. The files
store stages in a temporary SQLite file beside the state, merged into subscribers.csv; the
PostgreSQL store in a TEMP table of the import's own transaction (:class:`DatabaseStage`),
dropped as it commits, so no SQLite file is made in that mode.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from newsletter.addresses import address_keys
from newsletter.subscribers.adding import with_details
from newsletter.subscribers.rows import LEFT, Status, Subscriber, new_row, split_tags

CHUNK = 2000  # readers per statement
_LEFT = tuple(status.value for status in LEFT)
_VALUE = {status: status.value for status in Status}


COLUMNS = "key, address, email, name, status, tags, subscribed_at, extra"


class ImportStage:
    """The distinct readers of an import, by key, on disk."""

    MARK = "?"

    def __init__(self, state_dir: Path):
        state_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=state_dir, prefix=".import-", suffix=".db")
        os.close(fd)
        self.db = sqlite3.connect(name, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=OFF")  # thrown away after the import
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("""CREATE TABLE readers (seq INTEGER PRIMARY KEY, key TEXT UNIQUE,
            address TEXT, email TEXT, name TEXT, status TEXT, tags TEXT, subscribed_at TEXT,
            extra TEXT)""")
        self.db.execute("BEGIN")
        # Open, the file lives on without its name: an import killed now (SIGKILL, a closed
        # terminal) leaves no copy of the readers behind.
        os.unlink(name)
        self._counting()

    def _counting(self) -> None:
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
        # Tags joined by commas, as the tags cell holds them (a tag never holds a comma); keys
        # in C loops and each status's value from a dict: a property call each a row before.
        value = _VALUE
        rows = [(key, r.address, r.email, r.name, value[r.status], ",".join(r.tags),
                 r.subscribed_at, json.dumps(r.extra) if r.extra else "")
                for key, r in zip(address_keys([r.address for r in chunk]), chunk)]
        marks = ",".join([self.MARK] * 8)
        cursor = self.db.cursor()
        cursor.executemany(f"INSERT INTO readers ({COLUMNS}) VALUES ({marks}) "
                           "ON CONFLICT (key) DO NOTHING", rows)
        added = max(cursor.rowcount, 0)
        self.count += added
        repeated = len(rows) - added
        for reader in chunk:
            if reader.extra:
                self.columns.update(dict.fromkeys(reader.extra))
        left = [row[1:] + row[:1] for row in rows if row[4] in _LEFT]
        mark = self.MARK
        if repeated:  # an active copy confirms an unconfirmed one met first, as in the list
            active = Status.ACTIVE.value
            cursor.executemany(f"UPDATE readers SET status='active' WHERE key={mark} AND "
                               "status='unconfirmed'",
                               [row[:1] for row in rows if row[4] == active])
        if left:  # a copy that left wins over one that did not, as in the list
            cursor.executemany(
                f"""UPDATE readers SET address={mark}, email={mark}, name={mark},
                    status={mark}, tags={mark}, subscribed_at={mark}, extra={mark}
                    WHERE key={mark} AND status NOT IN ({','.join([mark] * len(_LEFT))})""",
                [row + _LEFT for row in left])
        if repeated:  # each copy's tags and name given to the one staged, as to a listed one
            self._add_details(chunk)
        return repeated

    def _add_details(self, chunk: list[Subscriber]) -> None:
        mark, keys = self.MARK, list(dict.fromkeys(reader.key for reader in chunk))
        held = {key: (name, tags) for key, name, tags in self.db.execute(
            f"SELECT key, name, tags FROM readers WHERE key IN ({','.join([mark] * len(keys))})",
            keys).fetchall()}
        before = dict(held)
        for reader in chunk:
            held[reader.key] = with_details(*held[reader.key], reader.name, reader.tags)
        self.db.cursor().executemany(
            f"UPDATE readers SET name={mark}, tags={mark} WHERE key={mark}",
            [(*details, key) for key, details in held.items() if details != before[key]])

    def __contains__(self, key: object) -> bool:
        return self.db.execute("SELECT 1 FROM readers WHERE key = ?", (key,)).fetchone() is not None

    def get(self, key: str) -> Subscriber:
        found = self.db.execute(f"SELECT {COLUMNS} FROM readers WHERE key = ?",
                                (key,)).fetchone()
        return _subscriber(found)

    def chunks(self, size: int = CHUNK) -> Iterator[list[Subscriber]]:
        """Every staged reader, ``size`` at a time, in the order the file gave them."""
        for chunk in self._rows(size):
            yield [_subscriber(row) for row in chunk]

    def _rows(self, size: int) -> Iterator[list[tuple]]:
        rows = self.db.execute(f"SELECT {COLUMNS} FROM readers ORDER BY seq")
        while chunk := rows.fetchmany(size):
            yield chunk

    def new_rows(self, skip: set[str]) -> Iterator[dict[str, str]]:
        """The cells of every staged reader not in ``skip`` as a new record (``new_row``),
        in the order the file gave them."""
        for key, address, name, status, tags, subscribed_at, extra in self.db.execute(
                "SELECT key, address, name, status, tags, subscribed_at, extra FROM readers "
                "ORDER BY seq"):
            if key not in skip:
                yield new_row(address, name, (tags,) if tags else (), status, subscribed_at,
                              json.loads(extra) if extra else None)

    def new_keys(self, skip: set[str], size: int = CHUNK) -> Iterator[list[str]]:
        """The keys of the staged active readers not in ``skip``, ``size`` at a time."""
        rows = self.db.execute("SELECT key FROM readers WHERE status = 'active' ORDER BY seq")
        while chunk := rows.fetchmany(size):
            if keys := [key for key, in chunk if key not in skip]:
                yield keys

    def close(self) -> None:
        self.db.close()


class DatabaseStage(ImportStage):
    """The distinct readers of an import into the PostgreSQL list: a TEMP table on ``db``,
    inside the import's transaction and dropped when it ends."""

    MARK = "%s"

    def __init__(self, db):
        self.db = db
        self.db.execute("""CREATE TEMP TABLE readers (seq BIGSERIAL PRIMARY KEY,
            key TEXT UNIQUE, address TEXT, email TEXT, name TEXT, status TEXT, tags TEXT,
            subscribed_at TEXT, extra TEXT) ON COMMIT DROP""")
        self._counting()

    def _rows(self, size: int) -> Iterator[list[tuple]]:
        # A server-side cursor: one chunk in memory, however long the file.
        with self.db.cursor(name="import_stage") as cursor:
            cursor.execute(f"SELECT {COLUMNS} FROM readers ORDER BY seq")
            while chunk := cursor.fetchmany(size):
                yield chunk


def _subscriber(row: tuple) -> Subscriber:
    _, address, email, name, status, tags, subscribed_at, extra = row
    return Subscriber(email=email, address=address, name=name, status=Status(status),
                      tags=tuple(split_tags(tags)), subscribed_at=subscribed_at,
                      extra=json.loads(extra) if extra else {})
