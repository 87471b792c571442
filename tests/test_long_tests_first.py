"""The order tests/long_tests_first.py gives the suite under -n: nothing lost, the long tests
opening the workers' slices, and every name it knows still a test of the suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from long_tests_first import LONGEST, long_tests_first, slice_sizes

REPO = Path(__file__).resolve().parent.parent


class Item:
    def __init__(self, nodeid: str):
        self.nodeid = nodeid


def test_each_worker_slice_opens_with_long_tests_and_no_test_is_lost_or_doubled():
    short = [Item(f"tests/test_short.py::test_{number}") for number in range(40)]
    long = [Item(prefix + "x") for prefix in LONGEST[:3]]
    items = short[:10] + long[::-1] + short[10:]
    ordered = long_tests_first(items, 3)
    assert sorted(map(id, ordered)) == sorted(map(id, items))
    starts = [0, *[sum(slice_sizes(len(items), 3)[:n]) for n in (1, 2)]]
    assert [ordered[start] for start in starts] == long
    assert [item for item in ordered if item in short] == short


def test_every_long_test_named_is_still_a_test_of_the_suite():
    files = sorted({prefix.split("::")[0] for prefix in LONGEST})
    listed = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", *files],
                            cwd=REPO, capture_output=True, text=True, timeout=120).stdout
    nodeids = [line for line in listed.splitlines() if "::" in line]
    assert [prefix for prefix in LONGEST
            if not any(nodeid.startswith(prefix) for nodeid in nodeids)] == []
