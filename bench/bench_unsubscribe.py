"""How fast unsubscribes land: one-click POSTs through waitress, and a large `sync`.

    python bench/bench_unsubscribe.py [READERS] [CHANGES]
    python bench/bench_unsubscribe.py --quick     # 300 readers, 20 of each

Prints one-click unsubscribes per second (8 client threads against `serve`'s default of 8
server threads; each one a journal append, docs/subscribers.md#the-suppression-journal) and the
time `apply_suppressions` (`subscribers sync`) takes to journal CHANGES suppressions and fold
them into a list of READERS (one streamed rewrite for all of them).
"""

from __future__ import annotations

import logging
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from waitress.server import create_server

from newsletter.config import load_settings
from newsletter.message import UnsubscribeTokens
from newsletter.subscribers import SubscriberStore, Suppression, apply_suppressions
from newsletter.web import NewsletterApp

REPO = Path(__file__).resolve().parent.parent
SECRET = "bench-secret"


def make_site(root: Path, readers: int) -> Path:
    (root / "subscribers").mkdir(parents=True)
    (root / "newsletter.toml").write_text((REPO / "newsletter.toml").read_text())
    with (root / "subscribers" / "subscribers.csv").open("w") as handle:
        handle.write("email,name,status,tags,subscribed_at\n")
        for i in range(readers):
            handle.write(f"reader{i}@example.com,Reader {i},active,,2026-01-01\n")
    return root


def one_click(root: Path, count: int) -> None:
    app = NewsletterApp(load_settings(root, {"NEWSLETTER_SECRET": SECRET}))
    server = create_server(app, host="127.0.0.1", port=0, threads=8)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.effective_port}/unsubscribe"
    tokens = UnsubscribeTokens(SECRET)

    def post(i: int) -> None:
        address = f"reader{i}@example.com"
        url = f"{base}/{tokens.make(address)}"
        assert requests.post(url, data={"List-Unsubscribe": "One-Click"}).status_code == 200

    start = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(post, range(count)))
    seconds = time.perf_counter() - start
    print(f"one-click: {count} unsubscribes in {seconds:.2f} s ({count / seconds:.0f}/s)")
    app.close()


def sync_apply(root: Path, readers: int, changes: int) -> None:
    store = SubscriberStore(directory=root / "subscribers", state_dir=root / ".newsletter")
    suppressions = [Suppression(f"reader{i}@example.com", "bounced", "bench")
                    for i in range(readers - changes, readers)]
    suppressions += [Suppression(f"stranger{i}@example.net", "bounced", "bench")
                     for i in range(changes)]
    start = time.perf_counter()
    changed = apply_suppressions(store, suppressions)
    seconds = time.perf_counter() - start
    print(f"sync: {len(changed)} changes (+{changes} strangers) on {readers} readers "
          f"in {seconds:.2f} s ({seconds / max(len(changed), 1) * 1000:.1f} ms a change)")


def main() -> None:
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth is N"
    args = [a for a in sys.argv[1:] if a != "--quick"]
    quick = len(args) < len(sys.argv) - 1
    readers = int(args[0]) if args else 300 if quick else 10_000
    changes = int(args[1]) if len(args) > 1 else 20 if quick else 200
    with tempfile.TemporaryDirectory() as folder:
        root = make_site(Path(folder) / "site", readers)
        one_click(root, changes)
        sync_apply(root, readers, changes)


if __name__ == "__main__":
    main()
