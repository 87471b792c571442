"""The lean scan of a first read (subscribers/first_read.py) finds exactly the suppressed and
repeated keys of the full pass, its lean pass the same records (numbered alike) and the same
problems, and its block pattern's pass (subscribers/plain_pass.py) the same readers and
problems, on the tests' fixture lists and on generated hostile ones, with blocks small enough
that every kind of line meets a block's edge."""

from __future__ import annotations

import random
from contextlib import ExitStack
from pathlib import Path

import pytest

from newsletter.subscribers import first_read
from newsletter.subscribers.csv_format import MAX_LINE
from newsletter.subscribers.folder import ListFolder
from newsletter.subscribers.first_read import lean_cells, pass_cells
from newsletter.subscribers.list_cells import cells_from, pass_readers
from newsletter.subscribers.list_pass import watch
from newsletter.subscribers.plain_pass import pass_pairs

FIXTURES = sorted((Path(__file__).parent.parent / "fixtures").rglob("*.csv"))
HEADERS = ["email,name,status,tags", "Email;Name;Status", "email,name,status,subscribed_at", "e-mail\tname\ttags\tstatus",
           "\ufeffemail,name,status", "sep=;\nemail;status;name", "name,email", "",
           "\n\nemail,name,status", 'email,"na\nme",status', 'email,"name",status']
ADDRESSES = ["ann@example.com", "ANN@Example.COM", " bob@example.com ", "cid@xn--bcher-kva.de",
             "dée@exämple.com", "Ann Lee <ann@example.com>", "not-an-address", "", "eve@",
             "fay@example.com", "gus@bücher.de", "gus@xn--bcher-kva.de",
             # near the edges of what the block pattern takes (plain_pass.py)
             "Ann@example.com", "a.b+c_d-e@mail.example.org", "postmaster@example.com",
             "Info@example.com", "infos@example.com", "x@host.test", "x@test", "a..b@example.com",
             "a.@example.com", ".a@example.com", "ab@ex--ample.com", "ab@-example.com",
             "ab@example.c0m", "xn--ab@example.com", "ab@example.com.", "a@b@example.com",
             "l" * 64 + "@example.com", "l" * 65 + "@example.com",
             "d@" + "d" * 63 + ".com", "d@" + "d" * 64 + ".com",
             "d@" + ".".join(["d" * 60] * 4) + ".com", "ab@EXAMPLE.com", "a!b@example.com",
             "\u212aay@example.com", "kay@example.com", "ann@example.com\u212a"]  # \u212a (Kelvin) lowers to an ASCII k
STATUSES = ["active", "", "Unsubscribed", " bounced ", "actve", "complained", "ACTIVE",
            "unconfirmed"]
NAMES = ["Ann", "Bob", "", " Ann Lee ", "Zoë", "\u00a0Ann\u2003", "Fred", "x\x0by"]
ODD = ['"Lee, Ann"', '"two\nlines"', '"open quote', "unsubscribed", "x\ry", "=cmd()",
       "a\x00b", "tagged", '"say ""hi"""', "extra,cells,unsubscribed"]


def scans(directory: Path) -> tuple:
    """(listed, repeats, whether a problem was found) of the full pass, then of the lean scan."""
    folder = ListFolder(directory=directory, state_dir=directory.parent)
    answers = []
    with ExitStack() as stack:
        opened = [(path, stack.enter_context(path.open("r", encoding="utf-8", newline="")))
                  for path in folder.files()]
        for cells in (record_by_record, lean_cells):
            listed, repeats, problems = set(), set(), []
            watch(cells(folder, opened, problems), listed, repeats)
            answers.append((listed, repeats, bool(problems)))
    return answers[0], answers[1]


def record_by_record(folder: ListFolder, opened: list, problems: list):
    """The full pass's (email, status), a record a block."""
    for _, _, email, status in cells_from(folder, opened, problems):
        yield [email], [status]


