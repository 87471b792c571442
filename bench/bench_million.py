"""A million readers, measured: import, count, send, status, and unsubscribes during the send.

    python bench/bench_million.py                     # 1,000,000 readers (about ten minutes)
    python bench/bench_million.py --readers 100000    # a smaller list
    python bench/bench_million.py --memory            # the send's peak at 10k, 100k and 1M
    python bench/bench_million.py --unsubscribes      # one-click rates, idle, at 10k and 1M
    python bench/bench_million.py --quick             # 100 readers, 20 unsubscribes: does it run?

Every step runs the real `newsletter` command in its own process, against the lean fake
providers of bench/fake_server.py answering after 200 ms, with the default [provider] settings:

1. `subscribers import` of a generated list (our columns, half the readers tagged);
2. `send --dry-run`: the recipient count, which reads the whole list once (the roster);
3. `send --yes` through the fake SendGrid, while `newsletter serve` takes 1,000 one-click
   unsubscribes from 16 concurrent clients (readers late in the list, so the send has not
   reached them yet); then how many of them the send skipped;
4. `status POST` on the resulting ledger;
5. the same send through the fake Postmark (a fresh ledger);
6. 1,000 one-click unsubscribes against an idle `serve` on this list and on 10,000 readers.

Prints wall-clock seconds, CPU seconds (user + system of the command and of the helper process
it starts: the machine may be shared), messages per second, and the command's own peak memory
(VmHWM, bench/measure.py: ru_maxrss would start at the bench's peak).
Targets: send under 90 s (SendGrid) and 180 s (Postmark) with peak memory under 200 MB, flat
from 10k to 1M; status under 2 s; import under 60 s; unsubscribes at 300/s or more, no slower
on 1M readers than on 10,000.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_providers import KEY, FakeServer  # noqa: E402
from example_site import copy_example_site, picture_on_the_web  # noqa: E402
from measure import own_peak_mb  # noqa: E402

SECRET = "bench-secret"
ENVIRON = {"SENDGRID_API_KEY": KEY, "POSTMARK_SERVER_TOKEN": KEY, "NEWSLETTER_SECRET": SECRET}
CLIENTS = 16
UNSUBSCRIBES = 1000
SMALL_LIST = 10_000  # the idle unsubscribes are measured on this list too
POST = "what-matters"


def make_site(root: Path) -> Path:
    """The example site's posts, templates and settings, with an empty subscriber folder."""
    site = copy_example_site(root / "site", ("newsletter.toml", "content", "templates"))
    picture_on_the_web(site)
    (site / "subscribers").mkdir()
    return site


def write_export(path: Path, readers: int) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("email,name,status,tags,subscribed_at\n")
        for number in range(readers):
            tags = "weekly" if number % 2 else ""
            handle.write(f"reader{number}@example.org,Reader {number},active,{tags},"
                         "2026-01-01T00:00:00+00:00\n")


def address(number: int) -> str:
    return f"reader{number}@example.org"


def run(site: Path, *args: str) -> dict:
    """Run `newsletter --site SITE ARGS` in a measuring child; its figures and output."""
    with tempfile.NamedTemporaryFile("r", suffix=".json") as figures:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, __file__, "--measure", figures.name, "--site", str(site), *args],
            capture_output=True, text=True, env={**os.environ, **ENVIRON})
        wall = time.perf_counter() - started
        measured = json.loads(figures.read() or "{}")
    if done.returncode not in (0, 1):
        raise SystemExit(f"newsletter {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return {"wall": wall, "stdout": done.stdout, "stderr": done.stderr, **measured}


def measure(out: str, argv: list[str]) -> None:
    """In the measuring child: run the command, then write its rusage to ``out``."""
    from newsletter.cli import main

    code = 1
    try:
        code = main(argv, standalone_mode=False) or 0
    finally:
        own = resource.getrusage(resource.RUSAGE_SELF)
        helper = resource.getrusage(resource.RUSAGE_CHILDREN)  # the send's list reader, if any
        Path(out).write_text(json.dumps({
            "cpu": own.ru_utime + own.ru_stime + helper.ru_utime + helper.ru_stime,
            "peak_mb": own_peak_mb()}))
    sys.exit(code)


def line(label: str, figures: dict, extra: str = "") -> None:
    print(f"{label:<34} {figures['wall']:7.1f} s wall {figures['cpu']:7.1f} s cpu  "
          f"peak {figures['peak_mb']:.0f} MB{extra}", flush=True)


class Serve:
    """`newsletter serve` in its own process, on a free port."""

    def __init__(self, site: Path):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "newsletter", "--site", str(site), "serve", "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            env={**os.environ, **ENVIRON},
            # A bench started in the background (`... &`) ignores SIGINT, and so would serve.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        first = self.process.stdout.readline()  # "Serving http://127.0.0.1:PORT/... "
        self.base = first.split()[1].rsplit("/unsubscribe", 1)[0]

    def cpu(self) -> float:
        """CPU seconds the server and its finished fold processes have used (Linux /proc)."""
        return process_cpu(self.process.pid)

    def close(self) -> None:
        # Ctrl-C, as a person stops it: serve waits for the fold it started, then exits.
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=60)


