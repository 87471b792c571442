"""The welcome series' decision pass: who is due for which of 5 posts, on up to 1,000,000 readers.

    python bench/bench_welcome.py              # 10,000, 100,000 and 1,000,000 readers
    python bench/bench_welcome.py --readers 200000
    python bench/bench_welcome.py --quick      # 2,000 readers: does it run?

The list: readers who joined over the last 60 days, all after the series was enabled, and a
daily cron that has kept up: each has had the posts of the series due so far (every 3 days),
their progress in .newsletter/welcome.db and each post in the ledger as sent, up to yesterday's
run. So about one in ten is due now, twice as many are waiting, the rest have had all five.

One pass is what `send --due` does before it sends anything: load the settings and posts,
settle progress from the ledger, walk the roster (the list's active readers, current: a run
that finds the list changed rebuilds it first, a read of the whole list, printed apart),
decide, and record who gets which post. It runs in its own process (bench/measure.py: its own
peak memory). Prints wall-clock seconds and the pass's peak memory, on the files store and,
beside it, on the PostgreSQL store (the same site copied with `store copy --to` into a schema
of its own of NEWSLETTER_TEST_PG, else postgresql://postgres@127.0.0.1:5432/test; dropped
after): there the pass reads the list's table in place, no roster.
Targets: one pass on 1,000,000 readers in 5 s or less; memory flat from 10,000 to 1,000,000.
The machine's load average is printed beside each figure: on a shared machine the wall-clock
seconds grow with it, the pass's own CPU seconds much less.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from example_site import copy_example_site  # noqa: E402

SERIES = [f"best-{n}" for n in range(1, 6)]
EVERY = dt.timedelta(days=3)
SERVER = os.environ.get("NEWSLETTER_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
NOW = dt.datetime(2026, 12, 1, 6, 0, tzinfo=dt.timezone.utc)
DAYS = 60  # readers joined over this many days before NOW
ENABLED = NOW - dt.timedelta(days=DAYS + 1)
LAST_RUN = NOW - dt.timedelta(days=1)  # the daily cron's last run
ENVIRON = {"NEWSLETTER_SECRET": "bench-secret"}


def make_site(root: Path, readers: int) -> Path:
    """The example site with the series' five posts, the list, and the state a daily cron
    would have left."""
    from newsletter.sending import Ledger
    from newsletter.sending.welcome_state import ENABLED_AT, WelcomeState

    site = copy_example_site(root / "site", ("newsletter.toml", "content", "templates"))
    posts = site / "content" / "posts"
    for number, name in enumerate(SERIES, start=1):
        (posts / f"{name}.md").write_text(
            f'---\ntitle: "Best {number}"\ndate: "2026-05-0{number}T08:00:00Z"\n'
            f"slug: /posts/{name}\n---\n\nOne of the best.\n")
    with open(site / "newsletter.toml", "a", encoding="utf-8") as toml:
        toml.write(f'\n[welcome]\nenabled = true\nposts = {json.dumps(SERIES)}\nevery = "3d"\n')
    (site / "subscribers").mkdir()
    progress, sent = [], []
    with open(site / "subscribers" / "subscribers.csv", "w", encoding="utf-8") as handle:
        handle.write("email,name,status,tags,subscribed_at\n")
        for number in range(readers):
            address = f"reader{number}@example.org"
            joined = NOW - dt.timedelta(days=DAYS) * (number / readers)
            handle.write(f"{address},Reader {number},active,,{joined.isoformat()}\n")
            if joined > LAST_RUN:
                continue  # joined since yesterday's run: their first post is due now
            given = min(len(SERIES), int((LAST_RUN - joined) / EVERY) + 1)
            last = joined + EVERY * (given - 1)
            progress.append((address, given - 1, f"/posts/{SERIES[given - 1]}",
                             int(last.timestamp()), 1, int(joined.timestamp())))
            sent += [(f"/posts/{SERIES[step]}", address) for step in range(given)]
    settings_dir = site / ".newsletter"
    with WelcomeState.open(settings_dir) as state:
        state.record_moment(ENABLED_AT, int(ENABLED.timestamp()))
        state.db.execute("BEGIN")
        state.db.executemany("INSERT INTO progress VALUES (?, ?, ?, ?, ?, ?)", progress)
        state.db.execute("COMMIT")
    with Ledger(settings_dir / "ledger.db") as ledger:
        ledger.db.execute("BEGIN")
        ledger.db.executemany(
            "INSERT INTO deliveries (post_id, address, state, attempts, created_at, updated_at) "
            "VALUES (?, ?, 'sent', 1, '2026-11-01', '2026-11-01')", sent)
        ledger.db.execute("COMMIT")
    return site


def build_roster(site: Path) -> float:
    """Seconds to build the roster: a read of the whole list, once per change of the files
    (a `send --due` with a post due, `status` and `posts` build it too)."""
    from newsletter.config import load_settings
    from newsletter.subscribers import SubscriberStore, fresh_roster

    started = time.perf_counter()
    fresh_roster(SubscriberStore(load_settings(site, ENVIRON)))
    return time.perf_counter() - started


def one_pass(site: str) -> None:
    """The decision pass of a `send --due` at NOW, as it runs before anything is sent."""
    from newsletter.config import load_settings
    from newsletter.posts import load_posts
    from newsletter.sending import Ledger
    from newsletter.sending.welcome import decide, load_series, open_state, roster_of, series_posts
    from newsletter.subscribers import open_store

    started, cpu = time.perf_counter(), time.process_time()
    settings = load_settings(Path(site), ENVIRON)
    posts, problems = load_posts(settings)
    chosen = series_posts(settings, posts, problems)
    with open_state(settings) as state, Ledger.open(settings) as ledger:
        state.settle(ledger)
        series = load_series(settings, chosen, state, posts)
        decision = decide(series, roster_of(open_store(settings)), ledger, state,
                          int(NOW.timestamp()), give=True)
    print(json.dumps({"seconds": time.perf_counter() - started,
                      "cpu": time.process_time() - cpu, "due": sum(decision.due.values())}))


def timed_pass(root: Path, site: Path) -> tuple[dict, float]:
    """One pass in its own measuring process: (its figures, its peak MB)."""
    peak_file = root / "peak.json"
    done = subprocess.run([sys.executable, str(HERE / "measure.py"), str(peak_file),
                           str(Path(__file__).resolve()), "--pass", str(site)],
                          capture_output=True, text=True, check=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return figures, json.loads(peak_file.read_text())["peak_mb"]


def report(store: str, readers: int, figures: dict, peak: float, extra: str) -> None:
    print(f"{readers:>9,} readers, {store}: decision pass {figures['seconds']:6.2f} s "
          f"({figures['cpu']:.2f} s CPU), peak {peak:6.1f} MB, {figures['due']:,} due now "
          f"(load average {os.getloadavg()[0]:.1f}); {extra}", flush=True)


@contextmanager
def postgresql_copy(site: Path) -> Iterator[tuple[Path, float] | None]:
    """A copy of ``site`` on the PostgreSQL store (`store copy --to`, a schema of its own,
    dropped after): (its folder, seconds the copy took); None when no server answers."""
    import psycopg

    try:
        psycopg.connect(SERVER, connect_timeout=5).close()
    except psycopg.Error as error:
        print(f"no PostgreSQL at {SERVER} ({str(error).strip().splitlines()[0]}): "
              "its figures are left out")
        yield None
        return
    schema = f"bench_welcome_{os.getpid()}"
    url = f"{SERVER}{'&' if '?' in SERVER else '?'}options={quote(f'-csearch_path={schema}')}"
    with psycopg.connect(SERVER, autocommit=True) as db:
        db.execute(f"CREATE SCHEMA {schema}")
    try:
        copied = site.with_name("site-postgresql")
        shutil.copytree(site, copied)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "newsletter", "--site", str(copied), "store",
                        "copy", "--to", url], capture_output=True, check=True)
        took = time.perf_counter() - started
        shutil.rmtree(copied / ".newsletter")
        shutil.rmtree(copied / "subscribers")
        with open(copied / "newsletter.toml", "a", encoding="utf-8") as toml:
            toml.write(f'\n[store]\nurl = "{url}"\n')
        yield copied, took
    finally:
        with psycopg.connect(SERVER, autocommit=True) as db:
            db.execute(f"DROP SCHEMA {schema} CASCADE")


def measure(readers: int) -> None:
    with tempfile.TemporaryDirectory() as root:
        made = time.perf_counter()
        site = make_site(Path(root), readers)
        made = time.perf_counter() - made
        with postgresql_copy(site) as copy:  # before the files' pass records what it gives
            roster = build_roster(site)
            figures, peak = timed_pass(Path(root), site)
            report("files", readers, figures, peak,
                   f"the roster's rebuild after a change of the list {roster:.2f} s "
                   f"(setting up {made:.0f} s)")
            if copy is not None:
                figures, peak = timed_pass(Path(root), copy[0])
                report("PostgreSQL", readers, figures, peak,
                       f"no roster: the list is read in place (`store copy --to` {copy[1]:.0f} s)")


def main() -> None:
    if sys.argv[1:2] == ["--pass"]:
        one_pass(sys.argv[2])
        return
    if "--quick" in sys.argv:
        sizes = [2000]
    elif "--readers" in sys.argv:
        sizes = [int(sys.argv[sys.argv.index("--readers") + 1])]
    else:
        sizes = [10_000, 100_000, 1_000_000]
    print("Welcome series, 5 posts every 3 days: one send --due decision pass "
          "(target: 1,000,000 readers in 5 s or less, memory flat)")
    for readers in sizes:
        measure(readers)


if __name__ == "__main__":
    main()
