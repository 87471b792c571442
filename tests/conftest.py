"""Fixtures shared by every test: a private copy of the example site, and ways to run the CLI."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsletter.config import SECRET_VARIABLES

# each_store and store_site (tests/pg_support.py) ask for the migrated schemas' fixtures by name;
# tests/long_tests_first.py orders the tests for -n
pytest_plugins = ["pg_support", "long_tests_first"]

REPO = Path(__file__).resolve().parent.parent
SITE_PARTS = ("newsletter.toml", "content", "templates", "subscribers", "static")
REFERENCE_POST = "/posts/what-matters"


def keep_bytecode_outside_the_tree() -> None:
    """Where PYTHONDONTWRITEBYTECODE is set (to keep __pycache__ folders out of the tree), keep
    the compiled bytecode in a cache folder instead, for this process and every one it starts:
    otherwise each xdist worker rewrote and compiled every test module again (14 s of CPU each
    on a slow machine) and each CLI a test starts compiled the package again."""
    if not sys.dont_write_bytecode or sys.pycache_prefix:
        return
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    prefix = cache / "newsletter-tests" / "bytecode"
    try:
        prefix.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only home: compiled again, as asked
        return
    sys.pycache_prefix, sys.dont_write_bytecode = str(prefix), False
    os.environ["PYTHONPYCACHEPREFIX"] = str(prefix)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


keep_bytecode_outside_the_tree()

SHARED_MEMORY = Path("/dev/shm")
SHARED_MEMORY_TO_SPARE = 4 * 1024**3  # a run's folders peak near 2 GB (the kill tests' outboxes)


def keep_test_folders_in_memory() -> None:
    """Unless TMPDIR names a place, the tests' folders (tmp_path, tempfile's) go on the machine's
    tmpfs: the code under test fsyncs each batch, list rewrite and journal commit, and on a
    disk shared with other work each fsync waited 2 ms (test_kill_helper.py with
    test_cli_send.py: 76 s on disk, 50 s in memory, side by side at load 16). The fsyncs still
    run; only the disk's wait goes. Set here, before pytest (and xdist's controller, which
    names each worker's folder) first asks for its base folder."""
    if "TMPDIR" in os.environ or not os.access(SHARED_MEMORY, os.W_OK | os.X_OK):
        return
    space = os.statvfs(SHARED_MEMORY)
    if space.f_bavail * space.f_frsize >= SHARED_MEMORY_TO_SPARE:
        os.environ["TMPDIR"] = str(SHARED_MEMORY)
        tempfile.tempdir = None  # asked again: TMPDIR


keep_test_folders_in_memory()


def pytest_xdist_auto_num_workers(config) -> int:
    """`-n auto`: two workers more than the CPUs this process may use. Many tests spend their
    time waiting on servers and subprocesses they start, so a core per worker left cores idle
    (2 cores: 5 min 35 s with 2 workers, 4 min 15 s with 3; on a slower machine 6 min 41 s
    with 3, 5 min 53 s with 4, 6 min 23 s with 5)."""
    return len(os.sched_getaffinity(0)) + 2 if hasattr(os, "sched_getaffinity") else (
        (os.cpu_count() or 1) + 2)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """No test sees the developer's real secrets, nor the CI variable of the machine running
    the suite (`send --due` refuses a first run under CI): tests that mean CI set it."""
    for name in (*SECRET_VARIABLES, "CI"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def collector_as_it_was():
    """`send` run in-process stops collecting from its start until its campaign, for the rest
    of its process (a CLI's) when it has none: put the worker's collector back, or servers'
    connections caught in cycles pile up until descriptors pass 1024 and waitress's select()
    stops serving."""
    thresholds, enabled = gc.get_threshold(), gc.isenabled()
    yield
    gc.set_threshold(*thresholds)
    if enabled:
        gc.enable()


def copy_example_site(destination: Path) -> Path:
    """A private copy of the repository's example site at ``destination``."""
    destination.mkdir(parents=True)
    for part in SITE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, destination / part)
        elif source.exists():
            shutil.copy2(source, destination / part)
    return destination


def picture_on_the_web(site: Path) -> None:
    """The reference post's picture as a web URL, not a file each message carries inline (60 KB
    of base64 a message: where the picture is not the point, hundreds of readers' worth cost
    seconds of JSON, and Resend takes no inline images)."""
    post = site / "content" / "posts" / "what-matters.md"
    post.write_text(post.read_text().replace("(/media/", "(https://blog.example.com/media/"))


@pytest.fixture
def site(tmp_path) -> Path:
    """A private copy of the repository's example site."""
    return copy_example_site(tmp_path / "site")


def invoke(site: Path, *args: str, input: str | None = None, env: dict | None = None):
    """Run the CLI in-process (click's CliRunner) against ``site``."""
    from newsletter.cli import main

    runner = CliRunner()
    return runner.invoke(main, ["--site", str(site), *args], input=input, env=env,
                         catch_exceptions=False)


def run_in_process(site: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the CLI in-process, its result shaped as run_cli's (returncode, stdout, stderr):
    for tests that run a command many times once a subprocess test covers the real one."""
    result = invoke(site, *args, env=env)
    return subprocess.CompletedProcess(["newsletter", *args], result.exit_code, result.stdout,
                                       result.stderr)


def run_cli(site: Path, *args: str, env: dict | None = None, timeout: float = 120,
            **kwargs) -> subprocess.CompletedProcess:
    """Run the real CLI in a subprocess against ``site``."""
    return subprocess.run(_cli_command(site, args), capture_output=True, text=True,
                          env=_cli_environ(env), timeout=timeout, **kwargs)


def start_cli(site: Path, *args: str, env: dict | None = None, **popen) -> subprocess.Popen:
    """Start the real CLI against ``site`` and return at once (to signal or kill it)."""
    return subprocess.Popen(_cli_command(site, args), env=_cli_environ(env), **popen)


def _cli_command(site: Path, args: tuple[str, ...]) -> list[str]:
    return [sys.executable, "-m", "newsletter", "--site", str(site), *args]


def _cli_environ(extra: dict | None) -> dict[str, str]:
    """This environment without any provider secret, plus ``extra``."""
    return {k: v for k, v in os.environ.items() if k not in SECRET_VARIABLES} | (extra or {})
