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
    return counted(count, "reader")


def counted(count: int, noun: str) -> str:
    """"1 error", "2 errors"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def echo_findings(findings) -> None:
    """Preflight findings on stderr, one line each: ``severity: where: code: message; hint``."""
    for finding in findings:
        click.echo(str(finding), err=True)
