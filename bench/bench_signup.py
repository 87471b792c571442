"""Sign-ups per second through `serve`, on a long list.

    python bench/bench_signup.py [READERS] [SIGNUPS]
    python bench/bench_signup.py --quick      # 300 readers, 20 sign-ups: does it still run?

Posts SIGNUPS new addresses (default 2,000) to /subscribe from 8 client threads against
`newsletter serve` (a process of its own, its default 8 threads), on a list of READERS
(default 100,000). Prints how fast
the form was answered (each sign-up on disk in the journal first) and how fast sign-ups were
finished: their unconfirmed rows written to the list and their confirmation emails handed to
the outbox provider. Target: 100 finished sign-ups a second on 100,000 readers.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from bench_unsubscribe import make_site as make_list

REPO = Path(__file__).resolve().parent.parent
SECRET = "bench-secret"
CLIENTS = 8
# Every sign-up comes from 127.0.0.1: lift the per-client and daily limits out of the way, to
# the top of their accepted ranges (docs/signup.md).
SIGNUP_TABLE = "\n[signup]\nmax_per_ip = 100000\nmax_per_day = 10000000\n"


def make_site(root: Path, readers: int) -> Path:
    """bench_unsubscribe's site of READERS active readers, with the templates and [signup]."""
    make_list(root, readers)
    toml = root / "newsletter.toml"
    toml.write_text(toml.read_text() + SIGNUP_TABLE)
    shutil.copytree(REPO / "templates", root / "templates")
    return root


def sign_ups(root: Path, count: int) -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "newsletter", "--site", str(root), "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "NEWSLETTER_SECRET": SECRET})
    try:
        base = re.search(r"http://127\.0\.0\.1:\d+", server.stdout.readline()).group(0)
        outbox = root / "outbox" / "signup-confirm"
        answered, finished = post_all(f"{base}/subscribe", count, outbox)
    finally:
        server.terminate()
        server.wait(30)
    rows = (root / "subscribers" / "subscribers.csv").read_text().count(",unconfirmed,")
    print(f"answered: {count} sign-ups in {answered:.2f} s ({count / answered:.0f}/s)")
    print(f"finished: {rows} unconfirmed rows and {count} confirmation emails in "
          f"{finished:.2f} s ({count / finished:.0f}/s)")


def post_all(url: str, count: int, outbox: Path) -> tuple[float, float]:
    """Seconds until every sign-up was answered, and until every confirmation is in the outbox."""
    sessions = threading.local()

    def post(i: int) -> None:
        session = getattr(sessions, "session", None) or requests.Session()
        sessions.session = session
        answer = session.post(url, data={"email": f"new{i}@example.net", "elapsed": "5000"})
        assert answer.status_code == 200, answer.text

    start = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(post, range(count)))
    answered = time.perf_counter() - start
    deadline = start + 600
    while sum(1 for _ in outbox.glob("*.eml")) < count:
        if time.perf_counter() > deadline:
            raise SystemExit("the confirmation emails did not all arrive within 10 minutes")
        time.sleep(0.05)
    return answered, time.perf_counter() - start


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--quick"]
    quick = len(args) < len(sys.argv) - 1
    readers = int(args[0]) if args else 300 if quick else 100_000
    count = int(args[1]) if len(args) > 1 else 20 if quick else 2_000
    with tempfile.TemporaryDirectory() as folder:
        sign_ups(make_site(Path(folder) / "site", readers), count)


if __name__ == "__main__":
    main()
