"""The suppression journal: an unsubscribe is durable and in effect before its 200, the files
follow in one rewrite for many changes, and a crash at any point of a fold loses nothing and
applies nothing twice."""

from __future__ import annotations

import csv
import io
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import requests
from conftest import REPO, invoke, run_cli
from web_server import SECRET, serving, statuses, subscriber_csv

from newsletter.config import load_settings
from newsletter.message.tokens import UnsubscribeTokens
from newsletter.subscribers import (
    Status,
    SubscriberStore,
    Suppression,
    fold_journal,
    record_suppressions,
)
from newsletter.web import NewsletterApp

SEED = 20261202


def store_of(site: Path) -> SubscriberStore:
    return SubscriberStore(directory=site / "subscribers", state_dir=site / ".newsletter")


def journal_rows(site: Path) -> list[tuple[str, str, str | None]]:
    """(address, status, folded_at) of every journalled change."""
    with sqlite3.connect(site / ".newsletter" / "journal.db") as db:
        return db.execute("SELECT address, status, folded_at FROM changes ORDER BY id").fetchall()


def csv_rows(site: Path) -> list[dict[str, str]]:
    rows = []
    for path in sorted((site / "subscribers").glob("*.csv")):
        rows += csv.DictReader(io.StringIO(path.read_bytes().decode(), newline=""))
    return rows


def one_click(base: str, address: str) -> requests.Response:
    return requests.post(f"{base}/unsubscribe/{UnsubscribeTokens(SECRET).make(address)}",
                         data={"List-Unsubscribe": "One-Click"}, timeout=30)


def test_a_one_click_unsubscribe_is_journalled_before_its_200_and_in_effect_at_once(site):
    readers = [f"r{n}@example.com" for n in range(40)]
    subscriber_csv(site, *readers)
    before = (site / "subscribers" / "subscribers.csv").read_bytes()
    app = NewsletterApp(load_settings(site, {"NEWSLETTER_SECRET": SECRET}))
    with serving(app) as base:
        assert one_click(base, readers[0]).status_code == 200
        # On disk in the journal when the 200 came, whatever the files say yet.
        assert [(address, status) for address, status, _ in journal_rows(site)] == [
            (readers[0], "unsubscribed")]
        store = store_of(site)
        assert readers[0] not in {reader.address for reader in store.active()}
        assert readers[0] in store.suppressed_addresses()
        assert not store.is_active(readers[0])
        for address in readers[1:30]:
            assert one_click(base, address).status_code == 200
        deadline = time.monotonic() + 60
        while any(folded is None for _, _, folded in journal_rows(site)):
            assert time.monotonic() < deadline, "the background fold never came"
            time.sleep(0.2)
    rows = {row["email"]: row["status"] for row in csv_rows(site)}
    assert rows == {address: "unsubscribed" if n < 30 else "active"
                    for n, address in enumerate(readers)}
    # Many changes per rewrite: thirty unsubscribes, far fewer folds.
    assert len({folded for _, _, folded in journal_rows(site)}) < 10
    after = (site / "subscribers" / "subscribers.csv").read_bytes()
    assert after == before.replace(b",active,", b",unsubscribed,", 30)


def test_a_fold_changes_only_status_cells_and_leaves_leavers_as_they_are(tmp_path):
    folder = tmp_path / "subscribers"
    folder.mkdir()
    messy = ("\ufeffEmail;Name;Status;City\r\n\r\nmia@EXAMPLE.com;Mia;;Oslo\r\n"
             "noah@example.org;Noah;bounced;\r\nolga@example.net;\"Olga; O.\";unconfirmed;Riga")
    (folder / "export.csv").write_text(messy, encoding="utf-8", newline="")
    store = SubscriberStore(directory=folder, state_dir=tmp_path / ".newsletter")
    record_suppressions(store, [Suppression("mia@example.com", "complained"),
                                Suppression("noah@example.org", "unsubscribed"),
                                Suppression("olga@example.net", "unsubscribed"),
                                Suppression("stranger@example.com", "bounced")])
    changed = fold_journal(store)
    assert sorted(entry.address for entry in changed) == ["mia@example.com", "olga@example.net"]
    assert (folder / "export.csv").read_bytes().decode() == messy.replace(
        "Mia;;", "Mia;complained;").replace("unconfirmed;Riga", "unsubscribed;Riga\r\n")
    assert not (folder / "subscribers.csv").exists()  # a stranger from a provider's list
    assert fold_journal(store) == []


