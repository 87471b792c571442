"""`newsletter send`: send a post to every subscriber who does not have it yet."""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter

import click

from newsletter.cli import Site, pass_site
from newsletter.cli.echo import counted, echo_findings, empty_list, shown_title, warn_skipped_rows
from newsletter.cli.progress import ProgressLine
from newsletter.cli.tags import one_tag_each
from newsletter.cli.send_summary import (
    note_recovered,
    nothing_left,
    print_dry_run,
    print_limit,
    print_report,
    send_exit_code,
)
from newsletter.errors import InputError

# Subscriber files this large (~20,000 readers), or a PostgreSQL list of as many rows (each
# sender's count a pass over it before its first batch), are counted as sent with --yes.
COUNT_FIRST_MAX_BYTES = 1 << 20
COUNT_FIRST_MAX_ROWS = 20_000


@click.command()
@click.argument("post", required=False)
@click.option("--to", "to", multiple=True, metavar="EMAIL",
              help="Test send to this address only (repeatable); no ledger, drafts allowed.")
@click.option("--dry-run", is_flag=True, help="Render and count recipients; send nothing.")
@click.option("--yes", "-y", is_flag=True, help="Send without asking (needed off a terminal).")
@click.option("--tag", "tags", multiple=True, callback=one_tag_each, metavar="TAG",
              help="Only readers with this tag (repeat: any of them). Default: the post's "
                   "newsletter_tags, else every active reader.")
@click.option("--due", is_flag=True,
              help="For cron: send every published post not sent yet; silent when none is due.")
@click.option("--now", metavar="TIME",
              help="With --due: evaluate the schedule at TIME (ISO; no zone = site.timezone).")
@click.option("--first-run", is_flag=True,
              help="With --due under CI: this really is the site's first run (no ledger yet).")
@click.option("--resend-in-doubt", is_flag=True,
              help="Also send to readers whose earlier message may or may not have gone out.")
@click.option("--retry-failed", is_flag=True,
              help="Also send to readers the provider rejected before.")
@pass_site
@click.pass_context
def send(ctx: click.Context, site: Site, post: str | None, due: bool, now: str | None,
         dry_run: bool, first_run: bool, yes: bool,
         to: tuple[str, ...], resend_in_doubt: bool, retry_failed: bool,
         tags: tuple[str, ...]) -> None:
    """Send POST to every active subscriber who has not had it yet.

    \b
      newsletter send hello --to you@example.org   # a [TEST] copy to yourself first
      newsletter send hello                        # a summary, then "Send to N readers?"
      newsletter send --due                        # from cron: whatever fell due, silently

    POST is the post's slug, the slug's last part, its file name or its path. Each reader gets
    the post exactly once: the ledger in .newsletter/ledger.db remembers who has it, so running
    send again sends only to readers added since (or left pending by an error).

    With --tag (or newsletter_tags in the post's front matter) only readers holding one of
    those tags get it; a later send without tags reaches the others, once each.

    With --due (no POST), for cron: send every published post dated from [schedule] since that
    was never sent, print nothing when none is due, and never ask.

    Exit status 0 when every reader was reached (or the rest wait for a sending limit); 1 while
    readers are left to look at: rejected by this run, left pending by an error, or in doubt
    (this run's or an earlier one's, until `newsletter reconcile` settles them); 2 for bad input.
    """
    from newsletter.sending import defer_collections

    defer_collections()  # before the imports and the render that come before the first request
    if due or now or first_run:
        if not due or post or to or resend_in_doubt or retry_failed or tags:
            raise click.UsageError("--due takes no POST, --to, --tag, --retry-failed or "
                                   "--resend-in-doubt; --now and --first-run need --due")
        from newsletter.cli.due import send_due

        ctx.exit(send_due(site.settings, now, dry_run, first_run))
    if post is None:
        raise click.UsageError("missing POST: name the post to send, or use --due")
    from newsletter.posts import site_relative
    from newsletter.sending import check_sendable, reading_ahead

    settings = site.settings
    post_ = _find_post(settings, post)
    now = dt.datetime.now(dt.timezone.utc)
    check_sendable(post_, now, test=bool(to), where=site_relative(settings, post_.path))
    tags = tags or post_.newsletter_tags
    # --yes asks nothing: a long list is read (in a helper process) while the post renders.
    code = None
    try:
        with reading_ahead(settings, post_.id, tags, yes and not (to or dry_run)) as started:
            code = _render_and_send(settings, post_, now, to, dry_run=dry_run, yes=yes,
                                    tags=tags, resend_in_doubt=resend_in_doubt,
                                    retry_failed=retry_failed, started=started)
    except KeyboardInterrupt:  # the run's own handler takes those pressed once it claims
        if to or code is not None:
            raise
        code = _stopped_before_sending(post_)
    ctx.exit(code)


