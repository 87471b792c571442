"""A send after rows were appended to the list's last file reads only the appended bytes.

A sign-up, an import of a few readers or a confirmation written by hand adds rows at the end
of a file (a write replaces the file, so its version changes, and the readers kept for the old
version no longer apply). Reading the whole list again cost a send ~2 s of CPU a 100,000 readers
(docs/performance.md). When the files are those a kept read saw, but for bytes appended to the
last one, the answer is the kept one plus the new rows', exactly as a full read would give it:

- the list's pass (:mod:`~newsletter.subscribers.list_pass`) kept, with the files' version,
  the last file's size, digest (SHA-256) and lines (:func:`mark`), taken only when it ends a
  line, has a header, and no record of any file was unreadable;
- the first ``size`` bytes of the file now must have that digest, the other files the same
  versions, and the appended bytes (at most APPENDED_MAX) must be UTF-8, whole records and no
  longer lines than a full read takes; anything else is read in full, as before;
- an appended row that suppresses (``unsubscribed`` and the rest) leaves out the earlier
  reader, a repeated address keeps its first copy (a kept reader, or the first new row), and
  the appended rows' problems name their lines as a full read does.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
from collections import Counter
from dataclasses import field
from pathlib import Path
from typing import Callable, Iterable, Iterator, TextIO

from newsletter.addresses import address_key
from newsletter.errors import SubscriberError
from newsletter.records import record
from newsletter.subscribers.csv_format import Layout, bounded_lines, records_from
from newsletter.subscribers.rows import MAILED, open_records, row_key

logger = logging.getLogger(__name__)

APPENDED_MAX = 1 << 20  # bytes read alone at most (~20,000 rows); the rows they hold are held
BLOCK = 1 << 20  # bytes hashed at a time


def mark(path: Path, handle: TextIO) -> dict | None:
    """The last file as opened: name, size, SHA-256 and lines; None unless it ends a line."""
    size = os.fstat(handle.fileno()).st_size
    digest = hashlib.sha256()
    hashed = _hashed(handle.fileno(), size, digest)
    if hashed is None or hashed[1] != b"\n":
        return None
    return {"name": path.name, "size": size, "digest": digest.hexdigest(), "lines": hashed[0]}


def _hashed(fd: int, size: int, digest) -> tuple[int, bytes] | None:
    """Hash the first ``size`` bytes of the file into ``digest``: (the lines they end, their
    last byte); None when the file is shorter (shortened in place since it was opened)."""
    position, lines, last = 0, 0, b""
    while position < size:
        block = os.pread(fd, min(BLOCK, size - position), position)
        if not block:
            return None
        digest.update(block)
        lines += _lines(block) - (last == b"\r" and block[:1] == b"\n")
        position, last = position + len(block), block[-1:]
    return lines, last


def _lines(block: bytes) -> int:
    """Lines ended in ``block`` as a reader with universal newlines counts them."""
    return block.count(b"\n") + block.count(b"\r") - block.count(b"\r\n")


@record
class Appended:
    """The new rows of the last file, read alone, and what they change."""

    listed: set[str]  # keys the files suppress now (the kept ones and the new rows')
    newly_listed: set[str]  # of those, the new rows' (their earlier readers are left out)
    repeats: set[str]  # keys that may repeat now (the kept ones, and the new rows')
    readers: list  # the new rows' readers (Subscriber), first copies among them, in order
    problems: list[SubscriberError]  # the new rows' problems, in order
    mark: dict | None  # the last file now, for the next append
    earlier: list[SubscriberError] = field(default_factory=list)  # the kept read's problems

    def merged(self, kept: Iterable[list[list[str]]], values: Callable[[list[str]], list[str]],
               problems: list[SubscriberError]) -> Iterator[list[list[str]]]:
        """The kept readers' chunks (their earlier values) without those the new rows
        suppress, then the new readers who are not kept ones, with ``values`` of them; the kept
        read's problems (read into :attr:`earlier`), then the new rows', go to ``problems``."""
        new_keys = {reader.key for reader in self.readers}
        met: set[str] = set()
        for chunk in kept:
            if self.newly_listed or new_keys:
                chunk = [reader for reader in chunk
                         if _still_read(address_key(reader[0]), self.newly_listed, new_keys,
                                        met)]
            if chunk:
                yield chunk
        self.repeats |= met  # a kept reader listed again: the next full read compares them
        new = [reader for reader in self.readers if reader.key not in met]
        addresses = [reader.address for reader in new]
        if new:
            yield [[address, reader.name, value]
                   for address, reader, value in zip(addresses, new, values(addresses))]
        problems.extend(self.earlier)
        problems.extend(self.problems)


def _still_read(key: str, newly_listed: set[str], new_keys: set[str], met: set[str]) -> bool:
    if key in newly_listed:
        return False
    if key in new_keys:
        met.add(key)
    return True


def read_appended(label: str, path: Path, handle: TextIO, before: dict, listed: set[str],
                  repeats: set[str], cells_of: Callable[..., Iterator],
                  readers: Callable[..., Iterator]) -> Appended | None:
    """The rows appended to the last file (opened as ``handle``) since ``before`` (its
    :func:`mark` then), with the kept pass's ``listed`` and ``repeats``; None when the file is
    not that file with bytes appended, or the new bytes must be read with the rest.
    ``cells_of`` and ``readers``: how a full read takes the cells of records and the readers
    of cells (:mod:`~newsletter.subscribers.reading`), so both read rows alike."""
    size = os.fstat(handle.fileno()).st_size
    if path.name != before.get("name") or not 0 < size - before["size"] <= APPENDED_MAX:
        return None
    digest = hashlib.sha256()
    if (_hashed(handle.fileno(), before["size"], digest) is None
            or digest.hexdigest() != before["digest"]):
        return None
    tail = os.pread(handle.fileno(), size - before["size"], before["size"])
    digest.update(tail)
    try:
        text = tail.decode("utf-8")
    except UnicodeDecodeError:
        return None  # a full read names the line
    layout = _layout(path, label, handle)
    if layout is None:
        return None
    try:
        records = _tail_records(text, label, layout, before["lines"] + 1)
    except SubscriberError:
        return None  # a line too long, a quote left open: a full read says where
    if records is None:
        return None
    cells = list(cells_of(path, label, layout, records))
    newly_listed = {key for _, _, email, status in cells
                    if status not in MAILED and (key := row_key(email))}
    counted = Counter(key for _, _, email, status in cells
                      if status in MAILED and (key := row_key(email)))
    found: list[SubscriberError] = []
    listed = listed | newly_listed
    new = list(readers(iter(cells), frozenset(listed), frozenset(), _Every(), found, None))
    now = None
    if tail.endswith(b"\n"):
        now = {"name": path.name, "size": size, "digest": digest.hexdigest(),
               "lines": before["lines"] + _lines(tail)}
    logger.debug("%s grew by %d bytes: only they were read", label, len(tail))
    return Appended(listed, newly_listed,
                    repeats | {key for key, times in counted.items() if times > 1}, new,
                    found, now)


class _Every:
    """Every key may repeat: the few new readers are compared exactly."""

    def __contains__(self, key: object) -> bool:
        return True


def _layout(path: Path, label: str, handle: TextIO) -> Layout | None:
    """The file's layout, read from its head (the bytes a kept read saw), when it has a
    header (a file without one may take a title from the rows after it)."""
    handle.seek(0)
    problems: list[SubscriberError] = []
    layout, records = open_records(path, label, problems, handle)
    close = getattr(records, "close", None)
    if close is not None:
        close()
    return layout if layout.header is not None and not problems else None


def _tail_records(text: str, label: str, layout: Layout, first_line: int) -> list | None:
    """The non-blank records of the appended text (as read without text); None when one
    could not be read (a quote left open)."""
    records = []
    for record in records_from(bounded_lines(io.StringIO(text, newline=""), label),
                               layout.delimiter, first_line, label):
        if record.problem:
            return None
        if not record.blank:  # the first may be (split_records)
            records.append(record)
    return records
