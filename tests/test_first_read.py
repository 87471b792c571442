"""A send's first read of a list (subscribers/first_read.py: a lean scan for who is suppressed
and who repeats, then the pass that streams the readers) reaches exactly the readers, and
reports exactly the problems, of a read that knew the answer, and hands out its first readers
before the list's last row is parsed."""

from __future__ import annotations

import os
import time
from pathlib import Path

from newsletter.subscribers import SubscriberStore
from newsletter.subscribers import csv_format

FIRST = """email,name,status
ann@example.com,Ann,active
bob@example.com,Bob,active
BOB@Example.com,Bob again,active
not-an-address,Nobody,active
cid@example.com,Cid,actve
dee@example.com,Dee,active
eve@example.com,Eve,active
"""
# Eve left in a later file: suppression wins over her earlier active row.
SECOND = """email,name,status
eve@example.com,Eve,unsubscribed
fay@example.com,"Fay, F.",active
ann@example.com,Ann twice,active
gus@example.com,"Gus
"""


def make_store(root: Path) -> SubscriberStore:
    folder = root / "subscribers"
    folder.mkdir()
    (folder / "a.csv").write_text(FIRST)
    (folder / "b.csv").write_text(SECOND)
    for path in folder.iterdir():  # older than a kept read's RECENT: the read is kept
        os.utime(path, (time.time() - 60, time.time() - 60))
    (root / ".newsletter").mkdir()
    return SubscriberStore(directory=folder, state_dir=root / ".newsletter")


def first_send(store: SubscriberStore) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(address, name, token) of each reader of a send to everyone, and its problems."""
    problems = []
    readers = [tuple(reader) for chunk in store.active_with(
        lambda addresses: [f"token-{address}" for address in addresses], "values", problems)
        for reader in chunk]
    return readers, [str(problem) for problem in problems]


def records_read(monkeypatch) -> list[int]:
    count = [0]
    split = csv_format.split_records

    def counting(*args, **kwargs):
        for record in split(*args, **kwargs):
            count[0] += 1
            yield record

    monkeypatch.setattr(csv_format, "split_records", counting)
    return count


def test_a_first_send_reaches_who_a_read_with_the_answer_kept_reached(tmp_path, monkeypatch):
    store = make_store(tmp_path)
    problems = []
    expected = [(reader.address, reader.name) for reader in store.active(problems)]
    expected_problems = [str(problem) for problem in problems]
    (store.state_dir / "list_pass.json").unlink()  # a first read again
    read = records_read(monkeypatch)

    readers, problems = first_send(store)

    assert [(address, name) for address, name, _ in readers] == expected == [
        ("ann@example.com", "Ann"), ("bob@example.com", "Bob"), ("dee@example.com", "Dee"),
        ("fay@example.com", "Fay, F.")]
    assert [token for _, _, token in readers] == [f"token-{a}" for a, _ in expected]
    assert problems == expected_problems and len(problems) == 3  # the address, the status, the quote
    # The quote-free file is scanned and passed without the full reader (its header alone
    # parsed, each time); the other is parsed by the scan, and by the pass from its start
    # again once a block holds a quote (after its header): 1 + 5, then 1 + 1 + 5.
    assert read[0] == 13


def test_a_first_send_of_a_long_list_hands_out_readers_before_its_last_row_is_parsed(
        tmp_path, monkeypatch):
    store = make_store(tmp_path)
    rows = "".join(f"reader{n}@example.com,Reader {n},active\n" for n in range(20_000))
    (store.directory / "a.csv").write_text("email,name,status\n" + rows +
                                           "reader7@example.com,Reader 7,unsubscribed\n")
    (store.directory / "b.csv").unlink()
    read = records_read(monkeypatch)

    chunks = store.active_with(lambda addresses: ["t"] * len(addresses), "values", [])
    first = next(chunks)

    assert read[0] < 2_000  # the header, and the rows of the first chunk or so
    assert "reader6@example.com" in [address for address, _, _ in first]
    assert "reader7@example.com" not in [address for address, _, _ in first]
    assert sum(len(chunk) for chunk in chunks) + len(first) == 19_999
    # Only the header is parsed by the full reader (by the scan and by the pass): each row is
    # split from its block by the pass too (first_read.pass_cells).
    assert read[0] == 2


def test_the_next_send_reads_back_what_the_first_one_read(tmp_path, monkeypatch):
    store = make_store(tmp_path)
    first = first_send(store)
    read = records_read(monkeypatch)

    assert first_send(SubscriberStore(directory=store.directory, state_dir=store.state_dir)) == first
    assert read[0] == 0


def test_a_state_folder_that_keeps_nothing_reads_the_same_readers(tmp_path):
    expected = first_send(make_store(tmp_path))
    copy = tmp_path / "copy"
    copy.mkdir()
    store = make_store(copy)
    store.state_dir.rmdir()
    store.state_dir.write_text("")  # no file can be kept in it, even by root

    assert first_send(store) == expected
