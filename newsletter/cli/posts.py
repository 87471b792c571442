"""`newsletter posts`: every post with its status, date, id and title; ``--json`` for scripts."""

from __future__ import annotations

import datetime as dt
import json
import re

import click

from newsletter.cli import pass_site
from newsletter.cli.echo import note_unfinished, shown_title

# `posts --json` statuses (docs/generators.md#newsletter-posts-json): the ledger's and the schedule's
# words, and the class of a post nothing was sent of; an unpublished kind reads as "draft"
# (Hugo's expired posts), one never emailed as "page" (newsletter: false).
JSON_STATUS = {"sent": "sent", "partial": "partly-sent", "before-since": "before-since",
               "renamed": "renamed", "ready": "ready", "scheduled": "scheduled",
               "draft": "draft", "expired": "draft", "page": "page", "opted-out": "page"}


@click.command()
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON array: an object per file (status, id, title, date, url, "
                   "file, errors).")
@pass_site
def posts(site, as_json: bool) -> None:
    """List the posts, each with its status (ready, sent, draft...).

    List every post: status, date, id and title; pages and drafts too; broken files with
    their error (exit status 2).

    A post sent to part of the list says how many active readers it has not reached yet.
    """
    from newsletter.posts import load_posts, newest_first
    from newsletter.sending import (held_back, ledger_report, schedule_note, since_of,
                                    status_words)

    settings = site.settings
    found, errors = load_posts(settings)
    unread = _unread(settings)
    now = dt.datetime.now(dt.timezone.utc)
    report = ledger_report(settings, {post.id: post.newsletter_tags for post in found})
    note_unfinished(report.unfinished)
    since = since_of(settings)
    ordered = newest_first(found)
    held = held_back(settings, found, now)
    statuses = [status_words(post, now, report.counts, report.unsent, since, held)
                for post in ordered]
    if as_json:
        click.echo(json.dumps([*(_as_json(settings, post, kind)
                                 for post, (kind, _) in zip(ordered, statuses)),
                               *(_broken_json(error) for error in errors),
                               *(_unread_json(file, why) for file, why in unread)],
                              indent=2, ensure_ascii=False))
    else:
        _print_table(settings, ordered, [words for _, words in statuses], errors)
        for file, why in unread:
            click.echo(f"not read: {why}")
        from newsletter.check import dirs_findings

        for finding in dirs_findings(settings):
            click.echo(f"warning: {finding.line()}", err=True)
        note = schedule_note(found, now, report.counts, since)
        if note:
            click.echo(note)
    if errors:
        click.get_current_context().exit(2)


def _print_table(settings, ordered, words, errors) -> None:
    rows = [(status,
             post.date.astimezone(settings.site.zone).strftime("%Y-%m-%d") if post.date else "-",
             post.id, shown_title(post))
            for post, status in zip(ordered, words)]
    if rows:
        header = ("STATUS", "DATE", "SLUG", "TITLE")
        widths = [max(len(row[i]) for row in (header, *rows)) for i in range(3)]
        for row in (header, *rows):
            cells = (cell.ljust(width) for cell, width in zip(row, widths))
            click.echo("  ".join(cells) + "  " + row[3])
    elif not errors:
        click.echo(no_posts_note(settings))
    for error in errors:
        click.echo(f"error: {error}", err=True)


def no_posts_note(settings) -> str:
    """Where posts were looked for, when none was found, and where Markdown files are."""
    from newsletter.cli.init import first_post_hint, markdown_elsewhere, outside_note
    from newsletter.generators import site_layout

    layout = site_layout(settings)
    label = layout.generator.label if layout.generator.name != "none" else \
        "no static site generator found"
    return (f"no posts in {', '.join(layout.dirs)} ({label}: {layout.dirs_reason})"
            + (outside_note(layout.dirs) or markdown_elsewhere(settings.root, set(), None) or
               "; set [posts] dirs in newsletter.toml if they are elsewhere"
               + first_post_hint(layout.dirs[0])))


def _as_json(settings, post, kind: str) -> dict:
    from newsletter.posts import site_relative

    return {"status": JSON_STATUS.get(kind, kind), "id": post.id, "title": post.title,
            "date": post.date.isoformat() if post.date else None, "url": post.url,
            "file": site_relative(settings, post.path), "errors": []}


def _unread(settings) -> list[tuple[str, str]]:
    """(file, why) of each post file in a markup newsletter does not read (Hugo's .adoc,
    Jekyll's .textile posts): listed, so none is left out without a word."""
    from newsletter.generators import UNREAD_MARKUPS, site_layout
    from newsletter.posts import site_relative

    return [(file, f"{file}: {UNREAD_MARKUPS.get(path.suffix.lower(), path.suffix)} "
                   "(newsletter sends posts written in Markdown)")
            for path in site_layout(settings).unread()
            if (file := site_relative(settings, path))]


def _unread_json(file: str, why: str) -> dict:
    return {"status": "not-read", "id": None, "title": None, "date": None, "url": None,
            "file": file, "errors": [why]}


def _broken_json(error) -> dict:
    return {"status": "broken", "id": None, "title": None, "date": None, "url": None,
            "file": re.sub(r":\d+$", "", error.where or ""), "errors": [str(error)]}


COMMANDS = [posts]
