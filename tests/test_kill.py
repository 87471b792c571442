"""The kill tests: SIGKILL `newsletter send` at random moments, rerun, and nobody gets two copies.

A real subprocess sends to a thousand readers through the outbox; it is killed at seeded
random moments (mostly while files are being written, some during start-up) and run again, round
after round. Afterwards every active reader has exactly one .eml or is listed in doubt, no reader
has two, and the ledger's counts match the files on disk; `reconcile` then settles whoever is in
doubt from the files, and one more send leaves everyone exactly one message.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from contextlib import closing
from typing import Callable, TypeVar
from urllib.parse import unquote

from conftest import run_cli, run_in_process, start_cli
from fake_providers import KEYS, provider_environ, start_fake, write_provider_settings
from sending_support import ledger_states, site_settings, write_readers

READERS = 1000
ROUNDS = 12
SEED = 20261125
T = TypeVar("T")


def count_files(folder) -> int:
    try:
        return sum(1 for name in os.listdir(folder) if name.endswith(".eml"))
    except FileNotFoundError:
        return 0


def kill_at_a_random_moment(site, folder, rng: random.Random, startup: float = 0.8,
                            before_kill: Callable[[int], T] = lambda pid: None) -> T:
    """Start a send; SIGKILL it a random moment after it starts writing (or during its first
    ``startup`` seconds). Returns what ``before_kill(pid)`` found just before the kill."""
    process = start_cli(site, "send", "what-matters", "--yes",
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if rng.random() < 0.2:  # during start-up, counting, or the first batches
            time.sleep(rng.uniform(0.0, startup))
        else:
            before = count_files(folder)
            deadline = time.monotonic() + 20
            while count_files(folder) == before and process.poll() is None:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.005)
            time.sleep(rng.uniform(0.0, 0.15))
        return before_kill(process.pid)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()


def reader_of(file_name: str) -> tuple[str, bool]:
    """(address, is a duplicate copy) for an outbox file name."""
    stem = file_name.removesuffix(".eml")
    base, _, copy = stem.rpartition(".dup")
    if base and copy.isdigit():
        return unquote(base), True
    return unquote(stem), False


def test_sigkill_at_random_moments_never_sends_twice_and_loses_nothing(site):
    addresses = set(write_readers(site, READERS))
    toml = site / "newsletter.toml"
    unpaced = toml.read_text()
    # A rate limit stretches the send over many rounds, so the kills land mid-send.
    toml.write_text(unpaced.replace('name = "outbox"',
                                    'name = "outbox"\nrate_limit = 500.0\nbatch_size = 10'))
    folder = site / "outbox" / "what-matters"
    rng = random.Random(SEED)
    for _ in range(ROUNDS):
        kill_at_a_random_moment(site, folder, rng)

    toml.write_text(unpaced)  # no more kills: the runs that finish need no pace
    sent = assert_each_reader_once(site, folder, addresses)
    assert len(sent) > READERS // 2  # the rounds really made progress between kills

    # Whoever a kill left in doubt, the outbox's files settle: reconcile, one more send, and
    # every reader has exactly one message and is recorded as sent.
    settled = run_in_process(site, "reconcile")  # nothing is killed from here on: in-process
    assert settled.returncode == 0, settled.stdout + settled.stderr
    assert run_in_process(site, "send", "what-matters", "--yes").returncode == 0
    files = [name for name in os.listdir(folder) if name.endswith(".eml")]
    assert sorted(reader_of(name) for name in files) == sorted(
        (address, False) for address in addresses)
    assert set(ledger_states(site_settings(site)).values()) == {"sent"}


def assert_each_reader_once(site, folder, addresses: set[str]) -> set[str]:
    """After killed sends: two more runs finish the post, and then every reader has exactly one
    .eml or is listed in doubt, nobody has two, and the ledger matches the files. Returns the
    readers the ledger holds as sent."""
    final = run_cli(site, "send", "what-matters", "--yes")
    assert final.returncode in (0, 1), final.stderr
    again = run_cli(site, "send", "what-matters", "--yes")
    assert "Nothing left to send" in again.stdout
    # exit 1 while readers stay in doubt, on every send of the post until they are settled
    assert again.returncode == (1 if "in doubt" in again.stdout else 0), again.stderr

    files = [name for name in os.listdir(folder) if name.endswith(".eml")]
    copies = Counter(reader_of(name)[0] for name in files)
    assert [name for name in files if reader_of(name)[1]] == []  # zero duplicates
    assert max(copies.values()) == 1

    states = ledger_states(site_settings(site))
    assert set(states) == addresses
    assert set(states.values()) <= {"sent", "in_doubt"}
    sent = {a for a, s in states.items() if s == "sent"}
    in_doubt = {a for a, s in states.items() if s == "in_doubt"}
    for address in addresses:  # exactly one .eml, or listed in doubt
        assert copies[address] == 1 or address in in_doubt
    assert sent <= set(copies)  # every `sent` row has its file ...
    assert set(copies) <= sent | in_doubt  # ... and every file is in the ledger
    assert len(files) == len(sent) + len(in_doubt & set(copies))
    return sent


def submitting(site) -> int:
    """Rows the ledger holds as `submitting` right now (0 before it exists)."""
    path = site / ".newsletter" / "ledger.db"
    if not path.exists():
        return 0
    with closing(sqlite3.connect(path, timeout=10)) as db:
        try:
            return db.execute("SELECT count(*) FROM deliveries WHERE state = 'submitting'"
                              ).fetchone()[0]
        except sqlite3.OperationalError:  # the first run is still creating its tables
            return 0


def test_sigkill_between_a_batchs_claim_and_its_result_then_one_send_accounts_for_all(site):
    addresses = set(write_readers(site, 400))
    fake = start_fake("postmark", KEYS["postmark"], latency=0.3)  # batches stay on their way
    environ = provider_environ("postmark")
    rng = random.Random(SEED)
    try:
        write_provider_settings(site, name="postmark", api_url=fake.url, batch_size=10,
                                concurrency=2, timeout=30)
        for _ in range(6):
            process = start_cli(site, "send", "what-matters", "--yes", env=environ,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 30
            while not submitting(site) and process.poll() is None:
                assert time.monotonic() < deadline
                time.sleep(0.005)
            time.sleep(rng.uniform(0.0, 0.25))  # still before the 0.3 s answer
            process.send_signal(signal.SIGKILL)
            process.wait()
        assert submitting(site)  # the last kill left a batch on its way

        final = run_cli(site, "send", "what-matters", "--yes", env=environ)
        assert final.returncode == 1, final.stderr  # in doubt: the writer must look
        assert "An earlier run was interrupted with" in final.stdout
        status = run_in_process(site, "status", "what-matters", env=environ)
    finally:
        fake.close()

    states = ledger_states(site_settings(site))
    assert set(states) == addresses
    assert set(states.values()) <= {"sent", "in_doubt"}
    assert all(fake.accepted[address] <= 1 for address in addresses)  # nobody twice
    assert all(fake.accepted[address] == 1 for address, state in states.items()
               if state == "sent")
    in_doubt = sorted(address for address, state in states.items() if state == "in_doubt")
    # Each killed run left the post's Postmark template behind; the next found and reused
    # it (made once), and the run that finished removed it.
    assert (fake.api.templates.created, fake.api.templates.by_alias) == (1, {})
    assert in_doubt and "in flight" not in status.stdout
    assert f"in doubt {len(in_doubt)}, pending 0, not yet sent 0" in status.stdout
    assert all(f"  {address}: " in status.stdout or f"    {address}\n" in status.stdout
               for address in in_doubt)  # alone with its reason, or under a shared one
