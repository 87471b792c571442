"""Python's cycle collector kept out of a send's way (and an import's: `subscribers import`
runs in :func:`fewer_collections`, 6% of its CPU before, a hundred thousand rows at load 20).

A send allocates a few short-lived containers per reader (its row, its message, their
dicts), and hardly any of them is in a cycle. With the default threshold (a collection every 700
allocations) the collector ran thousands of times on 100,000 readers, and each full collection
walked every object the process had loaded (settings, the rendered post, the imported
modules): a tenth of a send's CPU (bench/bench_sdk.py). During the send, what was already
there is frozen (never walked again) and collections run a hundred times less often; memory
stays flat because the garbage is freed by reference counting, as before.

Before its campaign, `send` does not collect at all: its imports and the render allocate tens of
thousands of objects that live until the end. Walked again and again at the default
threshold, they cost 20-40 ms of CPU before the first request; at the campaign's threshold,
one collection of them all (70,000 objects, most out of the CPU's caches) cost 30 ms. The
campaign freezes them without walking them (`send --due`'s lookups of readers in doubt, which
come before it, collect as a campaign does). The interpreter's collections at exit stay: they
cost a short command 30-50 ms of CPU, but they close what is caught in a cycle (a SQLite
connection with its statement cache, an unflushed file), which freezing would leave open.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

# Allocations between young collections while sending (the default is 700).
SENDING_THRESHOLD = 70_000


def defer_collections() -> None:
    """No collection from now until a campaign starts (a send's start): it freezes all there is."""
    gc.disable()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Freeze what exists now and collect rarely, until the block ends (then as before)."""
    thresholds, enabled = gc.get_threshold(), gc.isenabled()
    gc.freeze()
    gc.set_threshold(SENDING_THRESHOLD, *thresholds[1:])
    gc.enable()
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
        if not enabled:
            gc.disable()
