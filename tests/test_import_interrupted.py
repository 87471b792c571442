"""`subscribers import` stopped half-way: nothing of the file is left behind."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

from web_server import statuses


def holds_unlinked(pid: int, name: str) -> bool:
    """True if the process holds open a file whose path held ``name`` and that has no name
    left (Linux shows such a file's path with " (deleted)")."""
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if name in target and target.endswith(" (deleted)"):
                return True
    return False


def test_a_killed_import_leaves_no_copy_of_the_readers_behind(site, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("email,name\n" + "".join(f"k{n}@example.com,Reader {n}\n"
                                              for n in range(10000)))
    before = statuses(site)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    import_ = subprocess.Popen([sys.executable, "-m", "newsletter", "--site", str(site),
                                "subscribers", "import", str(path)], env=env,
                               stdout=subprocess.DEVNULL)
    try:
        # The staging file, open and already without a name: what a kill from now on leaves.
        # Kept by name until the import ends, it is never seen so, and the import ends first.
        while import_.poll() is None and not holds_unlinked(import_.pid, ".import-"):
            time.sleep(0.001)
        assert import_.poll() is None, "the import ended with its staging file still named"
    finally:
        import_.kill()  # SIGKILL: no cleanup runs, as when a machine or a CI job dies
        import_.wait()
    assert not [p.name for p in site.rglob(".import-*")]
    after = statuses(site)
    assert {a: after[a] for a in before} == before
