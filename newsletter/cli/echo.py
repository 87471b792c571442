"""Lines more than one command prints."""

from __future__ import annotations

import click


def warn_skipped_rows(problems: list, shown: int = 5) -> None:
    """Invalid subscriber rows are never mailed: say so, never silently."""
    for problem in problems[:shown]:
        click.echo(f"warning: {problem}", err=True)
    if problems:
        more = f" ({len(problems) - shown} more not shown)" if len(problems) > shown else ""
        click.echo(f"warning: {len(problems)} subscriber row(s) skipped{more}; "
                   "`newsletter subscribers check` lists them", err=True)


def readers(count: int) -> str:
    """"1 reader", "2 readers"."""
    return f"{count} reader{'' if count == 1 else 's'}"
