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
import threading
import time

from newsletter.errors import NewsletterError, SiteLockedError
from newsletter.locks import exclusive_lock
from newsletter.subscribers import Standing, SubscriberStore, record_signups
from newsletter.web.signup_journal import DAY, HOUR, Limits, SignupJournal
from newsletter.web.signup_mail import SignupMailer

logger = logging.getLogger(__name__)

LOCK_FILE = "signups.lock"
BATCH = 500  # sign-ups per transaction of the list; Postmark's largest batch
POLL_SECONDS = 1.0  # how often the journal is read when nobody wakes the worker
PURGE_EVERY = 600.0  # seconds between clean-ups of old journal rows
MAILABLE = frozenset({Standing.NEW, Standing.UNCONFIRMED, Standing.LEFT})


class SignupWorker:
    """A daemon thread that works through the sign-up journal."""

    def __init__(self, settings, store: SubscriberStore, journal: SignupJournal,
                 mailer: SignupMailer, limits: Limits):
        self.settings = settings
        self.store = store
        self.journal = journal
        self.mailer = mailer
        self.limits = limits
        self.lock_path = settings.state_dir / LOCK_FILE
        self.keep_seconds = max(DAY, settings.signup.confirm_lifetime.total_seconds()) + HOUR
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._busy = threading.Lock()
        self._thread: threading.Thread | None = None
        self._purged_at = 0.0
        self._cap_logged_at = 0.0

    def start(self) -> None:
        """Start the thread (once); it first finishes what the journal still holds."""
        with self._busy:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="signup-worker",
                                                daemon=True)
                self._thread.start()

    def wake(self) -> None:
        """A sign-up was journalled: look at it now rather than at the next poll."""
        self.start()
        self._wake.set()

    def stop(self, timeout: float = 30) -> None:
        """Finish the batch at hand and end the thread."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                while self.process() and not self._stopping.is_set():
                    pass
            except NewsletterError as error:  # the list stayed locked, a template broke...
                logger.warning("sign-ups wait: %s", error)
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()

    def process(self) -> int:
        """Work through one batch of the journal; how many sign-ups it held (0: none, or
        another process's worker has the journal)."""
        try:
            with exclusive_lock(self.lock_path, 0, lambda: SiteLockedError("busy")):
                return self._process_batch()
        except SiteLockedError:
            return 0

    def _process_batch(self) -> int:
        entries = self.journal.pending(BATCH)
        received = [entry for entry in entries if entry.state == "received"]
        standings = record_signups(self.store, [e.signup for e in received]) if received else []
        now = time.time()
        claimed, capped = self.journal.claim(
            received, [standing in MAILABLE for standing in standings], self.limits, now)
        if capped and now - self._cap_logged_at > HOUR:
            self._cap_logged_at = now
            logger.warning("daily cap reached: %d confirmation emails in 24 hours "
                           "(signup.max_per_day); sign-ups are kept but not mailed",
                           self.limits.per_day)
        unfinished = [entry for entry in entries if entry.state == "mailing"]  # after a crash
        self.mailer.send_confirmations(unfinished + claimed)
        self.journal.finish(unfinished + claimed)
        if now - self._purged_at > PURGE_EVERY:
            self._purged_at = now
            self.journal.purge(now - self.keep_seconds)
        return len(entries)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until the journal holds nothing left to do (tests, benchmarks); False on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.journal.pending(1):
                return True
            self.wake()
            time.sleep(0.02)
        return False
