"""A send of unchanged files starts at once: who is suppressed and who repeats is kept between
reads (.newsletter/list_pass.json), and never used for files that changed since."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from newsletter.subscribers import SubscriberStore
from newsletter.subscribers import list_pass

READERS = [f"r{n}@example.com" for n in range(50)]


def make_store(tmp_path: Path) -> SubscriberStore:
    folder = tmp_path / "subscribers"
    folder.mkdir()
    (folder / "a.csv").write_text("email,status\n" + "\n".join(
        [f"{r},active" for r in READERS] + ["R7@EXAMPLE.COM,active", "r5@example.com,bounced"]))
    (tmp_path / ".newsletter").mkdir()
    return SubscriberStore(directory=folder, state_dir=tmp_path / ".newsletter")


def sent_to(store: SubscriberStore) -> list[str]:
    return [reader.address for reader in store.active()]


def first_passes(monkeypatch) -> list[int]:
    """Counts the reads of the whole list made before the first reader."""
    count = [0]
    read = list_pass.RepeatFilter

    def counting():
        count[0] += 1
        return read()

    monkeypatch.setattr(list_pass, "RepeatFilter", counting)
    return count


EXPECTED = [r for r in READERS if r != "r5@example.com"]


def test_a_second_send_of_the_same_files_skips_the_first_pass_and_reaches_the_same_readers(
        tmp_path, monkeypatch):
    store = make_store(tmp_path)
    passes = first_passes(monkeypatch)
    assert sent_to(store) == EXPECTED
    assert sent_to(SubscriberStore(directory=store.directory, state_dir=store.state_dir)) == EXPECTED
    assert passes[0] == 1
    kept = json.loads((store.state_dir / "list_pass.json").read_text())
    assert kept["listed"] == ["r5@example.com"] and "r7@example.com" in kept["repeats"]


def test_a_hand_edit_after_a_send_is_read_again(tmp_path, monkeypatch):
    store = make_store(tmp_path)
    assert sent_to(store) == EXPECTED
    passes = first_passes(monkeypatch)
    path = store.directory / "a.csv"
    with path.open("a") as handle:  # edited in place: same file, new size and time
        handle.write("\nr9@example.com,unsubscribed\nr20@example.com,active\n")
    assert sent_to(store) == [r for r in EXPECTED if r != "r9@example.com"]
    assert passes[0] == 1


def test_an_edit_that_keeps_the_size_is_read_again(tmp_path):
    store = make_store(tmp_path)
    assert sent_to(store) == EXPECTED
    path = store.directory / "a.csv"
    before = path.stat()
    path.write_text(path.read_text().replace("r4@example.com,active", "r4@example.com,zapped"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1))  # within one clock tick
    assert path.stat().st_size == before.st_size and path.stat().st_ino == before.st_ino
    assert sent_to(store) == [r for r in EXPECTED if r != "r4@example.com"]


@pytest.mark.parametrize("kept", ["not json", '{"signature": 3}', '[]',
                                  '{"signature": [], "listed": [1], "repeats": []}'])
def test_a_damaged_kept_pass_is_read_again(tmp_path, kept):
    store = make_store(tmp_path)
    (store.state_dir / "list_pass.json").write_text(kept)
    assert sent_to(store) == EXPECTED


def test_a_state_folder_that_cannot_take_the_pass_costs_only_time(tmp_path):
    store = make_store(tmp_path)
    (store.state_dir / "list_pass.json").mkdir()  # a write over it fails, even for root
    assert sent_to(store) == EXPECTED
    assert sent_to(store) == EXPECTED
    assert [p.name for p in store.state_dir.iterdir()] == ["list_pass.json"]  # no leftovers
