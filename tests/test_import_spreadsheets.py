"""`subscribers import` of lists as spreadsheets save them: Excel's "Unicode Text" (UTF-16,
tab-separated), a workbook handed over by mistake, a name split into first and last."""

from __future__ import annotations

import codecs
import zipfile

from conftest import invoke


def listed(site) -> dict[str, tuple[str, str]]:
    """Each reader's address -> (name, status), as `subscribers list` prints them."""
    lines = invoke(site, "subscribers", "list").stdout.splitlines()
    return {cells[0]: (cells[1], cells[2]) for cells in (line.split("\t") for line in lines)}


def test_excel_unicode_text_is_imported_with_its_accents(site, tmp_path):
    text = "E-mail Address\tName\r\nulrich@example.com\tÜlrich Öst\r\nzoe@example.org\tZoë\r\n"
    for name, (codec, mark) in {"le": ("utf-16-le", codecs.BOM_UTF16_LE),
                                "be": ("utf-16-be", codecs.BOM_UTF16_BE),
                                "unmarked": ("utf-16-le", b"")}.items():
        export = tmp_path / f"{name}.txt"
        export.write_bytes(mark + text.replace("ulrich@", f"ulrich.{name}@").encode(codec))
        result = invoke(site, "subscribers", "import", str(export))
        assert result.exit_code == 0, result.output
    readers = listed(site)
    for name in ("le", "be", "unmarked"):
        assert readers[f"ulrich.{name}@example.com"] == ("Ülrich Öst", "active")
    assert readers["zoe@example.org"] == ("Zoë", "active")


def refused(site, export, why: str, line: int | None = None) -> None:
    """Importing ``export`` fails in one line saying ``why`` (at ``line``), and the list is as
    it was."""
    before = (site / "subscribers" / "subscribers.csv").read_bytes()
    result = invoke(site, "subscribers", "import", str(export))
    assert result.exit_code == 2
    where = export if line is None else f"{export}:{line}"
    assert result.stderr.strip() == f"error: {where}: {why}"
    assert (site / "subscribers" / "subscribers.csv").read_bytes() == before


