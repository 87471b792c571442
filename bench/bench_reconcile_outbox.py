"""`newsletter reconcile` with the outbox: many readers in doubt, settled from its .eml files.

    python bench/bench_reconcile_outbox.py [READERS]
    python bench/bench_reconcile_outbox.py --quick      # 1,000 readers: does it run?

Sends one post to READERS (default 100,000) through the outbox, marks every reader in doubt
(as a send killed before the ledger heard back would leave them) and removes every other
reader's file (never written). Then runs `reconcile` in a process of its own
(bench/measure.py reads its peak memory), checks that exactly the readers with a file are
sent and the others pending, and prints readers settled a second and peak memory, at READERS
and at a tenth of it: memory should not grow with the folder.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "tests"))

from example_site import copy_example_site  # noqa: E402
from sending_support import ledger_states, site_settings, write_readers  # noqa: E402

from newsletter.sending import Ledger, State  # noqa: E402

POST = "/posts/what-matters"


def reconcile_once(readers: int) -> dict:
    """Send, put everyone in doubt, remove half the files, reconcile; the figures."""
    environ = {**os.environ, "PYTHONPATH": str(REPO)}
    with tempfile.TemporaryDirectory() as folder:
        site = copy_example_site(Path(folder) / "site")
        addresses = write_readers(site, readers)
        subprocess.run([sys.executable, "-m", "newsletter", "--site", str(site), "send",
                        "what-matters", "--yes"], env=environ, check=True, capture_output=True)
        with Ledger.open(site_settings(site)) as ledger:
            ledger.mark(POST, addresses, State.IN_DOUBT, "the run was interrupted")
        outbox = site / "outbox" / "what-matters"
        for address in addresses[1::2]:
            (outbox / f"{address}.eml").unlink()
        peak_file = Path(folder) / "peak.json"
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(HERE / "measure.py"), str(peak_file), "-m", "newsletter",
             "--site", str(site), "reconcile"], capture_output=True, text=True, env=environ)
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"reconcile failed: {done.stdout[-1000:]}{done.stderr[-2000:]}")
        final = ledger_states(site_settings(site))
        expected = {address: "sent" if number % 2 == 0 else "pending"
                    for number, address in enumerate(addresses)}
        if final != expected:
            raise SystemExit("reconcile reached the wrong end state")
        return {"seconds": elapsed, "peak_mb": json.loads(peak_file.read_text())["peak_mb"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("readers", type=int, nargs="?", default=100_000)
    parser.add_argument("--quick", action="store_true", help="1,000 readers, one run")
    options = parser.parse_args()
    sizes = (1_000,) if options.quick else (max(1_000, options.readers // 10), options.readers)
    for size in sizes:
        figures = reconcile_once(size)
        print(f"{size:>7,} readers in doubt, half with a file: reconciled in "
              f"{figures['seconds']:.1f} s ({size / figures['seconds']:,.0f} readers/s), "
              f"peak {figures['peak_mb']:.0f} MB")


if __name__ == "__main__":
    main()
