"""`newsletter send` against the script a careful writer would write with the official SDKs.

    pip install -e '.[bench]'                      # postmarker and sendgrid
    python bench/bench_sdk.py                      # 100,000 readers, every provider, 0 and 200 ms
    python bench/bench_sdk.py --readers 20000 --providers postmark sendgrid
    python bench/bench_sdk.py --quick              # a tiny run: does the bench still work?

Both sides face the same lean fake API (bench/fake_server.py: answers without parsing, in its
own process, at once or after 200 ms), on the same generated list (the example site, its picture
as a web URL), and run as whole processes, interleaved: script, send, script, send. The script
is bench/careful_script.py (render once, then the SDKs' sequential batch calls). The send runs
with the default [provider] settings; its first round is cold (no roster, no kept tokens: the
first send after an import), the next ones warm (the ledger emptied, caches kept).

Both run as installed code does: with compiled bytecode kept (in a temporary
PYTHONPYCACHEPREFIX, or the one the bench was started with), even where PYTHONDONTWRITEBYTECODE is set, which would make every run
compile newsletter's modules again. A prefix holds the bytecode of every module, the standard
library's and the dependencies' too, so each case first runs both sides once on a smaller
site (30,000 readers: enough for the send's helper process; not with --quick, a look that it
runs). The cold round is then a new site's first send, not Python compiling what the
installers compiled long ago (that added 0.15-0.2 s to the cold first request).

Printed per run: messages a second, wall and CPU seconds (user + system of the process and its
helper, from os.wait4), CPU microseconds a message, the process's own peak memory
(bench/measure.py: VmHWM), milliseconds from start to the first message request, and bytes on
the wire a message; then the ratios: wall (script ÷ send: over 1 is faster) and CPU a message
(send ÷ script: under 1 is cheaper). Targets (issue 25), 100,000 readers: wall >= 5x at 200 ms
and >= 1.2x at 0 ms for Postmark and SendGrid, CPU a message <= 1.0x; the first request within
0.5 s. Resend holds to its documented 5 requests a second (docs/providers.md), which the script
ignores: it runs on fewer readers (--resend-readers).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_providers import FakeServer, configure_provider  # noqa: E402
from bench_send_outbox import make_site  # noqa: E402

KEY = "bench-key"
ENVIRON = {"POSTMARK_SERVER_TOKEN": KEY, "SENDGRID_API_KEY": KEY, "MAILGUN_API_KEY": KEY,
           "RESEND_API_KEY": KEY, "NEWSLETTER_SECRET": "bench"}
PROVIDERS = ("postmark", "sendgrid", "mailgun", "resend")
# Enough that a send starts its helper process, as the measured sends of 100,000 do
WARM_UP_READERS = 30_000


def as_installed(root: Path) -> dict[str, str]:
    """The environment of every run: bytecode kept in ``root`` (or in the prefix this process
    was given, where it may be compiled already: the test suite's), compiled once now."""
    environ = {key: value for key, value in os.environ.items()
               if key != "PYTHONDONTWRITEBYTECODE"}
    environ.update(ENVIRON, PYTHONPYCACHEPREFIX=sys.pycache_prefix or str(root / "pycache"))
    package = Path(__import__("newsletter").__file__).parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package), str(HERE)],
                   env=environ, check=True)
    return environ


def measured(command: list[str], fake: FakeServer, environ: dict[str, str]) -> dict:
    """Run ``command`` under bench/measure.py; its wall, CPU, peak memory and the fake's view."""
    urllib.request.urlopen(fake.url + "/_reset", timeout=10).read()
    with tempfile.NamedTemporaryFile("r", suffix=".json") as out:
        started_at, started = time.time(), time.perf_counter()
        process = subprocess.Popen([sys.executable, str(HERE / "measure.py"), out.name, *command],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   env=environ)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        stdout, stderr = process.stdout.read(), process.stderr.read()
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            raise SystemExit(f"{' '.join(command)} failed:\n{stdout.decode()}\n{stderr.decode()}")
        peak = json.loads(out.read() or "{}").get("peak_mb")
    stats = fake.stats()
    sent = stats["accepted"]
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": peak,
            "sent": sent, "bytes": stats["bytes"], "requests": stats["requests"],
            "first": (stats["first_at"] or started_at) - started_at}


def script(provider: str, site: Path, fake: FakeServer, environ: dict[str, str]) -> dict:
    return measured([str(HERE / "careful_script.py"), provider, fake.url, str(site)], fake,
                    environ)


