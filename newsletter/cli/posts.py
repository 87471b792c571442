"""`newsletter posts`: every post with its status, date, slug and title."""

from __future__ import annotations

import datetime as dt

import click

from newsletter.cli import pass_site


@click.command()
@pass_site
def posts(site) -> None:
    """List every post: status, date, slug and title; broken posts with their error.

    A post sent to part of the list says how many active readers it has not reached yet.
    """
    from newsletter.posts import load_posts, newest_first
    from newsletter.sending import ledger_report, since_of, status_words

    settings = site.settings
    found, errors = load_posts(settings)
    now = dt.datetime.now(dt.timezone.utc)
    report = ledger_report(settings, {post.id: post.newsletter_tags for post in found})
    since = since_of(settings)
    rows = [
        (
            status_words(post, now, report.counts, report.unsent, since)[1],
            post.date.astimezone(settings.site.zone).strftime("%Y-%m-%d") if post.date else "-",
            post.id,
            post.title,
        )
        for post in newest_first(found)
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


COMMANDS = [posts]
