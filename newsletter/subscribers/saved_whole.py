"""Ctrl-C while a change to the list is being saved: it waits for the save to finish.

The files store replaces its files one by one, then journals what left; PostgreSQL commits. A
KeyboardInterrupt between two files' replacements left the list half changed, and one during
the COMMIT left it unknown whether the change was made, so the command could not say what it
had done. Pressed before the save begins, Ctrl-C stops the change with nothing saved.
"""

from __future__ import annotations

import signal
import threading


class SavedWhole:
    """``with SavedWhole() as saving: ... saving.begin() ...``: from ``begin`` to the end of
    the block Ctrl-C is ignored, and the command goes on to say what it did. Signal handlers
    belong to the main thread: elsewhere (a test's thread) Ctrl-C is Python's own."""

    def __init__(self) -> None:
        self._previous = None

    def __enter__(self) -> SavedWhole:
        return self

    def begin(self) -> None:
        if self._previous is None and threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, signal.SIG_IGN)

    def __exit__(self, *exc_info) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
            self._previous = None
