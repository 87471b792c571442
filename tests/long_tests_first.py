"""Under `-n`, each worker's share of the suite starts with some of the longest tests.

`--dist worksteal` (pyproject.toml) hands each worker a contiguous slice of the collected tests,
then lets an idle worker take the back half of a busy one's queue. A long test at the back of a
slice is the last thing the suite waits for, alone on one worker while the others are done. So
on each worker (which all collect the same tests and so order them alike), the known-long tests
are dealt out, longest first, to the fronts of the slices worksteal will hand out.
"""

from __future__ import annotations

from itertools import islice

import pytest

# Node id prefixes, longest first (wall seconds on a loaded 2-core machine, 2026-12-08).
LONGEST = (
    "tests/test_benchmarks.py::test_a_benchmark_runs_as_shipped[bench_store.py]",  # 35 s
    "tests/test_benchmarks.py::test_a_benchmark_runs_as_shipped[bench_sdk.py]",  # 29 s
    "tests/test_benchmarks.py::test_a_benchmark_runs_as_shipped[bench_million.py]",  # 26 s
    "tests/test_init.py::test_a_site_made_by_init_from_an_installed_wheel",
    "tests/hostile/test_hostile_slow_clients.py::test_a_silent_connection_is_hung_up",  # 25 s
    "tests/test_kill.py::",
    "tests/test_benchmarks.py::test_a_benchmark_runs_as_shipped[bench_reconcile_outbox.py]",
    "tests/test_benchmarks.py::test_a_benchmark_runs_as_shipped[bench_render_scaling.py]",
    "tests/test_benchmarks.py::test_a_benchmark_runs_as_shipped[bench_providers.py]",
    "tests/test_benchmarks.py::test_a_benchmark_runs_as_shipped[bench_signup.py]",
    "tests/test_benchmarks.py::test_a_benchmark_runs_as_shipped[bench_email_fit.py]",
    "tests/test_benchmarks.py::test_a_benchmark_runs_as_shipped[bench_images.py]",
)


def rank(nodeid: str) -> int | None:
    """Where a test stands in LONGEST, or None for the rest."""
    return next((place for place, prefix in enumerate(LONGEST) if nodeid.startswith(prefix)),
                None)


def slice_sizes(total: int, workers: int) -> list[int]:
    """The sizes of the slices worksteal first hands out (xdist's WorkStealingScheduling)."""
    sizes = []
    for handed in range(workers):
        sizes.append(total // (workers - handed))
        total -= sizes[-1]
    return sizes


def long_tests_first(items: list, workers: int) -> list:
    """``items`` reordered so that the known-long ones, dealt out longest first, open the
    ``workers`` slices; every other test keeps its order."""
    ranked = sorted((item for item in items if rank(item.nodeid) is not None),
                    key=lambda item: rank(item.nodeid))
    rest = iter([item for item in items if rank(item.nodeid) is None])
    fronts: list[list] = [[] for _ in range(workers)]
    for dealt, item in enumerate(ranked):
        fronts[dealt % workers].append(item)
    ordered = []
    for front, size in zip(fronts, slice_sizes(len(items), workers)):
        ordered += front
        ordered += islice(rest, max(0, size - len(front)))
    return ordered + list(rest)


@pytest.hookimpl(trylast=True)  # after -k and -m have deselected: the tests that will run
def pytest_collection_modifyitems(config, items):
    workers = getattr(config, "workerinput", {}).get("workercount")
    if workers and workers > 1:
        items[:] = long_tests_first(items, workers)
