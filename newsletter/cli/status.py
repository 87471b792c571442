"""`newsletter status`: what the ledger says was sent, failed, is in doubt or pending, who on
the list has not been reached yet, and for one post what the delivery events say happened
after the hand-off (the funnel); ``--json`` for scripts."""

from __future__ import annotations

import json

import click

from newsletter.cli import Site, pass_site
from newsletter.cli.echo import note_unfinished, warn_skipped_rows


@click.command()
@click.argument("post", required=False)
@click.option("--json", "as_json", is_flag=True,
              help="Print each post's figures and funnel as JSON (one object for POST, else a "
                   "list of the posts the ledger holds).")
@pass_site
def status(site: Site, post: str | None, as_json: bool) -> None:
    """Show how far each post's sending got, or one POST's funnel.

    Show sent / failed / in doubt / pending / not yet sent per post, or one POST's funnel
    (delivered, bounced, complained, unsubscribed; opened and clicked when tracked) and problems.

    "Not yet sent" counts the active readers (of the post's newsletter_tags, if it has any)
    that no run has reached: after a stopped run, or sign-ups since. A run that died with
    batches on their way is found first: those readers are then in doubt, never in flight.
    """
    from newsletter.posts import find_post, load_posts
    from newsletter.sending import Ledger, ledger_report, state_summary

    settings = site.settings
    posts, _ = load_posts(settings)
    segments = {item.id: item.newsletter_tags for item in posts}
    ledger = Ledger.open_existing(settings)
    if ledger is None:
        post_id = None if post is None else find_post(posts, post).id
    else:
        with ledger:
            post_id = None if post is None else _post_id(ledger, posts, post)
    if as_json:
        from newsletter.cli.status_json import post_figures

        click.echo(json.dumps(post_figures(settings, posts, post_id), indent=2))
        return
    if ledger is None:
        click.echo("Nothing sent yet (no ledger in .newsletter/)." if post_id is None
                   else f"{post_id}: not sent yet.")
        return
    report = ledger_report(settings, segments, only=post_id)
    _note_recovery(report.recovered)
    note_unfinished(report.unfinished)
    extra = _outlook(settings, posts, report)

    def unsent(each: str) -> int | None:  # a deleted post's readers: none will ever be sent it
        return report.unsent[each] if each in segments else None
    if post_id is None:
        if not report.counts:
            click.echo("Nothing sent yet.")
        for each, counter in sorted(report.counts.items()):
            click.echo(f"{each}: {state_summary(counter, unsent(each))}{extra(each)}")
    else:
        counter = report.counts.get(post_id)
        if not counter:
            click.echo(f"{post_id}: {_unsent_words(settings, posts, post_id)}")
        else:
            click.echo(f"{post_id}: {state_summary(counter, unsent(post_id))}"
                       f"{extra(post_id)}")
            _show_funnel(settings, post_id, counter)
            with Ledger.open(settings) as ledger:
                _show_runs(ledger, post_id)
                _show_problems(ledger, post_id, counter, unsent(post_id), settings)
    warn_skipped_rows(report.problems)


def _outlook(settings, posts, report):
    """What a post's line adds: how many of its readers had it as a welcome email, and for a
    post still going out under the sending limits, what is left and when it will finish."""
    import datetime as dt

    from newsletter.cli.echo import readers
    from newsletter.sending import (Budget, GoingOn, Ledger, State, held_back, pending_only,
                                    resumed_posts, welcome_sent)

    welcome = welcome_sent(settings)
    known = {post.id for post in posts}
    now = dt.datetime.now(dt.timezone.utc)
    renamed_to = {old: new for new, old in held_back(settings, posts, now).items()
                  if old and old != new}
    going_on = {old for old in renamed_to if isinstance(old, GoingOn)}  # renamed mid-send
    budget = Budget.open(settings, now)
    with Ledger.open(settings) as ledger:
        # of the posts counted (`status POST`: that one), those a run would resume
        going_out = resumed_posts(settings, posts, ledger, now) & report.counts.keys() \
            if budget else set()
        finished = {post for post in going_out if pending_only(ledger, post)}  # theirs only
    left = {post: report.counts[post][State.PENDING] + (post not in finished) * report.unsent[post]
            for post in going_out}
    finish = {post: budget.finish(n) for post, n in left.items() if n}
    if budget:
        budget.close()

    def extra(post_id: str) -> str:
        words = ("" if post_id in known
                 else f"; renamed {renamed_to[post_id]} ("
                      f"{'the rest go out under this id' if post_id in going_on else 'not sent again'})"
                 if post_id in renamed_to
                 else f"; its file is gone from {_posts_folders(settings)}")
        if welcome.get(post_id):
            words += f"; {readers(welcome[post_id])} had it as a welcome email"
        if post_id in finish:
            when = finish[post_id].astimezone(settings.site.zone)
            words += (f"; {readers(left[post_id])} left, finishing about "
                      f"{when:%Y-%m-%d %H:%M %Z} at the current limits")
        return words
    return extra


def _unsent_words(settings, posts, post_id: str) -> str:
    """Why no reader has ``post_id``: never sent, or sent under the id it had before a rename
    (or to nobody), which `send --due` counts as sent."""
    import datetime as dt

    from newsletter.sending import held_back

    sent_as = held_back(settings, posts, dt.datetime.now(dt.timezone.utc)).get(post_id)
    if sent_as is None:
        return "not sent yet."
    if sent_as == post_id:
        return "sent to nobody (no active readers then); send --due does not send it again."
    return (f"sent as {sent_as} before its file or slug was renamed (newsletter status "
            f"{sent_as}); send --due does not send it again.")


