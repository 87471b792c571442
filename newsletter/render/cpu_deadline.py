"""A limit on the CPU time of work that offers no place to check one: docutils reads a post in
one call, and a post of dense inline markup, huge tables or deep nesting keeps it busy for
minutes.

A watcher thread reads the working thread's own CPU clock (a loaded machine does not shorten
the limit, as with Markdown's :class:`newsletter.render.effort.InlineBudget`) and, past the
limit, raises :class:`OverDeadline` in it, between two of its Python instructions.
``OverDeadline`` is no ``Exception``, so docutils' own ``except Exception`` cannot swallow it.
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_WATCH_INTERVAL = 0.05  # seconds between two looks at the clock: a twentieth past the limit


class OverDeadline(BaseException):
    """The work took more CPU time than it was given."""


@contextmanager
def cpu_deadline(seconds: float) -> Iterator[None]:
    """Run the block; raise :class:`OverDeadline` in it once this thread has spent ``seconds``
    of CPU time in it. Whatever the block raised once stopped (a library may turn the one
    raised into its own) is :class:`OverDeadline` too."""
    worker = threading.get_ident()
    clock = _thread_clock(worker)
    deadline = clock() + seconds
    lock, finished, interrupted = threading.Lock(), threading.Event(), []

    def watch() -> None:
        while not finished.wait(_WATCH_INTERVAL):
            if clock() > deadline:
                with lock:
                    if not finished.is_set():
                        interrupted.append(True)
                        _raise_in(worker, OverDeadline)
                return

    def stop() -> None:
        with lock:
            finished.set()
            if interrupted:  # raised, or still to be: never after the block
                _raise_in(worker, None)
        watcher.join()

    watcher = threading.Thread(target=watch, name="cpu-deadline", daemon=True)
    watcher.start()
    try:
        yield
    except BaseException:
        stop()
        if interrupted:
            raise OverDeadline from None
        raise
    stop()
    if interrupted:
        raise OverDeadline


def _thread_clock(thread_id: int) -> Callable[[], float]:
    """The CPU clock of thread ``thread_id``; the wall clock where the system has none
    (macOS)."""
    try:
        clock_id = time.pthread_getcpuclockid(thread_id)
    except (AttributeError, OSError):
        return time.monotonic
    return lambda: time.clock_gettime(clock_id)


def _raise_in(thread_id: int, exception: type[BaseException] | None) -> None:
    """Have ``exception`` raised in thread ``thread_id`` (None: forget one still to come)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exception) if exception
                                               else ctypes.c_void_p())
