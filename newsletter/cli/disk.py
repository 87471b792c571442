"""A full disk or a read-only folder, said in one line (the root group's second boundary).

Writing the list, the journal, the ledger or the outbox can fail for reasons outside the
tool: no room left, a folder mounted read-only, no permission. Each such failure is one line
naming the file when the system says which, exit 2; the library has already left its state as
a crash would (claims before sends, atomic renames), so running the command again once there
is room is safe. Any other OSError is a bug and keeps its traceback.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from newsletter.errors import DISK_HINT

# What the system says when a file cannot be written or opened for writing.
DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES,
                         errno.EPERM})
# SQLite says it in words, and names no file.
SQLITE_DISK_WORDS = ("readonly database", "disk is full", "unable to open database file",
                     "disk i/o error", "read-only file system")


def disk_problem(error: BaseException, root: Path) -> str | None:
    """The one line for a disk or permission failure, or None for any other error."""
    if isinstance(error, OSError) and error.errno in DISK_ERRNOS:
        where = _shown(error.filename, root) if error.filename else ""
        return f"error: {where + ': ' if where else ''}{error.strerror}; {DISK_HINT}"
    if isinstance(error, (FileExistsError, NotADirectoryError)) and error.filename:
        blocking = _file_in_the_way(error)
        if blocking is not None:  # `.newsletter` (or `outbox`) made a file: nothing fits in it
            return (f"error: {_shown(blocking, root)}: a file where newsletter keeps a folder; "
                    "move it aside (or remove it), then run the command again")
    if isinstance(error, sqlite3.OperationalError) and any(
            words in str(error).lower() for words in SQLITE_DISK_WORDS):
        return f"error: the tool's state in .newsletter/ cannot be written ({error}); {DISK_HINT}"
    return None


def _shown(filename, root: Path) -> str:
    """``filename`` relative to the site folder when it is inside it."""
    path = Path(os.fsdecode(filename))
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _file_in_the_way(error: OSError) -> Path | None:
    """The file that stands where a folder must be, for a folder that could not be made (a
    file of its name exists) or a path that could not be opened (one of its folders is a
    file); None when there is none."""
    path = Path(os.fsdecode(error.filename))
    candidates = [path] if isinstance(error, FileExistsError) else list(reversed(path.parents))
    return next((each for each in candidates if each.exists() and not each.is_dir()), None)
