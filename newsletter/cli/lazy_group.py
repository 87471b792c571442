"""A click group that imports a command's module only when that command runs.

Importing every command module for one command cost each start-up ~26 million instructions
(docs/performance.md). The group knows each command's module and the first sentence of its
help, which is all ``--help`` shows of it (click shortens a command's help to its first
sentence), so listing the commands imports none of them.
"""

from __future__ import annotations

import importlib

import click


class LazyGroup(click.Group):
    """A group whose commands are ``{name: (module, first sentence of its help)}``."""

    def __init__(self, *args, lazy_commands: dict[str, tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        """In the order ``lazy_commands`` gives them (a first hour's), then any others."""
        return [*self.lazy_commands, *sorted(self.commands.keys() - self.lazy_commands.keys())]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in self.lazy_commands:
            module = importlib.import_module(self.lazy_commands[name][0])
            for command in module.COMMANDS:
                self.add_command(command)
        return self.commands.get(name)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as error:  # "did you mean" any command, loaded or not
            raise click.exceptions.NoSuchCommand(error.command_name,
                                                 possibilities=self.list_commands(ctx),
                                                 ctx=ctx) from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list of commands, from their first sentences for those not imported yet."""
        listed = {name: self.commands.get(name) or click.Command(name, help=summary)
                  for name, (_, summary) in self.lazy_commands.items()}
        listed.update(self.commands)
        limit = formatter.width - 6 - max(map(len, listed))
        with formatter.section("Commands"):
            formatter.write_dl([(name, listed[name].get_short_help_str(limit))
                                for name in self.list_commands(ctx)])
