"""`newsletter welcome`: where the welcome series stands, and enrolling the list as it is."""

from __future__ import annotations

import datetime as dt
import sys

import click

from newsletter.cli import Site, pass_site
from newsletter.cli.echo import counted, readers
from newsletter.errors import InputError


@click.group()
def welcome() -> None:
    """Run the welcome series: the best posts, for new readers.

    The welcome series: the blog's best posts, one every few days, for each new reader."""


@welcome.command()
@pass_site
def status(site: Site) -> None:
    """Per post of the series: readers sent it, due for it now, and waiting for it."""
    from newsletter.config import duration_words
    from newsletter.sending import welcome_status

    settings = site.settings
    now = dt.datetime.now(dt.timezone.utc)
    report = welcome_status(settings, now)
    series, welcome_ = report.series, settings.welcome
    first = ("at the first cron run after joining" if not series.first_after
             else f"{duration_words(welcome_.first_after)} after joining")
    state = "enabled" if welcome_.enabled else "disabled: send --due sends none of it"
    click.echo(f"Welcome series ({state}): {counted(len(series.posts), 'post')}, the first {first}, "
               f"then {_spacing(welcome_.every, len(welcome_.posts))}.")
    if series.enabled_at is None and not welcome_.enabled:
        click.echo("Not started: list its posts in [welcome] posts and set enabled = true in "
                   "newsletter.toml (docs/welcome.md); the next send --due then starts it.")
    elif series.enabled_at is None:
        click.echo("Not started yet: the next send --due starts it; readers who sign up from "
                   "then on get it (`newsletter welcome enroll --all` adds everyone else).")
    elif not welcome_.enabled:
        click.echo(f"Started {_when(series.enabled_at, settings)}, turned off since: nobody gets "
                   "it until [welcome] enabled = true again.")
    else:
        click.echo(f"Started {_when(series.enabled_at, settings)}: readers who signed up since "
                   "get it (an import's only with --welcome)" + (f"; everyone on the list was enrolled "
                               f"{_when(series.enrolled_all_at, settings)}"
                               if series.enrolled_all_at else "") + ".")
    for post, sent, due, waiting in report.rows():
        click.echo(f"  {post.id}: sent {sent}, due now {due}, waiting {waiting}")
    if report.decision.finished:
        click.echo(f"{readers(report.decision.finished)} had the whole series.")


@welcome.command()
@click.option("--all", "everyone", is_flag=True, required=True,
              help="Every active reader not in the series yet (required: say you mean it).")
@click.option("--yes", "-y", is_flag=True, help="Enroll without asking (needed off a terminal).")
@pass_site
def enroll(site: Site, everyone: bool, yes: bool) -> None:
    """Put the readers who were on the list before the series started into it."""
    from newsletter.sending import enroll_all, outside_the_series

    settings = site.settings
    now = dt.datetime.now(dt.timezone.utc)
    count = outside_the_series(settings, now)
    if not count:
        click.echo("Every active reader is in the welcome series already; nothing to do.")
        return
    click.echo(f"{readers(count)} on the list {'is' if count == 1 else 'are'} not in the "
               f"welcome series. Enrolled, each gets its first post at the next send --due, "
               f"then {_spacing(settings.welcome.every, len(settings.welcome.posts))}.")
    if not yes:
        if not sys.stdin.isatty():  # cron, a script: nobody to answer, as for `send`
            raise InputError("not on a terminal, so nobody was enrolled",
                             hint="add --yes to enroll them without confirmation")
        click.confirm(f"Enroll {readers(count)}?", abort=True)
    enroll_all(settings, now)
    click.echo(f"Enrolled {readers(count)}.")


def _spacing(every: str | tuple[str, ...], posts: int) -> str:
    """``[welcome] every`` in words: "one every 3 days", or of a list "one 2 days after it,
    then one 5 days after that" (", and one every 5 days after": the last gap, for the rest
    of ``posts``)."""
    from newsletter.config import duration_words

    if isinstance(every, str) or len(every) == 1:
        return f"one every {duration_words(every if isinstance(every, str) else every[0])}"
    words = [duration_words(gap) for gap in every]
    rest = f", and one every {words[-1]} after" if posts > len(words) + 1 else ""
    return f"one {words[0]} after it, " + ", ".join(
        f"then one {w} after that" for w in words[1:]) + rest


def _when(seconds: int, settings) -> str:
    moment = dt.datetime.fromtimestamp(seconds, dt.timezone.utc).astimezone(settings.site.zone)
    return f"{moment:%Y-%m-%d %H:%M %Z}"


COMMANDS = [welcome]
