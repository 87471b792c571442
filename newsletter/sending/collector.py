"""Python's cycle collector kept out of a send's way.

A send allocates a few short-lived containers per reader (its row, its message, their
dicts), and hardly any of them is in a cycle. With the default threshold (a collection every 700
allocations) the collector ran thousands of times on 100,000 readers, and each full collection
walked every object the process had loaded (settings, the rendered post, the imported
modules): a tenth of a send's CPU (bench/bench_sdk.py). During the send, what was already
there is frozen (never walked again) and collections run a hundred times less often; memory
stays flat because the garbage is freed by reference counting, as before. `send` collects
rarely from its start: its imports and the render allocate thousands of objects that live
until the end, and walking them again and again was 20-40 ms of CPU before the first request.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

# Allocations between young collections while sending (the default is 700).
SENDING_THRESHOLD = 70_000


def collect_rarely() -> None:
    """Collect young objects a hundred times less often from now on (a command's start)."""
    gc.set_threshold(SENDING_THRESHOLD, *gc.get_threshold()[1:])


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Freeze what exists now and collect rarely, until the block ends (then as before)."""
    thresholds = gc.get_threshold()
    gc.freeze()
    collect_rarely()
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
