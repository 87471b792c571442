"""Subscribers: every ``subscribers/*.csv`` read as one list, and the only way to change it.

Addresses are checked with email-validator (syntax only, never the network). ``address`` is
email-validator's normalised form: Unicode-normalised, domain lower-cased, local part kept as
written. Two rows are the same reader when their addresses match case-insensitively (``key``):
RFC 5321 lets a server treat ``Jane@`` and ``jane@`` apart, but no real mailbox does, and
mailing someone twice is worse than the theoretical miss.

Someone listed twice (in one file or two) is one reader, and suppression wins: if any copy is
unsubscribed, bounced or complained, that reader gets nothing. Every write goes through
:meth:`SubscriberStore.transaction`: an exclusive lock, a fresh read, the change, an atomic
rewrite. So the unsubscribe endpoint, webhooks, ``subscribers add`` and a running send never
lose each other's rows.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Iterable, Iterator

from email_validator import EmailNotValidError, validate_email

from newsletter.errors import SubscriberError
from newsletter.subscriber_csv import COLUMNS, CsvFile, Layout, Record, read_csv

logger = logging.getLogger(__name__)

DEFAULT_FILE = "subscribers.csv"  # where `add` and `import` put new readers
LOCK_FILE = "subscribers.lock"  # in the site's state folder (.newsletter/)
LOCK_TIMEOUT = 30.0  # seconds a writer waits for another writer


class Status(StrEnum):
    """A reader's status in the `status` column (empty means active)."""

    ACTIVE = "active"  # receives every newsletter
    UNSUBSCRIBED = "unsubscribed"  # asked to stop; the row stays as a suppression record
    BOUNCED = "bounced"  # the address hard-bounced
    COMPLAINED = "complained"  # marked a newsletter as spam


STATUS_VALUES = frozenset(status.value for status in Status)
STATUS_NAMES = ", ".join(Status)


@dataclass(frozen=True)
class Subscriber:
    """One valid row of a subscriber file."""

    email: str  # as written in the file (spaces trimmed)
    address: str  # normalised: domain lower-cased, local part as written
    name: str = ""
    status: Status = Status.ACTIVE
    tags: tuple[str, ...] = ()
    subscribed_at: str = ""
    extra: dict[str, str] = field(default_factory=dict)  # unknown columns, as written
    source: Path | None = None
    line: int = 0

    @property
    def key(self) -> str:
        """The de-duplication key: the address compared case-insensitively."""
        return self.address.lower()

    @property
    def active(self) -> bool:
        return self.status is Status.ACTIVE


def normalise_address(email: str) -> str:
    """The normalised form of ``email``, or SubscriberError saying what is wrong with it."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise SubscriberError(f"{email.strip()!r} is not a valid address ({exc})") from None


def address_key(email: str) -> str:
    """The case-insensitive key two spellings of one address share (raises SubscriberError)."""
    return normalise_address(email).lower()


def _fast_key(email: str) -> str | None:
    """The key without full validation, for plain ASCII addresses (None: validate instead).

    For an ASCII address without IDNA labels email-validator changes nothing but the domain's
    case, so lower-casing gives the same key at a fraction of the cost.
    """
    email = email.strip()
    if email.isascii() and "@" in email and "xn--" not in email.lower():
        return email.lower()
    return None


def _row_key(email: str) -> str | None:
    """The key of a row's address, or None when it is not a valid address."""
    try:
        return _fast_key(email) or address_key(email)
    except SubscriberError:
        return None


def split_tags(text: str) -> tuple[str, ...]:
    """Tags as written in a cell: separated by commas, semicolons or |."""
    return tuple(t.strip() for t in text.replace(";", ",").replace("|", ",").split(",") if t.strip())


