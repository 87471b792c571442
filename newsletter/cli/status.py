"""`newsletter status`: what the ledger says was sent, failed, is in doubt or pending."""

from __future__ import annotations

import click

from newsletter.cli import Site, pass_site


@click.command()
@click.argument("post", required=False)
@pass_site
def status(site: Site, post: str | None) -> None:
    """Show sent / failed / in doubt / pending counts per post, or one POST's problems."""
    from newsletter.sending import Ledger, state_summary

    settings = site.settings
    ledger = Ledger.open_existing(settings)
    if ledger is None:
        if post is not None:
            from newsletter.posts import find_post, load_posts

            click.echo(f"{find_post(load_posts(settings)[0], post).id}: not sent yet.")
        else:
            click.echo("Nothing sent yet (no ledger in .newsletter/).")
        return
    with ledger:
        if post is None:
            counts = ledger.counts()
            if not counts:
                click.echo("Nothing sent yet.")
            for post_id, counter in sorted(counts.items()):
                click.echo(f"{post_id}: {state_summary(counter)}")
            return
        post_id = _post_id(settings, ledger, post)
        counter = ledger.counts(post_id).get(post_id)
        if not counter:
            click.echo(f"{post_id}: not sent yet.")
            return
        click.echo(f"{post_id}: {state_summary(counter)}")
        _show_problems(ledger, post_id, counter)


def _post_id(settings, ledger, name: str) -> str:
    """The ledger id of POST: matched on ledger ids first (a post may since have been deleted)."""
    from newsletter.posts import find_post, load_posts

    wanted = name.strip()
    known = [pid for pid in ledger.counts() if wanted in (pid, pid.lstrip("/"), pid.rpartition("/")[2])]
    if len(known) == 1:
        return known[0]
    posts, _ = load_posts(settings)
    return find_post(posts, name).id


def _show_problems(ledger, post_id: str, counter) -> None:
    """Each failed and in-doubt reader with the reason, and what to run; counts for the rest."""
    from newsletter.sending import State

    failed = ledger.deliveries(post_id, [State.FAILED])
    in_doubt = ledger.deliveries(post_id, [State.IN_DOUBT])
    pending, in_flight = counter[State.PENDING], counter[State.SUBMITTING]
    short = post_id.rpartition("/")[2]
    if failed:
        click.echo("\nFailed (the provider rejected these for good):")
        for row in failed:
            click.echo(f"  {row.address}: {row.reason}")
        click.echo(f"  Fix the cause, then: newsletter send {short} --retry-failed")
    if in_doubt:
        click.echo("\nIn doubt (may or may not have been delivered; never resent on their own):")
        for row in in_doubt:
            click.echo(f"  {row.address}: {row.reason}")
        click.echo("  Check the provider's activity log; to send them again (risking a duplicate):"
                   f" newsletter send {short} --resend-in-doubt")
    if pending:
        click.echo(f"\n{pending} pending (provably not sent): newsletter send {short} sends them.")
    if in_flight:
        click.echo(f"\n{in_flight} in flight: on their way in a send running now, or left by "
                   f"one that was killed; then the next `newsletter send {short}` marks them in doubt.")


COMMANDS = [status]
