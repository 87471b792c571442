"""A site this process may not write: the commands that only look work, and say what they
would say on a writable one; the commands that write say so in one line (issue 23).

Before, on a read-only site (a checkout mounted read-only in CI, a site owned by another user,
`chmod -R a-w`), `posts`, `status`, `check`, `preview --out`, `reconcile --dry-run` and the
dry runs of `send` refused with the full-disk line: on their way they took the send lock to
put a dead run's batches in doubt, opened the ledger and the journal for writing and rebuilt
the roster in .newsletter/. How the folders are made read-only (a read-only bind mount; root
without the capability that overrides file modes for `chmod`): tests/disk_limits.py.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import invoke, run_cli
from disk_limits import read_only, run_cli_as_owner
from sending_support import REFERENCE_POST, leave_in_flight, site_settings

from newsletter.sending import Ledger

POST = "what-matters"
NOTE = (f"note: a run of {REFERENCE_POST} ended without finishing (1 message(s) on their way, "
        "shown in doubt); .newsletter/ cannot be written here: run `newsletter status` where "
        "it can be to finish it\n")
HINT = ("make sure the site's folders (subscribers/, .newsletter/, the outbox) are writable and "
        "the disk has room, then run the command again: nothing was lost")
# What a writable site says once it has put the dead run's batch in doubt: a read-only one
# cannot, and says NOTE instead.
RECOVERED = ("A send was interrupted with 1 message(s)", "An earlier run was interrupted with 1")
# The moments the dry runs print move on with the clock, between the two runs compared too.
MOMENT = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d)?")


def looking(out: Path) -> list[tuple[str, ...]]:
    """The commands that only read the site (``out``: where preview and export write)."""
    return [("posts",), ("status",), ("status", POST), ("check", POST),
            ("preview", POST, "--out", str(out / "preview")), ("reconcile", "--dry-run"),
            ("subscribers", "count"), ("subscribers", "export", "--out", str(out / "list.csv")),
            ("send", POST, "--dry-run"), ("send", "--due", "--dry-run")]


def used_site(site: Path) -> Path:
    """``site`` as a writer leaves it: a send killed with a batch on its way, an unsubscribe
    in the journal, a reader added to the list by hand since (the roster is stale)."""
    with Ledger.open(site_settings(site)) as ledger:
        leave_in_flight(ledger, REFERENCE_POST, ["ada@example.com"])
    assert run_cli(site, "subscribers", "remove", "edsger@example.com").returncode == 0
    with open(site / "subscribers" / "subscribers.csv", "a", encoding="utf-8") as handle:
        handle.write("new.reader@example.net,New Reader,active,,\n")
    return site


def said(result, site: Path, out: Path) -> str:
    """A command's output with its folders and moments named alike, and a writable site's
    recovery line left out."""
    lines = [line for line in result.stdout.splitlines(keepends=True)
             if not line.startswith(RECOVERED)]
    text = "".join(lines).replace(str(out), "OUT").replace(str(site), "SITE")
    return MOMENT.sub("MOMENT", text)


def refused(stderr: str) -> bool:
    return any(line.startswith("error") for line in stderr.splitlines()) or HINT in stderr


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


def test_every_command_that_only_looks_works_on_a_read_only_site(site, tmp_path):
    used_site(site)
    before = files_of(site)
    for number, command in enumerate(looking(tmp_path / "looked")):
        result = looked_as_on_a_writable_copy(site, tmp_path, number)
        if command[0] in ("posts", "status", "send"):
            assert NOTE in result.stderr, command  # the dead run, said as left undone
    assert files_of(site) == before  # nothing written, not even a cache


def test_the_dry_runs_count_the_sending_limits_on_a_read_only_site(site, tmp_path):
    """Before: the send log (.newsletter/sendlog.db), not there yet, could not be made."""
    toml = site / "newsletter.toml"
    toml.write_text(toml.read_text().replace("[provider]\n", "[provider]\ndaily_limit = 2\n", 1))
    used_site(site)
    for number, command in enumerate(looking(tmp_path / "looked")):
        if "--dry-run" in command and command[0] == "send":
            result = looked_as_on_a_writable_copy(site, tmp_path, number)
            # `send POST`: the "Limit:" line; `send --due`: the days the limit spreads it over
            assert ("Limit:" if command[1] == POST else " 1 message\n") in result.stdout, command
    assert not (site / ".newsletter" / "sendlog.db").exists()


def looked_as_on_a_writable_copy(site: Path, tmp_path: Path, number: int):
    """The ``number``th command of :func:`looking` on ``site`` made read-only, once it has
    said, and exited, as on a writable copy of it (what the writer expects)."""
    twin = tmp_path / f"twin-{number}"
    shutil.copytree(site, twin, symlinks=True)
    (tmp_path / f"out-{number}").mkdir()
    writable = invoke(twin, *looking(tmp_path / f"out-{number}")[number])
    shutil.rmtree(tmp_path / "looked", ignore_errors=True)
    (tmp_path / "looked").mkdir()
    command = looking(tmp_path / "looked")[number]
    with read_only(site):
        result = invoke(site, *command)
    assert result.exit_code == 0 == writable.exit_code, (command, result.output)
    assert said(result, site, tmp_path / "looked") == said(
        writable, twin, tmp_path / f"out-{number}"), command
    assert not refused(result.stderr), command
    return result


def test_what_it_looked_at_it_wrote_whole_outside_the_site(site, tmp_path):
    used_site(site)
    with read_only(site):
        preview = invoke(site, "preview", POST, "--out", str(tmp_path / "preview"))
        export = invoke(site, "subscribers", "export", "--out", str(tmp_path / "list.csv"))
    assert preview.exit_code == 0 and export.exit_code == 0
    page = (tmp_path / "preview" / POST / "email.html").read_text(encoding="utf-8")
    assert "What Matters When You Write Every Week" in page
    listed = (tmp_path / "list.csv").read_text(encoding="utf-8")
    assert "new.reader@example.net" in listed and "edsger@example.com,Edsger Dijkstra,unsub" in (
        listed)


def test_the_dead_run_is_finished_where_the_site_can_be_written(site):
    used_site(site)
    with read_only(site):
        looked = invoke(site, "status", POST)
    assert "in doubt 1" in looked.stdout and NOTE in looked.stderr
    finished = invoke(site, "status", POST)  # writable again: recovered for good, said once
    assert finished.stdout.startswith(RECOVERED[0]) and "in doubt 1" in finished.stdout
    assert "note:" not in finished.stderr
    assert not invoke(site, "status", POST).stdout.startswith(RECOVERED[0])


@pytest.mark.parametrize("command", [("send", POST, "--yes"), ("send", "--due"),
                                     ("subscribers", "add", "z@example.com"),
                                     ("subscribers", "remove", "ada@example.com"),
                                     ("subscribers", "import", "EXPORT"),
                                     ("store", "migrate")])
def test_commands_that_write_still_refuse_in_one_line(site, tmp_path, command):
    used_site(site)
    export = tmp_path / "export.csv"
    export.write_text("email,name\nnew.one@example.com,New One\n", encoding="utf-8")
    before = files_of(site)
    with read_only(site):
        result = invoke(site, *(str(export) if part == "EXPORT" else part for part in command))
    assert result.exit_code == 2, result.output
    [line] = [line for line in result.stderr.splitlines() if not line.startswith("note:")]
    assert line.startswith("error: ") and line.endswith(HINT), line
    assert files_of(site) == before
    assert not (site / "outbox").exists()


def test_a_fresh_clone_without_a_state_folder_is_looked_at_as_it_is(site, tmp_path):
    """A checkout in CI: no .newsletter/, nothing to recover, nothing to cache on the site."""
    for number, command in enumerate(looking(tmp_path)):
        with read_only(site):
            result = invoke(site, *command)
        assert result.exit_code == 0, (command, result.output)
        assert not refused(result.stderr) and "note: a run" not in result.stderr, command
        assert not (site / ".newsletter").exists()
    assert "Nothing sent yet" in invoke(site, "status").stdout


def test_a_site_without_write_permission_is_looked_at_as_a_read_only_mount_is(site, tmp_path):
    """`chmod -R a-w` (or a site owned by another user): the system says "permission denied"
    where a read-only mount says "read-only file system"."""
    used_site(site)
    folders = [site, *(path for path in site.rglob("*") if path.is_dir() and not path.is_symlink())]
    files = [path for path in site.rglob("*") if path.is_file() and not path.is_symlink()]
    for path in files + folders:
        path.chmod(path.stat().st_mode & ~0o222)
    try:
        before = files_of(site)
        for command in looking(tmp_path):
            result = run_cli_as_owner(site, *command)
            assert result.returncode == 0, (command, result.stderr)
            assert not refused(result.stderr) and "Traceback" not in result.stderr, command
            if command[0] in ("posts", "status", "send"):
                assert NOTE in result.stderr, command
        assert "in doubt 1, pending 0, not yet sent 3" in run_cli_as_owner(
            site, "status", POST).stdout
        sent = run_cli_as_owner(site, "send", POST, "--yes")
        assert sent.returncode == 2 and sent.stderr.endswith(f"{HINT}\n"), sent.stderr
        assert files_of(site) == before
    finally:
        for path in folders + files:
            path.chmod(path.stat().st_mode | 0o200)


def test_state_files_alone_read_only_are_read_and_not_written(site, tmp_path):
    """The .newsletter/*.db files chmod 444 in a writable folder (restored from a backup that
    kept no write bit): the commands that look read them; a send refuses before claiming."""
    used_site(site)
    for path in (site / ".newsletter").glob("*.db"):
        path.chmod(0o444)
    ledger = (site / ".newsletter" / "ledger.db").read_bytes()
    for command in looking(tmp_path):
        result = run_cli_as_owner(site, *command)
        assert result.returncode == 0, (command, result.stderr)
        assert "Traceback" not in result.stderr and not refused(result.stderr), command
        if command[0] in ("status", "posts", "send"):
            assert NOTE in result.stderr, command
    assert "in doubt 1, pending 0, not yet sent 3" in run_cli_as_owner(
        site, "status", POST).stdout
    sent = run_cli_as_owner(site, "send", POST, "--yes")
    assert sent.returncode == 2 and "Traceback" not in sent.stderr
    assert sent.stderr.strip().splitlines()[-1].endswith(HINT)
    assert (site / ".newsletter" / "ledger.db").read_bytes() == ledger
    assert not list((site / "outbox").rglob("*.eml"))
