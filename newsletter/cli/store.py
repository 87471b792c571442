"""`newsletter store ...`: the store of the site's state (its SQLite files, or PostgreSQL)."""

from __future__ import annotations

import click

from newsletter.cli import pass_site


@click.group()
def store() -> None:
    """Set up and upgrade where the site keeps its state."""


@store.command()
@pass_site
def migrate(site) -> None:
    """Create or upgrade every table of the site's state to this version's schema.

    Every command migrates what it opens; this does all of it at once (before a deploy, or
    to check that a store is not newer than this newsletter).
    """
    from newsletter.state import migrate_files

    for kind in migrate_files(site.settings.state_dir):
        done = (f"{len(kind.applied)} migration(s) applied" if kind.applied
                else "up to date")
        click.echo(f"{kind.where}: {done} ({kind.total} in all)")


COMMANDS = [store]
