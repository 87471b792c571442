"""What a test needs of the machine (PostgreSQL, root for mounts, axe-core, initdb): without it
the test is skipped with one line, and under CI it fails, since `.ci/run` installs and starts
everything the suite needs."""

from __future__ import annotations

import os

import pytest

# Read at import: tests/conftest.py hides CI from the tests themselves (`send --due` reads it).
UNDER_CI = bool(os.environ.get("CI"))


def missing(message: str) -> None:
    """Skip the test for want of ``message``'s thing; fail it under CI."""
    if UNDER_CI:
        pytest.fail(f"{message}: CI must run this test", pytrace=False)
    pytest.skip(message)