@dataclass
class Row:
    """A data record with its cells named by column; not yet validated."""

    source: Path
    line: int
    values: dict[str, str]

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"

    @property
    def email(self) -> str:
        return self.values.get("email", "")

    @property
    def status_text(self) -> str:
        return self.values.get("status", "").lower() or Status.ACTIVE

    @property
    def suppressed(self) -> bool:
        """True unless the status says active (an unknown status suppresses too: never guess)."""
        return self.status_text != Status.ACTIVE

    def to_subscriber(self) -> Subscriber:
        """Validate the row; raise SubscriberError (where=file:line) when it cannot be sent to."""
        values = self.values
        if not self.email:
            raise SubscriberError("no email address", where=self.where,
                                  hint="fill in the email column or delete the row")
        if "\n" in self.email or "\r" in self.email:
            raise SubscriberError("the email cell spans several lines", where=self.where,
                                  hint="look for an unclosed quote on this line")
        try:
            address = normalise_address(self.email)
        except SubscriberError as error:
            raise SubscriberError(error.message, where=self.where,
                                  hint="fix the address; the row is skipped for sending") from None
        try:
            status = Status(self.status_text)
        except ValueError:
            raise SubscriberError(
                f"unknown status {values['status']!r}", where=self.where,
                hint=f"use one of {STATUS_NAMES}; the reader gets nothing until it is fixed",
            ) from None
        extra = {k: v for k, v in values.items() if k not in COLUMNS}
        return Subscriber(
            email=self.email, address=address, name=values.get("name", ""), status=status,
            tags=split_tags(values.get("tags", "")), subscribed_at=values.get("subscribed_at", ""),
            extra=extra, source=self.source, line=self.line,
        )


def row_values(layout: Layout, record: Record) -> dict[str, str]:
    """A record's cells by column name, spaces trimmed; missing trailing cells are empty."""
    values = {name: "" for name in layout.columns}
    for index, cell in enumerate(record.cells):
        values[layout.column_name(index)] = cell.strip()
    return values


def read_rows(path: Path, problems: list[SubscriberError]) -> Iterator[Row]:
    """Stream the non-blank rows of one file; a file-level problem is appended and ends it."""
    try:
        layout, records = read_csv(path)
        for record in records:
            if not record.blank:
                yield Row(path, record.line, row_values(layout, record))
    except SubscriberError as error:
        problems.append(error)


