"""`newsletter --help` and a command's --help read as a new user expects: the commands in the
order of a blog's first hour, each summary whole on an 80-column terminal, examples to copy,
and the options used every day before the rare ones."""

from __future__ import annotations

import os
import subprocess
import sys


def help_of(*args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "newsletter", *args, "--help"],
                            capture_output=True, text=True, check=True,
                            env={**os.environ, "COLUMNS": "80"})
    return result.stdout


def test_the_commands_come_in_a_first_hours_order_each_summary_whole():
    shown = help_of()
    commands = shown.split("Commands:\n")[1].split("\n\n")[0].splitlines()
    names = [line.split()[0] for line in commands]
    assert names[:2] == ["init", "subscribers"]
    assert names.index("preview") < names.index("send") < names.index("status")
    assert sorted(names) == sorted(["init", "subscribers", "posts", "preview", "check", "send",
                                    "status", "reconcile", "serve", "form", "welcome", "store"])
    assert not [line for line in commands if line.endswith("...")]  # cut short by click
    assert all(len(line) <= 80 for line in shown.splitlines())


def test_the_help_ends_with_a_first_hour_to_copy_each_line_a_command_that_runs():
    import re

    shown = help_of()
    examples = shown.split("A blog's first hour (docs/start.md):\n")[1].splitlines()[:6]
    commands = [re.split(r"\s{2,}", line.strip())[0].split() for line in examples]
    assert [" ".join(command) for command in commands] == [
        "newsletter init", "newsletter subscribers import members.csv",
        "newsletter preview --serve", "newsletter send hello --to you@example.org",
        "newsletter send hello", "newsletter send --due"]
    for command in commands:  # click refuses an option the command does not have
        assert "Usage: " in help_of(*command[1:])


def test_send_shows_examples_and_its_everyday_options_first():
    shown = help_of("send")
    assert "newsletter send hello --to you@example.org" in shown
    assert "newsletter send --due" in shown
    options = [line.split()[0] for line in shown.split("Options:\n")[1].splitlines()
               if line.startswith("  -")]
    assert options[:4] == ["--to", "--dry-run", "-y,", "--tag"]
    assert options.index("--due") < options.index("--now") < options.index("--retry-failed")


def test_serve_and_subscribers_remove_show_examples():
    assert "newsletter serve --port 8081" in help_of("serve")
    assert "newsletter subscribers remove jon@example.org --unlisted" in help_of(
        "subscribers", "remove")
