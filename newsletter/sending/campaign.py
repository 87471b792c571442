"""Campaigns: send one rendered post to every active reader exactly once.

Recipients are the active subscribers minus those the ledger holds as sent, failed, in doubt (or
submitting). They are streamed from the subscriber files (read and prepared in a helper process
on a long list: :mod:`newsletter.sending.reader_feed`) and built into messages one batch at a time, so
memory stays flat however long the list is. On the PostgreSQL store they are taken from a queue
of ledger rows that several senders share (:mod:`newsletter.sending.queue_pg`).

Threads: batches are in flight in a thread pool, as many as :class:`newsletter.sending.pace.Pace`
allows (the provider call, its retries and the rate limit run there); the main thread alone
builds batches (and, for HTTP adapters, their requests: ``Provider.sender``) and writes the
ledger, so the workers mostly wait on the network instead of competing for the GIL. Ordering
that makes a crash safe: a batch is committed as ``submitting`` *before* it is handed to a
worker, which sends it once that is on disk (``Ledger.synced``), and its results are committed
as soon as the worker returns. ``Ledger.running`` marks the post meanwhile, for recover().

Call :func:`send_post` while holding :func:`newsletter.sending.lock.site_lock`.
"""

from __future__ import annotations

import logging
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import closing
from typing import TYPE_CHECKING, Callable, Iterator, NamedTuple, Sequence

from newsletter.errors import (
    AuthError,
    InDoubtError,
    InputError,
    NewsletterError,
    NotSentError,
    QuotaError,
    TransientError,
)
from newsletter.message import Message, MessageFactory, Prepared, signing_secret
from newsletter.providers import key_of
from newsletter.sending.accounting import on_postgresql
from newsletter.sending.collector import fewer_collections
from newsletter.sending.images import check_images
from newsletter.sending.interrupt import INTERRUPTED, first_ctrl_c_stops
from newsletter.sending.ledger import Ledger
from newsletter.sending.pace import Pace, rate_limit, timed
from newsletter.sending.reader_feed import Helper, feed
from newsletter.sending.recipients import batch_size, claimed_part, unsettled_batches
from newsletter.sending.retry import RateLimiter, RetryPolicy, send_with_retries
from newsletter.sending.send_report import SendReport
from newsletter.sending.states import State, ledger_time

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.providers import Provider, Result
    from newsletter.render import Email
    from newsletter.sending.limits import Budget
    from newsletter.subscribers import ReaderStore

logger = logging.getLogger(__name__)

def send_post(settings: Settings, email: Email, provider: Provider, *, store: ReaderStore,
              ledger: Ledger, retry_failed: bool = False, resend_in_doubt: bool = False,
              on_progress: Callable[[SendReport], None] | None = None,
              retry: RetryPolicy = RetryPolicy(), sleep: Callable[[float], None] = time.sleep,
              tags: Sequence[str] | None = None, budget: Budget | None = None,
              select: Callable[[list[str]], set[str]] | None = None,
              started: Helper | None = None) -> SendReport:
    """Send ``email`` to every reader who does not have it yet; the ledger records each one.

    With ``tags``, only to readers holding one of them (a segment, recorded with the run); a
    later run without tags reaches the others, and nobody twice. With ``budget`` (the daily and
    hourly limits), no more than it allows; with ``select``, only the keys it keeps of each chunk.
    ``started``: the list's helper, started before the render (reader_feed.reading_ahead).
    """
    if settings.provider.test_mode:
        # A provider in test mode accepts without delivering: the ledger would call every
        # reader sent, and the real send would then skip them all.
        raise InputError(
            f"provider.test_mode is on: {provider.name} would accept this post without "
            "delivering it, and every reader would count as sent",
            where="newsletter.toml",
            hint="use send --to EMAIL to test, or set test_mode = false to send",
        )
    check_images(settings, email, provider, online=True)  # before anyone is claimed
    campaign = Campaign(settings, email, provider, store, ledger, retry, sleep, tags,
                        budget=budget, select=select, started=started)
    return campaign.run(retry_failed, resend_in_doubt, on_progress or (lambda report: None))


class Batch(NamedTuple):
    """A batch in flight: messages, readers' keys, the key of the claim of just these readers."""

    messages: list[Message]
    keys: list[str]
    claim: str | None = None


class Claimed(NamedTuple):
    """A batch claimed in the ledger, and the request that sends it."""

    batch: Batch
    send: Callable


