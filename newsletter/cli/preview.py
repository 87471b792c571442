"""`newsletter preview`: write a post's email as files to look at before sending."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from newsletter.cli import pass_site


@click.command()
@click.argument("post", required=False)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the preview files (default: preview/ in the site).")
@pass_site
def preview(site, post: str | None, out: Path | None) -> None:
    """Write email.html, email.txt and message.eml for POST, or for every ready or scheduled post.

    POST is a slug, the slug's last segment, a file name or a path; naming a draft or a page
    previews it too. Files go to <out>/<post>/, for a sample reader (reader@example.org).
    """
    from newsletter.content import find_post, load_posts, site_relative
    from newsletter.errors import ContentError, PostNotFoundError
    from newsletter.preview import posts_to_preview, write_preview

    settings = site.settings
    found, errors = load_posts(settings)
    if post:
        try:
            chosen = [find_post(found, post)]
            errors = []  # other posts' problems do not matter for this one
        except PostNotFoundError:
            _echo_errors(errors)  # the post may be one of the broken ones
            raise
    else:
        chosen = posts_to_preview(found, dt.datetime.now(dt.timezone.utc))
        if not chosen and not errors:
            click.echo("no ready or scheduled posts to preview; name one: newsletter preview POST")
    out_dir = out if out is not None else settings.root / "preview"
    for item in chosen:
        try:
            result = write_preview(settings, item, out_dir)
        except ContentError as error:
            errors.append(error)
            continue
        where = site_relative(settings, item.path)
        for warning in result.email.warnings:
            click.echo(f"warning: {where}: {warning}", err=True)
        for path in result.paths:
            click.echo(str(path))
    _echo_errors(errors)
    if errors:
        click.get_current_context().exit(2)


def _echo_errors(errors) -> None:
    for error in errors:
        click.echo(f"error: {error}", err=True)


COMMANDS = [preview]
