"""The pace of a send: batches in flight grow while answers stay fast, halve on a 429 or a slow
answer, and never pass the provider's ceiling or provider.concurrency."""

from __future__ import annotations

from concurrent.futures import Future

from sending_support import RecordingProvider, run_send, site_settings, write_readers

from newsletter.sending.pace import START, Pace


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def batches(answered: int, waiting: int) -> list[Future]:
    """Batches in flight: ``answered`` of them answered, ``waiting`` not yet."""
    done = Future()
    done.set_result([])
    return [done] * answered + [Future()] * waiting


def answered(pace: Pace, seconds: float) -> None:
    """An answer while the window holds the sender back (reached, none answered yet)."""
    pace.reached(batches(0, pace.limit))
    pace.answered(seconds)


def test_fast_answers_double_the_window_each_round_trip_up_to_the_ceiling():
    pace = Pace(16, Clock())
    assert pace.limit == START
    for _ in range(START):  # one round trip of answers
        answered(pace, 0.2)
    assert pace.limit == 2 * START
    for _ in range(100):
        answered(pace, 0.2)
    assert pace.limit == 16


def test_a_window_the_sender_does_not_fill_does_not_grow():
    pace = Pace(16, Clock())
    for _ in range(100):  # answers faster than the batches are built: each window reached
        pace.reached(batches(1, pace.limit - 1))  # holds an answered batch
        pace.answered(0.001)
    assert pace.limit == START
    answered(pace, 0.001)  # reached with every batch unanswered: the window is the limit
    assert pace.limit == START + 1
    pace.reached(batches(1, pace.limit - 1))
    pace.answered(0.001)
    assert pace.limit == START + 1


def test_a_429_halves_the_window_once_a_round_trip_then_it_grows_by_one():
    clock = Clock()
    pace = Pace(16, clock)
    for _ in range(20):
        answered(pace, 0.2)
    pace.throttled()
    pace.throttled()  # the same round trip: the batches sent with the first
    assert pace.limit == 8
    clock.now += 0.3
    pace.throttled()
    assert pace.limit == 4
    for _ in range(5):  # about a round trip of fast answers after a cut: one more batch
        answered(pace, 0.2)
    assert pace.limit == 5


def test_answers_much_slower_than_the_fastest_shrink_the_window():
    pace = Pace(16, Clock())
    for _ in range(20):
        answered(pace, 0.2)
    answered(pace, 2.0)
    assert pace.limit == 8
    pace = Pace(16, Clock())
    answered(pace, 0.2)
    answered(pace, 0.3)  # jitter, not a slow-down
    assert pace.limit == START + 2


def test_it_never_goes_below_one_batch():
    clock = Clock()
    pace = Pace(16, clock)
    for _ in range(10):
        clock.now += 1
        pace.throttled()
    assert pace.limit == 1


def test_provider_concurrency_caps_the_batches_in_flight(site):
    write_readers(site, 200)
    settings = site_settings(site, concurrency=2)
    provider = RecordingProvider(settings, delay=0.05)
    report = run_send(settings, provider)
    assert report.sent == 200 and provider.most_active <= 2
    assert report.in_flight <= 2
