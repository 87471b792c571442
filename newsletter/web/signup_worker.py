"""The background half of a sign-up: journal ──▶ unconfirmed row ──▶ confirmation email.

The form is answered as soon as its sign-up is in the journal, the same way whoever the
address belongs to, so neither the answer nor its timing tells anyone who is on the list. This
worker then takes the journal's sign-ups in batches: one locked transaction of the list adds
the unconfirmed rows and says where each address stood, the limits decide who gets an email,
and the emails go to the provider in batches. A crash between any two steps repeats the last
one (a second confirmation email at worst, never a lost sign-up).

One worker per site runs at a time (a lock in ``.newsletter/``), so several server processes
may share a site; each polls the journal for the others' sign-ups.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace

from newsletter.errors import NewsletterError, SiteLockedError
from newsletter.subscribers import ReaderStore, Standing, record_signups
from newsletter.web.signup_journal import DAY, HOUR, Limits, SignupJournal
from newsletter.web.signup_mail import SignupMailer

logger = logging.getLogger(__name__)

BATCH = 2000  # sign-ups per transaction of the list at most
POLL_SECONDS = 1.0  # how often the journal is read when nobody wakes the worker
ERROR_PAUSE_SECONDS = 30.0  # after a failed batch; the sign-ups wait in the journal
PURGE_EVERY = 600.0  # seconds between clean-ups of old journal rows
RETRY_SECONDS = 60.0  # before sending again confirmations the provider took none of; doubles
MAX_RETRY_SECONDS = 1800.0
MAX_TRIES = 8  # about two hours of a provider down, then the sign-ups are given up
MAILABLE = frozenset({Standing.NEW, Standing.UNCONFIRMED, Standing.LEFT})


class SignupWorker:
    """A daemon thread that works through the sign-up journal, and the threads that mail."""

    def __init__(self, settings, store: ReaderStore, journal: SignupJournal,
                 mailer: SignupMailer, limits: Limits):
        self.settings = settings
        self.store = store
        self.journal = journal
        self.mailer = mailer
        self.limits = limits
        self.keep_seconds = max(DAY, settings.signup.confirm_lifetime.total_seconds()) + HOUR
        # Emails go out while the next batch is read: waiting on the provider (or the disk)
        # does not hold up the list.
        self.mailing = ThreadPoolExecutor(settings.provider.concurrency or 4,
                                          thread_name_prefix="signup-mail")
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._starting = threading.Lock()
        self._thread: threading.Thread | None = None
        self._purged_at = 0.0
        self._recovered = False
        self._cap_logged_at = -HOUR
        self._retries: list[tuple[float, int, list]] = []  # (when, tries so far, entries)
        self._retries_lock = threading.Lock()

    def start(self) -> None:
        """Start the thread (once); it first mails what a stopped server left half-mailed."""
        with self._starting:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="signup-worker",
                                                daemon=True)
                self._thread.start()

    def wake(self) -> None:
        """A sign-up was journalled: look at it now rather than at the next poll."""
        self.start()
        self._wake.set()

    def stop(self, timeout: float = 30) -> None:
        """Finish the batch at hand, and the emails on their way, and end the threads."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self.mailing.shutdown(wait=True)

    def _run(self) -> None:
        while not self._stopping.is_set():
            started = time.monotonic()
            self._send_again_when_due()
            try:
                worked = self.process()
            # The list stayed locked, a template broke, the disk is full: try again later.
            except (NewsletterError, sqlite3.Error, OSError) as error:
                logger.warning("sign-ups wait %g s: %s", ERROR_PAUSE_SECONDS, error)
                self._stopping.wait(ERROR_PAUSE_SECONDS)
                continue
            if worked:
                # Rest as long as the batch took: on a long list every batch rewrites the whole
                # list, and the form's requests need the CPU too. Sign-ups that come meanwhile
                # make the next batch larger, not later.
                self._stopping.wait(time.monotonic() - started)
            else:
                self._wake.wait(POLL_SECONDS)
                self._wake.clear()

    def process(self) -> int:
        """Work through one batch of the journal; how many sign-ups it held (0: none, or
        another process's worker has the journal)."""
        try:
            with self.journal.turn():
                # Left "mailing" by a stopped server: mailed again (on PostgreSQL at every
                # turn, so a host still running takes over from one that is gone).
                if not self._recovered or self.journal.orphans_any_time:
                    self._mail(self.journal.orphans(BATCH * 4))
                    self._recovered = True
                return self._process_batch()
        except SiteLockedError:
            return 0

    def _process_batch(self) -> int:
        received = self.journal.pending(BATCH)
        if not received:
            return 0
        # The unconfirmed row holds no name: it is kept once the address's owner confirms.
        standings = record_signups(self.store, [replace(entry.signup, name="")
                                                for entry in received])
        for entry, standing in zip(received, standings):
            if standing is Standing.UNREADABLE:
                logger.warning("sign-up of %s not mailed: its row in subscribers/ has its status "
                               "out of place (`newsletter subscribers check` names the line); "
                               "fix that row, then ask them to sign up again",
                               entry.signup.address)
        now = time.time()
        claimed, capped = self.journal.claim(
            received, [standing in MAILABLE for standing in standings], self.limits, now)
        if capped and now - self._cap_logged_at > HOUR:
            self._cap_logged_at = now
            logger.warning("daily cap reached: %d confirmation emails in 24 hours "
                           "(signup.max_per_day); sign-ups are kept but not mailed",
                           self.limits.per_day)
        chunk = self.mailer.provider.max_batch
        for start in range(0, len(claimed), chunk):
            self.mailing.submit(self._mail, claimed[start:start + chunk]).add_done_callback(
                _report_failure)
        if now - self._purged_at > PURGE_EVERY:
            self._purged_at = now
            self.journal.purge(now - self.keep_seconds)
        return len(received)

    def _mail(self, entries: list, tries: int = 1) -> None:
        """Send the confirmations of ``entries``. If the provider took none (down, the outbox
        unwritable), they stay ``mailing`` and are sent again later, the wait doubling."""
        if not entries:
            return
        if self.mailer.send_confirmations(entries) or tries >= MAX_TRIES:
            self.journal.finish(entries)
            return
        wait = min(RETRY_SECONDS * 2 ** (tries - 1), MAX_RETRY_SECONDS)
        logger.warning("%d confirmation email(s) will be sent again in %g s", len(entries), wait)
        with self._retries_lock:
            self._retries.append((time.monotonic() + wait, tries + 1, entries))

    def _send_again_when_due(self) -> None:
        now = time.monotonic()
        with self._retries_lock:
            due = [retry for retry in self._retries if retry[0] <= now]
            self._retries = [retry for retry in self._retries if retry[0] > now]
        for _, tries, entries in due:
            self.mailing.submit(self._mail, entries, tries).add_done_callback(_report_failure)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every sign-up in the journal is done (tests, benchmarks); False on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.journal.busy():
                return True
            self.wake()
            time.sleep(0.02)
        return False


def _report_failure(future: Future) -> None:
    """Log what made a mailing thread fail; its sign-ups stay ``mailing`` and are mailed again
    when the server next starts."""
    error = future.exception()
    if error is not None:
        logger.error("confirmation emails not sent: %r", error, exc_info=error)