FOLDER = """
import sys
from pathlib import Path
from newsletter.subscribers import SubscriberStore, fold_journal
site = Path(sys.argv[1])
fold_journal(SubscriberStore(directory=site / "subscribers", state_dir=site / ".newsletter"))
"""


def test_a_sigkill_at_any_moment_of_a_fold_loses_nothing_and_applies_nothing_twice(tmp_path):
    site = tmp_path / "site"
    (site / "subscribers").mkdir(parents=True)
    files = {name: [f"{name}{n}@example.com" for n in range(40_000)]
             for name in ("alpha", "beta", "gamma")}
    for name, addresses in files.items():
        (site / "subscribers" / f"{name}.csv").write_text(
            "email,name,status\n" + "".join(f"{a},Reader,active\n" for a in addresses))
    store = store_of(site)
    rng = random.Random(SEED)
    asked: dict[str, str] = {}
    for round_ in range(8):
        picks = [rng.choice(files[name]) for name in files for _ in range(10)]
        strangers = [f"gone{round_}-{n}@example.org" for n in range(3)]
        batch = [Suppression(address, rng.choice(["unsubscribed", "bounced"]), "test")
                 for address in picks + strangers]
        record_suppressions(store, batch, record_unknown=True)
        for suppression in batch:
            asked.setdefault(suppression.address, suppression.status)  # the first one stays
        process = subprocess.Popen([sys.executable, "-c", FOLDER, str(site)], cwd=REPO)
        time.sleep(rng.uniform(0.2, 1.5))  # start-up, then a fold of about a second
        process.send_signal(signal.SIGKILL)
        process.wait()
    (site / "newsletter.toml").write_text((REPO / "newsletter.toml").read_text())
    counted = run_cli(site, "subscribers", "count")  # any command folds what is left first
    assert counted.returncode == 0, counted.stderr

    rows = csv_rows(site)
    copies = Counter(row["email"] for row in rows)
    assert max(copies.values()) == 1  # nobody listed twice, no stranger added twice
    assert len(rows) == 120_000 + 8 * 3
    status = {row["email"]: row["status"] for row in rows}
    assert {address: status[address] for address in asked} == asked
    assert sum(1 for value in status.values() if value != "active") == len(asked)
    assert all(folded for _, _, folded in journal_rows(site))
    assert not list((site / "subscribers").glob(".*.tmp"))  # a killed rewrite's leftovers


def test_a_change_by_hand_during_a_send_is_seen_even_when_a_fold_follows_it(site):
    readers = [f"r{n}@example.com" for n in range(20)]
    subscriber_csv(site, *readers)
    sender = store_of(site)
    assert [reader.address for reader in sender.active()] == readers  # the send begins
    path = site / "subscribers" / "subscribers.csv"
    path.write_text(path.read_text().replace(f"{readers[5]},Reader 5,active",
                                             f"{readers[5]},Reader 5,unsubscribed"))
    other = store_of(site)
    other.set_status(readers[9], Status.UNSUBSCRIBED)  # a locked write folds and rewrites
    assert {readers[5], readers[9]} <= sender.suppressed_addresses()


def test_an_unsubscribe_for_a_reader_in_a_file_with_an_unclosed_quote_waits_for_the_fix(site):
    broken = site / "subscribers" / "broken.csv"
    broken.write_text('email,name,status\nq@example.com,"Unclosed,active\n'
                      "r@example.com,R,active\n")
    before = broken.read_bytes()
    store = store_of(site)
    record_suppressions(store, [Suppression("r@example.com", "unsubscribed", "one-click")])
    fold_journal(store)
    assert broken.read_bytes() == before  # never rewritten while the quote is open
    assert statuses(site)["r@example.com"] == "unsubscribed"  # but in effect all along
    assert "r@example.com" not in {reader.address for reader in store.active()}
    broken.write_text(before.decode().replace('"Unclosed', "Unclosed"))
    assert invoke(site, "subscribers", "count").exit_code == 0
    assert "r@example.com,R,unsubscribed" in broken.read_text()


def test_a_command_leaves_the_journal_merged_into_journal_db(site):
    # The last connection closed checkpoints the WAL: journal.db alone holds every change (a
    # backup of it misses none), and no -wal or -shm file is left beside it.
    for command in (("subscribers", "remove", "ada@example.com"), ("subscribers", "count"),
                    ("send", "what-matters", "--dry-run")):
        done = run_cli(site, *command)
        assert done.returncode == 0, done.stderr
        assert sorted(p.name for p in (site / ".newsletter").glob("journal.db*")) == \
            ["journal.db"], command