def process_cpu(pid: int) -> float:
    """CPU seconds process ``pid`` and its waited-for children have used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def unsubscribe_burst(base: str, numbers: list[int]) -> dict:
    """POST the one-click unsubscribe of each reader from CLIENTS threads; rate and latency."""
    import requests

    from newsletter.message.tokens import UnsubscribeTokens

    tokens = UnsubscribeTokens(SECRET)

    local = threading.local()

    # The links are in the readers' mail already: made before the clock starts.
    urls = {number: f"{base}/unsubscribe/{tokens.make(address(number))}" for number in numbers}

    def post(number: int) -> float:
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        url = urls[number]
        started = time.perf_counter()
        answer = session.post(url, data={"List-Unsubscribe": "One-Click"}, timeout=60)
        assert answer.status_code == 200, answer.status_code
        return time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        latencies = sorted(pool.map(post, numbers))
    seconds = time.perf_counter() - started
    return {"per_second": len(numbers) / seconds, "seconds": seconds,
            "p50_ms": latencies[len(latencies) // 2] * 1000,
            "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000}


def burst_line(label: str, burst: dict) -> None:
    print(f"{label:<34} {burst['per_second']:7.0f} /s  ({UNSUBSCRIBES} in "
          f"{burst['seconds']:.1f} s; p50 {burst['p50_ms']:.0f} ms, p99 {burst['p99_ms']:.0f} ms)",
          flush=True)


def send_with(site: Path, provider: str, readers: int, during=None) -> dict:
    server = FakeServer(provider, 0.2)
    try:
        point_at(site, provider, server.url)
        result = {}
        worker = None
        if during is not None:
            worker = threading.Thread(target=lambda: result.update(during(server)))
            worker.start()
        figures = run(site, "send", POST, "--yes")
        if worker is not None:
            worker.join()
        accepted = server.stats()["accepted"]
    finally:
        server.close()
    return {**figures, **result, "accepted": accepted, "per_second_sent": accepted / figures["wall"]}


def point_at(site: Path, provider: str, url: str) -> None:
    """[provider]: this provider at this URL, every other setting at its default."""
    text = (site / "newsletter.toml").read_text()
    head, _, rest = text.partition("[provider]")
    tail = rest[rest.find("\n["):]
    (site / "newsletter.toml").write_text(
        f'{head}[provider]\nname = "{provider}"\napi_url = "{url}"\n{tail}')


def skipped_of(site: Path, numbers: list[int]) -> int:
    import sqlite3

    with sqlite3.connect(site / ".newsletter" / "ledger.db") as db:
        claimed = {row[0] for row in db.execute("SELECT address FROM deliveries")}
    return sum(1 for number in numbers if address(number) not in claimed)


def main_run(readers: int) -> None:
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        site = make_site(root)
        export = root / "export.csv"
        write_export(export, readers)
        print(f"{readers:,} readers; fake providers answer after 200 ms; default [provider] "
              f"settings; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}", flush=True)
        line("subscribers import", run(site, "subscribers", "import", str(export)))
        line("send --dry-run (recipient count)", run(site, "send", POST, "--dry-run"))
        late = list(range(readers - UNSUBSCRIBES, readers))  # the send reaches them last
        postmark_site = root / "postmark"
        shutil.copytree(site, postmark_site)

        def unsubscribes(server) -> dict:
            serve = Serve(site)
            try:
                while server.stats()["requests"] == 0:
                    time.sleep(0.05)
                before = serve.cpu()
                burst = unsubscribe_burst(serve.base, late)
                return {"burst": burst, "serve_cpu": serve.cpu() - before}
            finally:
                serve.close()

        sent = send_with(site, "sendgrid", readers, unsubscribes)
        line("send (SendGrid, 200 ms)", sent,
             f"; {sent['per_second_sent']:,.0f} msg/s, {sent['accepted']:,} accepted")
        burst_line("  one-click during the send", sent["burst"])
        print(f"  serve's CPU: {sent['serve_cpu'] / UNSUBSCRIBES * 1000:.2f} ms an unsubscribe; "
              f"load {os.getloadavg()[0]:.1f}", flush=True)
        print(f"  of those {UNSUBSCRIBES} readers the send skipped {skipped_of(site, late)} "
              "(the others' batches were claimed before their 200)", flush=True)
        line("status POST", run(site, "status", POST))
        line("status POST (again)", run(site, "status", POST))
        sent = send_with(postmark_site, "postmark", readers)
        line("send (Postmark, 200 ms)", sent,
             f"; {sent['per_second_sent']:,.0f} msg/s, {sent['accepted']:,} accepted")
        idle_burst(postmark_site, readers)
    if SMALL_LIST < readers:  # else the burst just measured was on a list this size
        unsubscribes_run(SMALL_LIST)


def idle_burst(site: Path, readers: int) -> None:
    """1,000 one-click unsubscribes from CLIENTS clients against an idle `serve`; and the
    server's CPU time for them, which the load of a shared machine does not change."""
    serve = Serve(site)
    try:
        before = serve.cpu()
        burst = unsubscribe_burst(serve.base, list(range(UNSUBSCRIBES)))
        spent = serve.cpu() - before
        burst_line(f"one-click, idle serve, {readers:,}", burst)
        print(f"  serve's CPU: {spent / UNSUBSCRIBES * 1000:.2f} ms an unsubscribe "
              f"(at most {UNSUBSCRIBES / spent:,.0f}/s on one core)", flush=True)
    finally:
        serve.close()