def passes(directory: Path) -> tuple:
    """(each record's file, line, cells and problem, with the email and status read from it;
    the problems reported) of the full reader, then of the lean pass."""
    folder = ListFolder(directory=directory, state_dir=directory.parent)
    answers = []
    with ExitStack() as stack:
        opened = [(path, stack.enter_context(path.open("r", encoding="utf-8", newline="")))
                  for path in folder.files()]
        for cells in (cells_from, pass_cells):
            problems: list = []
            records = [(source[0].name, record.line, record.cells, record.problem, email, status)
                       for source, record, email, status in cells(folder, opened, problems)]
            answers.append((records, [(e.message, e.where, e.hint) for e in problems]))
    return answers[0], answers[1]


def readers(directory: Path) -> tuple:
    """(the readers' address and name; the problems reported) of a send's full pass, then of
    the block pattern's pass."""
    folder = ListFolder(directory=directory, state_dir=directory.parent)
    (listed, repeats, _), _ = scans(directory)
    listed = frozenset(listed)
    answers = []
    with ExitStack() as stack:
        opened = [(path, stack.enter_context(path.open("r", encoding="utf-8", newline="")))
                  for path in folder.files()]
        for way in ("full", "pattern"):
            problems: list = []
            if way == "full":
                pairs = [(reader.address, reader.name) for reader in pass_readers(
                    cells_from(folder, opened, problems), listed, frozenset(), repeats,
                    problems, None)]
            else:
                pairs = list(pass_pairs(folder, opened, problems, listed, repeats))
            answers.append((pairs, [(e.message, e.where, e.hint) for e in problems]))
    return answers[0], answers[1]


def hostile_list(seed: int) -> bytes:
    rng = random.Random(seed)
    header = rng.choice(HEADERS)
    delimiter = ";" if ";" in header else "\t" if "\t" in header else ","
    newline = rng.choice(["\n", "\r\n"])
    lines = [header] if header else []
    for _ in range(rng.randrange(20, 120)):
        cells = [rng.choice(ADDRESSES), rng.choice(NAMES), rng.choice(STATUSES)]
        if rng.random() < 0.15:
            cells[rng.randrange(3)] = rng.choice(ODD)
        if rng.random() < 0.1:
            cells.append(rng.choice(["", "unsubscribed", "vip"]))
        rng.shuffle(cells) if rng.random() < 0.05 else None
        lines.append(delimiter.join(cells) if rng.random() > 0.03 else "")
    text = newline.join(lines) + rng.choice([newline, ""])
    data = text.encode()
    if rng.random() < 0.1:  # a byte that is not UTF-8
        at = rng.randrange(len(data) + 1)
        data = data[:at] + b"\xff" + data[at:]
    if rng.random() < 0.1:  # a line longer than a list's lines may be
        data += b"long@example.com," + b"x" * MAX_LINE + newline.encode()
        data += b"after@example.com,After,unsubscribed" + newline.encode()
    return data


@pytest.mark.parametrize("block", [1, 7, 64, first_read.BLOCK])
def test_the_fixture_lists_scan_as_the_full_pass_reads_them(tmp_path, monkeypatch, block):
    monkeypatch.setattr(first_read, "BLOCK", block)
    for number, fixture in enumerate(FIXTURES):
        directory = tmp_path / str(number) / "subscribers"
        directory.mkdir(parents=True)
        (directory / fixture.name).write_bytes(fixture.read_bytes())
        full, lean = scans(directory)
        assert lean == full, fixture.name


@pytest.mark.parametrize("seed", range(60))
def test_generated_hostile_lists_scan_as_the_full_pass_reads_them(tmp_path, monkeypatch, seed):
    monkeypatch.setattr(first_read, "BLOCK", random.Random(seed).choice([1, 5, 40, 300]))
    directory = tmp_path / "subscribers"
    directory.mkdir()
    for name in ("a.csv", "b.csv"):
        (directory / name).write_bytes(hostile_list(seed * 2 + (name == "b.csv")))
    full, lean = scans(directory)
    assert lean == full