def _render_and_send(settings, post, now: dt.datetime, to, *, dry_run: bool, **options) -> int:
    """After the helper's fork (less memory to share): the providers, the renderer, the send."""
    from newsletter.providers import make_provider
    from newsletter.sending import check_images

    provider = make_provider(settings)
    try:
        email = _checked_email(settings, post, now, provider, test=bool(to))
        # Before the summary and the question; the send checks once more before anyone is claimed.
        check_images(settings, email, provider, online=not dry_run)
        if to:
            return _test_send(settings, email, provider, to, dry_run)
        return _send(settings, post, email, provider, dry_run=dry_run, **options)
    finally:
        provider.close()


def _find_post(settings, name: str):
    """Load every post (reporting the broken ones) and pick the one named."""
    from newsletter.posts import find_post, load_posts

    posts, problems = load_posts(settings)
    found = find_post(posts, name, problems)  # a broken file of that name raises its own error
    for problem in problems:
        click.echo(f"warning: {problem}", err=True)
    return found


def _checked_email(settings, post, now: dt.datetime, provider, *, test: bool):
    """Render the post and run the preflight check: its findings are printed once, and an
    error stops a real send (or its dry run) before anyone is claimed."""
    from newsletter.check import errors_in, settings_findings
    from newsletter.sending import prepare_post, since_of

    email, preflight = prepare_post(settings, post, now, since_of(settings), provider)
    findings = [*settings_findings(settings), *preflight.findings]  # placeholders first
    echo_findings(findings)
    errors = len(errors_in(findings))
    if errors and test:
        click.echo(f"note: a real send refuses {post.id} until the {counted(errors, 'error')} "
                   f"above {'is' if errors == 1 else 'are'} fixed; this test copy goes anyway.",
                   err=True)
    elif errors:
        raise InputError(f"{post.id} not sent: {counted(errors, 'error')} above",
                         hint=f"fix them and run `newsletter check {post.name}`")
    return email


def _send(settings, post, email, provider, *, dry_run: bool, yes: bool,
          resend_in_doubt: bool, retry_failed: bool, tags: tuple[str, ...], started) -> int:
    """Send to the list (after asking); the exit code: 1 when readers are left to look at."""
    from newsletter.sending import (
        Budget,
        Ledger,
        State,
        count_active,
        count_recipients,
        finish_if_walked,
        left_as_it_ends,
        mark_sent_by_hand,
        recover_dead_runs,
        remember_sent,
        send_post,
        settled_states,
        site_lock,
        unfinished_on_site,
    )
    from newsletter.subscribers import open_store

    # Before counting: a dead run's batches are in doubt, and must be reported as such.
    recovered = recover_dead_runs(settings, writing=not dry_run) or 0
    store = open_store(settings)
    states = settled_states(retry_failed, resend_in_doubt)
    existing = Ledger.open_existing(settings)
    skipped_rows: list = []
    # Counting reads the whole list unless the roster is current (PostgreSQL: a pass over it);
    # a long list is read once, by the send itself, when nobody waits on the count (--yes).
    long_list = COUNT_FIRST_MAX_ROWS if settings.store_url else COUNT_FIRST_MAX_BYTES
    read_list = dry_run or not yes or store.size() < long_list
    try:
        total = count_recipients(store, existing, post.id, states, skipped_rows, tags,
                                 read_list=read_list)
        earlier = existing.counts(post.id).get(post.id, Counter()) if existing else Counter()
    finally:
        if existing:
            existing.close()
    who = f"subscriber tagged {', '.join(tags)}" if tags else "active subscriber"
    note_recovered(recovered, post, unfinished_on_site(settings))
    provider_name = settings.provider.name
    if total == 0 and count_active(store, tags) == 0:  # not "everyone has it": nobody is there
        click.echo(empty_list(store, tags), err=True)
        warn_skipped_rows(skipped_rows)
        return 1
    if total == 0:
        nothing_left(who, post, earlier, provider_name)
        warn_skipped_rows(skipped_rows)
        return 1 if recovered or earlier[State.IN_DOUBT] else 0
    warn_skipped_rows(skipped_rows)
    _note_development_secret(settings)
    click.echo(f"Post:       {shown_title(post)} ({post.id})")
    click.echo(f"Subject:    {email.subject}")
    counted_as = "counted as they are sent" if total is None else str(total)
    click.echo(f"Recipients: {counted_as}" + (f" (tagged {', '.join(tags)})" if tags else ""))
    click.echo(f"Provider:   {provider.describe()}")
    if dry_run:
        print_dry_run(settings, post, total, earlier)
        click.echo("Dry run: nothing sent.")
        return 0
    if not yes:
        if not sys.stdin.isatty():
            raise InputError("not on a terminal, so nothing was sent",
                             hint="add --yes to send without confirmation")
        click.confirm(f"Send to {total} readers?", abort=True)
    on_tty = sys.stdout.isatty()
    try:
        with site_lock(settings), Ledger.open(settings) as ledger:
            budget = Budget.open(settings, dt.datetime.now(dt.timezone.utc))
            progress = ProgressLine(total) if on_tty else None
            remember_sent(ledger, post)
            try:
                report = send_post(settings, email, provider, store=store, ledger=ledger,
                                   retry_failed=retry_failed, resend_in_doubt=resend_in_doubt,
                                   on_progress=progress, tags=tags, budget=budget,
                                   started=started)
                if tags == post.newsletter_tags:  # its readers: later ones don't reopen it
                    finish_if_walked(ledger, post.id, report, dt.datetime.now(dt.timezone.utc))
                    if report.limit_reached:  # as its line says, send --due continues it
                        mark_sent_by_hand(ledger, post.id, dt.datetime.now(dt.timezone.utc))
                if progress:
                    progress.end()
                left = left_as_it_ends(ledger, post.id)  # this run's and earlier
            finally:
                if budget is not None:
                    budget.close()
    except KeyboardInterrupt:  # before the first batch, or a second one while batches settle
        return _interrupted(settings, post, earlier)
    if total is None:  # not counted first: the send's own read found them
        warn_skipped_rows(report.unusable_rows)
        if report.done == 0 and not (report.stopped or report.recovered or recovered):
            if count_active(store, tags) == 0:  # nobody there, rather than everyone served
                click.echo(empty_list(store, tags), err=True)
                return 1
            nothing_left(who, post, left, provider_name)
            return 1 if left[State.IN_DOUBT] else 0
    if left[State.SUBMITTING]:  # still on their way as this run ends: another sender's
        left = _another_senders_left(settings, post, left)
    print_report(report, post, total, left, provider_name)
    if report.limit_reached:
        print_limit(settings, report, post, total, tags)
    return send_exit_code(report, recovered, left)


