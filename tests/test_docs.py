"""The README and the help text stay honest: every command has help and is documented."""

from __future__ import annotations

import click
import pytest

from conftest import REPO, invoke
from newsletter.cli import main

README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


COMMANDS = list(_commands(main))


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS], ids=" ".join)
def test_every_command_has_help_and_is_in_the_readme(path, tmp_path):
    result = invoke(tmp_path, *path, "--help")
    assert result.exit_code == 0
    command = dict(COMMANDS)[path]
    assert command.help and command.help.strip()
    assert f"newsletter {' '.join(path)}" in README


def test_readme_opens_with_the_two_set_up_commands():
    block = README.split("```sh\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert block == [
        "pip install -e . && newsletter send what-matters --yes",
        "pip install -e '.[test]' && npm ci --prefix tests && python -m pytest -n auto",
    ]
