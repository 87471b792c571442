"""`newsletter reconcile` on many readers in doubt, against the Postmark fake's message search.

    python bench/bench_reconcile.py [READERS] [--latency SECONDS]
    python bench/bench_reconcile.py --quick      # 2,000 readers (two pages), once: does it run?

Seeds READERS (default 100,000) readers of one post in doubt, in batches of 500 claimed an hour
ago at 1,000 a second, half of them taken in by the fake Postmark (tests/fake_lookups.py), whose
search answers every page after LATENCY (default 0.2 s). Runs `reconcile --settle 0` in a
process of its own (bench/measure.py reads its peak memory), at READERS and at a tenth of it,
and prints readers reconciled a second, searches made and peak memory for both: memory should
not grow with the number of pages. Target: 2,000 readers a second at 100,000.
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
from fake_providers import KEYS, provider_environ, start_fake  # noqa: E402
from fake_providers import write_provider_settings  # noqa: E402
from reconcile_support import seed_in_doubt, states  # noqa: E402

from newsletter.config import load_settings  # noqa: E402


def reconcile_once(readers: int, latency: float) -> dict:
    """Seed, reconcile in a process of its own, check the outcome; the figures."""
    with tempfile.TemporaryDirectory() as folder:
        site = copy_example_site(Path(folder) / "site")
        server = start_fake("postmark", KEYS["postmark"])
        try:
            server.lookup_latency = latency
            write_provider_settings(site, name="postmark", api_url=server.url, timeout=30)
            environ = provider_environ("postmark")
            settings = load_settings(site, environ)
            taken = seed_in_doubt(settings, server, readers)
            peak_file = Path(folder) / "peak.json"
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, str(HERE / "measure.py"), str(peak_file), "-m", "newsletter",
                 "--site", str(site), "reconcile", "--settle", "0", "--json"],
                capture_output=True, text=True,
                env={**os.environ, **environ, "PYTHONPATH": str(REPO)})
            elapsed = time.perf_counter() - started
            if done.returncode != 0:
                raise SystemExit(f"reconcile failed: {done.stdout[-1000:]}{done.stderr[-2000:]}")
            final = states(settings)
            sent = {address for address, state in final.items() if state == "sent"}
            if sent != taken or list(final.values()).count("pending") != readers - len(taken):
                raise SystemExit("reconcile reached the wrong end state")
            return {"readers": readers, "seconds": elapsed, "searches": len(server.lookups),
                    "peak_mb": json.loads(peak_file.read_text())["peak_mb"]}
        finally:
            server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("readers", type=int, nargs="?", default=100_000)
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per search answer")
    parser.add_argument("--quick", action="store_true", help="2,000 readers, one run")
    options = parser.parse_args()
    readers = 2_000 if options.quick else options.readers
    sizes = (readers,) if options.quick else (max(1_000, readers // 10), readers)
    for size in sizes:
        figures = reconcile_once(size, options.latency)
        print(f"{size:>7,} readers in doubt: reconciled in {figures['seconds']:.1f} s "
              f"({size / figures['seconds']:,.0f} readers/s), {figures['searches']} searches "
              f"at {options.latency * 1000:.0f} ms, peak {figures['peak_mb']:.0f} MB")


if __name__ == "__main__":
    main()
