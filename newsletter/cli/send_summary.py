"""What `newsletter send POST` prints when it is done, and the exit code that goes with it.

The summary counts this run; the post's readers that earlier runs left failed or in doubt are
named after it, so a writer (or cron, which mails only stderr and the exit code) learns of
them on every send of the post until they are settled, not only on the run that left them.
The exit codes are the table in docs/sending.md ("Exit status").
"""

from __future__ import annotations

import datetime as dt
import shlex

import click

from newsletter.cli.echo import note_unfinished


def send_exit_code(report, recovered: int, left) -> int:
    """0 when every reader was reached, or the rest wait for a sending limit; 1 when readers
    are left to look at: failed or left pending by this run, stopped, or in doubt (this run's
    or an earlier one's, until `reconcile` or --resend-in-doubt settles them)."""
    from newsletter.sending import State

    limited_only = report.limit_reached and not (report.failed or report.in_doubt
                                                 or report.stopped or report.recovered)
    done = (report.complete or limited_only) and not recovered
    return 0 if done and not left[State.IN_DOUBT] else 1


def print_report(report, post, total: int | None, left, provider: str) -> None:
    """The run's outcome, then what earlier runs left (``left``: the post's ledger rows by
    state after the run, a dead run's found in doubt among them)."""
    from newsletter.sending import State

    note_recovered(report.recovered, post)
    for problem in report.problems:
        click.echo(f"problem: {problem}", err=True)
    line = (f"Sent {report.sent}, failed {report.failed}, in doubt {report.in_doubt}, "
            f"pending {report.pending}")
    if report.skipped:
        line += f", skipped {report.skipped} (unsubscribed during the send)"
    click.echo(line + ".")
    earlier = [f"{state.words} {count}" for state, count in (
        (State.FAILED, left[State.FAILED] - report.failed),
        (State.IN_DOUBT, left[State.IN_DOUBT] - report.in_doubt)) if count > 0]
    if earlier:
        click.echo(f"Left by earlier runs: {', '.join(earlier)}.")
    if report.stopped:
        untried = "the other" if total is None else max(0, total - report.done)
        click.echo(f"error: stopped: {report.stopped}; {untried} readers not attempted", err=True)
    steps = []
    if report.pending or report.stopped:
        steps.append("run send again to continue")
    if report.failed:
        steps.append(f"`newsletter send {post.name} --retry-failed` once the cause is fixed")
    if left[State.IN_DOUBT]:
        steps.append(doubt_hint(post, left[State.IN_DOUBT], provider))
    if report.pending and report.limit_reached and len(steps) == 1:
        return  # only the limit: its own line says what is left and when
    if steps:
        click.echo(f"See `newsletter status {post.name}`; {'; '.join(steps)}.", err=True)


def doubt_hint(post, count: int, provider: str) -> str:
    """What settles a post's readers in doubt: asking the provider, else a resend."""
    from newsletter.sending import no_lookup_note

    resend = f"`newsletter send {post.name} --resend-in-doubt` sends again, risking a duplicate"
    if no_lookup_note(provider):
        return f"{provider} cannot be asked about the {count} in doubt: {resend}"
    if provider == "outbox":  # its log is its folder
        return (f"`newsletter reconcile {post.name}` settles the {count} in doubt from the "
                "outbox's files")
    return (f"`newsletter reconcile {post.name}` asks {provider} about the {count} in doubt "
            f"(or {resend})")


def nothing_left(who: str, post, earlier, provider: str) -> None:
    """No reader is new to the post; a rejected or in-doubt one does not "have" it, and a
    pending one is left only once they are no longer among the run's readers."""
    from newsletter.sending import State

    tried = [f"{earlier[state]} {state.words}" for state in (State.FAILED, State.IN_DOUBT)
             if earlier and earlier[state]]
    if earlier and earlier[State.PENDING]:
        tried.append(f"{earlier[State.PENDING]} pending no longer among its readers")
    if not tried:
        click.echo(f"Nothing left to send: every {who} has {post.id} already.")
        return
    click.echo(f"Nothing left to send: every {who} was sent {post.id} or tried "
               f"({', '.join(tried)}: see `newsletter status {post.name}`).")
    if earlier[State.IN_DOUBT]:
        click.echo(f"error: {doubt_hint(post, earlier[State.IN_DOUBT], provider)}.", err=True)


def print_dry_run(settings, post, total: int | None, earlier) -> None:
    """What a --dry-run adds before "nothing sent": the readers earlier runs left failed or in
    doubt (not among the recipients), and where a sending limit would stop the send."""
    from newsletter.cli.echo import readers
    from newsletter.sending import Budget, State

    tried = [f"{state.words} {earlier[state]}" for state in (State.FAILED, State.IN_DOUBT)
             if earlier[state]]
    if tried:
        click.echo(f"Left by earlier runs: {', '.join(tried)} (not among the recipients; see "
                   f"`newsletter status {post.name}`).")
    budget = Budget.open(settings, dt.datetime.now(dt.timezone.utc))
    if budget is None:
        return
    try:
        if total is not None and budget.left < total:
            finish = budget.finish(total).astimezone(settings.site.zone)
            click.echo(f"Limit:      {budget.limits.words()}: a send now reaches "
                       f"{readers(budget.left)}, the other {total - budget.left} go out later "
                       f"(estimated to finish {finish:%Y-%m-%d %H:%M %Z}).")
    finally:
        budget.close()


def note_recovered(recovered: int, post, unfinished: dict[str, int] | None = None) -> None:
    """The readers a dead run left in doubt; on a read-only site (``unfinished``), the runs
    that died, which only a run that can write puts in doubt."""
    note_unfinished(unfinished or {})
    if recovered:
        click.echo(f"An earlier run was interrupted with {recovered} message(s) on their "
                   f"way: they are now in doubt, not resent (see `newsletter status {post.name}`).")


def print_limit(settings, report, post, total: int | None, tags: tuple[str, ...]) -> None:
    """The one line of a send that stopped at a sending limit: what is left, when it will all
    have gone out at the site's limits, and the command that continues it (to the same readers:
    a --tag send's only by its --tag)."""
    from newsletter.cli.echo import limit_line
    from newsletter.sending import Budget

    left = None if total is None else max(0, total - report.done + report.pending)
    finish = None
    budget = Budget.open(settings, dt.datetime.now(dt.timezone.utc))
    if budget is not None:
        finish = budget.finish(left) if left is not None else None
        budget.close()
    if tags == post.newsletter_tags:
        continues = f"`newsletter send {post.name}` (or send --due) continues"
    else:
        segment = " ".join(f"--tag {shlex.quote(tag)}" for tag in tags)
        continues = f"`newsletter send {post.name} {segment}` continues"
    click.echo(limit_line(settings, report.limit_reached, left, finish, continues))
