"""`newsletter posts`: every post with its status, date, slug and title."""

from __future__ import annotations

import datetime as dt

import click

from newsletter.cli import pass_site


@click.command()
@pass_site
def posts(site) -> None:
    """List every post: status, date, slug and title; broken posts with their error."""
    from newsletter.content import classify, load_posts

    settings = site.settings
    found, errors = load_posts(settings)
    now = dt.datetime.now(dt.timezone.utc)
    # Newest first; pages without a date last.
    found.sort(key=lambda post: post.date or dt.datetime.min.replace(tzinfo=dt.timezone.utc),
               reverse=True)
    rows = [
        (
            _status_label(classify(post, now)),
            post.date.astimezone(settings.site.zone).strftime("%Y-%m-%d") if post.date else "-",
            post.id,
            post.title,
        )
        for post in found
    ]
    if rows:
        header = ("STATUS", "DATE", "SLUG", "TITLE")
        widths = [max(len(row[i]) for row in (header, *rows)) for i in range(3)]
        for row in (header, *rows):
            click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[3])
    elif not errors:
        click.echo(f"no posts under {settings.content_dir}")
    for error in errors:
        click.echo(f"error: {error}", err=True)
    if errors:
        click.get_current_context().exit(2)


def _status_label(status) -> str:
    # The ledger's "sent n/m", "partial" and "in doubt" will refine READY here.
    return str(status)


COMMANDS = [posts]
