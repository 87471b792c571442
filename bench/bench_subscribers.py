"""How fast the subscriber list streams: rows/s and peak memory for a generated list.

    python bench/bench_subscribers.py [ROWS]
    python bench/bench_subscribers.py --quick     # 300 rows
    python bench/bench_subscribers.py --import [ROWS]   # `subscribers import` (1,000,000)

``--import`` runs `newsletter subscribers import` of bench_million.py's generated list into an
empty list, in its own process, three times: wall and CPU seconds, its own peak memory, the
load, and a digest of the list it wrote (the same before and after a change to the import).
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from newsletter.subscribers import Status, SubscriberStore


def write_list(folder: Path, rows: int) -> None:
    """A list of ``rows`` readers; every 50th unsubscribed, one unknown column."""
    folder.mkdir()
    with (folder / "subscribers.csv").open("w") as handle:
        handle.write("email,name,status,tags,subscribed_at,source\n")
        for i in range(rows):
            status = "unsubscribed" if i % 50 == 0 else "active"
            handle.write(f"reader{i}@Example.com,Reader {i},{status},news,2026-01-01,bench\n")


def measure(label: str, rows: int, action) -> None:
    start = time.perf_counter()
    count = action()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    action()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{label:<34} {count:>7} items  {seconds:6.2f} s  {rows / seconds:>9,.0f} rows/s"
          f"  peak {peak / 2**20:6.1f} MiB")


def main(rows: int) -> None:
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        write_list(root / "subscribers", rows)
        store = SubscriberStore(directory=root / "subscribers", state_dir=root / ".newsletter")
        print(f"{rows:,} rows")
        measure("active() stream", rows, lambda: sum(1 for _ in store.active()))
        measure("load() (every reader + problems)", rows, lambda: len(store.load()[0]))

        def fresh_snapshot():
            store._snapshot = None  # force the re-read a changed file causes
            return len(store.snapshot().active)

        measure("snapshot() re-read after a change", rows, fresh_snapshot)
        measure("set_status() (locked rewrite)", rows,
                lambda: int(store.set_status(f"reader{rows - 1}@example.com",
                                             Status.UNSUBSCRIBED if store.is_active(
                                                 f"reader{rows - 1}@example.com")
                                             else Status.ACTIVE)))


def import_run(rows: int, rounds: int = 3) -> None:
    """`subscribers import` of a ``rows``-reader export into an empty list, ``rounds`` times."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_million import make_site, run, write_export

    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        export = root / "export.csv"
        write_export(export, rows)
        print(f"subscribers import of {rows:,} rows, {os.cpu_count()} CPUs", flush=True)
        for number in range(rounds):
            site = make_site(root / f"round{number}")
            load = os.getloadavg()[0]
            figures = run(site, "subscribers", "import", str(export))
            written = (site / "subscribers" / "subscribers.csv").read_bytes()
            print(f"  {figures['wall']:6.2f} s wall {figures['cpu']:6.2f} s cpu  "
                  f"peak {figures['peak_mb']:.0f} MB  load {load:.1f}  "
                  f"list sha256 {hashlib.sha256(written).hexdigest()[:16]}", flush=True)


if __name__ == "__main__":
    if "--import" in sys.argv:
        sizes = [arg for arg in sys.argv[1:] if arg.isdigit()]
        import_run(300 if "--quick" in sys.argv else int(sizes[0]) if sizes else 1_000_000,
                   rounds=1 if "--quick" in sys.argv else 3)
    elif "--quick" in sys.argv:
        main(300)
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
