"""Files that only look like an append to the list's last file since the kept read: each is
read as a full read reads it (same readers, order, tokens and problems), and only a true
append of whole lines is read alone."""

from __future__ import annotations

import pytest
from test_appended_rows import HEADER, READERS, appended_then_compared, full_read, read, root, write  # noqa: F401 (root: a fixture)

BEFORE = (HEADER + READERS).encode()
CRLF = BEFORE.replace(b"\n", b"\r\n")
IDS = ["partial-line-kept", "partial-line-appended", "bom-row", "bom-line", "crlf", "lone-cr",
       "row-changed", "row-suppressed-in-place", "truncated", "same-size-other-bytes",
       "unclosed-quote", "not-utf8", "quoted-line-break", "header-again-and-spaced-status"]


@pytest.mark.parametrize("before, after, alone", [
    # The kept read ended in a partial line: the appended bytes continue it.
    (BEFORE + b"late@example.com", BEFORE + b"late@example.com.uk,Late,,\n", False),
    # A partial line appended: read alone, as the end of the file.
    (BEFORE, BEFORE + b"part@example.com,Pa", True),
    # A byte order mark in the middle of the file is a character of the row, not a mark.
    (BEFORE, BEFORE + "\ufeffbom@example.com,Bom,,\n".encode(), True),
    (BEFORE, BEFORE + "\ufeff\n".encode(), True),
    # CRLF lines, and an appended row ending in CRLF.
    (CRLF, CRLF + b"crlf@example.com,Crlf,,\r\n", True),
    # A lone CR ending the kept read: the appended LF would join its line.
    (BEFORE + b"cr@example.com,,,\r", BEFORE + b"cr@example.com,,,\r\nnext@example.com,,,\n",
     False),
    # An edit that is not an append: a row changed, and rows added.
    (BEFORE, BEFORE.replace(b"r7@", b"q7@") + b"added@example.com,,,\n", False),
    (BEFORE, BEFORE.replace(b"r7@example.com,Reader 7,,", b"r7@example.com,Reader 7,bounced,")
     + b"added@example.com,,,\n", False),
    # Truncated, and the same size with other bytes.
    (BEFORE, BEFORE[:-40], False),
    (BEFORE, BEFORE.replace(b"Reader 9", b"Reader X"), False),
    # A quote left open in the appended rows, which a full read reports.
    (BEFORE, BEFORE + b'open@example.com,"Open\nafter@example.com,After,,\n', False),
    # Bytes that are not UTF-8.
    (BEFORE, BEFORE + b"bad@example.com,\xff\xfe,,\n", False),
    # A quoted name holding a line break and the separator: one record.
    (BEFORE, BEFORE + b'q@example.com,"Doe,\nJane",,\n', True),
    # A header appended again, and an unsubscribe in capitals with spaces.
    (BEFORE, BEFORE + HEADER.encode() + b" r1@EXAMPLE.com , , Unsubscribed ,\n", True),
], ids=IDS)
def test_an_append_or_not_reads_as_a_full_read_does(root, caplog, before, after, alone):
    _, _, _, read_alone = appended_then_compared(root, caplog, before, after)
    assert read_alone == alone


def test_a_file_without_a_header_is_read_in_full(root, caplog):
    before = b"".join(f"h{number}@example.com,H {number}\n".encode() for number in range(12))
    _, _, _, alone = appended_then_compared(root, caplog, before, before + b"x@example.com,X\n")
    assert not alone


def test_an_earlier_file_changed_too_is_read_in_full(root, caplog):
    write(root / "subscribers" / "a.csv", b"email\nfirst@example.com\n")
    last = root / "subscribers" / "subscribers.csv"
    write(last, BEFORE)
    read(root)
    write(root / "subscribers" / "a.csv", b"email\nfirst@example.com,unsubscribed\nr2@example.com\n")
    write(last, BEFORE + b"y@example.com,,,\n")
    with caplog.at_level("DEBUG", logger="newsletter.subscribers.appended"):
        readers, problems, _ = read(root)
    assert "only they were read" not in caplog.text
    assert (readers, problems) == full_read(root)


def test_more_appended_than_is_read_alone_is_read_in_full(root, caplog):
    from newsletter.subscribers.appended import APPENDED_MAX

    rows = b"".join(b"bulk%d@example.com,Bulk,,\n" % number
                    for number in range(APPENDED_MAX // 20))
    assert len(rows) > APPENDED_MAX
    readers, _, _, alone = appended_then_compared(root, caplog, BEFORE, BEFORE + rows)
    assert not alone and len(readers) == 30 + APPENDED_MAX // 20
