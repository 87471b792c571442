"""`subscribers import` of exports and lists as tools and spreadsheets really save them (the
files in tests/fixtures/imports, written by hand in each one's shape): who becomes active, who
is suppressed, every row accounted for."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import invoke

FIXTURES = Path(__file__).parent / "fixtures" / "imports"


def listed(site) -> dict[str, tuple[str, str]]:
    """Each reader's address -> (name, status), as `subscribers list` prints them."""
    lines = invoke(site, "subscribers", "list").stdout.splitlines()
    return {cells[0]: (cells[1], cells[2]) for cells in (line.split("\t") for line in lines)}


def imported(site, tmp_path, fixture: str, *options: str):
    """The result of importing a copy of ``fixture`` (under its own name)."""
    copy = tmp_path / fixture
    shutil.copyfile(FIXTURES / fixture, copy)
    return invoke(site, "subscribers", "import", str(copy), *options)


def test_addresses_kept_as_text_by_a_spreadsheet_are_the_readers_they_name(site, tmp_path):
    """Before: 'grace@example.org (Excel's text prefix) was imported as another address, so
    the bounced Grace stayed active; ="ada@example.com" (a text formula) was invalid."""
    result = imported(site, tmp_path, "excel_text_marks.csv")
    assert result.exit_code == 0, result.output
    assert "3 reader(s): active 1, unsubscribed 1, bounced 1" in result.output
    assert "added 1, updated 2, unchanged 0, skipped 0, invalid 0" in result.output
    readers = listed(site)
    assert readers["ada@example.com"] == ("Ada Lovelace", "unsubscribed")
    assert readers["grace@example.org"] == ("Grace Hopper", "bounced")
    assert readers["zip.reader@example.net"] == ("00721 Reader", "active")
    assert not any(address.startswith(("'", "=")) for address in readers)
