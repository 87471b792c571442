"""A send after rows were appended to the list's last file reads only the new bytes, and gets
what a full read of the files gets: the same readers, in the same order, with the same values
(tokens), and the same problems, named by the same lines."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import pytest

from newsletter.subscribers import SubscriberStore

HEADER = "email,name,status,tags\n"
READERS = "".join(f"r{number}@example.com,Reader {number},,\n" for number in range(30))
APPENDED = "only they were read"


def write(path: Path, data: bytes) -> None:
    """The file replaced, as every command writes it, and old enough to be kept."""
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    then = time.time() - 60
    os.utime(path, (then, then))


def read(root: Path) -> tuple[list, list, list]:
    """(readers, problems, addresses whose value was made) of a send's read of the list."""
    store = SubscriberStore(directory=root / "subscribers", state_dir=root / ".newsletter")
    problems, asked = [], []

    def values(addresses: list[str]) -> list[str]:
        asked.extend(addresses)
        return [f"token of {address}" for address in addresses]

    readers = [tuple(reader) for chunk in store.active_with(values, "secret one", problems)
               for reader in chunk]
    return readers, [(problem.message, problem.where) for problem in problems], asked


def full_read(root: Path) -> tuple[list, list]:
    """What a read of every file gives, nothing kept from before."""
    for name in ("list_pass.json", "list_readers.jsonl"):
        (root / ".newsletter" / name).unlink(missing_ok=True)
    readers, problems, _ = read(root)
    return readers, problems


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "subscribers").mkdir()
    (tmp_path / ".newsletter").mkdir()
    return tmp_path


def appended_then_compared(root: Path, caplog, before: bytes, after: bytes,
                           other: bytes | None = None) -> tuple[list, list, list, bool]:
    """Read ``before`` (kept), then ``after``: (readers, problems, values made, whether only
    the appended bytes were read); asserted equal to a full read of ``after``."""
    if other is not None:  # a file before the last one, unchanged throughout
        write(root / "subscribers" / "a-imported.csv", other)
    last = root / "subscribers" / "subscribers.csv"
    write(last, before)
    read(root)
    write(last, after)
    with caplog.at_level(logging.DEBUG, logger="newsletter.subscribers.appended"):
        readers, problems, asked = read(root)
    alone = APPENDED in caplog.text
    assert (readers, problems) == full_read(root)
    return readers, problems, asked, alone


def test_a_sign_up_appended_is_read_alone_and_only_its_token_is_made(root, caplog):
    before = (HEADER + READERS).encode()
    readers, problems, asked, alone = appended_then_compared(
        root, caplog, before, before + b"new@example.com,New One,,\n")
    assert alone
    assert asked == ["new@example.com"]
    assert readers[-1] == ("new@example.com", "New One", "token of new@example.com")
    assert len(readers) == 31 and problems == []


def test_an_appended_unsubscribe_leaves_the_earlier_reader_out(root, caplog):
    before = (HEADER + READERS).encode()
    readers, _, asked, alone = appended_then_compared(
        root, caplog, before, before + b"R3@Example.com,,unsubscribed,\n")
    assert alone and asked == []
    assert "r3@example.com" not in {address for address, _, _ in readers}
    assert len(readers) == 29


def test_a_repeated_address_keeps_its_first_copy(root, caplog):
    before = (HEADER + READERS).encode()
    readers, _, asked, alone = appended_then_compared(
        root, caplog, before,
        before + b"r5@example.com,Someone Else,,\nn@example.com,First,,\nN@example.com,Second,,\n")
    assert alone and asked == ["n@example.com"]
    names = {address.lower(): name for address, name, _ in readers}
    assert names["r5@example.com"] == "Reader 5" and names["n@example.com"] == "First"
    assert len(readers) == 31


def test_the_appended_rows_problems_name_their_lines(root, caplog):
    before = (HEADER + READERS + "not an address,,,\n").encode()
    _, problems, _, alone = appended_then_compared(
        root, caplog, before, before + b"\nx@example.com,X,maybe,\nalso bad,,,\n")
    assert alone
    assert [where for _, where in problems] == [
        "subscribers/subscribers.csv:32", "subscribers/subscribers.csv:34",
        "subscribers/subscribers.csv:35"]


def test_an_append_after_an_append_is_read_alone_again(root, caplog):
    before = (HEADER + READERS).encode()
    middle = before + b"m@example.com,M,,\n"
    appended_then_compared(root, caplog, before, middle)
    caplog.clear()
    write(root / "subscribers" / "subscribers.csv", middle + b"z@example.com,Z,,\n")
    with caplog.at_level(logging.DEBUG, logger="newsletter.subscribers.appended"):
        readers, _, asked = read(root)
    assert APPENDED in caplog.text and asked == ["z@example.com"]
    assert readers[-2:] == [("m@example.com", "M", "token of m@example.com"),
                            ("z@example.com", "Z", "token of z@example.com")]


def test_a_reader_of_an_earlier_file_unsubscribed_at_the_end(root, caplog):
    other = b"email,name\nfirst@example.com,First File\n"
    before = (HEADER + READERS).encode()
    readers, _, _, alone = appended_then_compared(
        root, caplog, before, before + b"first@example.com,,bounced,\n", other=other)
    assert alone and readers[0][0] == "r0@example.com" and len(readers) == 30
