"""`newsletter send --due`: the cron run. Sends what is due and stays silent when nothing is.

Cron mails whatever a job prints, so: nothing at all when nothing is due, one line per post sent,
problems on stderr (exit 1) with the command to look closer, no prompt, no progress bar. A run
that finds another one holding the site lock says so in one line and exits 0.
"""

from __future__ import annotations

import datetime as dt
import os

import click

from newsletter.cli.echo import (counted, echo_findings, limit_line, note_unfinished, readers,
                                 shown_title, warn_skipped_rows)
from newsletter.errors import InputError


# Where the docs tell how to keep the state of a site that is sent from CI.
CI_PAGE = "the \"Sending from CI\" page of newsletter's docs, docs/ci.md"


def send_due(settings, now_text: str | None, dry_run: bool, first_run: bool = False) -> int:
    """Send every post due at ``now_text`` (default: now), or show them; returns the exit code."""
    from newsletter.sending import parse_time, preview_due, send_due

    clock = dt.datetime.now(dt.timezone.utc)
    now = parse_time(now_text, settings.site.zone) if now_text else clock
    if now > clock and not dry_run:
        raise InputError(f"--now {now_text} is later than the current time, and a real run "
                         "would send early what is due then",
                         hint="add --dry-run to see what a run at that time would send")
    if _refuse_empty_runner(settings, first_run) or _refuse_settings(settings):
        return 2  # even with nothing due: cron must not stay silent about them
    if dry_run:
        return _show_plan(settings, *preview_due(settings, now))
    run = send_due(settings, now, clock)
    if run.locked_out:
        click.echo(f"Skipped: {run.locked_out}; this run sent nothing.")
        return 0
    _print_run(settings, run)
    return 1 if run.failed else 0


def _refuse_empty_runner(settings, first_run: bool) -> bool:
    """Under CI (a runner that starts empty) and without a ledger, say so unless --first-run:
    the state was lost, and every post since `since` would look unsent."""
    from newsletter.sending import Ledger

    if first_run or os.environ.get("CI", "").strip().lower() in ("", "0", "false", "no"):
        return False
    ledger = Ledger.open_existing(settings)
    if ledger is not None:
        ledger.close()
        return False
    click.echo("error: CI is set and this site has no ledger (.newsletter/ledger.db): a runner "
               "that starts empty would take every post as unsent; keep the ledger where it "
               f"cannot be lost (see {CI_PAGE}), or add --first-run if this is the first run",
               err=True)
    return True


def _refuse_settings(settings) -> bool:
    """Print what stops every send (placeholders, a missing key); True if anything does."""
    from newsletter.check import errors_in
    from newsletter.sending import readiness_findings

    errors = errors_in(readiness_findings(settings))
    for error in errors:
        click.echo(str(error), err=True)
    if errors:
        click.echo("error: send --due sent nothing: fix the settings above "
                   "(newsletter check lists them)", err=True)
    return bool(errors)


