"""A giant line in a CSV is refused naming file:line, and never read whole (issue 23, item 5).

Before, a 1 GB line took 2.1 GB of memory and, under a memory limit, ended in a MemoryError
traceback. Each command here runs in a subprocess whose address space is capped well below
twice the line's size: reading the line whole cannot fit, refusing it must.
"""

from __future__ import annotations

import resource
import subprocess
import sys

import pytest

from conftest import run_cli

LINE_MB = 100
ADDRESS_SPACE = 160 * 1024 * 1024  # the interpreter and the tool fit; the line twice does not
REFUSAL = ("a line longer than 100,000 characters; no reader's line is that long: check that "
           "this is the list you meant, and remove or fix that line")


def giant_csv(path) -> None:
    """A list whose third line is LINE_MB megabytes long, written without holding it."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write("email,name\nfirst@example.com,First\ngiant@example.com,")
        chunk = "x" * (1024 * 1024)
        for _ in range(LINE_MB):
            handle.write(chunk)
        handle.write("\nlast@example.com,Last\n")


def cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run_capped(site, *args) -> subprocess.CompletedProcess:
    return run_cli(site, *args, preexec_fn=cap_memory)


@pytest.fixture
def giant(tmp_path):
    path = tmp_path / "export.csv"
    giant_csv(path)
    yield path
    path.unlink(missing_ok=True)  # 100 MB: not left for pytest's kept temporary folders


def test_importing_a_file_with_a_giant_line_is_one_line_and_exit_2(site, giant):
    result = run_capped(site, "subscribers", "import", str(giant))
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"error: {giant}:3: {REFUSAL}\n"
    assert "first@example.com" not in (site / "subscribers" / "subscribers.csv").read_text()


@pytest.mark.parametrize("command, status", [
    (("subscribers", "check"), 2),  # names every problem of the list
    (("subscribers", "add", "new@example.com"), 0),  # the new reader goes into another file
    (("send", "what-matters", "--dry-run"), 0),  # the other readers are still sent to
])
def test_a_list_file_with_a_giant_line_is_named_and_never_read_whole(site, giant, command,
                                                                     status):
    moved = giant.rename(site / "subscribers" / "giant.csv")
    result = run_capped(site, *command)
    moved.unlink()
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert result.returncode == status, result.stderr
    assert f"subscribers/giant.csv:3: {REFUSAL}" in result.stdout + result.stderr


def test_the_cap_is_real(giant):
    """A capped process cannot hold the line: without the bound the tests above would fail."""
    result = subprocess.run([sys.executable, "-c", f"open({str(giant)!r}).read()"],
                            capture_output=True, text=True, preexec_fn=cap_memory, timeout=60)
    assert "MemoryError" in result.stderr


WIDE_ROWS = 20_000
CPU_SECONDS = 30  # the command takes a few; each short row once cost the header's width


def cap_cpu() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


@pytest.mark.parametrize("command", ["import", "check"])
def test_a_header_of_a_hundred_thousand_empty_columns_costs_its_rows_not_their_product(
        site, tmp_path, command):
    """A header within the line cap can still name 99,990 columns (a spreadsheet saved with
    its whole width, or a file made to hurt). Each shorter row filled in every missing column:
    20,000 rows took 110 s of CPU, and a 10 MB file an hour. Capped at 30 s of CPU here."""
    wide = tmp_path / "wide.csv"
    wide.write_text("email" + "," * 99_990 + "\n"
                    + "".join(f"w{n}@example.com\n" for n in range(WIDE_ROWS)), encoding="utf-8")
    if command == "check":
        wide = wide.rename(site / "subscribers" / "wide.csv")
        result = run_cli(site, "subscribers", "check", preexec_fn=cap_cpu)
        assert result.returncode == 0, result.stderr
        assert result.stdout == f"{WIDE_ROWS + 5} reader(s) in 2 file(s), no problems\n"
        return
    result = run_cli(site, "subscribers", "import", str(wide), preexec_fn=cap_cpu)
    assert result.returncode == 0, result.stderr
    assert f"added {WIDE_ROWS}," in result.stdout
    header = (site / "subscribers" / "subscribers.csv").read_text().splitlines()[0]
    assert header == "email,name,status,tags,subscribed_at"


BLANK_LINES = 24_000_000


def test_a_file_of_blank_lines_is_read_in_flat_memory(site, tmp_path):
    """Before: every blank line above the header was kept in a list (8 bytes a line however
    short: 24 MB of line breaks took 200 MB, a gigabyte of them more memory than a machine
    has), only to be written back by a rewrite, which reads the file whole anyway."""
    blank = tmp_path / "blank.csv"
    with blank.open("w", encoding="utf-8") as handle:
        for _ in range(BLANK_LINES // 1_000_000):
            handle.write("\n" * 1_000_000)
        handle.write("email\nafter.blanks@example.com\n")
    result = run_capped(site, "subscribers", "import", str(blank))
    blank.unlink()
    assert result.returncode == 0, result.stderr
    assert "added 1," in result.stdout


INVALID_ROWS = 50_000  # held as before, 4 KB each: 200 MB, past the cap with the interpreter


def test_a_file_of_invalid_rows_is_counted_not_held(site, tmp_path):
    """Before: each invalid row was kept with its frames and the address checker's error, 4 KB
    a row, all printed: two million rows took 8.7 GB. Now the first thousand are named and the
    rest counted, in flat memory (the subprocess is capped)."""
    invalid = tmp_path / "invalid.csv"
    invalid.write_text("email\n" + "not-an-address\n" * INVALID_ROWS, encoding="utf-8")
    result = run_capped(site, "subscribers", "import", str(invalid))
    assert result.returncode == 2, result.stderr[-500:]  # not one reader in it: refused
    assert result.stderr.splitlines() == [
        f"error: {invalid}: none of its {INVALID_ROWS} row(s) is a reader to import (line 2: "
        "'not-an-address' is not a valid address (An email address must have an @-sign.)); "
        "nothing was imported"]
    with invalid.open("a", encoding="utf-8") as handle:
        handle.write("ann@example.com\n")  # one reader: the import goes on, the rest named
    result = run_capped(site, "subscribers", "import", str(invalid))
    assert result.returncode == 0, result.stderr[-500:]
    lines = result.stderr.splitlines()
    assert len(lines) == 1001 and lines[0].startswith(f"not imported: {invalid}:2: ")
    assert lines[-1] == f"not imported: {INVALID_ROWS - 1000} more invalid row(s)"
    assert f"skipped 0, invalid {INVALID_ROWS}" in result.stdout