def test_a_workbook_is_refused_by_name_and_nothing_changes(site, tmp_path):
    workbook = tmp_path / "members.xlsx"
    with zipfile.ZipFile(workbook, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    refused(site, workbook, "a spreadsheet workbook (.xlsx or .ods), not CSV text; open it in "
                            "your spreadsheet and save it as 'CSV UTF-8'")
    archive = tmp_path / "audience_export.zip"
    archive.write_bytes(workbook.read_bytes())
    refused(site, archive, "a zip archive, not CSV text; unzip it and import the .csv files "
                           "inside (Mailchimp's export holds one per status)")


def test_a_json_export_is_refused_in_one_line_and_nothing_changes(site, tmp_path):
    export = tmp_path / "subscribers.json"
    export.write_bytes(codecs.BOM_UTF8 + b'[{"email": "json.reader@example.com", '
                       b'"type": "unsubscribed", "notes": "' + b"x" * 5000 + b'"}]')
    refused(site, export, "JSON, not CSV text; export the subscribers as CSV from the service "
                          "and import that file")


def test_first_and_last_name_columns_make_the_readers_name(site, tmp_path):
    export = tmp_path / "audience.csv"
    export.write_text("Email Address,First Name,Last Name\nmary@example.com,Mary,Shelley\n"
                      "percy@example.com,Percy,\n,,\nsolo@example.com,,\n", encoding="utf-8")
    result = invoke(site, "subscribers", "import", str(export))
    assert result.exit_code == 0, result.output
    readers = listed(site)
    assert readers["mary@example.com"] == ("Mary Shelley", "active")
    assert readers["percy@example.com"] == ("Percy", "active")
    assert readers["solo@example.com"] == ("", "active")


def test_excels_separator_line_is_read_as_the_separator_and_kept_on_a_rewrite(site, tmp_path):
    export = tmp_path / "europe.csv"
    export.write_bytes(b"sep=;\r\nE-mail;Name\r\nanna@example.com;Anna, the first\r\n")
    assert invoke(site, "subscribers", "import", str(export)).exit_code == 0
    assert listed(site)["anna@example.com"] == ("Anna, the first", "active")

    kept = site / "subscribers" / "europe.csv"
    kept.write_bytes(b"sep=;\r\nemail;name\r\nbert@example.com;Bert\r\n")
    assert invoke(site, "subscribers", "remove", "bert@example.com").exit_code == 0
    assert kept.read_bytes() == (b"sep=;\r\nemail;name;status\r\n"
                                 b"bert@example.com;Bert;unsubscribed\r\n")


def test_addresses_written_with_a_display_name_or_mailto_are_the_readers_they_name(site,
                                                                                   tmp_path):
    # Pasted from a mail client or a web page: "Name <address>", "<address>", mailto: links
    leavers = tmp_path / "unsubscribes.csv"
    leavers.write_text('email\n"Ada Lovelace <Ada@Example.com>"\nmailto:grace@example.org\n',
                       encoding="utf-8")
    result = invoke(site, "subscribers", "import", str(leavers))
    assert result.exit_code == 0, result.output
    assert "2 reader(s): unsubscribed 2" in result.output and "invalid 0" in result.output
    readers = listed(site)
    assert readers["ada@example.com"] == ("Ada Lovelace", "unsubscribed")
    assert readers["grace@example.org"] == ("Grace Hopper", "unsubscribed")

    newcomers = tmp_path / "newcomers.csv"
    newcomers.write_text('Email,Name\n"""Nia, N."" <nia@example.com>",\n<ola@example.com>,Ola\n'
                         "MAILTO:pia@example.com?subject=hello,Pia\n", encoding="utf-8")
    result = invoke(site, "subscribers", "import", str(newcomers))
    assert result.exit_code == 0, result.output
    assert "invalid 0" in result.output
    readers = listed(site)
    assert readers["nia@example.com"] == ("Nia, N.", "active")
    assert readers["ola@example.com"] == ("Ola", "active")
    assert readers["pia@example.com"] == ("Pia", "active")


def test_a_spreadsheets_empty_columns_at_the_right_do_not_join_the_list(site, tmp_path):
    """Before: the header of subscribers.csv took an empty column (`...,subscribed_at,`) from
    an export whose rows end in empty cells, and `subscribers export` wrote it out; a cell
    under no name that holds something is kept, as `columnN`."""
    export = tmp_path / "from-a-sheet.csv"
    export.write_text("Email,Name,,,\r\n,,,,\r\nsam@example.org,Sam,,,\r\n"
                      "lee@example.org,Lee,,note,\r\n", encoding="utf-8")
    assert invoke(site, "subscribers", "import", str(export)).exit_code == 0
    header = (site / "subscribers" / "subscribers.csv").read_text().splitlines()[0]
    assert header == "email,name,status,tags,subscribed_at,column4"
    exported = invoke(site, "subscribers", "export").stdout.splitlines()
    assert exported[0] == header
    assert exported[-1].startswith("lee@example.org,Lee,active,,") and \
        exported[-1].endswith(",note")


def test_a_title_above_the_header_is_refused_naming_the_header_line(site, tmp_path):
    # A report saved with its title row. With an address in the title the file was read as one
    # without a header, column by position: refused for "column 'status' holds 'Notes'" (its
    # header row read as a reader); without one, "no email column": neither said where it is
    report = tmp_path / "readers-report.csv"
    report.write_text("Readers exported by owner@example.com on 2024-05-01,,,\n"
                      "Email,Name,Notes,Status\r\nada@example.com,Ada,,unsubscribed\n")
    refused(site, report, "the header is line 2, not line 1; delete the lines above line 2",
            line=1)
    titled = tmp_path / "titled.csv"
    titled.write_text("Our readers\n\nE-mail Address;Name\nzed@example.com;Zed\n")
    refused(site, titled, "the header is line 3, not line 1; delete the lines above line 3",
            line=1)


def test_a_list_without_a_header_is_read_from_its_first_reader_on(site, tmp_path):
    # A header pasted below a first reader is a bad row, not the header: the readers are read
    pasted = tmp_path / "pasted.csv"
    pasted.write_text("nh1@example.com,Nia\nEmail,Name\nnh2@example.com,Ned\n")
    result = invoke(site, "subscribers", "import", str(pasted))
    assert result.exit_code == 0, result.output
    assert "added 2," in result.output and f"{pasted}:2: 'Email' is not a valid" in result.output
    assert listed(site)["nh2@example.com"] == ("Ned", "active")


def test_a_google_contacts_export_is_read_by_its_first_email_value(site, tmp_path):
    # Google Contacts' CSV names its address columns "E-mail 1 - Value", "E-mail 2 - Value"
    export = tmp_path / "contacts.csv"
    export.write_text("First Name,Middle Name,Last Name,Nickname,Labels,E-mail 1 - Label,"
                      "E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,"
                      "Phone 1 - Value\n"
                      "Rosa,,Quint,,* myContacts ::: Newsletter,* Home,rosa.q@example.com,"
                      "Work,rq@work.example,,\n"
                      "Phone,,Only,,* myContacts,,,,,Mobile,+1 555 0100\n", encoding="utf-8")
    result = invoke(site, "subscribers", "import", str(export))
    assert result.exit_code == 0, result.output
    assert "added 1, updated 0, unchanged 0, skipped 0, invalid 1" in result.output
    assert f"{export}:3: no email address" in result.output
    readers = listed(site)
    assert readers["rosa.q@example.com"] == ("Rosa Quint", "active")
    assert "rq@work.example" not in readers


def test_invisible_characters_pasted_with_an_address_do_not_keep_a_leaver_mailed(site,
                                                                                 tmp_path):
    # Copied from a web page or a chat: a zero-width space, joiner or byte order mark rides
    # along; the row was 'not a valid address' and the reader, active here, stayed so
    leavers = tmp_path / "pasted.csv"
    leavers.write_text("email,status\n\u200bada@example.com,unsubscribed\n"
                       "grace@\u200bexample.org\ufeff,bounced\n"
                       "\u2060Katherine@Example.org\u200d,complained\n", encoding="utf-8")
    result = invoke(site, "subscribers", "import", str(leavers))
    assert result.exit_code == 0, result.output
    assert "updated 3, unchanged 0, skipped 0, invalid 0" in result.output
    readers = listed(site)
    assert readers["ada@example.com"][1] == "unsubscribed"
    assert readers["grace@example.org"][1] == "bounced"
    assert readers["katherine@example.org"][1] == "complained"
    assert not any("\u200b" in address or "\ufeff" in address for address in readers)


def test_an_export_resaved_by_a_european_excel_keeps_its_true_and_false(site, tmp_path):
    # Excel takes a cell "true" for a truth value and saves it in its own language's word
    # (German WAHR/FALSCH, with ';' between cells): every row was 'not a ghost status'
    export = tmp_path / "members.csv"
    export.write_text("id;email;name;note;subscribed_to_emails;complimentary_plan;"
                      "stripe_customer_id;created_at;deleted_at;labels;tiers\n"
                      "1;ada@example.com;Ada;;FALSCH;FALSCH;;2024-01-15;;;\n"
                      "2;neu@example.com;Neu;;WAHR;FALSCH;;2024-01-15;;;\n"
                      "3;vrai@example.com;Vrai;;VRAI;FAUX;;2024-01-15;;;\n", encoding="utf-8")
    result = invoke(site, "subscribers", "import", str(export))
    assert result.exit_code == 0, result.output
    assert "3 reader(s): active 2, unsubscribed 1" in result.output
    assert "invalid 0" in result.output
    readers = listed(site)
    assert readers["ada@example.com"][1] == "unsubscribed"
    assert readers["neu@example.com"][1] == readers["vrai@example.com"][1] == "active"


def test_rows_repeating_a_reader_are_counted_as_repeats_not_as_unchanged(site, tmp_path):
    # Two exports pasted into one sheet: Ann twice in different case, Ben with a +tag (another
    # address). The repeat was counted 'unchanged', as if the list already held it so.
    pasted = tmp_path / "pasted.csv"
    pasted.write_text("email,name,status\nAnn@Example.com,Ann,active\nann@example.com,,"
                      "unsubscribed\nben@example.com,Ben,\nben+news@example.com,Ben,\n",
                      encoding="utf-8")
    result = invoke(site, "subscribers", "import", str(pasted))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:3] == [
        "added 3, updated 0, unchanged 0, skipped 0, invalid 0",
        "1 row(s) repeat a reader listed above them in the file (one reader, every row's tags; "
        "a leaver's status wins)"]
    readers = listed(site)
    assert readers["ann@example.com"] == ("Ann", "unsubscribed")
    assert readers["ben@example.com"] == readers["ben+news@example.com"] == ("Ben", "active")