class Campaign:
    """One run of one post: the writer loop over batches in flight."""

    def __init__(self, settings: Settings, email: Email, provider: Provider,
                 store: ReaderStore, ledger: Ledger, retry: RetryPolicy,
                 sleep: Callable[[float], None], tags: Sequence[str] | None = None, *,
                 budget: Budget | None = None,
                 select: Callable[[list[str]], set[str]] | None = None,
                 started: Helper | None = None):
        self.settings = settings
        self.tags = tuple(tags) if tags else None
        self.email = email
        self.provider = provider
        self.store, self.ledger = store, ledger
        self.retry, self.sleep = retry, sleep
        self.factory = MessageFactory(settings, email, signing_secret(settings))
        self.size = batch_size(settings, provider, email)
        self.limiter = RateLimiter(rate_limit(settings, provider, self.size), sleep)
        # provider.concurrency, when set, caps what the provider's documented limit allows.
        self.pace = Pace(settings.provider.concurrency or provider.max_in_flight)
        self.report = SendReport(email.post_id)
        self.budget, self.select, self.started = budget, select, started

    def run(self, retry_failed: bool, resend_in_doubt: bool,
            on_progress: Callable[[SendReport], None]) -> SendReport:
        post_id, report = self.email.post_id, self.report
        report.recovered = self.ledger.recover()
        if retry_failed:
            self.ledger.requeue(post_id, State.FAILED)
        if resend_in_doubt:
            self.ledger.requeue(post_id, State.IN_DOUBT)
        pace = self.pace
        in_flight: dict[Future, Batch] = {}
        with fewer_collections(), self.provider.campaign(self.email, self.ledger.alone), \
                self.ledger.running(post_id, self.tags), \
                ThreadPoolExecutor(max_workers=pace.ceiling, thread_name_prefix="send") as pool, \
                closing(self._batches()) as batches, first_ctrl_c_stops(report):
            try:
                for batch in batches:
                    if batch is not None:
                        self._launch(batch, pool, in_flight)
                    while len(in_flight) >= pace.limit:
                        pace.reached(in_flight)
                        self._settle(in_flight, on_progress)
            except KeyboardInterrupt:  # a second Ctrl-C
                report.stopped = INTERRUPTED
            finally:
                # Whatever ended the loop (the list's end, Ctrl-C, an error reading it), record
                # the answers of the batches on their way, else in doubt (a third Ctrl-C: so).
                while in_flight:
                    self._settle(in_flight, on_progress)
        if not (report.stopped or report.pending or report.limit_reached or self.tags
                or self.select):  # the whole list walked (a post's segment: finish_if_walked)
            self.ledger.clear_pending(post_id)
        return report

    def _batches(self) -> Iterator[Claimed | None]:
        """Each batch of the run, claimed and committed (None: nobody of it is sent now),
        until the list ends or the run stops (then nothing more is claimed)."""
        post_id, size, report = self.email.post_id, self.size, self.report
        if on_postgresql(self.ledger) and self.select is None and self.budget is None:
            from newsletter.sending.queue_pg import SharedQueue

            queue = SharedQueue(self.ledger, self.store, self.factory, post_id, self.tags)
            queue.start()
            while not (report.stopped or report.limit_reached):
                with queue.taking(size) as readers:  # committed as the block ends
                    claimed = self._claim(readers) if readers else None
                if not readers:
                    report.skipped += queue.dropped
                    return
                yield claimed
            return
        with closing(feed(self.store, self.factory.signer, self.tags, report.unusable_rows,
                          self.select, self.started)) as readers_to_send:
            # Only rows there before this run can settle a reader (each is claimed once).
            earlier = self.ledger if self.ledger.has_rows(post_id) else None
            for readers in unsettled_batches(readers_to_send, earlier, post_id, size):
                if report.stopped or report.limit_reached:
                    return
                yield self._claim(readers)

    def _claim(self, readers: list[Prepared]) -> Claimed | None:
        """Build a batch and claim its readers in the ledger (the request is not sent yet)."""
        # Wait for the rate limit *before* the claim: a batch waiting its turn is not
        # `submitting`, so a crash now cannot leave it in doubt.
        self.limiter.wait(len(readers))
        # Re-check suppression now: someone may have unsubscribed since the send began. The
        # claim is dated at this check, so no reader is claimed after their unsubscribe was
        # recorded. Only the suppressed keys are read (re-read only when a subscriber file
        # changed), so memory stays flat: a row deleted by hand during the send is not
        # noticed; unsubscribing keeps the row as the suppression record, and that is checked.
        decided_at = ledger_time()
        suppressed = self.store.suppressed_addresses()
        keys = Prepared.keys_of(readers)
        if suppressed and not suppressed.isdisjoint(keys):
            readers = [r for r, key in zip(readers, keys) if key not in suppressed]
            self.report.skipped += len(keys) - len(readers)
            keys = Prepared.keys_of(readers)
        if self.budget is not None and (cut := len(readers) - self.budget.take(len(readers))):
            self.report.limit_reached = self.budget.limits.words()  # the rest wait, unclaimed
            readers, keys = readers[:-cut], keys[:-cut]
        if not readers:
            return None
        messages = self.factory.assemble_all(readers)
        if (send := self._sender(messages, keys, decided_at)) is None:
            return None
        # Committed, with the batch and its key, before the request can go out: crash safety.
        key = key_of(messages)
        claimed = self.ledger.claim(self.email.post_id, keys, self.provider.name, decided_at,
                                    key, messages[0].subject)
        if len(claimed) < len(keys):  # a sender sharing this campaign took the others
            messages, keys, key = *claimed_part(messages, keys, claimed), None
            if not keys or (send := self._sender(messages, keys, decided_at)) is None:
                return None
        return Claimed(Batch(messages, keys, key), send)

    def _launch(self, claimed: Claimed, pool: ThreadPoolExecutor,
                in_flight: dict[Future, Batch]) -> None:
        """Hand a claimed batch to a worker, which sends it once its claim is on disk."""
        future = pool.submit(self.ledger.synced(send_with_retries), self.provider,
                             claimed.batch.messages, timed(claimed.send, self.pace), self.retry,
                             self.limiter, self.sleep)
        in_flight[future] = claimed.batch

    def _sender(self, messages: list[Message], keys: list[str], decided_at: str):
        """The batch's request, built here if the adapter can; None when it cannot be (then
        :meth:`_not_sent`: nothing has left)."""
        try:
            return self.provider.sender(messages)
        except Exception as error:  # noqa: BLE001 - whatever failed, nothing has left yet
            self._not_sent(messages, keys, decided_at, error)
            return None

    def _not_sent(self, messages: list[Message], keys: list[str], decided_at: str,
                  error: Exception) -> None:
        """The batch's request could not be built: its readers are recorded pending (in one
        transaction, never `submitting`) and the run stops, as every batch would fail alike."""
        why = (self._safe(str(error)) if isinstance(error, NewsletterError)
               else self._bug(error, " building a request"))
        with self.ledger.atomic():
            self.ledger.claim(self.email.post_id, keys, self.provider.name, at=decided_at)
            self.ledger.mark(self.email.post_id, keys, State.PENDING, f"not sent: {why}")
        self.report.pending += len(keys)
        self.report.stopped = why

    def _safe(self, text: str) -> str:
        """``text`` with every secret hidden, for the ledger, the report and the log."""
        return self.settings.secrets.redact(text)

    def _bug(self, error: Exception, doing: str = "") -> str:
        """Log a bug's traceback (secrets hidden); return the line that reports it."""
        logger.error("%s", self._safe("".join(traceback.format_exception(error))))
        return (f"unexpected error in {self.provider.name}{doing}: {self._safe(repr(error))}; "
                "this is a bug in newsletter, please report it")

    def _settle(self, in_flight: dict[Future, Batch],
                on_progress: Callable[[SendReport], None]) -> None:
        """Wait for at least one batch and commit what happened to it."""
        finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
        for future in finished:
            self._record(in_flight.pop(future), future)
        self.report.in_flight = self.pace.limit
        on_progress(self.report)

    def _record(self, batch: Batch, future: Future) -> None:
        post_id, report = self.email.post_id, self.report
        messages, keys, claim = batch
        try:
            results = future.result()
        except TransientError as error:
            why = self._safe(str(error))
            self.ledger.mark(post_id, keys, State.PENDING, f"not sent: {why}", batch=claim)
            report.pending += len(keys)
            report.problems.append(f"{len(keys)} messages left for the next run: {why}")
            return
        except QuotaError as error:  # nothing was accepted, and nothing will be for a while
            why = report.limit_reached = self._safe(str(error))
            self.ledger.mark(post_id, keys, State.PENDING, f"not sent: {why}", batch=claim)
            report.pending += len(keys)
            return
        except InDoubtError as error:
            why = self._safe(str(error))
            self.ledger.mark(post_id, keys, State.IN_DOUBT, why, batch=claim)
            report.in_doubt += len(keys)
            report.problems.append(f"{len(keys)} messages in doubt: {why}")
            return
        except (AuthError, NotSentError) as error:
            # A refused credential, or a request that never left, provably sent nothing:
            # these readers stay pending.
            why = report.stopped = self._safe(str(error))
            self.ledger.mark(post_id, keys, State.PENDING, f"not sent: {why}", batch=claim)
            report.pending += len(keys)
            return
        except Exception as error:  # noqa: BLE001 - a bug, but the ledger must stay honest
            # An adapter bug or an answer it could not read: the batch may have gone out.
            report.stopped = self._bug(error)
            self.ledger.mark(post_id, keys, State.IN_DOUBT, report.stopped, batch=claim)
            report.in_doubt += len(keys)
            return
        if len(results) != len(messages):  # an adapter bug; nobody can tell what went out
            reason = f"{self.provider.name} answered {len(results)} results for {len(messages)} messages"
            self.ledger.mark(post_id, keys, State.IN_DOUBT, reason, batch=claim)
            report.in_doubt += len(keys)
            report.problems.append(reason)
            return
        first = results[0]
        # One answer for the whole batch (SendGrid: one shared Result; Mailgun: equal ones).
        if all(result is first or result == first for result in results):
            state, provider_id, reason = _outcome(first)
            self.ledger.mark(post_id, keys, state, reason, provider_id, batch=claim)
            states = [state] * len(keys)
        else:
            outcomes = [(key, *_outcome(result)) for key, result in zip(keys, results)]
            self.ledger.record(post_id, outcomes, batch=claim)
            states = [outcome[1] for outcome in outcomes]
        sent = states.count(State.SENT)
        report.sent += sent
        report.failed += len(states) - sent


def _outcome(result: Result) -> tuple[State, str | None, str | None]:
    """(state, provider message id, reason) of one provider result."""
    if result.status == "sent":
        return State.SENT, result.message_id, None
    return State.FAILED, None, result.reason