def _print_run(settings, run) -> None:
    plan = run.plan
    if plan.first_run:
        click.echo(f"First run: recorded since = {_when(plan.since, settings)} in the ledger; "
                   f"posts dated before it are never sent by --due (send one on purpose: "
                   f"newsletter send POST).")
    if run.over_cap:
        _refuse_over_cap(settings, plan)
    for renamed in plan.renamed:
        click.echo(f"Not sent: {_renamed_words(renamed)}.")
    warn_skipped_rows(run.skipped_rows)
    for reconciled in run.reconciled:
        if reconciled.sent or reconciled.pending:  # news only: cron mails what is printed
            click.echo(f"Reconciled {reconciled.post_id} with {reconciled.provider}: "
                       f"{reconciled.sent} found (sent), {reconciled.pending} never reached it "
                       f"(sent again now if due), {sum(reconciled.still.values())} still in doubt.")
    for outcome in run.outcomes:
        post = outcome.item.post
        if outcome.report is None:
            if not outcome.item.resume:
                where = ("the PostgreSQL store" if settings.store_url
                         else settings.subscribers_dir)
                click.echo(f"{post.id}: no active subscribers in {where}, nothing sent; "
                           "readers who join later do not get it.")
            continue
        echo_findings(outcome.warnings)  # on the run that sends it, so once
        resumed = " (resumed an unfinished run)" if outcome.item.resume else ""
        sent = outcome.report.sent
        if sent or not outcome.problem:  # never "Sent ... to 0 readers" beside an error
            click.echo(f"Sent {post.id} \"{shown_title(post)}\" to {readers(sent)}{resumed}.")
        if outcome.problem:
            nothing = "" if sent else "nothing sent: "
            click.echo(f"error: {post.id}: {nothing}{outcome.problem}; "
                       f"see `newsletter status {post.name}`", err=True)
    if run.welcome:
        _print_welcome(run.welcome)
    if run.limit and _sent_any(run):  # a run that found no room stays silent, as cron likes
        click.echo(limit_line(settings, run.limit.why, run.limit.left, run.limit.finish,
                              "the next send --due continues"))
    for line in run.broken:
        click.echo(f"error: {line}", err=True)
    _report_broken(plan)


def _renamed_words(renamed) -> str:
    """Why a post is taken as a sent post renamed, and how to send it anyway."""
    post = renamed.post
    return (f"{post.id} \"{shown_title(post)}\" is {renamed.sent_as}, sent before, under a "
            f"new file name or slug (the same {renamed.same}); `newsletter send {post.name}` "
            "sends it on purpose")


def _sent_any(run) -> bool:
    """True when the run sent anyone anything, broadcast or welcome email."""
    reports = [outcome.report for outcome in run.outcomes if outcome.report]
    reports += [outcome.report for outcome in run.welcome.outcomes] if run.welcome else []
    return any(report.sent for report in reports)


def _print_welcome(welcome) -> None:
    """One line per post of the welcome series sent, and its problems."""
    for outcome in welcome.outcomes:
        post, report = outcome.post, outcome.report
        echo_findings(outcome.warnings)
        if report.sent or not outcome.problem:
            click.echo(f"Welcome series: sent {post.id} \"{shown_title(post)}\" to "
                       f"{readers(report.sent)}.")
        if outcome.problem:
            click.echo(f"error: welcome series: {post.id}: {outcome.problem}; "
                       f"see `newsletter welcome status`", err=True)


def _refuse_over_cap(settings, plan) -> None:
    cap = settings.schedule.max_posts_per_run
    click.echo(f"error: {len(plan.new)} posts are due at once, more than [schedule] "
               f"max_posts_per_run ({cap}): none of them was sent. Send them on purpose, one by one "
               f"(or raise max_posts_per_run, or move [schedule] since):", err=True)
    for item in plan.new:
        click.echo(f"  newsletter send {item.post.id}    # {_when(item.post.date, settings)}  "
                   f"{shown_title(item.post)}", err=True)


def _report_broken(plan) -> None:
    for problem in plan.problems:
        click.echo(f"error: {problem} (send --due skips this file until it is fixed)", err=True)