def _post_id(ledger, posts, name: str) -> str:
    """The ledger id of POST: a post's, else one only the ledger knows (a deleted post)."""
    from newsletter.errors import PostNotFoundError
    from newsletter.posts import find_post, short_name

    try:
        return find_post(posts, name).id
    except PostNotFoundError:
        wanted = name.strip()
        known = [pid for pid in ledger.post_ids()
                 if wanted in (pid, pid.lstrip("/"), short_name(pid))]
        if len(known) == 1:
            return known[0]
        raise


def _show_funnel(settings, post_id: str, counter) -> None:
    """What happened after the hand-off, in readers and as a share of those accepted."""
    from newsletter.sending import no_events_note, post_funnel

    funnel = post_funnel(settings, post_id, counter)
    note = no_events_note(settings, funnel)
    if note:
        click.echo(f"\nAfter the hand-off: {funnel.accepted:,} accepted.\n  {note}.")
        return
    width = max(7, len(str(funnel.accepted)), *(len(str(count)) for _, count in funnel.steps()
                                                if count is not None))  # as wide as the list
    click.echo("\nAfter the hand-off (readers; share of those accepted):")
    # Short enough for an 80-column terminal: docs/events.md says why they count.
    # In doubt or in flight (a send running now), told of by webhooks: docs/events.md.
    heard = f"  ({funnel.part_text('accepted')})" if funnel.part_text("accepted") else ""
    click.echo(f"  {'accepted':<13}{funnel.accepted:>{width}}{heard}")
    for step, count in funnel.steps():
        if count is None:
            switch = "opens" if step == "opened" else "clicks"
            click.echo(f"  {step:<13}{'-':>{width}}  not tracked ([tracking] {switch} = true)")
            continue
        share = funnel.share_text(count)
        words = f"{count:>{width}}" + (f"  {share}" if share else "")
        part = funnel.part_text(step)
        words += f" ({part})" if part else ""
        click.echo(f"  {step.replace('_', ' '):<13}{words}")
    if not any(count for step, count in funnel.steps() if step != "no_word_yet"):
        click.echo("  No delivery events yet: they come from the provider's webhooks through "
                   "`newsletter serve` (docs/events.md).")


def _note_recovery(recovered: int | None) -> None:
    if recovered:
        click.echo(f"A send was interrupted with {recovered} message(s) on their way: they are "
                   "now in doubt (listed below for each post).")


def _show_runs(ledger, post_id: str) -> None:
    """Each run and the readers it was for, when any run sent to part of the list."""
    runs = ledger.runs(post_id)
    if not any(segment for _, segment, _ in runs):
        return
    click.echo("\nRuns:")
    for started, segment, _ in runs:
        who = f"readers tagged {', '.join(segment)}" if segment else "every active reader"
        click.echo(f"  {started[:16].replace('T', ' ')} UTC  to {who}")


def _show_problems(ledger, post_id: str, counter, unsent: int | None, settings) -> None:
    """Each failed and in-doubt reader with the reason, and what to run; counts for the rest
    (``unsent`` None: a deleted post, which no send can find until its file is back)."""
    from newsletter.posts import short_name
    from newsletter.sending import State, no_lookup_note

    failed = ledger.deliveries(post_id, [State.FAILED]) if counter[State.FAILED] else []
    in_doubt = ledger.deliveries(post_id, [State.IN_DOUBT]) if counter[State.IN_DOUBT] else []
    pending, in_flight = counter[State.PENDING], counter[State.SUBMITTING]
    short = short_name(post_id) or post_id
    provider = settings.provider
    restore = (f"  Restore its file under {_posts_folders(settings)} to send it again."
               if unsent is None else "")
    if failed:
        click.echo("\nFailed (the provider rejected these for good):")
        for row in failed:
            click.echo(f"  {row.address}: {row.reason}")
        click.echo(restore or f"  Fix the cause, then: newsletter send {short} --retry-failed")
    if in_doubt:
        click.echo("\nIn doubt (may or may not have been delivered; never resent on their own):")
        _show_by_reason(in_doubt)
        note = no_lookup_note(provider.name)
        if provider.name == "outbox":  # its log is the folder it writes
            click.echo(f"  newsletter reconcile {short} settles them from their .eml files "
                       f"under {provider.directory}/{short}/ (send --due does it first).")
        elif note:
            click.echo(f"  {note}; check its log.")
        else:
            click.echo(f"  Ask {provider.name} what became of them: newsletter reconcile "
                       f"{short} (send --due does it first).")
        click.echo(restore or f"  To send them again (risking a duplicate): newsletter send "
                   f"{short} --resend-in-doubt")
    if pending:
        sends = restore.strip() or (f"newsletter send {short} sends those still among its "
                                    "readers.")
        click.echo(f"\n{pending} pending (provably not sent): {sends}")
    if unsent:
        click.echo(f"\n{unsent} not yet sent (active readers no run has reached): "
                   f"newsletter send {short} sends them.")
    if in_flight:
        click.echo(f"\n{in_flight} in flight: on their way in the send running now.")


def _posts_folders(settings) -> str:
    """Where the blog's posts are read from, as a writer names them ("_posts/", "content/")."""
    from newsletter.generators import site_layout

    return " or ".join(folder if "*" in folder else folder.rstrip("/") + "/"
                       for folder in site_layout(settings).dirs)


def _show_by_reason(rows) -> None:
    """One line per reader, or, where readers share a reason, the reason once above them."""
    groups: dict[str, list[str]] = {}
    for row in rows:
        groups.setdefault(row.reason, []).append(row.address)
    for reason, addresses in groups.items():
        if len(addresses) == 1:
            click.echo(f"  {addresses[0]}: {reason}")
            continue
        click.echo(f"  {len(addresses)} readers: {reason}")
        for address in addresses:
            click.echo(f"    {address}")


COMMANDS = [status]
