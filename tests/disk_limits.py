"""A read-only folder and a full disk, for real, for tests.

Root ignores file modes, so ``chmod`` makes nothing read-only for the suite when it runs as
root (as CI does): there a folder is bind-mounted read-only over itself, and a full disk is a
tiny tmpfs mounted over a folder (both need CAP_SYS_ADMIN, which root has outside a locked-down
container). Run as another user, ``chmod`` makes a folder read-only, and a tiny disk is not
available: such a test is skipped there, and fails under CI, where it must run.

A file made read-only by its mode alone (``chmod 444`` in a writable folder) is read-only for
root only without the capability that overrides file modes: :func:`run_cli_as_owner` runs the
CLI so (setpriv drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH), and the kernel then checks
each file's mode for its owner, as for any user.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from machine import missing


def _as_root() -> bool:
    return os.geteuid() == 0


def _mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        missing(f"mount {' '.join(args)} failed: {done.stderr.strip()}")


def _unmount(folder: Path) -> None:
    # Lazy: this process may still hold a file there open (a cached SQLite connection).
    subprocess.run(["umount", "--lazy", str(folder)], check=True, capture_output=True)


@contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """``folder`` (which must exist) read-only for everyone, this process too, until the end."""
    if not _as_root():
        mode = folder.stat().st_mode
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(mode)
        return
    _mount("--bind", str(folder), str(folder))
    try:
        _mount("-o", "remount,ro,bind", str(folder))
        yield folder
    finally:
        _unmount(folder)


@contextmanager
def tiny_disk(folder: Path, kilobytes: int) -> Iterator[Path]:
    """``folder`` on a disk of ``kilobytes``: full once that much is written. At the end the
    disk goes and what it holds stays in ``folder``, as if room had been made."""
    if not _as_root():
        missing("a tiny disk needs root (a tmpfs mount)")
    folder.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={kilobytes}k", "tmpfs", str(folder))
    kept = folder.with_name(folder.name + ".kept")
    try:
        yield folder
    finally:
        shutil.copytree(folder, kept)
        _unmount(folder)
        shutil.copytree(kept, folder, dirs_exist_ok=True)
        shutil.rmtree(kept)


# What lets root write a file whatever its mode; without them root is its files' owner.
MODE_OVERRIDES = "-dac_override,-dac_read_search"


def run_cli_as_owner(site: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """The real CLI against ``site``, held to the files' modes even when the suite runs as
    root."""
    command = [sys.executable, "-m", "newsletter", "--site", str(site), *args]
    if _as_root():
        if shutil.which("setpriv") is None:
            missing("setpriv (util-linux) is needed to run as root held to file modes")
        command = ["setpriv", f"--bounding-set={MODE_OVERRIDES}",
                   f"--inh-caps={MODE_OVERRIDES}", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)
