"""`subscribers import` of exports and lists as tools and spreadsheets really save them (the
files in tests/fixtures/imports, written by hand in each one's shape): who becomes active, who
is suppressed, every row accounted for."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
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
    assert "MailPoet subscribers export, 8 reader(s): active 3, unsubscribed 2, bounced 1, " \
           "unconfirmed 2" in result.output
    assert "added 6, updated 1, unchanged 0, skipped 0, invalid 0" in result.output
    assert "1 row(s) repeat a reader" in result.output
    readers = listed(site)
    assert {address: readers[address] for address in (
        "mina.active@example.com", "noa.nolist@example.com", "leo.list-left@example.com",
        "ada@example.com",
        "bo.bounced@example.com", "uma.unconfirmed@example.com",
        "ivo.inactive@example.com")} == {
        "mina.active@example.com": ("Mina Ruiz", "active"),
        "noa.nolist@example.com": ("Noa", "active"),  # on no list: no list status
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


# Each export as its tool writes it, what the import says of it, and each reader's outcome.
# Before, each was refused whole: the Newsletter plugin's (column 'status' holds 'C'), Sendy's
# (column 'status' holds 'Marked as spam').
EXPORTS = {
    # semicolons, every cell quoted, each row ending in one more separator than its header
    "newsletter-subscribers.csv": (
        "Newsletter plugin (WordPress) export, 5 reader(s): active 1, unsubscribed 1, "
        "bounced 1, complained 1, unconfirmed 1",
        {"nora.confirmed@example.com": ("Nora Lind", "active"),
         "ada@example.com": ("Ada Lovelace", "unsubscribed"),
         "otto.pending@example.com": ("Otto", "unconfirmed"),
         "bea.bounced@example.com": ("Bea", "bounced"),
         "pia.complained@example.com": ("Pia", "complained")}),
    # Sendy's "all" export of a list: every status in one file, no newline at its end
    "weekly-letters-all.csv": (
        "Sendy subscribers export, 5 reader(s): active 1, unsubscribed 1, bounced 1, "
        "complained 1, unconfirmed 1",
        {"sami.active@example.com": ("Sami Active", "active"),
         "ada@example.com": ("Ada Lovelace", "unsubscribed"),
         "bruno.bounced@example.com": ("Bruno", "bounced"),
         "sia.spam@example.com": ("Sia", "complained"),
         "uwe.unconfirmed@example.com": ("Uwe", "unconfirmed")}),
}


@pytest.mark.parametrize("fixture", sorted(EXPORTS))
def test_an_export_is_read_by_its_own_statuses_and_nobody_who_left_is_mailed(store_site,
                                                                             tmp_path, fixture):
    site = store_site
    summary, outcome = EXPORTS[fixture]
    result = imported(site, tmp_path, fixture)
    assert result.exit_code == 0, result.output
    assert summary in result.output
    assert "added 4, updated 1, unchanged 0, skipped 0, invalid 0" in result.output  # Ada
    readers = listed(site)
    assert {address: readers[address] for address in outcome} == outcome
    assert invoke(site, "send", "what-matters", "--yes").exit_code == 0
    mailed = sent_to(site)
    assert {address for address in outcome if address in mailed} == {
        address for address, (_, status) in outcome.items() if status == "active"}


def test_a_wrapped_header_cell_and_a_full_name_column_are_read_as_ours(store_site, tmp_path):
    """A sheet whose address header wraps ("E-mail⏎address", as Excel saves a wrapped cell) was
    refused ("no email column"); its "Full Name" was kept as a column of its own, the readers
    left nameless."""
    site = store_site
    result = imported(site, tmp_path, "sheet_wrapped_header_full_name.csv")
    assert result.exit_code == 0, result.output
    assert "3 reader(s): active 2, unsubscribed 1" in result.output
    assert "added 2, updated 1, unchanged 0, skipped 0, invalid 0" in result.output
    readers = listed(site)
    assert readers["fay.sheet@example.com"] == ("Fay Sheet", "active")
    assert readers["gus.sheet@example.com"] == ('Gus "Gee" Sheet', "active")
    assert readers["ada@example.com"] == ("Ada Lovelace", "unsubscribed")
    exported = invoke(site, "subscribers", "export").stdout
    assert exported.splitlines()[0] == "email,name,status,tags,subscribed_at,Notes"
    assert "met at the fair" in exported and '"two\nlines"' in exported


def test_a_name_in_parts_headed_in_german_or_french_is_the_readers_name(store_site, tmp_path):
    """Excel's "CSV UTF-8" from a German or French Excel (a BOM, semicolons, decimal commas):
    the readers were imported nameless, Vorname and Nachname (Prénom and Nom) kept as columns
    that no template reads; the German sheet was refused whole, its "Angemeldet am" (the day
    they signed up, as "Subscribed at") taken for a status."""
    site = store_site
    for fixture in ("excel_de_semicolons.csv", "excel_fr_prenom_nom.csv"):
        result = imported(site, tmp_path, fixture)
        assert result.exit_code == 0, result.output
        assert "2 reader(s): active 2" in result.output and "invalid 0" in result.output
    readers = listed(site)
    assert readers["juergen.gross@example.de"] == ("Jürgen Groß", "active")
    assert readers["renee.oest@example.at"] == ("Renée Ä-Öst", "active")
    assert readers["amelie.poulain@example.fr"] == ("Amélie Poulain", "active")
    assert readers["eloise@example.fr"] == ("Éloïse", "active")
    exported = invoke(site, "subscribers", "export").stdout
    assert ",Spende,Angemeldet am," in exported.splitlines()[0]
    assert '"12,50",08.12.2026' in exported  # a decimal comma stays one cell


def test_columns_no_reader_has_a_value_in_are_left_out_of_the_export_on_each_store(store_site,
                                                                                   tmp_path):
    """Curated's export (UTM columns, empty for every reader): the files store's export had no
    UTM columns, the PostgreSQL store's had all three, empty."""
    site = store_site
    result = imported(site, tmp_path, "curated_subscribers.csv")
    assert result.exit_code == 0, result.output
    assert "added 2, updated 0, unchanged 0, skipped 0, invalid 0" in result.output
    exported = invoke(site, "subscribers", "export").stdout.splitlines()
    assert exported[0] == "email,name,status,tags,subscribed_at,Subscribed at"
    assert exported[-1].startswith("dev.reader@example.com,,active,,") and \
        exported[-1].endswith(",2023-05-03 22:49:24 +0000")


def test_columns_of_ip_addresses_are_no_status(store_site, tmp_path):
    """A list of our own with the addresses readers signed up and confirmed from: refused
    before, 'Opt-in IP' named as a status to read with --status-column."""
    site = store_site
    result = imported(site, tmp_path, "list_with_ip_columns.csv")
    assert result.exit_code == 0, result.output
    assert "added 1, updated 1, unchanged 0, skipped 0, invalid 0" in result.output
    readers = listed(site)
    assert readers["ivy.ip@example.com"] == ("Ivy", "active")
    assert readers["ada@example.com"] == ("Ada Lovelace", "unsubscribed")
    header = invoke(site, "subscribers", "export").stdout.splitlines()[0]
    assert header == "email,name,status,tags,subscribed_at,Opt-in IP,Confirmation IP,Signed up"
