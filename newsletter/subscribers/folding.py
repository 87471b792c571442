"""Folding the suppression journal into the subscriber files, many changes per rewrite.

A fold runs under the list's lock: it reads the unfolded changes, finds every row of their
addresses (one streamed pass over the files), rewrites only the files that hold one (streamed
too: memory stays flat however long the list is), appends a suppression row for an address
no file lists when the change asks for one, and only then marks the changes folded. A crash
at any point leaves them unfolded, and folding them again changes nothing twice: a row that
already records a leaver is never rewritten, and an added row makes the address listed.

The rules are the ones every status change follows: only active and unconfirmed rows take the
new status; a reader who already unsubscribed, bounced or complained keeps that status.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
import threading
import time
from pathlib import Path

from newsletter.errors import NewsletterError, SubscriberError
from newsletter.records import record
from newsletter.subscribers.csv_file import CsvFile
from newsletter.subscribers.csv_format import Record
from newsletter.subscribers.folder import ListFolder
from newsletter.subscribers.journal import Entry, strongest
from newsletter.subscribers.rows import Status, new_row, open_records, row_key

logger = logging.getLogger(__name__)

FOLD_DELAY = 2.0  # seconds the background folder waits after a change, to take in a burst
FOLD_INTERVAL = 10.0  # seconds at least between two background folds
WRITABLE = frozenset({"", Status.ACTIVE.value, Status.UNCONFIRMED.value})  # statuses that change


@record
class Found:
    """Where the journalled addresses are listed, from one pass over the files."""

    rows: dict[str, list[tuple[Path, int, str]]]  # key -> (file, line, status) of each row
    unwritable: dict[Path, SubscriberError]  # files that cannot be rewritten, and why


def fold_locked(folder: ListFolder) -> list[Entry]:
    """Fold the journal into the files (the caller holds the list's lock); return the changes
    that changed a reader's status (one per address)."""
    pending = folder.journal.pending()
    if not pending.entries:
        return []
    statuses = strongest(pending.entries)
    entries: dict[str, list[Entry]] = {}
    for entry in pending.entries:
        entries.setdefault(entry.key, []).append(entry)
    found = find_rows(folder, set(statuses))
    default = folder.default_path
    edits: dict[Path, dict[int, str]] = {}
    appended: list[dict[str, str]] = []
    folded: list[int] = []
    changed: list[Entry] = []
    for key, status in statuses.items():
        rows = found.rows.get(key, [])
        targets = [(path, line) for path, line, text in rows
                   if text in WRITABLE and path not in found.unwritable]
        if rows and not (targets or any(path not in found.unwritable for path, _, _ in rows)):
            continue  # listed only where nothing can be written: kept until the file is fixed
        if not rows:
            if found.unwritable:
                continue  # a file that cannot be read whole may list it: decide once it can
            if any(entry.record_unknown for entry in entries[key]):
                if default in found.unwritable:
                    continue
                appended.append(new_row(entries[key][0].address, status=Status(status)))
                changed.append(_strongest_entry(entries[key], status))
        else:
            for path, line in targets:
                edits.setdefault(path, {})[line] = status
            if targets and all(text in WRITABLE for _, _, text in rows):
                changed.append(_strongest_entry(entries[key], status))
        folded.extend(entry.id for entry in entries[key])
    for path, lines in edits.items():
        _rewrite(folder, path, lines, appended if path == default else [])
    if appended and default not in edits:
        _rewrite(folder, default, {}, appended)
    folder.journal.mark_folded(folded)
    if folded:
        logger.info("folded %d journalled change(s) into the subscriber files", len(folded))
    return changed


def fold_journal(folder: ListFolder, lock_timeout: float | None = None) -> list[Entry]:
    """Take the list's lock and fold the journal (see :func:`fold_locked`)."""
    with folder.writing(lock_timeout):
        return fold_locked(folder)


def _strongest_entry(entries: list[Entry], status: str) -> Entry:
    return next(entry for entry in entries if entry.status == status)


def find_rows(folder: ListFolder, keys: set[str]) -> Found:
    """Every row of these keys in the files, and the files that cannot be rewritten."""
    found = Found({}, {})
    for path in folder.files():
        problems: list[SubscriberError] = []
        layout, records = open_records(path, folder.label(path), problems)
        email_at, status_at = layout.position("email"), layout.position("status")
        for record in records:
            cells = record.cells
            if email_at < len(cells) and (key := row_key(cells[email_at])) in keys:
                status = (cells[status_at].strip().lower()
                          if status_at is not None and status_at < len(cells) else "")
                found.rows.setdefault(key, []).append((path, record.line, status))
        if problems:  # read only in part, or around an unclosed quote: never rewritten
            found.unwritable[path] = problems[0]
    return found


def _rewrite(folder: ListFolder, path: Path, lines: dict[int, str],
             appended: list[dict[str, str]]) -> None:
    def edit(csv_file: CsvFile, record: Record) -> None:
        status = lines.get(record.line)
        if status is not None:
            csv_file.set_cell(record, "status", status)

    CsvFile.rewrite(path, folder.label(path), ["status"], edit, appended)


class BackgroundFolder:
    """Folds the journal a moment after changes arrive (``newsletter serve``): a burst of
    unsubscribes becomes one rewrite of the files instead of one each.

    Each fold runs in a process of its own: on a long list it reads and rewrites the files
    for seconds, and in the server's process it would hold the interpreter lock that the
    threads answering unsubscribes need.
    """

    def __init__(self, folder: ListFolder, delay: float = FOLD_DELAY,
                 interval: float = FOLD_INTERVAL):
        self.folder, self.delay, self.interval = folder, delay, interval
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="journal folder", daemon=True)
        self.thread.start()

    def poke(self) -> None:
        """Say that the journal holds new changes."""
        self.wake.set()

    def close(self) -> None:
        """Stop after the fold in progress, if any."""
        self.stopping.set()
        self.wake.set()
        self.thread.join()

    def _run(self) -> None:
        import multiprocessing  # in `serve` only

        spawn = multiprocessing.get_context("spawn")  # fork is unsafe with threads running
        while not self.stopping.is_set():
            self.wake.wait()
            if self.stopping.wait(self.delay):
                return
            self.wake.clear()
            started = time.monotonic()
            fold = spawn.Process(target=fold_elsewhere, name="newsletter journal fold",
                                 args=(str(self.folder.directory), str(self.folder.state_dir)))
            fold.start()
            fold.join()
            if fold.exitcode != 0:  # busy or unreadable: the changes stay in effect
                logger.warning("journal not folded yet (the fold exited with %s); will retry",
                               fold.exitcode)
                self.wake.set()
            # Keep folding to a quarter of the time at most, however fast changes come.
            pause = max(self.interval, 3 * (time.monotonic() - started))
            if self.stopping.wait(pause):
                return


def fold_elsewhere(directory: str, state_dir: str) -> None:
    """The fold process of :class:`BackgroundFolder`: exit 0 when folded, 1 when not."""
    folder = ListFolder(directory=Path(directory), state_dir=Path(state_dir))
    try:
        fold_journal(folder, lock_timeout=1.0)
    except (NewsletterError, OSError, sqlite3.Error) as error:  # unreadable, not writable
        logger.warning("journal not folded yet: %s", error)
        sys.exit(1)