def unsubscribes_run(readers: int) -> None:
    with tempfile.TemporaryDirectory() as temp:
        site = make_site(Path(temp))
        write_export(Path(temp) / "export.csv", readers)
        run(site, "subscribers", "import", str(Path(temp) / "export.csv"))
        idle_burst(site, readers)


def memory_run() -> None:
    print("the send's peak memory (SendGrid fake, 200 ms) as the list grows", flush=True)
    for readers in (10_000, 100_000, 1_000_000):
        with tempfile.TemporaryDirectory() as temp:
            site = make_site(Path(temp))
            write_export(Path(temp) / "export.csv", readers)
            run(site, "subscribers", "import", str(Path(temp) / "export.csv"))
            line(f"send, {readers:,} readers", send_with(site, "sendgrid", readers))


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--measure":
        measure(sys.argv[2], sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=1_000_000)
    parser.add_argument("--memory", action="store_true",
                        help="only the send's peak memory at 10k, 100k and 1M readers")
    parser.add_argument("--quick", action="store_true", help="100 readers, 20 unsubscribes")
    parser.add_argument("--unsubscribes", action="store_true",
                        help="only one-click unsubscribes against an idle serve, at 10k and "
                             "at --readers")
    args = parser.parse_args()
    if args.quick:
        global UNSUBSCRIBES, SMALL_LIST
        UNSUBSCRIBES, SMALL_LIST, args.readers = 20, 100, 100
    if args.memory:
        memory_run()
    elif args.unsubscribes:
        unsubscribes_run(SMALL_LIST)
        unsubscribes_run(args.readers)
    else:
        main_run(args.readers)


if __name__ == "__main__":
    main()
