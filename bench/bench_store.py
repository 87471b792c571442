"""The PostgreSQL store measured beside the files store, in one run: import, send, two senders
sharing a send, and one-click unsubscribes through two `serve` processes.

    python bench/bench_store.py                     # 1,000,000 readers
    python bench/bench_store.py --readers 100000    # a smaller list
    python bench/bench_store.py --quick             # 100 readers: does it run?
    python bench/bench_store.py --shared-only       # only step 3
    python bench/bench_store.py --no-shared         # all but step 3
    python bench/bench_store.py --unsubscribes-only # steps 1, a SendGrid send each, and 4

Every step is the real `newsletter` command in its own process (bench/bench_million.py's
measuring child: wall, CPU, its own peak memory), against bench/fake_server.py's fakes, with
the default [provider] settings. The PostgreSQL store is the server of the tests
(NEWSLETTER_TEST_PG, else postgresql://postgres@127.0.0.1:5432/test), in a schema of its own,
dropped at the end.

1. the list in: `subscribers import` (files), `store copy --to` (PostgreSQL);
2. `send` through the fake SendGrid, then through the fake Postmark, answering after 200 ms
   (a fresh ledger each);
3. PostgreSQL only: one sender, then two `send` processes sharing the campaign, through the
   SendGrid and Postmark fakes answering at once (the fake is not the limit: the senders,
   the database and the cores are) and after 200 ms, and the rate of the two against the one.
   Two senders can only beat one by the cores left over: note the load printed beside them,
   and the database's CPU (a server on this machine; any other client's sessions count too).
   "by CPU": the ratio were each sender with its database session on cores of its own (as on
   hosts of their own): twice one sender's and the database's CPU over the two senders' and
   the database's; the fake's left out, waits (commits, locks) too;
4. 1,000 one-click unsubscribes from 16 clients: one `serve` on the files; two `serve`
   processes on PostgreSQL, half the clients each, and their rate together.

Targets (issue 21): on PostgreSQL as on the files, SendGrid under 90 s, Postmark under 180 s,
the sender's peak memory at most 200 MB; two senders at least 1.7 times one sender's rate;
unsubscribes through two serve processes at least 500/s together.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_million  # noqa: E402
from bench_million import (  # noqa: E402
    POST,
    Serve,
    line,
    make_site,
    run,
    send_with,
    unsubscribe_burst,
    write_export,
)

SERVER = os.environ.get("NEWSLETTER_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
LEDGER_TABLES = "deliveries, runs, ledger_meta, batches"
# one sender against two: (fake, its latency, provider.concurrency or None for the default);
# at 0 s the fake is not the limit; with one batch in flight at 200 ms, each sender is
SHARED = (("sendgrid", 0.0, None), ("postmark", 0.0, None), ("sendgrid", 0.2, None),
          ("postmark", 0.2, None), ("postmark", 0.2, 1))


def in_schema(schema: str) -> str:
    glue = "&" if "?" in SERVER else "?"
    return f"{SERVER}{glue}options={quote(f'-csearch_path={schema}')}"


def on_postgresql(site: Path, url: str) -> None:
    (site / "newsletter.toml").write_text((site / "newsletter.toml").read_text()
                                          + f'\n[store]\nurl = "{url}"\n')


def fresh_ledger(site: Path, url: str | None) -> None:
    if url is None:
        for path in (site / ".newsletter").glob("ledger.*"):  # ledger.made too
            path.unlink()
        return
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        db.execute(f"TRUNCATE {LEDGER_TABLES}")


def sends(site: Path, url: str | None, readers: int, label: str,
          providers: tuple[str, ...] = ("sendgrid", "postmark")) -> None:
    for provider in providers:
        fresh_ledger(site, url)
        sent = send_with(site, provider, readers)
        line(f"{label}: send ({provider}, 200 ms)", sent,
             f"; {sent['per_second_sent']:,.0f} msg/s, {sent['accepted']:,} accepted")


def shared_send(site: Path, url: str, provider: str, latency: float,
                concurrency: int | None) -> None:
    """One sender, then two sharing the campaign, with the default settings (and at most
    ``concurrency`` batches in flight each, if given); the fake answers after ``latency``
    seconds."""
    from bench_providers import FakeServer

    def timed(senders: int) -> tuple[float, int, float, list[dict], float | None]:
        """Wall seconds, messages accepted, the fake's CPU seconds, each sender's figures, the
        database's CPU seconds."""
        fresh_ledger(site, url)
        server = FakeServer(provider, latency)
        try:
            bench_million.point_at(site, provider, server.url)
            if concurrency is not None:
                toml = site / "newsletter.toml"
                toml.write_text(toml.read_text().replace(
                    "[provider]\n", f"[provider]\nconcurrency = {concurrency}\n"))
            figures: list[dict] = [{} for _ in range(senders)]
            database = database_cpu()
            started = time.perf_counter()
            workers = [threading.Thread(target=lambda i=i: figures[i].update(
                run(site, "send", POST, "--yes"))) for i in range(senders)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            wall = time.perf_counter() - started
            if database is not None:
                database = database_cpu() - database
            return (wall, server.stats()["accepted"],
                    bench_million.process_cpu(server.process.pid), figures, database)
        finally:
            server.close()

    label = f"postgresql: {provider}, {latency * 1000:.0f} ms"
    if concurrency is not None:
        label += f", {concurrency} in flight"
    one_s, one_n, one_fake, (one,), one_db = timed(1)
    two_s, two_n, two_fake, two, two_db = timed(2)
    ratio = (two_n / two_s) / (one_n / one_s)
    print(f"{label + ', one sender':<50} {one_s:7.1f} s wall  {one_n / one_s:8,.0f} msg/s "
          f"({one_n:,} accepted; cpu {one['cpu']:.1f} s, peak {one['peak_mb']:.0f} MB; "
          f"{the_database(one_db)}the fake's cpu {one_fake:.1f} s)", flush=True)
    cpus = " + ".join(f"{figures['cpu']:.1f}" for figures in two)
    by_cpu = "" if one_db is None or two_db is None else \
        f"; by CPU {chain_ratio(one['cpu'] + one_db, sum(f['cpu'] for f in two) + two_db):.2f}x"
    peaks = " and ".join(f"{figures['peak_mb']:.0f}" for figures in two)
    print(f"{label + ', two senders':<50} {two_s:7.1f} s wall  {two_n / two_s:8,.0f} msg/s "
          f"({two_n:,} accepted, {ratio:.2f}x one sender; cpu {cpus} s, peak {peaks} MB; "
          f"{the_database(two_db)}the fake's cpu {two_fake:.1f} s; "
          f"load {os.getloadavg()[0]:.1f}{by_cpu})", flush=True)


def chain_ratio(one: float, two: float) -> float:
    """Two senders' rate against one's were each chain (a sender, then its database session:
    one waits on the other) on cores of its own, as on hosts of their own: from CPU seconds,
    which other work on the machine moves far less than wall time. ``one``: one sender's and
    the database's CPU; ``two``: the two senders' and the database's for the same readers."""
    return 2 * one / two


def the_database(cpu: float | None) -> str:
    return "" if cpu is None else f"the database's cpu {cpu:.1f} s; "


def database_cpu() -> float | None:
    """CPU seconds the PostgreSQL server has used, its ended sessions' included (Linux /proc:
    the postmaster's own and waited-for children's, and each live child's); None for a server
    on another machine. Every session counts, the bench's and any other client's."""
    import psycopg

    with psycopg.connect(SERVER, autocommit=True) as db:
        session = db.execute("SELECT pg_backend_pid()").fetchone()[0]
        try:
            postmaster = Path(f"/proc/{session}/stat").read_text().rsplit(")", 1)[1].split()[1]
        except OSError:
            return None
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile (its time is its parent's now)
            continue
        if postmaster in (stat.parent.name, fields[1]):  # utime, stime, cutime, cstime
            ticks += sum(int(value) for value in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def unsubscribes(site: Path, hosts: int, label: str) -> None:
    """UNSUBSCRIBES one-click POSTs, split between ``hosts`` serve processes at once."""
    count = bench_million.UNSUBSCRIBES
    servers = [Serve(site) for _ in range(hosts)]
    try:
        shares = [list(range(i, count, hosts)) for i in range(hosts)]
        results: list[dict] = [{} for _ in range(hosts)]
        before = sum(server.cpu() for server in servers)
        started = time.perf_counter()
        workers = [threading.Thread(target=lambda i=i: results[i].update(
            unsubscribe_burst(servers[i].base, shares[i]))) for i in range(hosts)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        seconds = time.perf_counter() - started
        spent = sum(server.cpu() for server in servers) - before
    finally:
        for server in servers:
            server.close()
    print(f"{label:<34} {count / seconds:7.0f} /s  ({count} in {seconds:.1f} s through "
          f"{hosts} serve process(es); serve's CPU {spent / count * 1000:.2f} ms an "
          f"unsubscribe; load {os.getloadavg()[0]:.1f})", flush=True)


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--measure":
        bench_million.measure(sys.argv[2], sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true",
                        help="100 readers, 20 unsubscribes, a send on the files, one shared send")
    parser.add_argument("--shared-only", action="store_true",
                        help="only one sender against two, on PostgreSQL")
    parser.add_argument("--no-shared", action="store_true",
                        help="all but one sender against two (at 1,000,000 readers that step "
                             "alone takes most of an hour)")
    parser.add_argument("--unsubscribes-only", action="store_true",
                        help="the list in, one SendGrid send on each store (so the ledger "
                             "has the post an unsubscribe counts against), then step 4")
    args = parser.parse_args()
    if args.quick:
        bench_million.UNSUBSCRIBES, args.readers = 20, 100
    import psycopg

    schema = f"bench_{secrets.token_hex(4)}"
    with psycopg.connect(SERVER, autocommit=True) as db:
        db.execute(f"CREATE SCHEMA {schema}")
    url = in_schema(schema)
    print(f"{args.readers:,} readers; fakes answer after 200 ms (and at once in step 3); default "
          "[provider] settings; "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}", flush=True)
    try:
        with tempfile.TemporaryDirectory() as temp:
            root = Path(temp)
            files = make_site(root)
            export = root / "export.csv"
            write_export(export, args.readers)
            line("files: subscribers import", run(files, "subscribers", "import", str(export)))
            database = root / "postgresql"
            shutil.copytree(files, database, ignore=shutil.ignore_patterns(".newsletter"))
            line("postgresql: store copy --to", run(database, "store", "copy", "--to", url))
            on_postgresql(database, url)
            shutil.rmtree(database / "subscribers")
            if args.unsubscribes_only:
                for site, label in ((files, "files"), (database, "postgresql")):
                    sent = send_with(site, "sendgrid", args.readers)
                    line(f"{label}: send (sendgrid, 200 ms)", sent)
            elif not args.shared_only:
                # --quick: one provider on the files; step 3 sends on PostgreSQL (a fresh
                # ledger each, as here), so step 2 on it would run nothing new
                sends(files, None, args.readers, "files", ("sendgrid",) if args.quick else
                      ("sendgrid", "postmark"))
                sends(database, url, args.readers, "postgresql", () if args.quick else
                      ("sendgrid", "postmark"))
            # --quick: only the case that sets every knob (a latency, a concurrency), to see
            # step 3 runs (the suite runs it; each case is three `send` processes)
            for provider, latency, concurrency in (
                    () if args.no_shared or args.unsubscribes_only
                    else SHARED[-1:] if args.quick else SHARED):
                shared_send(database, url, provider, latency, concurrency)
            if args.shared_only:
                return
            unsubscribes(files, 1, "files: one-click, one serve")
            unsubscribes(database, 2, "postgresql: one-click, two serve")
    finally:
        with psycopg.connect(SERVER, autocommit=True) as db:
            db.execute(f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    main()
