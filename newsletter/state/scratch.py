"""Where a cache goes when the site's state folder cannot take it.

A command that only reads (`status`, `posts`, `check`, the dry runs) still builds caches on
its way (the roster, the inlined styles, the kept tokens). On a read-only site (a checkout
mounted read-only in CI, a folder owned by another user) they go to a folder of this process's
own in the system's temporary folder, removed when the process ends: the command works, and
the site is left as it was.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from functools import cache
from pathlib import Path


def writable_folder(folder: Path) -> bool:
    """Whether this process may make files in ``folder``, or make it (its nearest existing
    parent may take it); False on a read-only file system, for root too. A file in the way
    is not read-only: writing there says what stands in the way."""
    existing = next(path for path in (folder, *folder.parents) if path.exists())
    return not existing.is_dir() or os.access(existing, os.W_OK | os.X_OK)


def scratch_or(state_dir: Path) -> Path:
    """``state_dir`` if it may be written, else this process's own scratch folder."""
    return state_dir if writable_folder(state_dir) else _scratch()


@cache
def _scratch() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="newsletter-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder
