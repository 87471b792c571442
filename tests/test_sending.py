"""The campaign: every reader exactly once, whatever the provider answers."""

from __future__ import annotations

from collections import Counter

import pytest

from newsletter.errors import AuthError, InDoubtError, NotSentError, QuotaError, TransientError
from newsletter.sending import Ledger, State
from newsletter.sending.retry import RateLimiter, RetryPolicy
from newsletter.subscribers import SubscriberStore
from sending_support import (
    REFERENCE_POST, AuthFailProvider, FlakyProvider, InDoubtProvider, RecordingProvider,
    RejectingProvider, leave_in_flight, ledger_states, run_send, site_settings, write_readers,
)


def test_every_active_reader_gets_one_message_and_the_ledger_says_sent(site):
    addresses = write_readers(site, 95)
    settings = site_settings(site)
    provider = RecordingProvider(settings)
    report = run_send(settings, provider)
    assert sorted(provider.addresses) == addresses
    assert report.sent == 95 and report.complete
    states = ledger_states(settings)
    assert Counter(states.values()) == {"sent": 95}


def test_a_rerun_sends_nothing(site):
    write_readers(site, 30)
    settings = site_settings(site)
    run_send(settings, RecordingProvider(settings))
    again = RecordingProvider(settings)
    report = run_send(settings, again)
    assert again.calls == 0 and report.sent == 0


def test_batches_respect_max_batch_and_batch_size(site):
    write_readers(site, 25)
    settings = site_settings(site, batch_size=4)
    provider = RecordingProvider(settings)
    run_send(settings, provider)
    assert provider.calls == 7  # 25 readers, 4 per call


def test_batches_are_in_flight_together(site):
    write_readers(site, 200)
    settings = site_settings(site, concurrency=4)
    provider = RecordingProvider(settings, delay=0.05)
    run_send(settings, provider)
    # The pace grows the window while answers stay fast (sending/pace.py), so how far it gets
    # depends on the machine's load; what holds on any machine: batches overlap, never past
    # the cap the writer set.
    assert 2 <= provider.most_active <= 4
    assert len(provider.sent) == 200


def test_transient_failures_are_retried_with_growing_backoff_then_sent(site):
    write_readers(site, 5)
    settings = site_settings(site, concurrency=1)
    provider = FlakyProvider(settings, failures=3)
    waits = []
    report = run_send(settings, provider, sleep=waits.append,
                      retry=RetryPolicy(attempts=5, base_delay=1.0, max_delay=60))
    assert report.sent == 5 and report.complete
    assert len(waits) == 3
    assert 0.5 <= waits[0] <= 1.0 and 1.0 <= waits[1] <= 2.0 and 2.0 <= waits[2] <= 4.0


def test_retry_after_is_honoured(site):
    write_readers(site, 3)
    settings = site_settings(site, concurrency=1)
    waits = []
    run_send(settings, FlakyProvider(settings, failures=1, retry_after=7.0), sleep=waits.append,
             retry=RetryPolicy(base_delay=0.01))
    assert waits == [7.0]


def test_transient_failures_beyond_the_retries_stay_pending_for_the_next_run(site):
    write_readers(site, 5)
    settings = site_settings(site, concurrency=1)
    report = run_send(settings, FlakyProvider(settings, failures=100))
    assert report.pending == 5 and not report.complete
    assert set(ledger_states(settings).values()) == {"pending"}
    with Ledger.open(settings) as ledger:  # what `send --due` looks at to resume the post
        assert ledger.may_have_pending(REFERENCE_POST)
    rerun = RecordingProvider(settings)
    assert run_send(settings, rerun).sent == 5
    assert set(ledger_states(settings).values()) == {"sent"}
    with Ledger.open(settings) as ledger:
        assert not ledger.may_have_pending(REFERENCE_POST)


def test_an_in_doubt_batch_is_kept_in_doubt_and_never_resent_without_the_flag(site):
    addresses = write_readers(site, 30)
    settings = site_settings(site, concurrency=1)  # batches of 10
    provider = InDoubtProvider(settings, doubtful={addresses[12]})
    report = run_send(settings, provider)
    assert report.in_doubt == 10 and report.sent == 20
    states = ledger_states(settings)
    assert {a for a, s in states.items() if s == "in_doubt"} == set(addresses[10:20])

    rerun = RecordingProvider(settings)
    run_send(settings, rerun)
    assert rerun.calls == 0

    resend = RecordingProvider(settings)
    report = run_send(settings, resend, resend_in_doubt=True)
    assert sorted(resend.addresses) == addresses[10:20]
    assert set(ledger_states(settings).values()) == {"sent"}


def test_an_auth_error_stops_the_run_and_leaves_the_batch_pending(site):
    write_readers(site, 50)
    settings = site_settings(site, concurrency=1)
    provider = AuthFailProvider(settings)
    report = run_send(settings, provider)
    assert provider.calls == 1
    assert report.stopped and "401" in report.stopped and not report.complete
    assert Counter(ledger_states(settings).values()) == {"pending": 10}

    fixed = RecordingProvider(settings)
    assert run_send(settings, fixed).sent == 50


def test_rejected_messages_fail_for_good_until_retry_failed(site):
    addresses = write_readers(site, 12)
    settings = site_settings(site)
    run_send(settings, RejectingProvider(settings, rejected={addresses[3]}))
    with Ledger.open(settings) as ledger:
        [row] = ledger.deliveries(REFERENCE_POST, [State.FAILED])
    assert row.address == addresses[3] and "inactive recipient" in row.reason

    assert run_send(settings, RecordingProvider(settings)).sent == 0
    retry = RecordingProvider(settings)
    run_send(settings, retry, retry_failed=True)
    assert retry.addresses == [addresses[3]]


def test_rows_left_submitting_by_a_crash_become_in_doubt_and_are_not_resent(site):
    addresses = write_readers(site, 10)
    settings = site_settings(site)
    with Ledger.open(settings) as ledger:
        leave_in_flight(ledger, REFERENCE_POST, addresses[:3])
    provider = RecordingProvider(settings)
    report = run_send(settings, provider)
    assert report.recovered == 3
    assert sorted(provider.addresses) == addresses[3:]
    states = ledger_states(settings)
    assert [states[a] for a in addresses[:3]] == ["in_doubt"] * 3


def test_a_reader_who_unsubscribes_during_the_send_gets_nothing_more(site):
    addresses = write_readers(site, 30)
    settings = site_settings(site, concurrency=1)
    store = SubscriberStore(settings)

    class UnsubscribingProvider(RecordingProvider):
        def answer(self, messages):
            if self.calls == 1:  # while the first batch goes out, a later reader leaves
                store.set_status(addresses[25], "unsubscribed")
            return super().answer(messages)

    provider = UnsubscribingProvider(settings)
    report = run_send(settings, provider)
    assert addresses[25] not in provider.addresses
    assert report.skipped == 1 and report.sent == 29


def test_progress_is_reported_after_each_batch(site):
    write_readers(site, 35)
    settings = site_settings(site, concurrency=1)
    seen = []
    run_send(settings, RecordingProvider(settings), on_progress=lambda r: seen.append(r.sent))
    assert seen == [10, 20, 30, 35]


def test_the_rate_limit_spaces_batches():
    now = [0.0]
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(100, sleep=sleep, clock=lambda: now[0])
    for _ in range(3):
        limiter.wait(50)
    assert waits == [0.5, 0.5]  # 50 messages at 100/s: one batch every half second


def test_rate_limit_setting_is_applied_to_a_send(site):
    write_readers(site, 20)
    settings = site_settings(site, rate_limit=10.0, concurrency=1)
    waits = []
    run_send(settings, RecordingProvider(settings), sleep=waits.append)
    # The second batch of 10 waits up to 1 s: less by however long the first took to build
    # and settle (0.18 s on a loaded machine).
    assert len(waits) == 1 and 0 < waits[0] <= 1.0


class _DoubtThenBusyProvider(RecordingProvider):
    """Idempotent (like Resend): the first call times out, every retry is refused."""

    idempotent = True

    def __init__(self, settings, then):
        super().__init__(settings)
        self.then = then

    def answer(self, messages):
        if self.calls == 1:
            raise InDoubtError("read timeout after 30 s: the provider may have accepted it")
        raise self.then


@pytest.mark.parametrize("then", [TransientError("429 Too Many Requests"),
                                  QuotaError("resend: daily_quota_exceeded")])
def test_a_batch_once_in_doubt_stays_in_doubt_when_its_retries_fail_otherwise(site, then):
    # The first call may have gone out; a later 429 or a used-up quota says nothing about it.
    # Left pending, the next run would regroup the batch under another idempotency key and
    # mail those readers a second time.
    write_readers(site, 10)
    settings = site_settings(site, concurrency=1)
    report = run_send(settings, _DoubtThenBusyProvider(settings, then))
    assert report.in_doubt == 10 and report.pending == 0
    assert set(ledger_states(settings).values()) == {"in_doubt"}
    rerun = RecordingProvider(settings)
    run_send(settings, rerun)
    assert rerun.calls == 0


def test_an_unexpected_error_in_a_batch_stops_the_run_with_the_batch_in_doubt(site):
    write_readers(site, 30)
    settings = site_settings(site, concurrency=1)

    class BrokenProvider(RecordingProvider):
        def answer(self, messages):
            raise AttributeError("'str' object has no attribute 'get'")  # an unreadable answer

    report = run_send(settings, BrokenProvider(settings))

    assert report.stopped.startswith("unexpected error in recording: AttributeError(")
    assert Counter(ledger_states(settings).values()) == {"in_doubt": 10}  # nothing left submitting
    assert run_send(settings, RecordingProvider(settings)).sent == 20  # the rest, never the 10


@pytest.mark.parametrize("error", [NotSentError("recording: the request could not be prepared"),
                                   KeyError("From")])
def test_a_request_that_cannot_be_built_sends_nothing_and_leaves_its_readers_pending(site, error):
    """When a batch's request cannot be built nothing has left: its readers are pending (none
    in doubt, none left submitting) and the run stops."""
    write_readers(site, 30)
    settings = site_settings(site, concurrency=1)

    class UnbuildableProvider(RecordingProvider):
        def sender(self, messages):
            raise error

    provider = UnbuildableProvider(settings)
    report = run_send(settings, provider)

    assert provider.calls == 0 and report.pending == 10 and report.sent == 0
    assert report.stopped.startswith("recording: the request" if isinstance(error, NotSentError)
                                     else "unexpected error in recording building a request")
    assert Counter(ledger_states(settings).values()) == {"pending": 10}
    assert run_send(settings, RecordingProvider(settings)).sent == 30