def test_a_row_split_by_an_unquoted_separator_is_named_for_it(site, tmp_path):
    # A name typed 'Lee, Ann' into a file saved without quotes: the row has a cell more than
    # the header, and the status column holds 'Ann'. It was refused as a status column to
    # read with --status-column, which reads 'Ann', not the row's 'unsubscribed'.
    export = tmp_path / "typed.csv"
    export.write_text("email,name,status\nbo@example.com,Bo,active\n"
                      "ann@example.com,Lee, Ann,unsubscribed\n", encoding="utf-8")
    refused(site, export, "4 cells where the header names 3: a ',' inside a cell (a name such "
                          "as 'Lee, Ann') or a cell too many? nothing was imported; quote a "
                          "cell that holds the separator, put the status in the status column, "
                          "delete a cell too many", line=3)
    # 'Ann Lee,' typed with its comma: the status column was empty, the reader active
    export.write_text("email,name,status\nann@example.com,Ann Lee,,unsubscribed\n")
    refused(site, export, "4 cells where the header names 3: a ',' inside a cell (a name such "
                          "as 'Lee, Ann') or a cell too many? nothing was imported; quote a "
                          "cell that holds the separator, put the status in the status column, "
                          "delete a cell too many", line=2)
    # A list of leavers without a status column, its status typed after the name
    export.write_text("email,name\nann@example.com,Ann,unsubscribed\n")
    refused(site, export, "3 cells where the header names 2: a ',' inside a cell (a name such "
                          "as 'Lee, Ann') or a cell too many? nothing was imported; quote a "
                          "cell that holds the separator, put the status in the status column, "
                          "delete a cell too many", line=2)
