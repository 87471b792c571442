"""The subscriber list: every ``subscribers/*.csv`` read as one list, and the one way to change it.

Someone listed twice (in one file or two) is one reader, and suppression wins: if any copy is
unsubscribed, bounced or complained (or has a status nobody understands), that reader gets
nothing. Invalid rows are reported as ``file:line`` problems and skipped for sending, never
dropped from their file.

Sending, the unsubscribe endpoint, webhooks and the ``subscribers`` commands all change the list
through :meth:`SubscriberStore.transaction`: an exclusive lock on ``.newsletter/subscribers.lock``,
a fresh read inside it, the change, then an atomic rewrite of each changed file. So concurrent
writers never lose each other's rows, and readers (who take no lock) see whole files only.
"""

from __future__ import annotations

import logging
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator, TextIO

from newsletter.addresses import address_key, normalise_address
from newsletter.errors import SubscriberError
from newsletter.locks import exclusive_lock
from newsletter.subscribers.csv_file import CsvFile
from newsletter.subscribers.csv_format import Layout, Record
from newsletter.subscribers.edits import (
    ListFiles,
    index_copies,
    set_statuses,
)
from newsletter.subscribers.rows import (
    PlainRows,
    RepeatFilter,
    Row,
    Status,
    Subscriber,
    new_row,
    open_records,
    read_rows,
    row_key,
    row_values,
)

logger = logging.getLogger(__name__)

DEFAULT_FILE = "subscribers.csv"  # where `add` and `import` write new readers
LOCK_FILE = "subscribers.lock"  # in the site's state folder (.newsletter/)
LOCK_TIMEOUT = 30.0  # seconds a writer waits for another writer


@dataclass(frozen=True)
class Snapshot:
    """Who is active and who is suppressed, as of one state of the files."""

    signature: tuple
    active: frozenset[str]
    suppressed: frozenset[str]


