"""A send of unchanged files reads its readers back from .newsletter/list_readers.jsonl instead
of parsing and checking the list again, and reaches exactly whom a read of the files would."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from newsletter.errors import SubscriberError
from newsletter.subscribers import SubscriberStore
from newsletter.subscribers import kept_readers

ROWS = ([f"r{n}@example.com,Reader {n},active" for n in range(1200)]
        + ["R7@EXAMPLE.COM,Again,active", "r5@example.com,,bounced", "not an address,X,active",
           'r1300@example.com,"Quote, ""Comma""",active', "r1301@Example.COM,Émile Zola,active"])


def make_store(tmp_path: Path) -> SubscriberStore:
    folder = tmp_path / "subscribers"
    folder.mkdir(exist_ok=True)
    (folder / "a.csv").write_text("email,name,status\n" + "\n".join(ROWS) + "\n")
    settled(folder / "a.csv")
    (tmp_path / ".newsletter").mkdir(exist_ok=True)
    return fresh(folder.parent)


def settled(path: Path) -> None:
    """``path`` as if last changed a minute ago: a read of files changed just now is not kept."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - 60 * 10**9))


def fresh(site: Path) -> SubscriberStore:
    """The store a new send opens."""
    return SubscriberStore(directory=site / "subscribers", state_dir=site / ".newsletter")


def token(address: str) -> str:
    return f"token-of-{address}"


def tokens(addresses: list[str]) -> list[str]:
    return [token(address) for address in addresses]


def pairs(store: SubscriberStore, values_id: str = "secret-1"
          ) -> tuple[list[tuple[str, str]], list[str]]:
    """(address, name) of each reader a send reads, and the problems it reports (each
    reader's value checked: their token, kept with them)."""
    problems = []
    readers = [tuple(reader) for chunk in store.active_with(tokens, values_id, problems)
               for reader in chunk]
    assert all(value == token(address) for address, _, value in readers)
    return [(address, name) for address, name, _ in readers], [str(p) for p in problems]


def from_files(store: SubscriberStore) -> tuple[list[tuple[str, str]], list[str]]:
    """The same, read from the files (what active() yields)."""
    problems = []
    readers = [(reader.address, reader.name) for reader in store.active(problems)]
    return readers, [str(problem) for problem in problems]


def reads_of_the_files(monkeypatch) -> list[int]:
    """Counts the complete reads of the files that a send's pass keeps."""
    count = [0]
    done = kept_readers.Keeper.done

    def counting(self, problems):
        count[0] += 1
        done(self, problems)

    monkeypatch.setattr(kept_readers.Keeper, "done", counting)
    return count


def test_a_second_send_reads_the_kept_readers_and_reaches_the_same_ones(tmp_path, monkeypatch):
    store = make_store(tmp_path)
    reads = reads_of_the_files(monkeypatch)
    first = pairs(store)
    assert first == from_files(store)
    assert ("r1301@example.com", "Émile Zola") in first[0]
    assert ("r1300@example.com", 'Quote, "Comma"') in first[0]
    assert len(first[1]) == 1 and "not an address" in first[1][0]  # reported every time
    assert pairs(fresh(tmp_path)) == first
    assert reads[0] == 1  # the second send read none of the files' rows


def test_who_unsubscribed_since_the_readers_were_kept_is_left_out(tmp_path):
    store = make_store(tmp_path)
    pairs(store)
    later = fresh(tmp_path)
    later.suppress([("r3@example.com", "r3@example.com", "unsubscribed", ""),
                    ("r7@example.com", "r7@example.com", "complained", "")], record_unknown=True)
    readers, _ = pairs(later)
    assert readers == from_files(fresh(tmp_path))[0]
    assert not {"r3@example.com", "r7@example.com", "R7@example.com"} & {a for a, _ in readers}


def test_a_hand_edit_is_read_from_the_files(tmp_path, monkeypatch):
    store = make_store(tmp_path)
    pairs(store)
    reads = reads_of_the_files(monkeypatch)
    path = store.directory / "a.csv"
    before = path.stat()
    # The same size, within one clock tick: a new name for one reader, another one gone.
    path.write_text(path.read_text().replace("r4@example.com,Reader 4,active",
                                             "r4@example.com,Readerx4,active")
                    .replace("r9@example.com,Reader 9,active", "r9@example.com,Reader 9,zapped"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1))
    readers, _ = pairs(fresh(tmp_path))
    assert ("r4@example.com", "Readerx4") in readers
    assert "r9@example.com" not in {address for address, _ in readers}
    assert (readers, reads[0]) == (from_files(fresh(tmp_path))[0], 1)


def test_a_read_that_stops_early_keeps_nothing(tmp_path, monkeypatch):
    store = make_store(tmp_path)
    chunks = store.active_with(tokens, "secret-1", [])
    next(chunks)
    chunks.close()  # the send stopped after its first chunk
    assert sorted(p.name for p in store.state_dir.iterdir()
                  if "list_readers" in p.name) == []
    reads = reads_of_the_files(monkeypatch)
    assert pairs(fresh(tmp_path)) == from_files(store)
    assert reads[0] == 1


def test_a_damaged_or_older_file_is_not_used(tmp_path):
    store = make_store(tmp_path)
    expected = pairs(store)
    kept = store.state_dir / kept_readers.KEPT_FILE
    head, _, rest = kept.read_text().partition("\n")
    kept.write_text(head.replace(f'"format": {kept_readers.FORMAT}', '"format": 0') + "\n" + rest)
    assert pairs(fresh(tmp_path)) == expected
    kept.write_text("not json\n")
    assert pairs(fresh(tmp_path)) == expected


@pytest.mark.parametrize("damage", [
    lambda lines: [*lines[:2], lines[2][:40], *lines[3:]],  # a line cut in the middle
    lambda lines: lines[:2],  # cut short: the head and the first 500 readers
], ids=["a line cut", "cut short"])
def test_a_kept_file_damaged_past_its_first_line_stops_the_read_and_is_removed(tmp_path, damage):
    store = make_store(tmp_path)
    expected = pairs(store)
    kept = store.state_dir / kept_readers.KEPT_FILE
    kept.write_text("\n".join(damage(kept.read_text().splitlines())) + "\n")
    with pytest.raises(SubscriberError, match="list_readers.jsonl is damaged"):
        pairs(fresh(tmp_path))
    assert not kept.exists()
    assert pairs(fresh(tmp_path)) == expected


def test_values_kept_for_another_secret_are_made_again(tmp_path, monkeypatch):
    store = make_store(tmp_path)
    expected = pairs(store, "secret-1")
    reads = reads_of_the_files(monkeypatch)
    assert pairs(fresh(tmp_path), "secret-2") == expected
    assert reads[0] == 1


def test_what_a_killed_send_left_half_written_is_removed_by_the_next_read(tmp_path):
    store = make_store(tmp_path)
    chunks = store.active_with(tokens, "secret-1", [])
    next(chunks)  # the send is killed here: its file stays half written
    leftovers = [p for p in store.state_dir.iterdir() if "list_readers" in p.name]
    assert len(leftovers) == 1 and leftovers[0].name.startswith(".list_readers.jsonl.")
    expected = pairs(fresh(tmp_path))
    assert sorted(p.name for p in store.state_dir.iterdir()
                  if "list_readers" in p.name) == ["list_readers.jsonl"]
    assert pairs(fresh(tmp_path)) == expected


def test_an_edit_in_the_same_clock_tick_as_the_read_is_never_hidden_by_the_kept_file(tmp_path):
    """A file's mtime moves in ticks (jiffies; a whole second or two on FAT, HFS+ and some
    network shares): an edit in place that keeps the size, in the tick of the change the send
    read, leaves inode, mtime and size as they were. A read of files changed that recently
    is not kept; the next send reads them."""
    store = make_store(tmp_path)
    path = store.directory / "a.csv"
    os.utime(path)  # changed just now, as the send starts
    before = path.stat()
    first, _ = pairs(store)
    assert ("r4@example.com", "Reader 4") in first
    path.write_text(path.read_text().replace("r4@example.com,Reader 4,active",
                                             "r4@example.com,Reader 4,zapped"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # the same tick
    assert (path.stat().st_ino, path.stat().st_size) == (before.st_ino, before.st_size)
    readers, _ = pairs(fresh(tmp_path))
    assert "r4@example.com" not in {address for address, _ in readers}



def test_an_edit_whose_mtime_and_size_were_put_back_is_never_hidden_by_the_kept_file(tmp_path):
    """`cp -p`, `rsync -t` and `touch -r` put back a file's modification time; an edit that
    keeps the size then leaves inode, mtime and size as the kept read saw them. The change
    time moves all the same."""
    store = make_store(tmp_path)
    path = store.directory / "a.csv"
    before = path.stat()
    first, _ = pairs(store)
    assert ("r4@example.com", "Reader 4") in first
    while time.time_ns() < before.st_ctime_ns + 50_000_000:  # the change time's next tick
        time.sleep(0.01)
    path.write_text(path.read_text().replace("r4@example.com,Reader 4,active",
                                             "r4@example.com,Reader 4,zapped"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p` leaves it
    assert (path.stat().st_ino, path.stat().st_size, path.stat().st_mtime_ns) == (
        before.st_ino, before.st_size, before.st_mtime_ns)
    readers, _ = pairs(fresh(tmp_path))
    assert "r4@example.com" not in {address for address, _ in readers}


def test_after_an_edit_only_the_new_readers_values_are_made(tmp_path):
    store = make_store(tmp_path)
    pairs(store)
    path = store.directory / "a.csv"
    path.write_text(path.read_text().replace("r4@example.com,Reader 4,active\n", "")
                    + "new@example.com,New,active\n")
    settled(path)
    asked: list[str] = []

    def counted(addresses: list[str]) -> list[str]:
        asked.extend(addresses)
        return tokens(addresses)

    problems = []
    readers = [tuple(r) for chunk in fresh(tmp_path).active_with(counted, "secret-1", problems)
               for r in chunk]
    assert asked == ["new@example.com"]  # the others' values came from the kept read
    assert all(value == token(address) for address, _, value in readers)
    assert [(a, n) for a, n, _ in readers] == from_files(fresh(tmp_path))[0]
    assert "r4@example.com" not in {a for a, _, _ in readers}
    asked.clear()
    assert [tuple(r) for chunk in fresh(tmp_path).active_with(counted, "secret-1", [])
            for r in chunk] == readers and asked == []  # the edited files' read was kept


def test_values_kept_for_another_secret_are_not_reused_after_an_edit(tmp_path):
    store = make_store(tmp_path)
    pairs(store, "secret-1")
    path = store.directory / "a.csv"
    path.write_text(path.read_text() + "new@example.com,New,active\n")
    settled(path)
    asked: list[str] = []

    def other_secret(addresses: list[str]) -> list[str]:
        asked.extend(addresses)
        return [f"other-{address}" for address in addresses]

    readers = [r for chunk in fresh(tmp_path).active_with(other_secret, "secret-2", [])
               for r in chunk]
    assert all(value == f"other-{address}" for address, _, value in readers)
    assert len(asked) == len(readers)


def test_values_are_read_along_a_window_and_a_reader_moved_far_gets_a_made_one(tmp_path,
                                                                                monkeypatch):
    monkeypatch.setattr(kept_readers.EarlierValues, "WINDOW", 100)
    store = make_store(tmp_path)
    pairs(store)
    path = store.directory / "a.csv"
    lines = path.read_text().splitlines(keepends=True)
    # 300 readers gone (more than the window holds), and the first one moved to the end
    path.write_text("".join([lines[0], *lines[2:20], *lines[320:], lines[1]]))
    settled(path)
    asked: list[str] = []
    peak = [0]
    take = kept_readers.EarlierValues.take

    def watched(self, addresses):
        peak[0] = max(peak[0], len(self.ahead))
        return take(self, addresses)

    def counted(addresses: list[str]) -> list[str]:
        asked.extend(addresses)
        return tokens(addresses)

    monkeypatch.setattr(kept_readers.EarlierValues, "take", watched)
    readers = [tuple(r) for chunk in fresh(tmp_path).active_with(counted, "secret-1", [])
               for r in chunk]
    assert all(value == token(address) for address, _, value in readers)
    assert [(a, n) for a, n, _ in readers] == from_files(fresh(tmp_path))[0]
    assert asked == ["r0@example.com"]  # the rest came from the kept read, past the gap
    assert peak[0] <= 100 + 2 * kept_readers.CHUNK  # the window, a chunk asked, a line
