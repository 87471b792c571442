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
    from newsletter.state import migrate_site

    for kind in migrate_site(site.settings):
        done = (f"{len(kind.applied)} migration(s) applied" if kind.applied
                else "up to date")
        click.echo(f"{kind.where}: {done} ({kind.total} in all)")


@store.command()
@click.option("--to", "url", required=True, metavar="postgresql://... | files",
              help="The empty PostgreSQL store to copy into (its password from PGPASSWORD); "
              "or files: the site's store back into its files.")
@pass_site
def copy(site, url: str) -> None:
    """Copy the site's files (the CSV list, the ledger and its runs, the journal, the sign-ups)
    into an empty PostgreSQL store; run it again to finish a copy that stopped. With --to
    files, the other way: the site's PostgreSQL store into its files."""
    if url == "files":
        _copy_back(site.settings)
        return
    from newsletter.config import check_url, refuse_password
    from newsletter.state import claim_for_copy, copy_tables, migrate_postgresql, postgres
    from newsletter.subscribers import PostgresStore, SubscriberStore, copy_list

    check_url(url, "--to", "the command line")
    refuse_password(url, "--to", "any user of this machine may read a command line (ps)",
                    "the command line", "remove it; set PGPASSWORD in the environment")
    migrate_postgresql(url, site.settings.site.url, record_site=False)
    with postgres.opened(url) as db:
        claim_for_copy(db, site.settings.site.url)
        tables = copy_tables(site.settings.state_dir, db)
    database = postgres.Database(url)
    try:
        listed = copy_list(SubscriberStore(site.settings), PostgresStore(database))
    finally:
        database.close()
    with postgres.opened(url) as db:  # ready for the first send, not left to it
        postgres.settle(db, ("subscribers", *(table.table for table in tables)))
    for problem in listed.problems:
        click.echo(f"not copied: {problem}", err=True)
    click.echo(f"subscribers: {listed.readers} reader(s), {listed.added} new to the store")
    for table in tables:
        click.echo(f"{table.table}: {table.rows} row(s), {table.added} new to the store")
    click.echo("copied and counted; set [store] url in newsletter.toml to use it")


def _copy_back(settings) -> None:
    """The site's PostgreSQL store into its files, which must hold no state of their own."""
    from newsletter.errors import ConfigError
    from newsletter.state import copy_back, move_in, postgres, refuse_own_state
    from newsletter.subscribers import PostgresStore, refuse_own_list, spool_list_back

    if not settings.store_url:
        raise ConfigError("the site has no PostgreSQL store to copy back", where="newsletter.toml",
                          hint="set [store] url (or NEWSLETTER_STORE_URL) to the store")
    refuse_own_state(settings.state_dir)  # both refused before anything is written
    refuse_own_list(settings.subscribers_dir)
    database = postgres.Database(settings.store_url, site=settings.site.url)
    try:
        with database.connection(*postgres.IN_POSTGRESQL) as db:
            tables = copy_back(db, settings.state_dir)
        readers, spool = spool_list_back(PostgresStore(database), settings.subscribers_dir)
    finally:
        database.close()
    # The ledger in place before the list: a list without its ledger would be sent every post.
    move_in(settings.state_dir)
    spool.replace(settings.subscribers_dir / "subscribers.csv")
    click.echo(f"subscribers: {readers} reader(s), into subscribers/subscribers.csv")
    for table in tables:
        click.echo(f"{table.table}: {table.rows} row(s)")
    click.echo("copied and counted; remove [store] from newsletter.toml (and "
               "NEWSLETTER_STORE_URL from the environment) to use the files")


COMMANDS = [store]