def _show_plan(settings, plan, previews) -> int:
    """--dry-run: what a run at plan.now would send, and what would stop it; 1 if anything would."""
    from newsletter.sending import unfinished_on_site

    click.echo(f"Schedule at {_when(plan.now, settings)}, sending posts dated from "
               f"{_when(plan.since, settings)}"
               f"{' (first run: this would be recorded as since)' if plan.first_run else ''}.")
    note_unfinished(unfinished_on_site(settings))  # a read-only site: left for a writable run
    cap = settings.schedule.max_posts_per_run
    over_cap = len(plan.new) > cap  # then a run sends none of them
    for preview in previews:
        item = preview.item
        action = "would resume" if item.resume else "would send"
        if preview.broken or over_cap:
            action = "would NOT send"
        click.echo(f"  {action} {item.post.id} \"{shown_title(item.post)}\" "
                   f"({_when(item.post.date, settings)}) to {readers(preview.readers)}")
        if item.resume:
            _show_in_doubt(settings, item.post)
        echo_findings(preview.warnings)
    for renamed in plan.renamed:
        click.echo(f"  would not send {_renamed_words(renamed)}")
    broadcasting = {preview.item.post.id for preview in previews
                    if not (preview.broken or over_cap)}
    welcome_due, welcome_broken = _show_welcome_plan(settings, plan.now, broadcasting)
    if not (plan.due or welcome_due or welcome_broken):  # a post it would not send is due
        click.echo("Nothing is due.")
    _show_limit_plan(settings, plan.now, welcome_due + sum(
        preview.readers for preview in previews if preview.item.post.id in broadcasting))
    if over_cap:
        click.echo(f"A run would send none of them: {len(plan.new)} new posts are more than "
                   f"[schedule] max_posts_per_run ({cap}). Send them on purpose, one by one "
                   "(or raise max_posts_per_run, or move [schedule] since).")
    broken = [line for preview in previews for line in preview.broken] + welcome_broken
    for line in broken:
        click.echo(f"error: {line}", err=True)
    _report_broken(plan)
    click.echo("Dry run: nothing sent.")
    return 1 if over_cap or broken or plan.problems else 0


def _show_in_doubt(settings, post) -> None:
    """A resumed post's readers an earlier run left in doubt: the real run asks the provider
    about them first, and exits 1 if some stay so (as it reports them)."""
    from newsletter.sending import State, ledger_counts

    in_doubt = ledger_counts(settings, post.id).get(post.id, {}).get(State.IN_DOUBT, 0)
    if in_doubt:
        click.echo(f"    {readers(in_doubt)} in doubt from an earlier run: a run that cannot "
                   f"settle them exits 1 (newsletter status {post.name})")


def _show_welcome_plan(settings, now: dt.datetime, broadcasting: set[str]
                       ) -> tuple[int, list[str]]:
    """The welcome emails a run at ``now`` would send (none of a post it broadcasts): how
    many readers are due, and why the run would not send the series, if it would not."""
    if not settings.welcome.enabled:
        return 0, []
    from newsletter.sending import prepare_welcome, welcome_status

    try:
        rows = welcome_status(settings, now, broadcasting).rows()
    except InputError as error:  # [welcome] posts names no post: the broadcasts still go out
        return 0, [f"welcome series not sent: {error}"]
    due, broken = 0, []
    for post, _, due_now, waiting in rows:
        if not due_now:
            continue
        _, _, problem = prepare_welcome(settings, post, now)  # a draft, a post for some tags
        click.echo(f"  would {'NOT ' if problem else ''}send welcome post {post.id} "
                   f"\"{shown_title(post)}\" to {readers(due_now)} ({waiting} more waiting for it)")
        if problem:
            broken.append(problem)
        else:
            due += due_now
    return due, broken


def _show_limit_plan(settings, now: dt.datetime, messages: int, shown: int = 6) -> None:
    """Under the sending limits, when the next runs would send these ``messages``."""
    from newsletter.sending import Budget

    budget = Budget.open(settings, now)
    if budget is None or not messages:
        return
    try:
        runs = budget.plan(messages)
        click.echo(f"At {budget.limits.words()}, cron runs would send them:")
        for moment, count in runs[:shown]:
            click.echo(f"  {_when(moment, settings)}  {counted(count, 'message')}")
        if len(runs) > shown:
            click.echo(f"  ... {len(runs) - shown} more runs, the last about "
                       f"{_when(runs[-1][0], settings)}")
    finally:
        budget.close()


def _when(moment: dt.datetime, settings) -> str:
    """A moment as the writer reads it: in site.timezone, like post dates without a zone."""
    return moment.astimezone(settings.site.zone).isoformat(timespec="minutes")