# The lean pass against the full reader's records; the block pattern's pass against a send's
# full pass (its readers). Each returns (what was read, the problems reported), full first.
FAST_AND_FULL = pytest.mark.parametrize("compared", [passes, readers],
                                        ids=["lean pass", "pattern pass"])


@FAST_AND_FULL
@pytest.mark.parametrize("block", [1, 7, 64, first_read.BLOCK])
def test_the_fast_passes_read_the_fixture_lists_as_the_full_ones(tmp_path, monkeypatch, block,
                                                                 compared):
    monkeypatch.setattr(first_read, "BLOCK", block)
    for number, fixture in enumerate(FIXTURES):
        directory = tmp_path / str(number) / "subscribers"
        directory.mkdir(parents=True)
        (directory / fixture.name).write_bytes(fixture.read_bytes())
        full, fast = compared(directory)
        assert fast == full, fixture.name


@FAST_AND_FULL
@pytest.mark.parametrize("seed", range(60))
def test_the_fast_passes_read_generated_hostile_lists_as_the_full_ones(tmp_path, monkeypatch,
                                                                       seed, compared):
    monkeypatch.setattr(first_read, "BLOCK", random.Random(seed).choice([1, 5, 40, 300]))
    directory = tmp_path / "subscribers"
    directory.mkdir()
    for name in ("a.csv", "b.csv"):
        (directory / name).write_bytes(hostile_list(seed * 2 + (name == "b.csv")))
    full, fast = compared(directory)
    assert fast == full
    assert full[0] or full[1]  # something was read, or the files were problems


def test_the_lean_pass_numbers_records_below_blank_lines_and_a_separator_line(tmp_path):
    directory = tmp_path / "subscribers"
    directory.mkdir()
    (directory / "a.csv").write_text("\n\nsep=;\nemail;name\n\nann@example.com;Ann\n"
                                     "\nnot-an-address;Bob\n", encoding="utf-8")
    full, lean = passes(directory)
    assert lean == full
    assert [(line, cells) for _, line, cells, *_ in lean[0]] == [
        (6, ["ann@example.com", "Ann"]), (8, ["not-an-address", "Bob"])]


def test_the_generated_lists_suppress_and_repeat_readers(tmp_path):
    answers = []
    for seed in range(0, 60, 6):
        directory = tmp_path / str(seed) / "subscribers"
        directory.mkdir(parents=True)
        (directory / "a.csv").write_bytes(hostile_list(seed * 2))
        answers.append(scans(directory)[0])
    assert sum(bool(listed) and bool(repeats) for listed, repeats, _ in answers) >= 5
    assert any(problem for _, _, problem in answers)


@pytest.mark.parametrize("header", ["email,name,status", "tags;email;status;name",
                                    "status\temail", "name,status,email,subscribed_at"])
def test_the_pattern_pass_reads_every_edge_address_and_name_as_the_full_pass(tmp_path, header):
    """Each address and name of the generated lists, active, in rows of the header's width:
    those the block pattern takes and those it leaves to pass_readers, side by side."""
    delimiter = ";" if ";" in header else "\t" if "\t" in header else ","
    columns = header.split(delimiter)
    cells = {"status": "Active", "tags": "vip", "subscribed_at": "2026-01-01"}
    lines = [header]
    for number, address in enumerate(ADDRESSES * 2):  # each twice: repeats
        cells.update(email=address, name=NAMES[number % len(NAMES)])
        lines.append(delimiter.join(cells[column] for column in columns))
    directory = tmp_path / "subscribers"
    directory.mkdir()
    (directory / "a.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    full, pattern = readers(directory)
    assert pattern == full
    assert len(full[0]) > 10 and full[1]  # readers let through, rows reported