@dataclass
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
        self.lock_timeout = lock_timeout
        self._snapshot: Snapshot | None = None

    # -- reading -------------------------------------------------------------------------------

    def files(self) -> list[Path]:
        """Every subscriber file, in name order."""
        return sorted(self.directory.glob("*.csv")) if self.directory.is_dir() else []

    def rows(self, problems: list[SubscriberError] | None = None) -> Iterator[Row]:
        """Every non-blank row of every file, in file order (file problems go to ``problems``)."""
        problems = [] if problems is None else problems
        for path in self.files():
            yield from read_rows(path, problems)

    def scan(self) -> Iterator[Subscriber | SubscriberError]:
        """Every row as a Subscriber, or the problem that makes it unusable, in file order."""
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
        """One Subscriber per reader (first copy, status after suppression), and every problem."""
        readers: dict[str, Subscriber] = {}
        problems: list[SubscriberError] = []
        suppressed = self._suppressing_rows()
        for item in self.scan():
            if isinstance(item, SubscriberError):
                problems.append(item)
            elif item.key not in readers:
                status = suppressed.get(item.key, item.status)
                readers[item.key] = replace(item, status=status)
        return list(readers.values()), problems

    def active(self) -> Iterator[Subscriber]:
        """Stream active readers once each, in file order; invalid rows are skipped."""
        suppressed = self._suppressing_rows()
        seen: set[str] = set()
        for row in self.rows():
            if row.suppressed:
                continue
            try:
                subscriber = row.to_subscriber()
            except SubscriberError:
                continue
            if subscriber.key not in suppressed and subscriber.key not in seen:
                seen.add(subscriber.key)
                yield subscriber

    def _suppressing_rows(self) -> dict[str, Status]:
        """Key -> status of every row that suppresses its address (unknown status: unsubscribed)."""
        found: dict[str, Status] = {}
        for row in self.rows():
            if row.suppressed and (key := _row_key(row.email)):
                known = row.status_text in STATUS_VALUES
                found.setdefault(key, Status(row.status_text) if known else Status.UNSUBSCRIBED)
        return found

    def snapshot(self) -> Snapshot:
        """Active and suppressed keys, re-read only when a file changed (cheap between batches)."""
        signature = self._signature()
        if self._snapshot is None or self._snapshot.signature != signature:
            active, suppressed = set(), set()
            for row in self.rows():
                key = _row_key(row.email)
                if key:
                    (suppressed if row.suppressed else active).add(key)
            self._snapshot = Snapshot(signature, frozenset(active - suppressed),
                                      frozenset(suppressed))
        return self._snapshot

    def _signature(self) -> tuple:
        stats = []
        for path in self.files():
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            stats.append((path.name, stat.st_ino, stat.st_mtime_ns, stat.st_size))
        return tuple(stats)

    def suppressed_addresses(self) -> frozenset[str]:
        """Keys of every unsubscribed, bounced or complained reader (fresh when files changed)."""
        return self.snapshot().suppressed

    def is_active(self, address: str) -> bool:
        """True if ``address`` is listed, valid and not suppressed, as the files are now."""
        key = _row_key(address)
        return key is not None and key in self.snapshot().active

    # -- writing -------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[dict[Path, CsvFile]]:
        """Lock the list, read every file fresh, and save the changed ones on success.

        Yields {path: CsvFile} for every existing file plus the default file (created on save
        only if something was added to it). Raises SubscriberError if the lock is not free
        within ``lock_timeout`` seconds.
        """
        with self._lock():
            files = {path: CsvFile.load(path) for path in self.files()}
            default = self.directory / DEFAULT_FILE
            files.setdefault(default, CsvFile.load(default))
            yield files
            for csv_file in files.values():
                csv_file.save()

    @contextmanager
    def _lock(self) -> Iterator[None]:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        # flock (not lockf): it also excludes threads of one process holding their own handle,
        # as the WSGI server's worker threads do.
        with open(self.state_dir / LOCK_FILE, "a") as handle:
            deadline = time.monotonic() + self.lock_timeout
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise SubscriberError(
                            f"the subscriber list stayed locked for {self.lock_timeout:.0f} s",
                            where=str(self.state_dir / LOCK_FILE),
                            hint="another newsletter command is changing it; try again",
                        ) from None
                    time.sleep(0.02)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def set_status(self, address: str, status: Status | str, reason: str | None = None) -> bool:
        """Give every copy of ``address`` this status; True if any row changed (idempotent)."""
        status = Status(status)
        key = address_key(address)
        changed = False
        with self.transaction() as files:
            for csv_file, record, row in _matching(files, {key}):
                if row.status_text != status:
                    csv_file.set_cell(record, "status", status.value)
                    changed = True
        if changed:
            logger.info("%s is now %s%s", address, status, f" ({reason})" if reason else "")
        return changed

    def add(self, email: str, name: str = "", tags: Iterable[str] = (),
            resubscribe: bool = False) -> bool:
        """Add a reader to subscribers.csv; False if already active.

        A reader who unsubscribed, bounced or complained is only made active again with
        ``resubscribe`` (their consent is the writer's to check); otherwise SubscriberError.
        """
        address = normalise_address(email)
        key = address.lower()
        with self.transaction() as files:
            copies = list(_matching(files, {key}))
            suppressed = [row for _, _, row in copies if row.suppressed]
            if suppressed and not resubscribe:
                raise SubscriberError(
                    f"{address} is {suppressed[0].status_text}", where=suppressed[0].where,
                    hint="add --resubscribe only if they asked to come back",
                )
            for csv_file, record, row in copies:
                if row.suppressed:
                    csv_file.set_cell(record, "status", Status.ACTIVE.value)
            if not copies:
                self.default_file(files).append(new_row(email.strip(), name, tags))
        return bool(suppressed) or not copies

    def default_file(self, files: dict[Path, CsvFile]) -> CsvFile:
        """The file new readers are written to."""
        return files[self.directory / DEFAULT_FILE]


def new_row(email: str, name: str = "", tags: Iterable[str] = (),
            status: Status = Status.ACTIVE, subscribed_at: str | None = None,
            extra: dict[str, str] | None = None) -> dict[str, str]:
    """The cells of a new record, by column name."""
    stamp = subscribed_at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    return {"email": email, "name": name, "status": status.value, "tags": ",".join(tags),
            "subscribed_at": stamp, **(extra or {})}


def _matching(files: dict[Path, CsvFile], keys: set[str]) -> Iterator[tuple[CsvFile, Record, Row]]:
    """Every record, in every file, whose address has one of ``keys``."""
    for path, csv_file in files.items():
        for record in csv_file.records:
            if record.blank:
                continue
            row = Row(path, record.line, row_values(csv_file.layout, record))
            if _row_key(row.email) in keys:
                yield csv_file, record, row