def _interrupted(settings, post, earlier: Counter) -> int:
    """What a Ctrl-C the run could not take as a request to stop left, said as it is: batches
    on their way (a second Ctrl-C while the first waited for them), or nothing sent yet."""
    from newsletter.sending import Ledger, State

    with Ledger.open(settings) as ledger:
        left = ledger.counts(post.id).get(post.id, Counter())
    if left == earlier:
        return _stopped_before_sending(post)
    if left[State.SUBMITTING]:
        click.echo(f"\nerror: interrupted while batches were on their way; the next "
                   f"`newsletter send {post.name}` marks them in doubt (see `newsletter status "
                   f"{post.name}`)", err=True)
        return 130
    click.echo(f"\nerror: stopped (Ctrl-C); see `newsletter status {post.name}`; run "
               f"`newsletter send {post.name}` again to continue", err=True)
    return 1


def _stopped_before_sending(post) -> int:
    click.echo(f"\nerror: stopped (Ctrl-C) before anything was sent; run `newsletter send "
               f"{post.name}` again to send it", err=True)
    return 1


def _another_senders_left(settings, post, left: Counter) -> Counter:
    """The post's rows once a sender that died beside this run (killed, on another host) is
    found: its batches on their way are in doubt now, said here (this run's summary said
    nothing of them, and exited 0) rather than by the next command. A sender still alive
    keeps its rows."""
    from newsletter.sending import Ledger, left_as_it_ends, recover_dead_runs

    if not recover_dead_runs(settings):
        return left
    click.echo(f"Another run of the post stopped with messages on their way: they are now in "
               f"doubt, not resent (see `newsletter status {post.name}`).")
    with Ledger.open(settings) as ledger:
        return left_as_it_ends(ledger, post.id)


def _note_development_secret(settings) -> None:
    if not settings.secrets.get("NEWSLETTER_SECRET"):
        click.echo("note: NEWSLETTER_SECRET is not set; unsubscribe links are signed with the "
                   "development secret (fine for the outbox, never for real mail)", err=True)


def _test_send(settings, email, provider, addresses, dry_run: bool) -> int:
    """Send [TEST] copies; the exit code: 1 when the provider rejected one."""
    from newsletter.sending import send_test

    split = [a.strip() for item in addresses for a in item.split(",") if a.strip()]
    if dry_run:
        click.echo(f"Dry run: would test-send to {', '.join(split)} via {provider.describe()}.")
        return 0
    _note_development_secret(settings)
    answers = send_test(settings, email, provider, split)  # a bad address fails before any send
    click.echo(f"Test send via {provider.describe()}:")
    failed = False
    for address, result in answers:
        if result.status == "sent":
            click.echo(f"  {address}: accepted ({result.message_id})")
        else:
            failed = True
            click.echo(f"  {address}: rejected ({result.reason})")
    return 1 if failed else 0


COMMANDS = [send]
