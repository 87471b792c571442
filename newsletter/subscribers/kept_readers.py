"""The readers of unchanged subscriber files, kept between sends: a send of a long list reads
them from ``.newsletter/list_readers.jsonl`` instead of parsing and checking every row again.

Reading the list (CSV records, each address checked, suppression and repeats applied) was the
largest part of a send's reading work: 3.3 us a reader, against 0.2 us for the same readers
read back from JSON lines (docs/performance.md). What a send reads from the files depends only
on their contents (and on this code: hence FORMAT), so the readers a complete read of some
version of the files found (address and name, in list order) are kept under that version
(list_pass.opened_signature: inode, mtime, size and change time of each file, as opened) with
the rows it could not use. Each reader carries a value the caller made for the address (a send:
its unsubscribe token, 0.9 us a look-up in the token cache), kept while the caller names the
same values (a send: the secret's id). Kept readers are journal-blind: whoever unsubscribed
since is left out as they are read back (the journal is read afresh by every send), so only
the files decide.

A read of files changed within RECENT seconds is not kept: a file's mtime moves in ticks (a
jiffy; a second or two on FAT, HFS+ and some network shares), so an edit in place that keeps the
size, in the tick of the change the read saw, would leave the signature as it was.

The file is written beside the read (a line of CHUNK readers at a time) under a temporary name,
and takes its place only when the read is complete. A cache: if it cannot be written or read,
the next send reads the files.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from itertools import count
from pathlib import Path
from typing import IO, Iterator

from newsletter.errors import SubscriberError

logger = logging.getLogger(__name__)

KEPT_FILE = "list_readers.jsonl"  # in the site's state folder (.newsletter/)
# Raise it whenever what a read yields from the same files changes (checks, de-duplication).
FORMAT = 4  # 3: an export saved among the list files is not read as readers; 4: nor a row
# whose status is out of place (misplaced.py)
CHUNK = 500  # readers a line
RECENT = 3  # seconds: a file changed this recently may change again within its mtime's tick


def read_kept(state_dir: Path, signature: list[list], values_id: str,
              problems: list[SubscriberError]) -> Iterator[list[list[str]]] | None:
    """Chunks of [address, name, value] kept for ``signature`` with values named
    ``values_id`` (the rows that read could not use go to ``problems`` at the end, as a read
    of the files would report them); None when nothing is kept for them."""
    path = Path(state_dir) / KEPT_FILE
    try:
        handle = path.open("r", encoding="utf-8")
    except OSError:
        return None
    try:
        head = json.loads(handle.readline())
        if (head.get("format"), head.get("signature"), head.get("values")) != (
                FORMAT, signature, values_id):
            handle.close()
            return None
    except (OSError, ValueError, AttributeError):
        handle.close()
        return None
    return _chunks(path, handle, problems)


class EarlierValues:
    """The values the last kept read holds, whatever files it read, when they are those named
    ``values_id`` (a value depends only on its address and on what ``values_id`` names): a send
    of changed files takes its unchanged readers' values from here instead of making or looking
    each up again.

    Read along in list order, WINDOW readers past those asked for (memory stays flat however
    long the list): an edit moves few readers far, and one moved further gets its value made again.
    """

    WINDOW = 20_000

    def __init__(self, state_dir: Path, values_id: str):
        self.ahead: dict[str, tuple[int, str]] = {}  # (place, value): read, not yet asked for
        self.numbers = count()
        self.lines: IO[str] | None = None
        try:
            handle = (Path(state_dir) / KEPT_FILE).open("r", encoding="utf-8")
        except OSError:
            return
        try:
            head = json.loads(handle.readline())
            if (head.get("format"), head.get("values")) == (FORMAT, values_id):
                self.lines, handle = handle, None
        except (OSError, ValueError, AttributeError):
            pass
        finally:
            if handle is not None:
                handle.close()

    def take(self, addresses: list[str]) -> dict[str, str]:
        """The kept value of each of ``addresses`` found within the window; the kept readers
        before the last one found are dropped (removed from the list, or moved back)."""
        while self.lines is not None and len(self.ahead) < self.WINDOW + len(addresses):
            self._read_line()
        if not self.ahead:  # nothing kept, or all of it taken
            return {}
        found, last = {}, -1
        for address in addresses:
            kept = self.ahead.pop(address, None)
            if kept is not None:
                found[address] = kept[1]
                last = max(last, kept[0])
        passed = []
        for address, (number, _) in self.ahead.items():
            if number > last:
                break
            passed.append(address)
        for address in passed:
            del self.ahead[address]
        return found

    def _read_line(self) -> None:
        try:
            kept = json.loads(self.lines.readline() or "null")
        except (OSError, ValueError):
            kept = None
        if isinstance(kept, list) and all(_is_reader(reader) for reader in kept):
            self.ahead.update((address, (next(self.numbers), value)) for address, _, value
                              in kept)
        else:  # the end (its problems line), or damage: what was read whole stays usable
            self.close()

    def close(self) -> None:
        if self.lines is not None:
            self.lines.close()
            self.lines = None


def _chunks(path: Path, handle: IO[str],
            problems: list[SubscriberError]) -> Iterator[list[list[str]]]:
    with handle:
        for line in handle:
            try:
                kept = json.loads(line)
                if not isinstance(kept, list):  # the last line: the read was complete
                    problems.extend(SubscriberError(message, where=where, hint=hint)
                                    for message, where, hint in kept["problems"])
                    return
            except (ValueError, KeyError, TypeError, AttributeError):
                break
            if not all(_is_reader(reader) for reader in kept):  # edited by hand (0.07 us each)
                break
            yield kept
    # Written whole, synced and renamed into place: only a damaged disk or a hand edit gets
    # here, past readers already sent. Removed, the next run reads the files.
    path.unlink(missing_ok=True)
    raise SubscriberError(f"{path} is damaged; it was removed",
                          hint="run the send again: it resumes where this one stopped")


def _is_reader(kept: object) -> bool:
    """[address, name, value], three strings, as :class:`Keeper` writes each reader; the
    address at least looks like one (an @, no line break or control character: no header
    it goes into can be broken by a hand edit)."""
    return (kept.__class__ is list and len(kept) == 3 and kept[0].__class__ is str
            and kept[1].__class__ is str and kept[2].__class__ is str
            and "@" in kept[0] and kept[0].isprintable())


class Keeper:
    """Writes what a read yields, for :func:`read_kept`; kept only once :meth:`done`."""

    def __init__(self, state_dir: Path, signature: list[list], values_id: str):
        self.path = Path(state_dir) / KEPT_FILE
        self.out: IO[str] | None = None
        # Left by a send killed while it read (a send's helper writes only under its site's
        # lock; one of a send that then lost the lock only costs the winner its file).
        for leftover in self.path.parent.glob(f".{KEPT_FILE}.*"):
            leftover.unlink(missing_ok=True)
        changed = max((mtime_ns for _, _, mtime_ns, *_ in signature), default=0)
        if changed > time.time_ns() - RECENT * 10**9:
            return  # changed just now: the next send reads the files
        try:
            self.out = tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=self.path.parent, prefix=f".{self.path.name}.",
                delete=False)
            self.out.write(json.dumps({"format": FORMAT, "signature": signature,
                                       "values": values_id}) + "\n")
        except OSError as error:
            logger.debug("the list's readers are not kept: %s", error)
            self.discard()

    @property
    def keeping(self) -> bool:
        """Whether what is added will be kept (not a read of files changed just now)."""
        return self.out is not None

    def add(self, chunk: list[tuple[str, str, str]]) -> None:
        """The next readers, (address, name, value) each: a line of them."""
        self._write(chunk)

    def done(self, problems: list[SubscriberError]) -> None:
        """The read is complete: keep it, with the rows it could not use."""
        self._write({"problems": [[e.message, e.where, e.hint] for e in problems]})
        if self.out is None:
            return
        try:
            self.out.flush()
            os.fsync(self.out.fileno())  # whole under its name, even after a power cut
            self.out.close()
            os.replace(self.out.name, self.path)
            self.out = None
        except OSError as error:
            logger.debug("the list's readers are not kept: %s", error)
            self.discard()

    def discard(self) -> None:
        """The read stopped early (or the file failed): keep nothing."""
        if self.out is not None:
            self.out.close()
            Path(self.out.name).unlink(missing_ok=True)
            self.out = None

    def _write(self, item: list | dict) -> None:
        if self.out is None:
            return
        try:
            self.out.write(json.dumps(item, ensure_ascii=False) + "\n")
        except OSError as error:
            logger.debug("the list's readers are not kept: %s", error)
            self.discard()
