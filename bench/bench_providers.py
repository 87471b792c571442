"""100,000 generated readers through the Postmark and SendGrid adapters, against a fake API.

The fake provider runs in its own process on 127.0.0.1 (bench/fake_server.py: answers like
the API, counts items without parsing them), answering at once or after 200 ms. For each provider and latency, two runs, each in its own process:

- newsletter: ``send_post`` (subscriber file, ledger, batches in flight: ``concurrency``);
- baseline: a plain loop that builds the same batches with the same adapter and posts them
  with ``requests``, one after another, with no ledger;
- list loop (0 ms only): the baseline, taking its readers from the subscriber file as the send
  does (``SubscriberStore.active()``: parsed, validated, de-duplicated) instead of generating
  them. Newsletter against it is the cost of the ledger and of the writer loop alone.
- signup order: newsletter again, on a list whose addresses are in no order (as a real list,
  kept in the order people subscribed, is): what the ledger's index of addresses costs.

Prints messages/s, requests, bytes sent per reader and the peak memory (VmHWM) of each run's
process.
Targets: newsletter >= 0.9x baseline at 0 ms, >= 4x at 200 ms; peak memory flat.

    python bench/bench_providers.py                      # the full table (a few minutes)
    python bench/bench_providers.py --readers 20000      # a smaller list
    python bench/bench_providers.py --memory             # peak memory at 25k, 50k, 100k
    python bench/bench_providers.py --quick              # 300 readers, Postmark at 0 ms

bench_sdk.py compares the send with the script a careful writer would write with the official
SDKs; this loop is the second baseline.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_send_outbox import make_site  # noqa: E402
from measure import own_peak_mb  # noqa: E402

HERE = Path(__file__).resolve().parent
KEY = "bench-key"
SECRETS = {"POSTMARK_SERVER_TOKEN": KEY, "SENDGRID_API_KEY": KEY, "NEWSLETTER_SECRET": "bench"}
CONCURRENCY = 8  # batches in flight (provider.concurrency)


def peak_mb() -> float:
    """This process's own peak (VmHWM): ru_maxrss would carry the bench's peak over exec."""
    return own_peak_mb()


class FakeServer:
    """bench/fake_server.py in a child process."""

    def __init__(self, provider: str, latency: float):
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "fake_server.py"), provider, KEY, str(latency)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.url = self.process.stdout.readline().strip()

    def stats(self) -> dict:
        with urllib.request.urlopen(self.url + "/_stats", timeout=10) as answer:
            return json.load(answer)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=10)


def configure(site: Path, provider: str, url: str) -> None:
    configure_provider(site, provider, url, f"concurrency = {CONCURRENCY}\n")


def configure_provider(site: Path, provider: str, url: str, extra: str = "") -> None:
    """[provider]: this provider at ``url``, the other settings at their defaults (and
    ``extra``, TOML lines)."""
    text = (site / "newsletter.toml").read_text()
    head, _, rest = text.partition("[provider]")
    tail = rest[rest.find("\n["):]
    domain = 'domain = "mg.example.com"\n' if provider == "mailgun" else ""
    (site / "newsletter.toml").write_text(
        f'{head}[provider]\nname = "{provider}"\napi_url = "{url}"\n'
        f"timeout = 60\n{domain}{extra}{tail}")


def run_once(provider: str, latency: float, mode: str, readers: int) -> dict:
    """One run in this process, against a fresh fake server."""
    from newsletter.config import load_settings
    from newsletter.posts import find_post, load_posts
    from newsletter.render import render_post

    server = FakeServer(provider, latency)
    try:
        with tempfile.TemporaryDirectory() as temp:
            site = make_site(Path(temp), readers, signup_order=mode == "signup-order")
            configure(site, provider, server.url)
            settings = load_settings(site, SECRETS)
            posts, _ = load_posts(settings)
            email = render_post(settings, find_post(posts, "what-matters"))
            started = time.perf_counter()
            run = {"newsletter": _newsletter, "signup-order": _newsletter, "baseline": _baseline,
                   "list-loop": _list_loop}[mode]
            sent = run(settings, email, readers)
            seconds = time.perf_counter() - started
        stats = server.stats()
    finally:
        server.close()
    return {"provider": provider, "latency_ms": round(latency * 1000), "mode": mode,
            "readers": readers, "sent": sent, "accepted": stats["accepted"],
            "seconds": round(seconds, 2), "per_second": round(sent / seconds),
            "requests": stats["requests"], "bytes_per_reader": round(stats["bytes"] / readers),
            "peak_mb": round(peak_mb())}


def _newsletter(settings, email, readers: int) -> int:
    from newsletter.providers import make_provider
    from newsletter.sending import Ledger, send_post
    from newsletter.subscribers import SubscriberStore

    provider = make_provider(settings)
    try:
        with Ledger.open(settings) as ledger:
            report = send_post(settings, email, provider, store=SubscriberStore(settings),
                               ledger=ledger)
    finally:
        provider.close()
    return report.sent


def _baseline(settings, email, readers: int) -> int:
    """The same batches, built by the same adapter, posted one after another: no ledger."""
    from newsletter.message import MessageFactory
    from newsletter.providers import make_provider

    provider, session = make_provider(settings), _session()
    factory = MessageFactory(settings, email, "bench")
    sent = 0
    for start in range(0, readers, provider.max_batch):
        stop = min(readers, start + provider.max_batch)
        messages = [factory.build(f"reader{n}@example.org", f"Reader {n}") for n in range(start, stop)]
        sent += _post(session, provider, messages)
    return sent


def _list_loop(settings, email, readers: int) -> int:
    """The baseline, its readers read from the subscriber file as a send reads them."""
    from newsletter.message import MessageFactory
    from newsletter.providers import make_provider
    from newsletter.subscribers import SubscriberStore

    provider, session = make_provider(settings), _session()
    factory = MessageFactory(settings, email, "bench")
    listed = SubscriberStore(settings).active()
    sent = 0
    while batch := list(islice(listed, provider.max_batch)):
        sent += _post(session, provider, [factory.build(s.address, s.name) for s in batch])
    return sent


def _session():
    import requests

    return requests.Session()


def _post(session, provider, messages) -> int:
    request = provider.build_request(messages)
    answer = session.post(provider.api_url + request.path, data=request.body, timeout=60,
                          headers={"Content-Type": "application/json", **request.headers})
    answer.raise_for_status()
    return len(messages)


def _one(provider: str, latency: float, mode: str, readers: int) -> dict:
    """One run in a fresh process; its figures."""
    output = subprocess.run([sys.executable, __file__, "--readers", str(readers), "--one",
                             provider, str(latency), mode], capture_output=True, text=True, check=True)
    figures = json.loads(output.stdout)
    assert figures["accepted"] == figures["sent"] == readers, figures
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=100_000)
    parser.add_argument("--one", nargs=3, metavar=("PROVIDER", "LATENCY", "MODE"),
                        help=argparse.SUPPRESS)  # one run, in this process
    parser.add_argument("--quick", action="store_true", help="a tiny run, to see it works")
    parser.add_argument("--memory", action="store_true",
                        help="only newsletter runs at 0 ms, for 25k, 50k and 100k readers")
    args = parser.parse_args()
    if args.one:
        provider, latency, mode = args.one
        print(json.dumps(run_once(provider, float(latency), mode, args.readers)))
        return
    print(f"provider.concurrency = {CONCURRENCY} (set by this bench in newsletter.toml); "
          "lean fake API (bench/fake_server.py) in its own process; peak MB = VmHWM")
    if args.memory:
        for provider in ("postmark", "sendgrid"):
            for readers in (25_000, 50_000, 100_000):
                figures = _one(provider, 0.0, "newsletter", readers)
                print(f"{provider:9} {readers:>7,} readers {figures['per_second']:>8,} msg/s "
                      f"peak {figures['peak_mb']} MB", flush=True)
        return
    if args.quick:
        args.readers = 300
    print(f"{args.readers:,} readers")
    print(f"{'provider':9} {'latency':>7} {'run':12} {'msgs/s':>8} {'requests':>8} "
          f"{'bytes/reader':>12} {'peak MB':>7} {'ratio':>6}  (to the baseline; "
          "newsletter at 0 ms: also to the list loop)")
    for provider in ("postmark",) if args.quick else ("postmark", "sendgrid"):
        for latency in (0.0,) if args.quick else (0.0, 0.2):
            runs = {}
            modes = ("baseline", "list-loop", "newsletter", "signup-order") if latency == 0 else (
                "baseline", "newsletter", "signup-order")
            if args.quick:
                modes = ("baseline", "newsletter")
            for mode in modes:
                runs[mode] = figures = _one(provider, latency, mode, args.readers)
                ratio = figures["per_second"] / runs["baseline"]["per_second"]
                to_list = (f"  {figures['per_second'] / runs['list-loop']['per_second']:.2f}x"
                           if mode == "newsletter" and "list-loop" in runs else "")
                print(f"{provider:9} {figures['latency_ms']:>5}ms {mode:12} "
                      f"{figures['per_second']:>8,} {figures['requests']:>8} "
                      f"{figures['bytes_per_reader']:>12,} {figures['peak_mb']:>7} "
                      f"{ratio:>5.2f}x{to_list}", flush=True)


if __name__ == "__main__":
    main()
