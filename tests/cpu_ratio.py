"""CPU time of a large input over a small one, for the tests that hold work to a time in
proportion to the input: CPU time, not wall time, and a bound with room for a busy machine."""

from __future__ import annotations

import time
from typing import Callable


def cpu_seconds(work: Callable[[], object]) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def cpu_ratio(small: Callable[[], object], large: Callable[[], object], within: float,
              tries: int = 3) -> float:
    """The best of up to ``tries`` runs of ``large()`` over the best of ``tries`` of
    ``small()``. The large runs stop at the first one within ``within``: the verdict is the
    best of all runs', and linear work (the usual case) pays for one large run, not three."""
    base = max(min(cpu_seconds(small) for _ in range(tries)), 1e-4)
    best = float("inf")
    for _ in range(tries):
        best = min(best, cpu_seconds(large) / base)
        if best < within:
            break
    return best
