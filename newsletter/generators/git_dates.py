"""A post's date from its history in git, as Eleventy's ``date: git Last Modified`` and ``git
Created`` take it (11ty.dev/docs/dates): the file's time would be the time the blog was
cloned, so every post of a fresh checkout would look new."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

_TIMEOUT_SECONDS = 10  # git answers at once; a blocked one must not hang a send


def committed(path: Path, *, first: bool) -> dt.datetime | None:
    """The date of the last commit of ``path`` (``first``: the commit that added it); None
    where git is missing or has no commit of it (a new file, a blog not in git)."""
    command = ["git", "log", "--format=%cI", "--follow", "--", path.name]
    if first:
        command[2:2] = ["--diff-filter=A"]
    else:
        command[2:2] = ["-1"]
    try:
        done = subprocess.run(command, cwd=path.parent, capture_output=True, text=True,
                              timeout=_TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    lines = done.stdout.split() if done.returncode == 0 else []
    if not lines:
        return None
    try:
        return dt.datetime.fromisoformat(lines[-1])
    except ValueError:
        return None
