"""`newsletter init`: make a site of a blog's folder."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("directory", required=False,
                type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def init(ctx: click.Context, directory: Path | None) -> None:
    """Write the files a site needs into DIRECTORY (default: --site, the current folder).

    newsletter.toml (with the blog's title and address when its Gatsby, Hugo or Jekyll
    settings say them), the email templates, an empty subscribers/subscribers.csv and the
    .gitignore lines for .newsletter/, outbox/ and preview/. Files that exist are never
    overwritten; content/ is left alone.
    """
    from newsletter.scaffold import init_site

    root = directory or ctx.obj.root
    report = init_site(root)
    if report.info.source:
        click.echo(f"Read the blog's title and address from {report.info.source}.")
    for name in report.written:
        click.echo(f"  wrote   {name}")
    for name in report.skipped:
        click.echo(f"  kept    {name} (exists; not changed)")
    if report.unfilled:  # check and send refuse these until they are the writer's own
        click.echo(f"Next: fill in {', '.join(report.unfilled)} in {root / 'newsletter.toml'} "
                   "(init could not know them); add readers with `newsletter subscribers add "
                   "EMAIL`, then `newsletter preview`.")
    elif "newsletter.toml" in report.written:
        click.echo("Next: add readers with `newsletter subscribers add EMAIL`, then "
                   "`newsletter preview`.")


COMMANDS = [init]
