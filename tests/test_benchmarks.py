"""Every benchmark runs as shipped: each with --quick (a tiny size), in its own process.

They print figures and assert nothing about speed (a loaded machine would fail them); this only
keeps them working as the code changes under them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
SCRIPTS = sorted(path.name for path in BENCH.glob("bench_*.py"))


def test_every_benchmark_is_listed():
    assert len(SCRIPTS) >= 10 and {"bench_sdk.py", "bench_welcome.py"} <= set(SCRIPTS)


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_benchmark_runs_as_shipped(script):
    environ = {**os.environ, "PYTHONPATH": str(BENCH.parent)}
    environ.pop("NEWSLETTER_SECRET", None)
    done = subprocess.run([sys.executable, str(BENCH / script), "--quick"], cwd=BENCH.parent,
                          capture_output=True, text=True, timeout=240, env=environ)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert done.stdout.strip()
