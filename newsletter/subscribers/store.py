"""The subscriber list: every ``subscribers/*.csv`` read as one list, and the one way to change it.

Someone listed twice (in one file or two) is one reader, and suppression wins: if any copy is
unsubscribed, bounced or complained (or has a status nobody understands), that reader gets
nothing. Invalid rows are reported as ``file:line`` problems and skipped for sending, never
dropped from their file.

Unsubscribes, bounces and complaints go to the suppression journal first
(:mod:`newsletter.subscribers.journal`): durable and in effect at once, whatever the length of
the list. Every read here treats a journalled address as suppressed. Every other change goes
through :meth:`SubscriberStore.transaction`: an exclusive lock on
``.newsletter/subscribers.lock``, the journal folded in, a fresh read, the change, then an
atomic rewrite of each changed file. So concurrent writers never lose each other's rows, and
readers (who take no lock) see whole files only.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import replace
from typing import Callable, Iterable, Iterator

from newsletter.addresses import address_key, normalise_address
from newsletter.errors import SubscriberError
from newsletter.records import record
from newsletter.subscribers.csv_file import CsvFile, UnclosedQuoteError
from newsletter.subscribers.adding import ACTIVE_AGAIN, ADDED, UPDATED, readd_refusal
from newsletter.subscribers.edits import ListFiles, add_details, index_copies, set_statuses
from newsletter.subscribers.folder import ListFolder
from newsletter.subscribers.folding import find_rows, fold_locked
from newsletter.subscribers.journal import strongest
from newsletter.subscribers.reading import (
    SuppressedView,
    read_suppressed,
    stream_active,
    stream_active_with,
)
from newsletter.subscribers.repeat_filter import RepeatFilter
from newsletter.subscribers.saved_whole import SavedWhole
from newsletter.subscribers.rows import (
    LEFT,
    Row,
    Status,
    Subscriber,
    light,
    new_row,
    read_rows,
    row_key,
)

logger = logging.getLogger(__name__)


@record(frozen=True)
class Snapshot:
    """Who is active and who is suppressed, as of one state of the files."""

    signature: tuple
    active: frozenset[str]
    suppressed: frozenset[str]


class Settled:
    """A reader's status as the whole list and the journal make it: the first row of the
    address that says it left wins, else an unconfirmed row, else the reader's own; a
    journalled change overrides any but a left status. Each row goes through
    :meth:`note` first."""

    def __init__(self, pending):
        self.pending = pending
        self.journalled = pending.statuses()
        self.left: dict[str, Status] = {}
        self.unconfirmed: set[str] = set()

    def note(self, row: Row) -> None:
        """Remember a row that says its address left (the first such wins) or is unconfirmed."""
        if row.suppressed and (key := row_key(row.email)):
            if row.left:
                self.left.setdefault(key, row.suppression)
            else:
                self.unconfirmed.add(key)

    def __call__(self, reader: Subscriber) -> Subscriber:
        key = reader.key
        status = self.left.get(key) or (
            Status.UNCONFIRMED if key in self.unconfirmed else reader.status)
        if key in self.journalled and status not in LEFT:
            status = Status(self.journalled[key])
        return replace(reader, status=status)

    def unlisted(self, listed) -> list[Subscriber]:
        """Readers the journal records that no row lists (a record the next fold adds)."""
        unlisted = [entry for entry in self.pending.entries
                    if entry.record_unknown and entry.key not in listed]
        first: dict[str, str] = {}  # key -> the address its first entry gave
        for entry in unlisted:
            first.setdefault(entry.key, entry.address)
        return [Subscriber(email=first[key], address=first[key], status=Status(status))
                for key, status in strongest(unlisted).items()]


class SubscriberStore(ListFolder):
    """The subscriber list of one site: read it, stream it, change it safely."""

    def __init__(self, settings=None, **where):
        super().__init__(settings, **where)
        self._snapshot: Snapshot | None = None
        self._suppressed: SuppressedView | None = None

    # -- reading: no lock; every file is always whole (it is only ever replaced) --------------

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
        """One Subscriber per reader (first copy, status after suppression and after the
        journal), and every problem, from one read of the files."""
        pending = self.journal.pending()  # before the files: a fold in between is then in them
        readers: dict[str, Subscriber] = {}
        settle = Settled(pending)
        problems: list[SubscriberError] = []  # in file order: rows() appends the files' own
        for row in self.rows(problems):
            settle.note(row)
            try:
                subscriber = row.to_subscriber()
            except SubscriberError as error:
                problems.append(light(error))
                continue
            readers.setdefault(subscriber.key, subscriber)
        result = [settle(reader) for reader in readers.values()]
        return result + settle.unlisted(readers), problems

    def each_reader(self, problems: list[SubscriberError]) -> Iterator[Subscriber]:
        """load()'s readers one at a time, in the same order, from two reads of the files: the
        first notes who left and which addresses repeat (a 2 MB filter), the second gives each
        reader's first copy. Memory stays flat however long the list (`store copy`)."""
        pending = self.journal.pending()
        settle = Settled(pending)
        repeats = RepeatFilter()
        for row in self.rows([]):  # problems are taken from the second read
            if key := row_key(row.email):
                repeats.add(key)
            settle.note(row)
        given: set[str] = set()  # of the addresses that may repeat, and of the journal's
        journalled = {entry.key for entry in pending.entries}
        for row in self.rows(problems):
            try:
                subscriber = row.to_subscriber()
            except SubscriberError as error:
                problems.append(light(error))
                continue
            key = subscriber.key
            if repeats.may_repeat(row_key(row.email) or key) or key in journalled:
                if key in given:
                    continue
                given.add(key)
            yield settle(subscriber)
        yield from settle.unlisted(given)

    def active(self, problems: list[SubscriberError] | None = None,
               tags: Iterable[str] | None = None) -> Iterator[Subscriber]:
        """Stream the readers to send to (see :func:`newsletter.subscribers.reading.stream_active`);
        with ``tags``, only those holding one of them (compared ignoring case)."""
        wanted = None if tags is None else frozenset(tag.lower() for tag in tags)
        return stream_active(self, problems, wanted, self.adopt_suppression)

    def active_with(self, values: Callable[[list[str]], list[str]], values_id: str,
                    problems: list[SubscriberError] | None = None) -> Iterator[list]:
        """:meth:`active` (every tag) as lists of (address, name, value): all a send's signing
        needs (the value: a token, ``values(addresses)``), kept between sends of unchanged
        files while ``values_id`` names the same values (:func:`newsletter.subscribers.
        reading.stream_active_with`)."""
        return stream_active_with(self, values, values_id, problems, self.adopt_suppression)

    def snapshot(self) -> Snapshot:
        """Active and suppressed keys of the files, re-read only when a file changed."""
        signature = self.signature()
        if self._snapshot is None or self._snapshot.signature != signature:
            active, suppressed = set(), set()
            for row in self.rows():
                if key := row_key(row.email):
                    (suppressed if row.suppressed else active).add(key)
            self._snapshot = Snapshot(signature, frozenset(active - suppressed),
                                      frozenset(suppressed))
        return self._snapshot

    def suppressed_addresses(self) -> frozenset[str]:
        """Keys (lower-cased addresses) of every unsubscribed, bounced or complained reader,
        in the files or in the journal.

        Cheap to call before every batch of a send: new journal changes are read by id, and
        the files again only when they changed without the journal vouching for it.
        """
        view = self._suppressed
        self._suppressed = read_suppressed(self) if view is None else view.follow(self)
        return self._suppressed.keys

    def suppression_snapshot(self) -> SuppressedView | None:
        """The suppressed keys last read (by :meth:`active` or :meth:`suppressed_addresses`),
        with the version of the files and journal they belong to; None before any read."""
        return self._suppressed

    def adopt_suppression(self, view: SuppressedView | None) -> None:
        """Take a view read by another store of this list (a send's helper process), so
        :meth:`suppressed_addresses` need not read the files again while they are unchanged."""
        if view is not None:
            self._suppressed = view

    def is_active(self, address: str) -> bool:
        """True if ``address`` is listed, valid and not suppressed, as the files and the
        journal are now."""
        key = row_key(address)
        return (key is not None and key in self.snapshot().active
                and key not in self.journal.pending().statuses())

    def describe(self) -> str:
        return f"{len(self.files())} file(s)"

    def is_listed(self, address: str) -> bool:
        """True if any row holds ``address``, whatever its status."""
        key = row_key(address)
        snapshot = self.snapshot()
        return key is not None and (key in snapshot.active or key in snapshot.suppressed)

    # -- writing -------------------------------------------------------------------------------

    def suppress(self, changes: Iterable[tuple[str, str, str, str]], record_unknown: bool) -> None:
        """Journal the suppressions: in effect for every read at once, folded in later."""
        self.journal.append(changes, record_unknown)

    @contextmanager
    def transaction(self) -> Iterator[ListFiles]:
        """Lock the list, fold the journal in, read every file fresh, and save the changed
        ones on success; the suppressions the change made (``ListFiles.left``) then go to the
        journal as folded, so that a running send sees them.

        Files that cannot be read whole are left alone (and logged), so one broken export
        never blocks another change; one with an unclosed quote stops a change that would
        touch its rows (:class:`ListFiles`). Raises SubscriberError if the lock is not free
        within ``lock_timeout`` seconds.
        """
        default = self.default_path
        with self.writing(adds_readers=True):
            fold_locked(self)  # a change made now must come after every journalled one
            files = ListFiles({}, {}, default)
            for path in dict.fromkeys([*self.files(), default]):
                try:
                    files.readable[path] = CsvFile.load(path, self.label(path))
                except UnclosedQuoteError as error:
                    files.freeze(path, error, read_rows(path, self.label(path), []))
                except SubscriberError as error:
                    logger.warning("%s", error)
                    files.unreadable[path] = error
            yield files
            with SavedWhole() as saving:  # never half saved, whenever Ctrl-C comes
                saving.begin()
                for csv_file in files.readable.values():
                    csv_file.save()
                self.journal.append(files.left, record_unknown=False, folded=True)

    def set_status(self, address: str, status: Status | str, reason: str | None = None) -> bool:
        """Give ``address`` this status; True if the reader's status changed (idempotent).

        Unsubscribed, bounced and complained go through the journal, then into the files:
        every copy that is active or unconfirmed takes the status, and a reader who already
        left keeps theirs. An address no file lists gets a suppression row in subscribers.csv,
        the record that keeps them from being mailed or imported again. Active and
        unconfirmed are written at once; activating an address no file lists changes nothing.
        """
        status = Status(status)
        address = normalise_address(address)
        key = address_key(address)
        if status in LEFT:
            with self.writing():
                found = find_rows(self, {key})
                for path, _, _ in found.rows.get(key, []):
                    if path in found.unwritable:  # a command never half-applies its change
                        raise found.unwritable[path]
                self.journal.append([(key, address, status.value, reason or "")],
                                    record_unknown=True)
                changed = any(entry.key == key for entry in fold_locked(self))
        else:
            with self.transaction() as files:
                copies = index_copies(files, {key}).get(key, [])
                changed = set_statuses(copies, status,
                                       only_if=lambda row: row.status_text != status)
        if changed:
            logger.info("%s is now %s%s", address, status, f" ({reason})" if reason else "")
        return changed

    def add(self, email: str, name: str = "", tags: Iterable[str] = (),
            resubscribe: bool = False) -> str:
        """Add a reader to subscribers.csv; what changed (``adding.ADDED`` and the rest).

        A reader who unsubscribed, bounced, complained or never confirmed is only made active
        again with ``resubscribe`` (checking their consent is the writer's job); otherwise
        SubscriberError. One already listed takes ``name`` if they have none, and ``tags``.
        """
        address = normalise_address(email)
        with self.transaction() as files:
            copies = index_copies(files, {address_key(address)}).get(address_key(address), [])
            suppressed = sorted((row for _, _, row in copies if row.suppressed),
                                key=lambda row: not row.spilled)  # a row to fix by hand first
            if suppressed and (not resubscribe or suppressed[0].spilled):
                raise readd_refusal(address, suppressed[0].status_text, suppressed[0].where)
            if not copies:
                files.default.append(new_row(address, name, tags))
                return ADDED
            set_statuses(copies, Status.ACTIVE, only_if=lambda row: row.suppressed)
            detailed = add_details(copies[0], name, tags)
        return ACTIVE_AGAIN if suppressed else UPDATED if detailed else ""
