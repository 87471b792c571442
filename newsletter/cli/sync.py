"""`newsletter subscribers sync`: apply the provider's suppression lists (for cron)."""

from __future__ import annotations

import sys

import click

from newsletter.cli import pass_site


@click.command()
@pass_site
def sync(site) -> None:
    """Mark readers the provider suppressed: bounced, complained or unsubscribed.

    Reads the provider's suppression lists (Postmark: the message stream's; SendGrid: bounces,
    blocks, invalid emails, spam reports, unsubscribes; Mailgun: bounces, complaints,
    unsubscribes; Resend: suppressions) and changes only readers who are active. Prints one
    line per change and nothing when nothing changed, so cron mails only news.
    """
    from newsletter.providers import sync_suppressions

    report = sync_suppressions(site.settings)
    for change in report.changes:
        click.echo(f"{change.status}: {change.address} ({change.reason})")
    if report.changes:
        click.echo(f"{len(report.changes)} changed; {report.provider} lists {report.listed} "
                   f"suppressed addresses")
    elif sys.stdout.isatty():
        click.echo(f"nothing changed; {report.provider} lists {report.listed} suppressed addresses")