class SubscriberStore:
    """The subscriber list of one site: read it, stream it, change it safely."""

    def __init__(self, settings=None, *, directory: Path | None = None,
                 state_dir: Path | None = None, lock_timeout: float = LOCK_TIMEOUT):
        self.directory = Path(directory or settings.subscribers_dir)
        self.state_dir = Path(state_dir or settings.state_dir)
        self.root = self.directory.parent  # problems name files relative to the site
        self.lock_timeout = lock_timeout
        self._snapshot: Snapshot | None = None
        self._suppressed: tuple[tuple, frozenset[str]] | None = None  # (signature, keys)

    # -- reading: no lock; every file is always whole (it is only ever replaced) --------------

    def files(self) -> list[Path]:
        """Every subscriber file, in name order."""
        return sorted(self.directory.glob("*.csv")) if self.directory.is_dir() else []

    def label(self, path: Path) -> str:
        """How problems name ``path``: relative to the site folder."""
        return str(path.relative_to(self.root)) if path.is_relative_to(self.root) else str(path)

    def rows(self, problems: list[SubscriberError] | None = None) -> Iterator[Row]:
        """Every non-blank row of every file, in file order (file problems go to ``problems``)."""
        problems = [] if problems is None else problems
        for path in self.files():
            yield from read_rows(path, self.label(path), problems)

    def scan(self) -> Iterator[Subscriber | SubscriberError]:
        """Every row as a Subscriber or as the problem that makes it unusable, in file order."""
        problems: list[SubscriberError] = []
        for row in self.rows(problems):
            yield from problems
            problems.clear()
            try:
                yield row.to_subscriber()
            except SubscriberError as error:
                yield error
        yield from problems

    def load(self) -> tuple[list[Subscriber], list[SubscriberError]]:
        """One Subscriber per reader (first copy, status after suppression), and every problem,
        from one read of the files."""
        readers: dict[str, Subscriber] = {}
        suppression: dict[str, Status] = {}  # the first suppressing row of each address wins
        problems: list[SubscriberError] = []  # in file order: rows() appends the files' own
        for row in self.rows(problems):
            if row.suppressed and (key := row_key(row.email)):
                suppression.setdefault(key, row.suppression)
            try:
                subscriber = row.to_subscriber()
            except SubscriberError as error:
                problems.append(error)
                continue
            readers.setdefault(subscriber.key, subscriber)
        return [replace(reader, status=suppression.get(reader.key, reader.status))
                for reader in readers.values()], problems

    def active(self, problems: list[SubscriberError] | None = None) -> Iterator[Subscriber]:
        """Stream the readers to send to: once each, in file order, invalid rows skipped.

        Invalid rows and unreadable files are appended to ``problems`` when it is given.

        Two passes over the same open files (so both see one version of each): the first
        collects the suppressed keys (suppression wins, whatever the order of the copies) and
        counts keys in a RepeatFilter; the second yields each valid active row once.
        De-duplication memory: a set of every key would grow with the list; the filter is a
        fixed 2 MB and only the keys it flags (true repeats and rare chance collisions) are
        remembered exactly. The cost is the first pass: parsing every record again and
        computing its key from two cells, no row built.
        """
        signature = self._signature()  # before opening: a later change then forces a re-read
        with ExitStack() as stack:
            opened = [(path, stack.enter_context(path.open("r", encoding="utf-8", newline="")))
                      for path in self.files()]
            # Pass 1 looks at two cells of each record and builds no row.
            suppressed: set[str] = set()
            repeats = RepeatFilter()
            for _, _, email, status in self._cells_from(opened, []):
                if key := row_key(email):
                    if status and status != Status.ACTIVE:
                        suppressed.add(key)
                    else:
                        repeats.add(key)
            self._suppressed = (signature, frozenset(suppressed))
            seen: set[str] = set()  # flagged keys only
            records = self._cells_from(opened, problems)
            for (path, label, layout, plain), record, email, status in records:
                if status and status != Status.ACTIVE:
                    continue  # suppressed (or an unknown status): never sent to, never reported
                subscriber = plain.subscriber(record, email, status)
                if subscriber is None:  # not a plain row: the Row validates it, or says why not
                    row = Row(path, label, record.line, row_values(layout, record))
                    try:
                        subscriber = row.to_subscriber()
                    except SubscriberError as error:
                        if problems is not None:
                            problems.append(error)
                        continue
                key = subscriber.key
                if key in suppressed:
                    continue
                if repeats.may_repeat(key):
                    if key in seen:
                        continue
                    seen.add(key)
                yield subscriber

    def _cells_from(self, opened: list[tuple[Path, TextIO]],
                    problems: list[SubscriberError] | None,
                    ) -> Iterator[tuple[tuple[Path, str, Layout, PlainRows], Record, str, str]]:
        """((path, label, layout, plain rows), record, email, lower-cased status) of each record.

        Reads already opened files from their start; file problems go to ``problems``.
        """
        problems = [] if problems is None else problems
        for path, handle in opened:
            handle.seek(0)
            label = self.label(path)
            layout, records = open_records(path, label, problems, handle)
            source = (path, label, layout, PlainRows(path, layout))
            email_at, status_at = layout.position("email"), layout.position("status")
            for record in records:
                cells = record.cells
                email = cells[email_at].strip() if email_at < len(cells) else ""
                status = (cells[status_at].strip().lower()
                          if status_at is not None and status_at < len(cells) else "")
                yield source, record, email, status

    def snapshot(self) -> Snapshot:
        """Active and suppressed keys, re-read only when a file changed (cheap between batches)."""
        signature = self._signature()
        if self._snapshot is None or self._snapshot.signature != signature:
            active, suppressed = set(), set()
            for row in self.rows():
                if key := row_key(row.email):
                    (suppressed if row.suppressed else active).add(key)
            self._snapshot = Snapshot(signature, frozenset(active - suppressed),
                                      frozenset(suppressed))
        return self._snapshot

    def _signature(self) -> tuple:
        # Every write replaces the file, so a new inode marks it even within one mtime tick.
        stats = []
        for path in self.files():
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue  # replaced or removed while listing: the next call sees it
            stats.append((path.name, stat.st_ino, stat.st_mtime_ns, stat.st_size))
        return tuple(stats)

    def suppressed_addresses(self) -> frozenset[str]:
        """Keys (lower-cased addresses) of every unsubscribed, bounced or complained reader.

        Re-read only when a file changed; unlike :meth:`snapshot` it holds no active key, so a
        send can call it before every batch and stay small however long the list is.
        """
        signature = self._signature()
        if self._suppressed is None or self._suppressed[0] != signature:
            keys = {key for row in self.rows() if row.suppressed and (key := row_key(row.email))}
            self._suppressed = (signature, frozenset(keys))
        return self._suppressed[1]

    def suppression_snapshot(self) -> tuple[tuple, frozenset[str]] | None:
        """The suppressed keys last read (by :meth:`active` or :meth:`suppressed_addresses`),
        with the version of the files they belong to; None before any read."""
        return self._suppressed

    def adopt_suppression(self, snapshot: tuple[tuple, frozenset[str]] | None) -> None:
        """Take a snapshot read by another store of this list (a send's helper process), so
        :meth:`suppressed_addresses` need not read the files again while they are unchanged."""
        if snapshot is not None:
            self._suppressed = snapshot

    def size(self) -> int:
        """Bytes in every subscriber file."""
        return sum(entry[3] for entry in self._signature())

    def is_active(self, address: str) -> bool:
        """True if ``address`` is listed, valid and not suppressed, as the files are now."""
        key = row_key(address)
        return key is not None and key in self.snapshot().active

    def is_listed(self, address: str) -> bool:
        """True if any row holds ``address``, whatever its status."""
        key = row_key(address)
        snapshot = self.snapshot()
        return key is not None and (key in snapshot.active or key in snapshot.suppressed)

    # -- writing: always inside transaction() ---------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[ListFiles]:
        """Lock the list, read every file fresh, and save the changed ones on success.

        Files that cannot be read whole are left alone (and logged), so one broken export
        never blocks an unsubscribe. Raises SubscriberError if the lock is not free within
        ``lock_timeout`` seconds.
        """
        default = self.directory / DEFAULT_FILE
        lock = self.state_dir / LOCK_FILE
        with exclusive_lock(lock, self.lock_timeout, lambda: SubscriberError(
                f"the subscriber list stayed locked for {self.lock_timeout:g} s", where=str(lock),
                hint="another newsletter command is changing it; try again")):
            files = ListFiles({}, {}, default)
            for path in dict.fromkeys([*self.files(), default]):
                try:
                    files.readable[path] = CsvFile.load(path, self.label(path))
                except SubscriberError as error:
                    logger.warning("%s", error)
                    files.unreadable[path] = error
            yield files
            for csv_file in files.readable.values():
                csv_file.save()

    def set_status(self, address: str, status: Status | str, reason: str | None = None) -> bool:
        """Give every copy of ``address`` this status; True if any row changed (idempotent).

        Rows stay: an unsubscribed row is the record that keeps the reader from being mailed
        or imported again. Suppressing an address no readable file holds appends such a
        record to subscribers.csv; activating one changes nothing.
        """
        status = Status(status)
        address = normalise_address(address)
        with self.transaction() as files:
            copies = index_copies(files, {address_key(address)}).get(address_key(address), [])
            changed = set_statuses(copies, status, only_if=lambda row: row.status_text != status)
            if not copies and status is not Status.ACTIVE:
                files.default.append(new_row(address, status=status))
                changed = True
        if changed:
            logger.info("%s is now %s%s", address, status, f" ({reason})" if reason else "")
        return changed

    def add(self, email: str, name: str = "", tags: Iterable[str] = (),
            resubscribe: bool = False) -> bool:
        """Add a reader to subscribers.csv; False if they were already active.

        A reader who unsubscribed, bounced or complained is only made active again with
        ``resubscribe`` (checking their consent is the writer's job); otherwise SubscriberError.
        """
        address = normalise_address(email)
        with self.transaction() as files:
            copies = index_copies(files, {address_key(address)}).get(address_key(address), [])
            suppressed = [row for _, _, row in copies if row.suppressed]
            if suppressed and not resubscribe:
                raise SubscriberError(
                    f"{address} is {suppressed[0].status_text}", where=suppressed[0].where,
                    hint="pass --resubscribe only if they asked to come back",
                )
            if not copies:
                files.default.append(new_row(address, name, tags))
            set_statuses(copies, Status.ACTIVE, only_if=lambda row: row.suppressed)
        return bool(suppressed) or not copies
