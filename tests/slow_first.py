"""The order the suite's tests are handed out in: the long modules first, spread over the workers.

Under `-n`, xdist's worksteal gives each worker a contiguous share of the collection, and a
worker that runs dry steals from the end of the longest queue. In the collection's own order
the long modules (the kill tests, the benchmarks, the browser tests) sat together in one share
and one of them often started last, with the other workers idle. Here each worker's share
starts with its part of the long modules, dealt longest first to the share with the least so
far, so they run while every worker still has work and the run ends on short tests. A module
stays whole: several build a browser, a wheel or a site once for all their tests.
"""

from __future__ import annotations

# Seconds each module took in one run (tests at -n 2, load 5, 2 cores; `--durations`): only
# their order and rough size matter. A module not named here is short.
LONG_MODULES = {
    "test_kill.py": 42,
    "test_benchmarks.py": 40,
    "test_journal.py": 31,
    "test_preview_server.py": 30,
    "test_init.py": 25,
    "test_signup_browser.py": 22,
    "test_preview_images.py": 18,
    "test_kill_helper.py": 14,
    "test_email_browser_modes.py": 12,
    "test_report_browser.py": 10,
}


def long_modules_first(items: list, workers: int) -> list:
    """``items`` reordered: for each of ``workers`` shares of the size worksteal cuts, its long
    modules, then short tests to fill it; short tests keep their order among themselves."""
    modules: dict[str, list] = {}
    short = []
    for item in items:
        if item.path.name in LONG_MODULES:
            modules.setdefault(item.path.name, []).append(item)
        else:
            short.append(item)
    shares: list[list] = [[] for _ in range(workers)]
    loads = [0] * workers
    for name in sorted(modules, key=LONG_MODULES.__getitem__, reverse=True):
        lightest = loads.index(min(loads))
        shares[lightest] += modules[name]
        loads[lightest] += LONG_MODULES[name]
    ordered, left = [], len(items)
    for number, share in enumerate(shares):
        size = left // (workers - number)  # as worksteal cuts the pending tests
        left -= size
        filler = max(0, size - len(share))
        ordered += share + short[:filler]
        del short[:filler]
    return ordered + short
