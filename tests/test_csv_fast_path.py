"""Lines without a quote are split without csv.reader: the records must be csv.reader's."""

from __future__ import annotations

import csv
import io
import random

import pytest

from newsletter.subscribers.csv_format import parse_csv

PIECES = ["ann@example.com", "Ann", "active", "news, weekly", "  spaced  ", "", "é", "\0",
          "\t", ";", ",", '"', '""', "x" * 40, " ", "\x0c", "a\u2028b"]
ENDINGS = ["\n", "\r\n", "\r", ""]


def generated_text(rng: random.Random, delimiter: str) -> str:
    """A header and rows of random cells: most plain, some quoted (with separators and line
    breaks inside), some with a stray quote, blank lines, mixed line endings."""
    lines = [delimiter.join(["email", "name", "status", "tags"]) + "\n"]
    for _ in range(rng.randint(1, 40)):
        cells = []
        for _ in range(rng.randint(0, 6)):
            cell = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 3)))
            if '"' in cell or rng.random() < 0.1:  # quoted the way a writer quotes it
                cell = '"' + cell.replace('"', '""') + rng.choice(["", "\n", "\r\n"]) + '"'
            cells.append(cell)
        lines.append(delimiter.join(cells) + rng.choice(ENDINGS[:3]))
    lines[-1] = lines[-1].rstrip("\r\n") + rng.choice(ENDINGS)
    return "".join(lines)


@pytest.mark.parametrize("seed", range(300))
def test_records_are_csv_readers_records(seed):
    rng = random.Random(seed)
    delimiter = rng.choice([",", ";", "\t"])
    text = generated_text(rng, delimiter)
    expected, line = [], 1
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for cells in reader:
        expected.append((line, cells))
        line = reader.line_num + 1
    layout, records = parse_csv(io.StringIO(text, newline=""), "list.csv")
    got = [(record.line, record.cells) for record in records]
    assert layout.delimiter == delimiter
    assert [(1, layout.header)] + got == expected
    # And the text each record came from, which a rewrite writes back as it was.
    layout, records = parse_csv(io.StringIO(text, newline=""), "list.csv")
    assert layout.preamble + "".join(record.raw for record in records) == text


@pytest.mark.parametrize("seed", range(100))
def test_a_read_without_text_gets_the_same_records_less_the_blank_ones(seed):
    rng = random.Random(seed)
    text = generated_text(rng, rng.choice([",", ";", "\t"]))
    _, records = parse_csv(io.StringIO(text, newline=""), "list.csv")
    whole = [(record.line, record.cells) for record in records]
    _, records = parse_csv(io.StringIO(text, newline=""), "list.csv", keep_text=False)
    assert [(record.line, record.cells) for record in records] == [
        (line, cells) for line, cells in whole if "".join(cells).strip()]
