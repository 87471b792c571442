"""Ctrl-C during a send: the first asks the run to stop before its next batch."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from newsletter.sending.send_report import SendReport


INTERRUPTED = "interrupted (Ctrl-C)"


@contextmanager
def first_ctrl_c_stops(report: SendReport) -> Iterator[None]:
    """While a run sends, the first Ctrl-C only asks it to stop before its next batch.

    A KeyboardInterrupt could land between a batch's claim and its hand-over to a worker, and
    leave readers claimed that nothing sends. The second Ctrl-C interrupts at once, as usual.
    Signal handlers belong to the main thread: a run on another thread keeps Python's own.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame) -> None:
        report.stopped = INTERRUPTED
        signal.signal(signal.SIGINT, previous)

    previous = signal.signal(signal.SIGINT, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
