"""`newsletter send --due`: the cron run. Sends what is due and stays silent when nothing is.

Cron mails whatever a job prints, so: nothing at all when nothing is due, one line per post sent,
problems on stderr (exit 1) with the command to look closer, no prompt, no progress bar. A run
that finds another one holding the site lock says so in one line and exits 0.
"""

from __future__ import annotations

import datetime as dt
import sys

import click


def send_due(settings, now_text: str | None, dry_run: bool) -> None:
    """Send every post due at ``now_text`` (default: now), or show them with ``dry_run``."""
    from newsletter.posts import load_posts
    from newsletter.errors import SiteLockedError
    from newsletter.sending.ledger import Ledger
    from newsletter.sending.schedule import parse_time, plan_due, site_lock

    now = (parse_time(now_text, settings.site.zone) if now_text
           else dt.datetime.now(dt.timezone.utc))
    if dry_run:
        ledger = Ledger.open_existing(settings)
        try:
            plan = plan_due(settings, *load_posts(settings), ledger, now, record_since=False)
            _show_plan(settings, plan, ledger)
        finally:
            if ledger:
                ledger.close()
        return
    try:
        # Locked before anything is read: a run that waits for no one sees the ledger as it is.
        with site_lock(settings), Ledger.open(settings) as ledger:
            failed = _send_due(settings, ledger, now)
    except SiteLockedError as error:
        click.echo(f"Skipped: {error.message}; this run sent nothing.")
        return
    if failed:
        sys.exit(1)


def _send_due(settings, ledger, now: dt.datetime) -> bool:
    """The locked part of a run; returns True if the writer must act."""
    from newsletter.posts import load_posts
    from newsletter.sending.schedule import plan_due

    ledger.recover()  # before planning: a crashed run's batches are in doubt, never resent
    plan = plan_due(settings, *load_posts(settings), ledger, now, record_since=True)
    if plan.first_run:
        click.echo(f"First run: recorded since = {_when(plan.since, settings)} in the ledger; "
                   f"posts dated before it are never sent by --due (send one on purpose: "
                   f"newsletter send POST).")
    cap = settings.schedule.max_posts_per_run
    if len(plan.new) > cap:
        _refuse_over_cap(settings, plan, cap)
        _report_broken(plan)
        return True
    emails, broken = _render(settings, plan)
    failed = _send_all(settings, ledger, emails, now) if emails else False
    for line in broken:
        click.echo(f"error: {line}", err=True)
    unreadable = _report_broken(plan)
    return failed or unreadable or bool(broken)


def _render(settings, plan):
    """Render every due post before anything is sent; a broken one does not hold up the rest."""
    from newsletter.posts import site_relative
    from newsletter.errors import InputError
    from newsletter.render.email import render_post

    emails, broken = [], []
    for item in plan.due:
        try:
            email = render_post(settings, item.post)
        except InputError as error:
            broken.append(f"{item.post.id} not sent: {error}")
            continue
        for warning in email.warnings:
            click.echo(f"warning: {site_relative(settings, item.post.path)}: {warning}", err=True)
        emails.append((item, email))
    return emails, broken


def _send_all(settings, ledger, emails, now: dt.datetime) -> bool:
    from newsletter.cli.send import warn_skipped_rows
    from newsletter.providers import make_provider
    from newsletter.sending.schedule import mark_finished
    from newsletter.sending.campaign import count_recipients, send_post
    from newsletter.subscribers.store import SubscriberStore

    store = SubscriberStore(settings)
    provider = make_provider(settings)
    failed = False
    try:
        for item, email in emails:
            post = item.post
            skipped_rows: list = []
            if count_recipients(store, ledger, post.id, problems=skipped_rows) == 0:
                mark_finished(ledger, post.id, now)
                if not item.resume:
                    click.echo(f"{post.id}: no active subscribers, nothing sent.")
                continue
            warn_skipped_rows(skipped_rows)
            report = send_post(settings, email, provider, store=store, ledger=ledger)
            if not report.stopped:  # the whole list was walked; later subscribers don't reopen it
                mark_finished(ledger, post.id, now)
            resumed = " (resumed an unfinished run)" if item.resume else ""
            click.echo(f"Sent {post.id} \"{post.title}\" to {_readers(report.sent)}{resumed}.")
            if _report_problems(ledger, post, report):
                failed = True
            if report.stopped:
                break
    finally:
        provider.close()
    return failed


def _report_problems(ledger, post, report) -> bool:
    """One stderr line if the post's campaign has failed, in-doubt or pending readers."""
    from collections import Counter

    from newsletter.sending.ledger import State

    counts = ledger.counts(post.id).get(post.id, Counter())
    left = {label: counts[state] for state, label in (
        (State.FAILED, "failed"), (State.IN_DOUBT, "in doubt"), (State.PENDING, "pending"))
        if counts[state]}
    if not (left or report.stopped):
        return False
    detail = ", ".join(f"{label} {n}" for label, n in left.items())
    why = report.stopped or (report.problems[0] if report.problems else None)
    click.echo(f"error: {post.id}: {detail or 'stopped'}{f' ({why})' if why else ''}; "
               f"see `newsletter status {post.name}`", err=True)
    return True


def _refuse_over_cap(settings, plan, cap: int) -> None:
    click.echo(f"error: {len(plan.new)} posts are due at once, more than [schedule] "
               f"max_posts_per_run ({cap}): nothing was sent. Send them on purpose, one by one "
               f"(or raise max_posts_per_run, or move [schedule] since):", err=True)
    for item in plan.new:
        click.echo(f"  newsletter send {item.post.id}    # {_when(item.post.date, settings)}  "
                   f"{item.post.title}", err=True)


def _report_broken(plan) -> bool:
    for problem in plan.problems:
        click.echo(f"error: {problem} (send --due skips this file until it is fixed)", err=True)
    return bool(plan.problems)


def _show_plan(settings, plan, ledger) -> None:
    """--dry-run: what a run at plan.now would send, and what would stop it."""
    from newsletter.sending.campaign import count_recipients
    from newsletter.subscribers.store import SubscriberStore

    click.echo(f"Schedule at {_when(plan.now, settings)}, sending posts dated from "
               f"{_when(plan.since, settings)}"
               f"{' (first run: this would be recorded as since)' if plan.first_run else ''}.")
    store = SubscriberStore(settings)
    for item in plan.due:
        readers = count_recipients(store, ledger, item.post.id)
        action = "would resume" if item.resume else "would send"
        click.echo(f"  {action} {item.post.id} \"{item.post.title}\" "
                   f"({_when(item.post.date, settings)}) to {_readers(readers)}")
    if not plan.due:
        click.echo("Nothing is due.")
    cap = settings.schedule.max_posts_per_run
    if len(plan.new) > cap:
        click.echo(f"A run would send none of them: {len(plan.new)} new posts are more than "
                   f"[schedule] max_posts_per_run ({cap}).")
    _report_broken(plan)
    click.echo("Dry run: nothing sent.")


def _when(moment: dt.datetime, settings) -> str:
    """A moment as the writer reads it: in site.timezone, like post dates without a zone."""
    return moment.astimezone(settings.site.zone).isoformat(timespec="minutes")


def _readers(count: int) -> str:
    return f"{count} reader{'' if count == 1 else 's'}"
