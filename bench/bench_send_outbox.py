"""Send the reference post to 25,000 / 50,000 / 100,000 generated readers through the outbox.

Prints messages per second of the send (ledger, MIME, one fsynced .eml per reader) and the peak
memory of the process: VmHWM (peak resident set, interpreter and site included), read as the
send ends, and the same before the send. Each size runs in its own process so peaks don't mix.
Targets: >= 3,000 messages/s; peak <= 150 MB and flat as the list grows.

    python bench/bench_send_outbox.py                # 25k, 50k, 100k
    python bench/bench_send_outbox.py --readers 5000 # one size
    python bench/bench_send_outbox.py --quick        # 300 readers: does it still run?
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from example_site import copy_example_site, picture_on_the_web
from measure import own_peak_mb

SITE_PARTS = ("newsletter.toml", "content", "templates")
SIZES = (25_000, 50_000, 100_000)


def make_site(root: Path, readers: int, signup_order: bool = False) -> Path:
    """A copy of the example site whose subscriber list holds ``readers`` generated readers.

    Their addresses follow each other (reader0, reader1, ...), or with ``signup_order`` are in
    no order at all, as in a real list kept in the order people subscribed.
    """
    site = copy_example_site(root / "site", SITE_PARTS)
    picture_on_the_web(site)
    (site / "subscribers").mkdir()
    with open(site / "subscribers" / "subscribers.csv", "w", encoding="utf-8") as handle:
        handle.write("email,name,status,tags,subscribed_at\n")
        for number in range(readers):
            local = (hashlib.sha1(str(number).encode()).hexdigest()[:12] if signup_order
                     else f"reader{number}")
            handle.write(f"{local}@example.org,Reader {number},active,,2026-01-01\n")
    return site


def peak_mb() -> float:
    """This process's own peak (VmHWM; ru_maxrss would carry the bench's over exec)."""
    return own_peak_mb()


def run_once(readers: int) -> dict:
    """Send to ``readers`` readers in this process; the figures as a dict."""
    from newsletter.config import load_settings
    from newsletter.posts import find_post, load_posts
    from newsletter.providers import make_provider
    from newsletter.render import render_post
    from newsletter.sending import Ledger, send_post
    from newsletter.subscribers import SubscriberStore

    with tempfile.TemporaryDirectory() as temp:
        site = make_site(Path(temp), readers)
        settings = load_settings(site, {})
        posts, _ = load_posts(settings)
        email = render_post(settings, find_post(posts, "what-matters"))
        provider = make_provider(settings)
        before = peak_mb()
        started = time.perf_counter()
        with Ledger.open(settings) as ledger:
            report = send_post(settings, email, provider, store=SubscriberStore(settings),
                               ledger=ledger)
        seconds = time.perf_counter() - started
        peak = peak_mb()  # now: Path.glob and rmtree below list every file in memory
        with os.scandir(site / "outbox" / "what-matters") as entries:
            files = sum(1 for entry in entries if entry.name.endswith(".eml"))
    return {"readers": readers, "sent": report.sent, "files": files, "seconds": seconds,
            "per_second": report.sent / seconds, "peak_mb": peak, "before_mb": before,
            "concurrency": settings.provider.concurrency or provider.max_in_flight}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, help="one size, in this process")
    parser.add_argument("--quick", action="store_true", help="300 readers only")
    args = parser.parse_args()
    if args.readers:
        print(json.dumps(run_once(args.readers)))
        return
    print("outbox; concurrency: the example site's provider.concurrency; memory: VmHWM")
    print(f"{'readers':>8} {'sent':>8} {'seconds':>8} {'msg/s':>8} {'peak MB':>8} "
          f"{'MB before send':>15} {'concurrency':>11}")
    for size in (300,) if args.quick else SIZES:
        out = subprocess.run([sys.executable, __file__, "--readers", str(size)],
                             capture_output=True, text=True, check=True).stdout
        row = json.loads(out)
        print(f"{row['readers']:>8} {row['sent']:>8} {row['seconds']:>8.1f} "
              f"{row['per_second']:>8.0f} {row['peak_mb']:>8.0f} {row['before_mb']:>15.0f} "
              f"{row['concurrency']:>11}")


if __name__ == "__main__":
    main()
