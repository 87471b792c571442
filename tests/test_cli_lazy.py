"""`newsletter` imports a command's module only when that command runs
(newsletter/cli/lazy_group.py), and its help reads as when every module was imported."""

from __future__ import annotations

import os
import subprocess
import sys

import click
import pytest

from newsletter.cli import COMMANDS, main

COMMAND_MODULES = sorted(module for module, _ in COMMANDS.values())


def run(code: str, columns: int = 80) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={**os.environ, "COLUMNS": str(columns)}).stdout


@pytest.mark.parametrize("columns", [50, 80])
def test_the_list_of_commands_reads_as_the_commands_themselves_would(columns):
    code = ("from newsletter.cli import main, COMMANDS\n"
            "def show():\n"
            "    try:\n        main(['--help'])\n    except SystemExit:\n        pass\n"
            "show()\nprint('-' * 20)\n"
            "for name in COMMANDS:\n    main.get_command(None, name)\n"
            "show()\n")
    lazy, eager = run(code, columns).split("-" * 20 + "\n")
    assert lazy == eager
    assert columns < 80 or "send         Send POST to every active subscriber who has not had it yet." in lazy


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_listed_sentence_is_its_commands_own(name):
    command = main.get_command(click.Context(main), name)
    assert command.name == name
    assert COMMANDS[name][1] == click.utils.make_default_short_help(command.help, 10_000)


@pytest.mark.parametrize("arguments", [["--help"], ["send", "--help"],
                                       ["subscribers", "sync", "--help"]])
def test_a_command_imports_its_own_module_alone(arguments):
    code = ("import sys\nfrom newsletter.cli import main\n"
            f"try:\n    main({arguments!r})\nexcept SystemExit:\n    pass\n"
            f"print(sorted(m for m in {COMMAND_MODULES!r} if m in sys.modules))")
    output = run(code)
    assert "Usage:" in output
    wanted = [f"newsletter.cli.{arguments[0]}"] if arguments[0] != "--help" else []
    assert output.strip().splitlines()[-1] == repr(wanted)


def test_a_mistyped_command_is_told_the_closest_one():
    result = subprocess.run([sys.executable, "-m", "newsletter", "sned"], capture_output=True,
                            text=True)
    assert result.returncode == 2
    assert "No such command 'sned'. Did you mean 'send'?" in result.stderr
