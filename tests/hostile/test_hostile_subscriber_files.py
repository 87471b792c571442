"""Hostile subscriber files and imports: one line, exit 2, nothing changed, no traceback."""

from __future__ import annotations

import codecs
import gzip
import os
import sqlite3

import pytest
from conftest import invoke, run_cli
from web_server import statuses

from newsletter.subscribers import SubscriberStore, Suppression, record_suppressions

HOSTILE_IMPORTS = {
    "a cell past the CSV field limit": "email,name\nx@example.com," + "A" * 200_000 + "\n",
    "no email column": "name,city\nAda,London\n",
    "a status nobody defined": "email,status\nx@example.com,maybe-later\n",
}


@pytest.mark.parametrize("text", HOSTILE_IMPORTS.values(), ids=HOSTILE_IMPORTS.keys())
def test_a_hostile_import_is_one_line_and_changes_nothing(site, tmp_path, text):
    path = tmp_path / "hostile.csv"
    path.write_text(text, encoding="utf-8")
    before = {p.name: p.read_bytes() for p in (site / "subscribers").iterdir()}
    result = run_cli(site, "subscribers", "import", str(path))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"error: {path}")
    assert {p.name: p.read_bytes() for p in (site / "subscribers").iterdir()} == before


@pytest.mark.parametrize("cell", [
    "[" * 5_000 + "]" * 5_000,  # nesting deep enough to exhaust a recursive parser
    "['a', " * 3_000,  # a list that never closes
    "[" + ",".join(["'x'"] * 20_000) + "]",  # a long list within the field limit
    "__import__('os').system('false')",  # never evaluated: only literals are read
])
def test_tags_cells_built_to_hurt_the_parser_are_read_as_text(site, tmp_path, cell):
    path = tmp_path / "subscribers.csv"
    path.write_text("id,email,creation_date,tags,type\n"
                    f'1,t@example.com,2024-01-01,"{cell}",regular\n', encoding="utf-8")
    result = invoke(site, "subscribers", "import", str(path))
    assert result.exit_code == 0, result.output
    assert statuses(site)["t@example.com"] == "active"


def test_ten_thousand_events_for_one_address_are_one_journalled_change(site):
    store = SubscriberStore(directory=site / "subscribers", state_dir=site / ".newsletter")
    kinds = ["unsubscribed", "bounced", "complained"]
    record_suppressions(store, [Suppression("ada@example.com", kinds[n % 3], "hook")
                                for n in range(10_000)])
    with sqlite3.connect(site / ".newsletter" / "journal.db") as db:
        assert db.execute("SELECT address, status FROM changes").fetchall() == [
            ("ada@example.com", "complained")]  # the strongest, once


def test_a_journal_that_is_not_a_database_is_one_line_not_a_traceback(site):
    state = site / ".newsletter"
    state.mkdir()
    (state / "journal.db").write_bytes(b"this is not SQLite" * 100)
    result = run_cli(site, "subscribers", "count")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: {state / 'journal.db'}: not a suppression journal")


def test_terminal_escapes_and_line_breaks_in_a_name_do_not_reach_the_terminal(site):
    with open(site / "subscribers" / "subscribers.csv", "a") as handle:
        handle.write('mallory@example.com,"\x1b]52;c;cm0gLXJmIH4=\x07Mal\r\nlory",active,,\n')

    result = invoke(site, "subscribers", "list")

    assert "\x1b" not in result.output and "\r" not in result.output
    assert "mallory@example.com\t\\x1b]52;c;cm0gLXJmIH4=\\x07Mal\\r\\nlory\tactive\t" in (
        result.output.splitlines())


NOT_CSV = {  # what is handed to import -> what the one line says it is
    "a link to /dev/zero": ("not a file (a device or a pipe); save the export as a file and "
                            "import that"),
    "a named pipe": "not a file (a device or a pipe); save the export as a file and "
                    "import that",
    "an Excel 97-2003 workbook": ("a spreadsheet workbook (.xls), not CSV text; open it in your "
                                  "spreadsheet and save it as 'CSV UTF-8'"),
    "a gzipped export": "a gzip archive, not CSV text; unpack it (gunzip) and import the .csv "
                        "file inside",
    "a path to nothing": "no such file; check the path",
    # Apple Contacts and Outlook share contacts as vCards (was 'no email column in the header')
    "a vCard file": "a vCard (address book) file, not CSV text; export the contacts as CSV, "
                    "or list their addresses one a line under an 'email' header",
    # Mailchimp's export unzipped: a folder of one file per status (was click's usage text)
    "an unzipped export's folder": "a folder, not a file; import each .csv file in it (an "
                                   "unzipped Mailchimp export holds one per status)",
}


@pytest.mark.parametrize("kind", NOT_CSV, ids=NOT_CSV.keys())
def test_what_is_no_csv_file_is_named_for_what_it_is(site, tmp_path, kind):
    """Before: a link to /dev/zero or a pipe was 'no such file; check the path' (it is there),
    and a .xls workbook 'not UTF-8 text (byte 0xd0)', which no saving as UTF-8 fixes."""
    path = tmp_path / "members.csv"
    if kind == "a link to /dev/zero":
        path.symlink_to("/dev/zero")
    elif kind == "a named pipe":
        os.mkfifo(path)
    elif kind == "a path to nothing":
        pass
    elif kind == "a vCard file":
        path.write_bytes(codecs.BOM_UTF8 + b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Vera Card\r\n"
                         b"EMAIL;type=INTERNET:vera@example.com\r\nEND:VCARD\r\n")
    elif kind == "an unzipped export's folder":
        path.mkdir()
        (path / "cleaned_members_export_1a.csv").write_text("Email Address\nx@example.com\n")
    elif kind == "an Excel 97-2003 workbook":
        path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504))
    else:
        path.write_bytes(gzip.compress(b"email\nzipped@example.com\n"))
    before = (site / "subscribers" / "subscribers.csv").read_bytes()
    result = invoke(site, "subscribers", "import", str(path))
    assert result.exit_code == 2
    assert result.stderr == f"error: {path}: {NOT_CSV[kind]}\n"
    assert (site / "subscribers" / "subscribers.csv").read_bytes() == before


def test_a_carriage_return_in_a_cell_stays_in_its_row_and_a_leaver_stays_left(site, tmp_path):
    """Before: Python's csv writer quotes only its own line terminator ("\\n"), so a name
    holding a lone "\\r" (an old Mac file, a form) was written bare into subscribers.csv and
    read back as two rows: the leaver's row lost its status and was mailed as active, and
    `subscribers export` broke the same way."""
    export = tmp_path / "leavers.csv"
    export.write_bytes(b'email,name,status\r\ncr@example.com,"Left\rHere",unsubscribed\r\n')
    assert invoke(site, "subscribers", "import", str(export)).exit_code == 0
    listed = invoke(site, "subscribers", "list").stdout
    assert "cr@example.com\tLeft\\rHere\tunsubscribed\t\n" in listed
    checked = invoke(site, "subscribers", "check")
    assert checked.exit_code == 0, checked.stdout
    exported = invoke(site, "subscribers", "export").stdout_bytes
    assert b'cr@example.com,"Left\rHere",unsubscribed,' in exported
