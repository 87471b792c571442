"""Ctrl-C during `newsletter subscribers import FILE`: the user is told what it left.

Pressed while the file was read, the import changed nothing, yet click printed a bare
"Aborted!": the writer could not know whether half a list had gone in. Pressed while the
files store replaced its files one by one, it could leave the list half changed.
"""

from __future__ import annotations

import signal
import subprocess
import sys

from conftest import _cli_environ, invoke
from pg_support import pg_url, store_site  # noqa: F401 (fixtures)

NEW_READERS = 3000

# The real CLI, with Ctrl-C (SIGINT to itself) pressed once the file is half read.
PRESS_WHILE_READING = """
import os, signal, sys
import newsletter.subscribers.imports as imports
read = imports._valid
def pressing(*args):
    for number, reader in enumerate(read(*args)):
        if number == 1000:
            os.kill(os.getpid(), signal.SIGINT)
        yield reader
imports._valid = pressing
from newsletter.cli import main
sys.argv[0] = "newsletter"
main()
"""

# The real CLI, with Ctrl-C pressed as the files store saves its first changed file.
PRESS_WHILE_SAVING = """
import os, signal, sys
from newsletter.subscribers.csv_file import CsvFile
save = CsvFile.save
def pressed_then_saved(self):
    os.kill(os.getpid(), signal.SIGINT)
    save(self)
CsvFile.save = pressed_then_saved
from newsletter.cli import main
sys.argv[0] = "newsletter"
main()
"""


def _import_pressing(site, program: str, path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", program, "--site", str(site), "subscribers", "import", str(path)],
        capture_output=True, text=True, timeout=300, env=_cli_environ(None),
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _export(site) -> str:
    exported = invoke(site, "subscribers", "export")
    assert exported.exit_code == 0, exported.output
    return exported.stdout


def _write_import(path) -> None:
    """A known reader with a new tag (an update) and many new readers."""
    rows = ["email,name,tags", "ada@example.com,,imported"]
    rows += [f"reader{number}@example.net,Reader {number}," for number in range(NEW_READERS)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_ctrl_c_while_the_file_is_read_says_nothing_was_imported(store_site, tmp_path):
    incoming = tmp_path / "incoming.csv"
    _write_import(incoming)
    before = _export(store_site)
    files_before = sorted(path.name for path in (store_site / "subscribers").glob("*"))
    result = _import_pressing(store_site, PRESS_WHILE_READING, incoming)
    assert "Traceback" not in result.stderr and "Aborted!" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "error: stopped (Ctrl-C): nothing was imported; the list is unchanged")
    assert result.returncode == 1
    assert _export(store_site) == before
    assert sorted(path.name for path in (store_site / "subscribers").glob("*")) == files_before


def test_ctrl_c_while_the_list_is_saved_lets_the_import_finish_whole(site, tmp_path):
    incoming = tmp_path / "incoming.csv"
    _write_import(incoming)
    result = _import_pressing(site, PRESS_WHILE_SAVING, incoming)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"added {NEW_READERS}, updated 1," in result.stdout
    exported = _export(site)
    assert "imported" in exported.split("ada@example.com,", 1)[1].splitlines()[0]
    assert exported.count("@example.net,Reader ") == NEW_READERS
