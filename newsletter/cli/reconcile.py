"""`newsletter reconcile`: ask the provider what became of in-doubt readers (docs/reconcile.md)."""

from __future__ import annotations

import json
from contextlib import nullcontext

import click

from newsletter.cli import Site, pass_site
from newsletter.cli.seconds import a_number

# Seconds: longer than any provider keeps its search (docs/providers.md), so a larger value would
# trust no empty answer either; far larger ones overflow a duration.
MAX_SETTLE = 90 * 24 * 3600.0


@click.command()
@click.argument("post", required=False)
@click.option("--dry-run", is_flag=True, help="Ask the provider, change nothing in the ledger.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@click.option("--settle", type=click.FloatRange(min=0, max=MAX_SETTLE), metavar="SECONDS",
              callback=a_number,
              help="Trust an empty search once a batch is this old (default: the provider's "
                   "indexing delay, docs/providers.md).")
@pass_site
def reconcile(site: Site, post: str | None, dry_run: bool, as_json: bool,
              settle: float | None) -> None:
    """Ask the provider what became of the readers in doubt.

    The readers in doubt of POST, or of every post. Found: sent. Provably never accepted:
    pending, for the next send. Otherwise still in doubt, with the reason. Never sends mail;
    safe to interrupt and run again. Exits 1 while readers stay in doubt.
    """
    from newsletter.posts import load_posts
    from newsletter.sending import Ledger, posts_in_doubt, site_lock, writable_ledger
    from newsletter.sending import reconcile_posts

    settings = site.settings
    ledger = Ledger.open_existing(settings)
    if ledger is None:
        _finish([], as_json)
        return
    with ledger:
        if post is None:
            post_ids = None
        else:
            from newsletter.cli.status import _post_id

            post_ids = [_post_id(ledger, load_posts(settings)[0], post)]
    # A dry run on a read-only site (nobody can send there) reads without the lock it cannot take.
    looking = dry_run and not settings.store_url and not writable_ledger(settings)
    with nullcontext() if looking else site_lock(settings), Ledger.open(settings) as ledger:
        if settings.store_url:  # PostgreSQL: no lock file, one run on every host
            ledger.take_due_lock()
        if not dry_run:
            ledger.recover()  # a dead run's batches are in doubt too
        wanted = (posts_in_doubt(ledger, forget_stale=not dry_run) if post_ids is None
                  else post_ids)
        reports = reconcile_posts(settings, ledger, wanted, dry_run=dry_run, settle=settle)
    _finish([r for r in reports if r.in_doubt], as_json, dry_run)


def _finish(reports, as_json: bool, dry_run: bool = False) -> None:
    if as_json:
        click.echo(json.dumps({"dry_run": dry_run, "posts": [r.as_dict() for r in reports]},
                              indent=2))
    elif not reports:
        click.echo("Nothing is in doubt.")
    for report in reports if not as_json else ():
        _print(report, dry_run)
    still = {report.post_id: sum(report.still.values()) for report in reports if report.still}
    if still:  # on stderr too: what cron mails when a job's output goes elsewhere
        posts = ", ".join(f"{post_id} ({count})" for post_id, count in still.items())
        click.echo(f"error: {sum(still.values())} reader(s) still in doubt: {posts}; "
                   "`newsletter status POST` lists them and what to do", err=True)
        raise click.exceptions.Exit(1)


def _print(report, dry_run: bool) -> None:
    would = "would become" if dry_run else "now"
    if report.note and not report.heard:
        click.echo(f"{report.post_id}: {report.in_doubt} in doubt; {report.note}.")
        return
    parts = [f"{report.in_doubt} in doubt"]
    if report.heard:
        parts.append(f"{report.heard} known to {report.provider} by its webhook events "
                     f"({would} sent)")
    if report.sent - report.heard:
        parts.append(f"{report.sent - report.heard} found at {report.provider} ({would} sent)")
    if report.pending:
        parts.append(f"{report.pending} never reached {report.provider} ({would} pending: "
                     "the next send delivers them)")
    still = sum(report.still.values())
    if still:
        parts.append(f"{still} still in doubt")
    click.echo(f"{report.post_id}: " + "; ".join(parts))
    for reason, count in report.still.items():
        click.echo(f"  {count}: {reason}")


COMMANDS = [reconcile]
