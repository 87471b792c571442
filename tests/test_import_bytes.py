"""`subscribers import` writes the same list and says the same, byte for byte, as before its
read and write were made faster (issue 25).

A wide file (guarded cells, a NUL byte, repeats in other cases, leavers, names with quotes,
commas and line breaks, Unicode and invalid addresses, wrapped addresses, two columns of its
own, a spilled cell, blank lines) is imported into an empty list and into a listed one of
another dialect (semicolons, CRLF, a BOM, a column of its own). The expected lists and reports
in tests/fixtures/import_bytes/ were written by the import before that change (main at
da75ac75). The records an import appends, encoded a thousand at a time, are also compared with
the same records encoded one at a time, on generated cells.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from conftest import run_in_process

from newsletter.subscribers import csv_file
from newsletter.subscribers.csv_format import RowEncoder

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import_bytes"


@pytest.mark.parametrize("at_once", [1000, 3], ids=["as shipped", "3 records at once"])
@pytest.mark.parametrize("listed", [False, True], ids=["into an empty list", "into a list"])
def test_import_writes_the_list_and_report_it_wrote_before(site, listed, at_once, monkeypatch):
    monkeypatch.setattr(csv_file, "APPENDED", at_once)  # batches with quoted cells and without
    folder = site / "subscribers"
    shutil.rmtree(folder)
    folder.mkdir()
    if listed:
        shutil.copy(FIXTURES / "listed.csv", folder / "subscribers.csv")
    done = run_in_process(site, "subscribers", "import", str(FIXTURES / "import.csv"))
    name = "listed" if listed else "empty"
    report = (f"exit {done.returncode}\n--- stdout\n{done.stdout}--- stderr\n{done.stderr}"
              .replace(str(FIXTURES), "FIXTURES"))
    assert report == (FIXTURES / f"{name}.report.txt").read_text(encoding="utf-8")
    assert ((folder / "subscribers.csv").read_bytes()
            == (FIXTURES / f"{name}.expected.csv").read_bytes())
    assert sorted(path.name for path in folder.iterdir()) == ["subscribers.csv"]


PLAIN = ["a", "Zoë", "x y", "", "'=1", "@", "0"]
QUOTED = [",", ";", "\t", '"', "\r", "\n", "\r\n"]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_records_encoded_together_are_the_records_encoded_one_by_one(delimiter, newline):
    chance = random.Random(f"{delimiter}{newline}")
    encoder = RowEncoder(delimiter, newline)
    for round_ in range(400):
        pieces = PLAIN if round_ % 2 else PLAIN + QUOTED
        rows = [["".join(chance.choice(pieces) for _ in range(chance.randrange(3)))
                 for _ in range(chance.randrange(1, 6))]
                for _ in range(chance.randrange(8))]
        assert encoder.many(rows) == "".join(encoder(cells) for cells in rows), rows
