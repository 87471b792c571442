"""Delivery events into the store through `newsletter serve`: events per second, memory flat.

    python bench/bench_events.py [EVENTS]       # default 1,000,000
    python bench/bench_events.py --quick        # 2,000

A site whose ledger holds one post sent to EVENTS / 8 readers runs `newsletter
serve` as its own process (8 threads, as shipped). Four client threads post signed SendGrid
Event Webhook batches of 1,000 events (SendGrid batches its events; each request is verified
with ECDSA, parsed, each event tied to its post through the ledger and stored before its
answer; requests answered at once share a commit): per reader one delivery, about five opens,
two clicks and a deferral, and one in 500 bounces; 1% of the batches are sent twice, as a
provider's retry would be. Prints events per second (target: at least 2,000) and the server's
resident memory at each tenth of the run (target: flat), then the same for Postmark, whose
webhooks carry one event per request (EVENTS / 100 of them).
"""

from __future__ import annotations

import base64
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from newsletter.sending import Ledger, State

REPO = Path(__file__).resolve().parent.parent
POST = "/posts/what-matters"
BATCH = 1000
USER, PASSWORD = "postmark-hook", "bench-pass"
KEY = ec.generate_private_key(ec.SECP256R1())
PUBLIC = base64.b64encode(KEY.public_key().public_bytes(
    serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)).decode()


def make_site(root: Path, readers: int) -> list[str]:
    """A site with ``readers`` on its list and in its ledger as sent ``POST``."""
    (root / "subscribers").mkdir(parents=True)
    settings = (REPO / "newsletter.toml").read_text() + "\n[tracking]\nopens = true\nclicks = true\n"
    (root / "newsletter.toml").write_text(settings)
    addresses = [f"reader{i}@example.com" for i in range(readers)]
    with (root / "subscribers" / "subscribers.csv").open("w") as handle:
        handle.write("email,name,status,tags,subscribed_at\n")
        handle.writelines(f"{a},Reader,active,,2026-01-01\n" for a in addresses)
    with Ledger(root / ".newsletter" / "ledger.db") as ledger:
        for start in range(0, readers, 10_000):
            chunk = addresses[start:start + 10_000]
            with ledger.atomic():
                ledger.claim(POST, chunk, [f"<{a}>" for a in chunk], "sendgrid")
                ledger.record(POST, [(a, State.SENT, f"sg-{a}", None) for a in chunk])
    return addresses


def reader_events(address: str, number: int, chance: random.Random) -> list[dict]:
    kinds = ["delivered", "deferred"] + ["open"] * chance.randint(3, 7)
    kinds += ["click"] * chance.randint(1, 3)
    if number % 500 == 0:
        kinds = ["bounce"]
    stamp = int(time.time())
    return [{"email": address, "timestamp": stamp, "event": kind, "sg_event_id": f"{number}-{i}",
             "sg_message_id": f"sg-{number}", "category": [POST], "post": POST,
             **({"type": "bounce", "reason": "550 no such user"} if kind == "bounce" else {})}
            for i, kind in enumerate(kinds)]


def batches(addresses: list[str], total: int):
    """Batches of SendGrid events, ``total`` events in all, 1% of the batches repeated."""
    chance, pending, sent = random.Random(20), [], 0
    for number, address in enumerate(addresses):
        pending += reader_events(address, number, chance)
        while len(pending) >= BATCH and sent < total:
            batch, pending = pending[:BATCH], pending[BATCH:]
            sent += len(batch)
            yield batch
            if chance.random() < 0.01:
                yield batch
        if sent >= total:
            return
    if pending and sent < total:
        yield pending[:total - sent]


def sendgrid_post(base: str, batch: list[dict]) -> None:
    body = json.dumps(batch).encode()
    stamp = str(int(time.time()))
    signature = base64.b64encode(KEY.sign(stamp.encode() + body, ec.ECDSA(hashes.SHA256())))
    answer = requests.post(f"{base}/webhooks/sendgrid", data=body, timeout=120, headers={
        "X-Twilio-Email-Event-Webhook-Signature": signature.decode(),
        "X-Twilio-Email-Event-Webhook-Timestamp": stamp, "Content-Type": "application/json"})
    assert answer.status_code == 200, answer.text


def postmark_post(base: str, address: str, number: int) -> None:
    record = {"RecordType": "Delivery", "MessageID": f"pm-{number}", "Recipient": address,
              "DeliveredAt": "2026-12-01T10:00:00Z", "Tag": POST, "Metadata": {"post": POST},
              "MessageStream": "broadcast"}
    answer = requests.post(f"{base}/webhooks/postmark", json=record, auth=(USER, PASSWORD),
                           timeout=120)
    assert answer.status_code == 200, answer.text


def cpu_seconds(pid: int) -> float:
    """User + system CPU the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def serve(root: Path) -> tuple[subprocess.Popen, str]:
    """`newsletter serve` on a free port, as its own process; its base URL."""
    env = {**os.environ, "NEWSLETTER_SECRET": "bench-secret",
           "SENDGRID_WEBHOOK_PUBLIC_KEY": PUBLIC, "NEWSLETTER_WEBHOOK_USER": USER,
           "NEWSLETTER_WEBHOOK_PASSWORD": PASSWORD}
    process = subprocess.Popen([sys.executable, "-m", "newsletter", "--site", str(root), "serve",
                                "--port", "0"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    first = process.stdout.readline()  # "Serving http://127.0.0.1:PORT/... (Ctrl-C to stop)"
    if not first.startswith("Serving http://"):
        process.kill()
        raise SystemExit(f"serve did not start: {first!r}")
    return process, "/".join(first.split()[1].split("/")[:3])


def run(total: int) -> None:
    readers = max(total // 8, 10)  # about nine events each: enough for the total
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "site"
        addresses = make_site(root, readers)
        process, base = serve(root)
        try:
            memory, done, lock = [], [0], threading.Lock()
            tenth = max(total // 10, 1)

            def post(batch):
                sendgrid_post(base, batch)
                with lock:
                    before, done[0] = done[0], done[0] + len(batch)
                    if done[0] // tenth > before // tenth:
                        memory.append(rss_kib(process.pid) // 1024)

            start = time.perf_counter()
            with ThreadPoolExecutor(4) as pool:
                list(pool.map(post, batches(addresses, total)))
            seconds = time.perf_counter() - start
            with sqlite3.connect(root / ".newsletter" / "events.db") as db:
                stored = db.execute("SELECT count(*) FROM events").fetchone()[0]
            print(f"sendgrid: {done[0]:,} events posted ({stored:,} stored, repeats counted "
                  f"once) in {seconds:.1f} s: {done[0] / seconds:,.0f} events/s")
            print(f"serve's memory at each tenth (MiB): {memory}")

            count = max(total // 100, 20)
            start, cpu = time.perf_counter(), cpu_seconds(process.pid)
            with ThreadPoolExecutor(4) as pool:
                list(pool.map(postmark_post, [base] * count, addresses[:count], range(count)))
            seconds, cpu = time.perf_counter() - start, cpu_seconds(process.pid) - cpu
            print(f"postmark: {count:,} single-event webhooks in {seconds:.1f} s: "
                  f"{count / seconds:,.0f} events/s; serve's CPU {cpu / count * 1000:.2f} ms "
                  f"an event (at most {count / cpu:,.0f} a second on one core)")
        finally:
            process.terminate()
            process.wait(30)


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--quick"]
    quick = len(args) < len(sys.argv) - 1
    run(int(args[0]) if args else 2_000 if quick else 1_000_000)


if __name__ == "__main__":
    main()
