"""`subscribers import`: an address column named in another language, a file in which no row is
a reader, and a list of our own that only looks like Kit's export."""

from __future__ import annotations

import pytest
from conftest import invoke
from web_server import statuses

FOREIGN = {  # a spreadsheet or mail service set to another language names the column so
    "German": "Vorname;E-Mail-Adresse\nAnn;ann.de@example.net\n",
    "French": "Nom,Courriel\nAnn,ann.fr@example.net\n",
    "Spanish": "Nombre,Correo electrónico\nAnn,ann.es@example.net\n",
    "Spanish, accent as two characters": "Nombre,Correo electro\u0301nico\nAnn,ann.es@example.net\n",
    "Italian": "Nome,Indirizzo email\nAnn,ann.it@example.net\n",
    "Dutch": "Naam,E-mailadres\nAnn,ann.nl@example.net\n",
}


@pytest.mark.parametrize("text", FOREIGN.values(), ids=FOREIGN.keys())
def test_an_address_column_named_in_another_language_is_imported(site, tmp_path, text):
    # Before: "no email column in the header", and nothing imported.
    path = tmp_path / "contacts.csv"
    path.write_text(text, encoding="utf-8")
    result = invoke(site, "subscribers", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "added 1," in result.stdout
    assert [status for address, status in statuses(site).items()
            if address.startswith("ann.")] == ["active"]


def test_a_file_in_which_no_row_is_a_reader_fails_in_one_line(site, tmp_path):
    # Before: each row listed as "not imported", then "added 0 ... invalid 3" and exit 0, so
    # a script importing the wrong file (its address column holding names) went on as if done.
    path = tmp_path / "names.csv"
    path.write_text("email,name\nAnn Lee,Ann\nBo,Bo\nCy,Cy\n", encoding="utf-8")
    before = (site / "subscribers" / "subscribers.csv").read_bytes()
    result = invoke(site, "subscribers", "import", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {path}: none of its 3 row(s) is a reader to "
                                    "import (line 2: ")
    assert result.stderr.endswith("); nothing was imported\n") and result.stderr.count("\n") == 1
    assert result.stdout == ""
    assert (site / "subscribers" / "subscribers.csv").read_bytes() == before


def test_our_own_list_with_email_address_and_status_is_not_taken_for_kit(site, tmp_path):
    # Before: read as Kit's export, where "unsubscribed" is no state: the leaver's row was
    # "not imported" and she stayed active here.
    path = tmp_path / "ours.csv"
    path.write_text("email_address,name,status\nada@example.com,Ada,unsubscribed\n"
                    "new@example.net,New,active\n", encoding="utf-8")
    result = invoke(site, "subscribers", "import", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ours.csv: newsletter subscriber file, 2 reader(s)")
    listed = statuses(site)
    assert (listed["ada@example.com"], listed["new@example.net"]) == ("unsubscribed", "active")
    kit = tmp_path / "kit.csv"  # Kit's own export names the column `state`
    kit.write_text("first_name,email_address,state,created_at\nKay,kay@example.net,cancelled,"
                   "2024-01-01\n", encoding="utf-8")
    assert "Kit (ConvertKit) subscriber export" in invoke(site, "subscribers", "import",
                                                          str(kit)).stdout
    assert statuses(site)["kay@example.net"] == "unsubscribed"


def test_an_empty_file_is_refused_not_imported_as_no_readers(site, tmp_path):
    # Before: "0 reader(s) ... added 0" and exit 0, so a download that failed (0 bytes) looked
    # like a list with nobody new in it.
    path = tmp_path / "members.csv"
    for text in ("", "\n\n  \n"):
        path.write_text(text, encoding="utf-8")
        result = invoke(site, "subscribers", "import", str(path))
        assert result.exit_code == 2
        assert result.stderr == (f"error: {path}: the file is empty (no header, no rows): "
                                 "nothing was imported; export the list again\n")
