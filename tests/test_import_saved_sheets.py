"""`subscribers import` of exports and lists as tools and spreadsheets really save them (the
files in tests/fixtures/imports, written by hand in each one's shape): who becomes active, who
is suppressed, every row accounted for."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote

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


def test_addresses_kept_as_text_by_a_spreadsheet_are_the_readers_they_name(store_site,
                                                                          tmp_path):
    """Before: 'grace@example.org (Excel's text prefix) was imported as another address, so
    the bounced Grace stayed active; ="ada@example.com" (a text formula) was invalid."""
    site = store_site
    result = imported(site, tmp_path, "excel_text_marks.csv")
    assert result.exit_code == 0, result.output
    assert "3 reader(s): active 1, unsubscribed 1, bounced 1" in result.output
    assert "added 1, updated 2, unchanged 0, skipped 0, invalid 0" in result.output
    readers = listed(site)
    assert readers["ada@example.com"] == ("Ada Lovelace", "unsubscribed")
    assert readers["grace@example.org"] == ("Grace Hopper", "bounced")
    assert readers["zip.reader@example.net"] == ("00721 Reader", "active")
    assert not any(address.startswith(("'", "=")) for address in readers)


def sent_to(site) -> set[str]:
    return {unquote(path.stem) for path in (site / "outbox" / "what-matters").glob("*.eml")}


def test_a_mailpoet_export_is_read_by_its_global_and_list_status(store_site, tmp_path):
    """MailPoet's CSV (a BOM, every cell quoted, one row per reader and list, its own guard
    before a formula-like cell): refused before ('List status' holds a status)."""
    site = store_site
    result = imported(site, tmp_path, "MailPoet_export_1f3c9a.csv")
    assert result.exit_code == 0, result.output
    assert "MailPoet subscribers export, 7 reader(s): active 2, unsubscribed 2, bounced 1, " \
           "unconfirmed 2" in result.output
    assert "added 5, updated 1, unchanged 0, skipped 0, invalid 0" in result.output
    assert "1 row(s) repeat a reader" in result.output
    readers = listed(site)
    assert {address: readers[address] for address in (
        "mina.active@example.com", "leo.list-left@example.com", "ada@example.com",
        "bo.bounced@example.com", "uma.unconfirmed@example.com",
        "ivo.inactive@example.com")} == {
        "mina.active@example.com": ("Mina Ruiz", "active"),
        "leo.list-left@example.com": ("Leo", "unsubscribed"),  # left this list only
        "ada@example.com": ("Ada Lovelace", "unsubscribed"),
        "bo.bounced@example.com": ("-Bo", "bounced"),
        "uma.unconfirmed@example.com": ("Uma", "unconfirmed"),
        "ivo.inactive@example.com": ("Ivo", "unconfirmed")}  # MailPoet stopped mailing them
    exported = invoke(site, "subscribers", "export").stdout
    assert 'mina.active@example.com,Mina Ruiz,active,"Weekly digest,Book club",' \
           "2024-02-01 09:03:12\n" in exported  # its lists as tags, confirmed when
    assert invoke(site, "send", "what-matters", "--yes").exit_code == 0
    mailed = sent_to(site)
    assert "mina.active@example.com" in mailed
    assert not mailed & {"leo.list-left@example.com", "ada@example.com", "bo.bounced@example.com",
                         "uma.unconfirmed@example.com", "ivo.inactive@example.com"}


def test_the_newsletter_plugins_export_is_read_by_its_one_letter_statuses(store_site,
                                                                          tmp_path):
    """The Newsletter plugin's export (semicolons, every cell quoted, each row ending in one
    more separator than its header): refused before (column 'status' holds 'C')."""
    site = store_site
    result = imported(site, tmp_path, "newsletter-subscribers.csv")
    assert result.exit_code == 0, result.output
    assert "Newsletter plugin (WordPress) export, 5 reader(s): active 1, unsubscribed 1, " \
           "bounced 1, complained 1, unconfirmed 1" in result.output
    assert "added 4, updated 1, unchanged 0, skipped 0, invalid 0" in result.output
    readers = listed(site)
    assert {address: readers[address] for address in (
        "nora.confirmed@example.com", "ada@example.com", "otto.pending@example.com",
        "bea.bounced@example.com", "pia.complained@example.com")} == {
        "nora.confirmed@example.com": ("Nora Lind", "active"),
        "ada@example.com": ("Ada Lovelace", "unsubscribed"),
        "otto.pending@example.com": ("Otto", "unconfirmed"),
        "bea.bounced@example.com": ("Bea", "bounced"),
        "pia.complained@example.com": ("Pia", "complained")}
    assert invoke(site, "send", "what-matters", "--yes").exit_code == 0
    mailed = sent_to(site)
    assert "nora.confirmed@example.com" in mailed
    assert not mailed & {"ada@example.com", "otto.pending@example.com", "bea.bounced@example.com",
                         "pia.complained@example.com"}
