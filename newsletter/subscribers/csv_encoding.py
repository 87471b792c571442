"""How a subscriber file's bytes become text: an export's encoding, and the errors naming a
path that is no file, or a file that is not UTF-8.

An export may come as UTF-8 (with or without a byte order mark) or UTF-16 (Excel's "Unicode
Text"); a workbook, a zip archive or JSON handed over by mistake is refused by name. A file
that is not UTF-8 (Excel's "CSV (Comma delimited)" is Windows-1252, "CSV (Macintosh)" Mac
Roman) is refused naming the line of its first byte that is not.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from newsletter.errors import SubscriberError


# The first bytes of a workbook: a zip file (.xlsx, .ods, .numbers), or the compound file of
# Excel 97-2003 (.xls, which Excel still offers as "Excel 97-2003 Workbook").
WORKBOOKS = ((b"PK\x03\x04", ".xlsx or .ods"), (b"\xd0\xcf\x11\xe0", ".xls"))


def check_is_file(path: Path) -> None:
    """Refuse, saying what it is, a path handed to `import` that is no file to read."""
    if path.is_file():
        return
    if path.is_dir():  # an export unzipped: Mailchimp's holds one file per status
        raise SubscriberError("a folder, not a file", where=str(path),
                              hint="import each .csv file in it (an unzipped Mailchimp export "
                                   "holds one per status)")
    if path.exists():  # a device (a link to /dev/zero) or a pipe: no export to read
        raise SubscriberError("not a file (a device or a pipe)", where=str(path),
                              hint="save the export as a file and import that")
    raise SubscriberError("no such file", where=str(path), hint="check the path")


def export_encoding(path: Path, label: str) -> str:
    """How a file handed to `import` is encoded: UTF-8, or UTF-16 (Excel's "Unicode Text",
    with a byte order mark or, from other tools, without one: every other byte of its ASCII
    header is 0). A workbook, a zip or gzip archive, JSON or a vCard is refused by name."""
    with path.open("rb") as handle:
        start = handle.read(16)
    if start.removeprefix(codecs.BOM_UTF8).upper().startswith(b"BEGIN:VCARD"):
        raise SubscriberError("a vCard (address book) file, not CSV text", where=label,
                              hint="export the contacts as CSV, or list their addresses one a "
                                   "line under an 'email' header")
    start = start[:4]
    if start.startswith(b"PK\x03\x04") and path.suffix.lower() == ".zip":
        raise SubscriberError("a zip archive, not CSV text", where=label,
                              hint="unzip it and import the .csv files inside (Mailchimp's "
                                   "export holds one per status)")
    workbook = next((kind for magic, kind in WORKBOOKS if start.startswith(magic)), None)
    if workbook is not None:
        raise SubscriberError(f"a spreadsheet workbook ({workbook}), not CSV text", where=label,
                              hint="open it in your spreadsheet and save it as 'CSV UTF-8'")
    if start.startswith(b"\x1f\x8b"):
        raise SubscriberError("a gzip archive, not CSV text", where=label,
                              hint="unpack it (gunzip) and import the .csv file inside")
    if start.removeprefix(codecs.BOM_UTF8)[:1] in (b"[", b"{"):
        raise SubscriberError("JSON, not CSV text", where=label,
                              hint="export the subscribers as CSV from the service and import "
                                   "that file")
    if start[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16"
    if len(start) == 4 and start[1] == start[3] == 0 != start[0]:  # "e\0m\0": no mark
        return "utf-16-le"
    return "utf-16-be" if len(start) == 4 and start[0] == start[2] == 0 != start[1] else "utf-8"


def not_utf8(label: str, exc: UnicodeDecodeError, source: Path | None = None) -> SubscriberError:
    """A file that is not UTF-8 text; with ``source`` (the file), named at the first line
    holding a byte that is not, and that byte (a Windows-1252 or Mac Roman accent)."""
    found = _first_undecodable(source) if source is not None else None
    where, what = (label, exc.reason) if found is None else (f"{label}:{found[0]}",
                                                             f"byte 0x{found[1]:02x}")
    return SubscriberError(f"not UTF-8 text ({what})", where=where,
                           hint="save it as 'CSV UTF-8' from your spreadsheet")


_UNDECODED = re.compile("[\udc80-\udcff]")  # a byte not UTF-8, as surrogateescape reads it
READ_LIMIT = 1 << 20  # characters read at a time looking for it: a line is read in parts


def _first_undecodable(path: Path) -> tuple[int, int] | None:
    """(line, byte) of the first byte of ``path`` that is not UTF-8, lines counted as the
    CSV reader counts them (CR, LF or CRLF); None if there is none or it cannot be read."""
    try:
        with path.open(encoding="utf-8", errors="surrogateescape", newline="") as handle:
            number = 1
            while text := handle.readline(READ_LIMIT):
                if found := _UNDECODED.search(text):
                    return number, ord(found.group()) - 0xDC00
                number += text.endswith(("\n", "\r"))
    except OSError:
        return None
    return None