def newsletter(site: Path, fake: FakeServer, environ: dict[str, str]) -> dict:
    # the ledger, its WAL files and ledger.made (a ledger gone beside it is refused as lost)
    for leftover in (site / ".newsletter").glob("ledger.*"):
        leftover.unlink()
    return measured(["-m", "newsletter", "--site", str(site), "send", "what-matters", "--yes"],
                    fake, environ)


def warm_up_bytecode(provider: str, fake: FakeServer, root: Path, readers: int,
                     environ: dict[str, str]) -> None:
    """Run the script and a send once on a site of ``readers``, so the modules either
    imports are compiled into the bytecode prefix before anything is measured."""
    site = make_site(root, readers)
    configure_provider(site, provider, fake.url)
    script(provider, site, fake, environ)
    newsletter(site, fake, environ)


def settled(folder: Path) -> None:
    """Wait until the files in ``folder`` are older than the send keeps its read of a list
    for (kept_readers.RECENT: a file written this recently may change again within its
    mtime's tick, so its read is not kept). Otherwise the first warm round, a few seconds after
    the list was written, would read the files again, as the cold one did."""
    from newsletter.subscribers.kept_readers import RECENT

    written = max(path.stat().st_mtime for path in folder.iterdir())
    time.sleep(max(0.0, written + RECENT + 0.1 - time.time()))


def row(label: str, run: dict) -> str:
    sent = max(run["sent"], 1)
    return (f"  {label:16} {run['sent'] / run['wall']:>8,.0f} {run['wall']:>7.2f} "
            f"{run['cpu']:>6.2f} {run['cpu'] / sent * 1e6:>7.1f} {run['peak_mb']:>6.0f} "
            f"{run['first'] * 1000:>6.0f} {run['bytes'] / sent:>9,.0f}")


def compare(provider: str, latency: float, readers: int, rounds: int, root: Path,
            environ: dict[str, str], warm_up: bool = True) -> list[str]:
    """Interleaved runs of one case, printed as they end; the case's summary lines."""
    fake = FakeServer(provider, latency)
    try:
        if warm_up:  # not for --quick, a look that it runs
            warm_up_bytecode(provider, fake, root / f"{provider}-{latency}-warm-up",
                             min(readers, WARM_UP_READERS), environ)
        site = make_site(root / f"{provider}-{latency}", readers)
        configure_provider(site, provider, fake.url)
        if rounds > 1:  # a warm round follows the cold one
            settled(site / "subscribers")
        print(f"{provider}, {latency * 1000:.0f} ms, {readers:,} readers "
              f"(load {os.getloadavg()[0]:.1f})", flush=True)
        summary = []
        for number in range(rounds):
            mine = script(provider, site, fake, environ)
            print(row("script", mine), flush=True)
            ours = newsletter(site, fake, environ)
            assert ours["sent"] == mine["sent"] == readers, (ours, mine)
            kind = "cold" if number == 0 else "warm"
            print(row(f"send {kind}", ours), flush=True)
            ratios = (f"wall {mine['wall'] / ours['wall']:.2f}x, CPU a message "
                      f"{ours['cpu'] / mine['cpu']:.2f}x, first request after "
                      f"{ours['first'] * 1000:.0f} ms")
            print(f"  {'ratio':16} {ratios}", flush=True)
            summary.append(f"  {provider:9}{latency * 1000:>4.0f} ms  {kind}  {ratios}")
        return summary
    finally:
        fake.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=100_000)
    parser.add_argument("--resend-readers", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=2, help="script/send pairs per case")
    parser.add_argument("--providers", nargs="+", default=PROVIDERS, choices=PROVIDERS)
    parser.add_argument("--latencies", nargs="+", type=float, default=(0.0, 0.2))
    parser.add_argument("--quick", action="store_true", help="a tiny run, to see it works")
    args = parser.parse_args()
    if args.quick:
        args.readers, args.resend_readers, args.rounds, args.latencies = 100, 200, 1, (0.0,)
    print(f"{os.cpu_count()} CPUs, load {', '.join(f'{x:.1f}' for x in os.getloadavg())}; "
          "columns: msg/s, wall s, CPU s, CPU us/msg, peak MB, first request ms, bytes/msg")
    summary = []
    with tempfile.TemporaryDirectory() as temp:
        environ = as_installed(Path(temp))
        for provider in args.providers:
            readers = args.resend_readers if provider == "resend" else args.readers
            for latency in args.latencies:
                summary += compare(provider, latency, readers, args.rounds, Path(temp), environ,
                                   warm_up=not args.quick)
    print(f"side by side (send against the script; load {os.getloadavg()[0]:.1f} at the end):")
    print("\n".join(summary))


if __name__ == "__main__":
    main()
