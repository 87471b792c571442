"""The first read of a list for a send to every reader: one pass over the files, where it was two.

A send yields no reader before it knows who the files suppress and which keys repeat
(list_pass.py). When no earlier read kept that answer for these files, finding it was a pass of
its own, and the readers a second: every record parsed twice (a first send of 100,000 readers:
~0.2 s of CPU for the first pass alone, docs/performance.md). Now the one pass reads both: each
reader a later pass would yield, were nobody suppressed or repeated, goes to a :class:`Spill`
as it is read (its problems reported where that pass reports them), and once the files end the
spill gives them back in list order without the suppressed keys and the later copies of a
repeated one, exactly what the second pass yielded. The spill is a temporary file of this
process (gone when closed, and if the process dies), so memory stays flat however long the list.
"""

from __future__ import annotations

import logging
import marshal
import tempfile
from contextlib import ExitStack, closing
from itertools import islice
from pathlib import Path
from typing import Container, Iterable, Iterator, TextIO

from newsletter.addresses import address_key
from newsletter.errors import SubscriberError
from newsletter.subscribers.folder import ListFolder
from newsletter.subscribers.list_cells import cells_from, pass_readers
from newsletter.subscribers.list_pass import kept_whole, suppressed_and_repeated, watched
from newsletter.subscribers.rows import Subscriber

logger = logging.getLogger(__name__)

CHUNK = 500  # readers written at a time (what a send's chunk holds)
_SIZE = 4  # bytes of the length before each chunk


def read_once(folder: ListFolder, opened: list[tuple[Path, TextIO]], signature: list[list],
              found: list[SubscriberError], stack: ExitStack
              ) -> tuple[set[str], set[str], Spill | None]:
    """(listed, repeats, the readers spilled on ``stack``) of one pass over files no kept pass
    holds, its problems in ``found``, the pass kept for the next read; without a spill file
    (an unwritable state folder), the pass of :func:`read_pass`, and None: the caller reads
    the files again."""
    listed: set[str] = set()
    repeats: set[str] = set()
    try:
        spill = stack.enter_context(closing(Spill(folder.state_dir)))
        of_records = _Both(found)  # the records' problems: with any, the last file is not marked
        spill.write(pass_readers(watched(cells_from(folder, opened, of_records), listed,
                                         repeats), frozenset(), frozenset(), (), found, None))
    except OSError as error:
        logger.debug("the list is read twice (no spill: %s)", error)
        found.clear()
        return *read_pass(folder, opened, None), None
    kept_whole(folder, opened, signature, listed, repeats, of_records)
    return listed, repeats, spill


class _Both(list):
    """A list of problems whose every one is added to ``found`` too, in its place there."""

    def __init__(self, found: list):
        super().__init__()
        self.found = found

    def append(self, problem) -> None:
        super().append(problem)
        self.found.append(problem)


def read_pass(folder: ListFolder, opened: list[tuple[Path, TextIO]], before: dict | None
              ) -> tuple[set[str], set[str]]:
    """The keys the opened files suppress and those that may repeat: kept (``before``), or
    read in a pass of their own."""
    return suppressed_and_repeated(
        folder, opened, lambda found: cells_from(folder, opened, found), before)


class Spill:
    """Readers written once, then read back in their order (address and name each)."""

    def __init__(self, directory: Path):
        """A file in ``directory`` (the site's state folder): OSError when it cannot be made."""
        self.file = tempfile.TemporaryFile(dir=directory)

    def write(self, readers: Iterable[Subscriber]) -> None:
        """Write every one of ``readers`` (marshal: the process reads back what it wrote)."""
        readers, dumps, write = iter(readers), marshal.dumps, self.file.write
        while chunk := [(reader.address, reader.name) for reader in islice(readers, CHUNK)]:
            data = dumps(chunk)
            write(len(data).to_bytes(_SIZE, "big") + data)
        self.file.seek(0)

    def read(self, listed: Container[str], repeats: Container[str]
             ) -> Iterator[list[tuple[str, str]]]:
        """The readers written, a chunk at a time, but those whose key is in ``listed`` and
        every copy after the first of a key in ``repeats``: what reading the files again with
        both sets known would yield. Closes the file at the end."""
        seen: set[str] = set()  # of the repeats only
        loads, read = marshal.loads, self.file.read
        with self.file:
            # Each chunk read whole: marshal.load(file) would call file.read for every string.
            while size := int.from_bytes(read(_SIZE), "big"):
                chunk = loads(read(size))
                if listed or repeats:
                    chunk = _left(chunk, listed, repeats, seen)
                if chunk:
                    yield chunk

    def close(self) -> None:
        self.file.close()


def _left(chunk: list[tuple[str, str]], listed: Container[str], repeats: Container[str],
          seen: set[str]) -> list[tuple[str, str]]:
    """The readers of ``chunk`` that are neither suppressed nor a later copy (in the order
    reading.py's pass checks them: a suppressed key's copies are never seen)."""
    left = []
    for reader in chunk:
        key = address_key(reader[0])
        if key in listed:
            continue
        if key in repeats:
            if key in seen:
                continue
            seen.add(key)
        left.append(reader)
    return left
