"""`send --due` as a library function: send every post that is due, and report what happened.

The cron run renders and checks (:mod:`newsletter.sending.preflight`) every due post before
anything is sent (a broken one, or one with an error finding, does not hold up the rest),
refuses to send more new posts at once than ``[schedule] max_posts_per_run``, and stops
at the first post whose run was stopped (an authentication error stops them all alike). A run
that finds another one holding the site lock sends nothing and says so.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import field, replace
from typing import TYPE_CHECKING

from newsletter.check import Finding, errors_in
from newsletter.errors import InputError, NewsletterError, SiteLockedError, SubscriberError
from newsletter.posts import load_posts
from newsletter.providers import DECLARATIONS, make_provider
from newsletter.records import record
from newsletter.sending.accounting import count_recipients, on_postgresql, recover_dead_runs
from newsletter.sending.campaign import send_post
from newsletter.sending.collector import fewer_collections
from newsletter.sending.send_report import SendReport
from newsletter.sending.images import check_images
from newsletter.sending.ledger import Ledger
from newsletter.sending.limits import Budget
from newsletter.sending.lock import site_lock
from newsletter.sending.preflight import prepare_post
from newsletter.sending.reconcile import Reconciled, posts_in_doubt, reconcile_posts
from newsletter.sending.schedule import (DuePlan, DuePost, finish_if_walked, mark_finished,
                                         note_sent_posts, pending_only, plan_due, remember_sent)
from newsletter.sending.states import State
from newsletter.sending.welcome_run import WelcomeRun, send_welcome, start_series, welcome_waiting
from newsletter.subscribers import ReaderStore, SubscriberStore, open_store

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.render import Email

# Ledger states that leave a post's campaign unfinished, as the cron report lists them: the
# post's readers in doubt or pending whichever run left them, those failed by this run.
LEFT_STATES = (State.FAILED, State.IN_DOUBT, State.PENDING)


@record
class PostOutcome:
    """What a run did with one due post."""

    item: DuePost
    report: SendReport | None  # None: the post had no active subscribers left
    left: dict[str, int] = field(default_factory=dict)  # state words -> readers not sent
    warnings: list[Finding] = field(default_factory=list)  # the preflight check's

    @property
    def problem(self) -> str | None:
        """Why the writer must look at this post (stopped, or readers left), if they must;
        readers left pending by a sending limit wait for the next run, as they should."""
        left = self.left
        if self.report is not None and self.report.limit_reached:
            left = {words: n for words, n in left.items() if words != State.PENDING.words}
        if self.report is None or not (left or self.report.stopped):
            return None
        detail = ", ".join(f"{words} {n}" for words, n in left.items()) or "stopped"
        report = self.report
        why = report.stopped or (report.problems[0] if report.problems else None)
        return detail + (f" ({why})" if why else "")


@record(frozen=True)
class LimitNote:
    """A run stopped at a sending limit (ours or the provider's): not a failure."""

    why: str
    left: int  # readers of the due posts still to send
    finish: dt.datetime | None  # when they will have gone out at the limits; None: unknown


@record
class DueRun:
    """What one `send --due` run did."""

    plan: DuePlan | None = None
    locked_out: str | None = None  # another run held the site lock: nothing was sent
    over_cap: bool = False  # more new posts than max_posts_per_run: none of the due was sent
    skipped_rows: list = field(default_factory=list)  # subscriber rows that cannot be sent to
    broken: list[str] = field(default_factory=list)  # due posts not rendered, or with errors
    outcomes: list[PostOutcome] = field(default_factory=list)
    limit: LimitNote | None = None  # the run stopped at a sending limit: what is left, and when
    welcome: WelcomeRun | None = None  # the welcome series' part, after the broadcasts
    reconciled: list[Reconciled] = field(default_factory=list)  # asked before sending

    @property
    def failed(self) -> bool:
        """True when the writer must act: a post not sent, a broken file, readers left."""
        return bool(self.over_cap or self.broken or (self.plan and self.plan.problems)
                    or any(outcome.problem for outcome in self.outcomes)
                    or (self.welcome and any(o.problem for o in self.welcome.outcomes)))


def send_due(settings: Settings, now: dt.datetime, clock: dt.datetime | None = None) -> DueRun:
    """Send every post due at ``now`` to the readers who do not have it yet; ``clock``: when
    the run really is, for a run at an earlier ``now`` (its messages count against the
    sending limits when they go out)."""
    run = DueRun()
    try:
        # Locked before anything is read: a run that waits for no one sees the ledger as it is.
        with site_lock(settings), Ledger.open(settings) as ledger:
            if on_postgresql(ledger):  # no lock file there: one run, all hosts
                ledger.take_due_lock()
            _send_due(settings, ledger, now, run, clock or now)
    except SiteLockedError as error:
        run.locked_out = error.message
    return run


@record
class DuePreview:
    """What a run at ``plan.now`` would do with one due post (`send --due --dry-run`)."""

    item: DuePost
    readers: int
    warnings: list[Finding] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)  # why a real run would not send it


def preview_due(settings: Settings, now: dt.datetime) -> tuple[DuePlan, list[DuePreview]]:
    """What a run at ``now`` would send, each due post rendered and checked; sends nothing
    (but a dead run's batches are marked in doubt first, as any run would).

    A provider that could not start (a missing key or secret) raises its ConfigError here too.
    """
    recover_dead_runs(settings)
    ledger = Ledger.open_existing(settings)
    try:
        plan = plan_due(settings, *load_posts(settings), ledger, now, record_since=False)
        store = open_store(settings)
        previews = [DuePreview(item, _recipients(store, ledger, item)) for item in plan.due]
        waits = None if all(p.readers for p in previews) else _list_not_ready(store)
        for preview in previews:  # a list not there: the run would not send, and says so
            if waits and not preview.readers:
                preview.broken.append(f"{preview.item.post.id} not sent: {waits}")
    finally:
        if ledger:
            ledger.close()
    if not previews:
        return plan, previews
    provider = make_provider(settings)
    try:
        for preview in previews:
            email, preview.warnings, broken = _prepare(settings, preview.item, plan)
            preview.broken += broken
            if not preview.broken:
                try:  # offline: a dry run fetches no hosted image
                    check_images(settings, email, provider, online=False)
                except NewsletterError as error:
                    preview.broken.append(f"{preview.item.post.id} not sent: {error}")
    finally:
        provider.close()
    return plan, previews


def _send_due(settings: Settings, ledger: Ledger, now: dt.datetime, run: DueRun,
              clock: dt.datetime) -> None:
    ledger.recover()  # before planning: a crashed run's batches are in doubt, never resent
    if DECLARATIONS[settings.provider.name].lookup is not None:
        # Ask the provider about readers in doubt first: those it never took in become
        # pending, and the plan below resumes their post (cron heals itself).
        doubtful = posts_in_doubt(ledger, forget_stale=True)
        if doubtful:
            with fewer_collections():  # a request or more a reader, before any campaign
                run.reconciled = reconcile_posts(settings, ledger, doubtful)
    posts, problems = load_posts(settings)
    note_sent_posts(ledger, posts)
    run.plan = plan = plan_due(settings, posts, problems, ledger, now, record_since=True)
    if settings.welcome.enabled:  # started now, whatever stops this run before its part
        start_series(settings, now)
    for renamed in plan.renamed:  # said once: from now on it counts as sent
        mark_finished(ledger, renamed.post.id, now)
    run.over_cap = len(plan.new) > settings.schedule.max_posts_per_run
    # over the cap none of them goes out; the welcome series does, as the dry run says
    emails = [] if run.over_cap else _render(settings, plan, run)
    if emails or settings.welcome.enabled:
        _send_all(settings, ledger, emails, now, run, (posts, problems), clock)


def _render(settings: Settings, plan: DuePlan,
            run: DueRun) -> list[tuple[DuePost, Email, list[Finding]]]:
    """Render and check every due post before anything is sent; a broken one, or one with an
    error finding, does not hold up the rest."""
    emails = []
    for item in plan.due:
        email, warnings, broken = _prepare(settings, item, plan)
        run.broken += broken
        if not broken:
            emails.append((item, email, warnings))
    return emails


def _prepare(settings: Settings, item: DuePost,
             plan: DuePlan) -> tuple[Email | None, list[Finding], list[str]]:
    """A due post rendered and checked: (email, warnings, why it is not sent, if it is not)."""
    post = item.post
    since = None if item.resume else plan.since  # one begun by hand is due whatever its date
    try:
        email, preflight = prepare_post(settings, post, plan.now, since)
    except InputError as error:
        return None, [], [f"{post.id} not sent: {error}"]
    errors = errors_in(preflight.findings)
    warnings = [finding for finding in preflight.findings if finding not in errors]
    return email, warnings, [f"{post.id} not sent: {error.line()}" for error in errors]


def _send_all(settings: Settings, ledger: Ledger,
              emails: list[tuple[DuePost, Email, list[Finding]]], now: dt.datetime,
              run: DueRun, loaded: tuple[list, list], clock: dt.datetime) -> None:
    store = open_store(settings)
    provider = make_provider(settings)
    budget = Budget.open(settings, clock)
    try:
        for index, (item, email, warnings) in enumerate(emails):
            post_id = item.post.id
            remember_sent(ledger, item.post)
            skipped_rows: list = []
            segment = item.post.newsletter_tags or None
            count = count_recipients(store, ledger, post_id, problems=skipped_rows,
                                     tags=segment or ())
            if count == 0:  # believed only of a list that is there and not being changed
                if waits := _list_not_ready(store):
                    run.broken.append(f"{post_id} not sent: {waits}")
                    continue
                count = count_recipients(store, ledger, post_id, tags=segment or ())
            if count == 0:
                # Sent to everyone on the list now, nobody: readers who join later (a new
                # blog's first ones) do not reopen it, as after any send (docs/cron.md).
                mark_finished(ledger, post_id, now)
                run.outcomes.append(PostOutcome(item, None))
                continue
            run.skipped_rows.extend(skipped_rows)
            if budget is not None and budget.left == 0:  # spent before this post began
                run.limit = _limit_note(store, ledger, budget, emails[index:],
                                        budget.limits.words())
                break
            try:
                check_images(settings, email, provider, online=True)
            except NewsletterError as error:  # e.g. hosted images not deployed yet: next run
                run.broken.append(f"{post_id} not sent: {error}")
                continue
            report = send_post(settings, email, provider, store=store, ledger=ledger,
                               tags=segment, budget=budget, select=pending_only(ledger, post_id))
            finish_if_walked(ledger, post_id, report, now)
            counts = ledger.counts(post_id).get(post_id, Counter())
            counts[State.FAILED] = report.failed  # an earlier run's were reported by that run
            left = {state.words: counts[state] for state in LEFT_STATES if counts[state]}
            run.outcomes.append(PostOutcome(item, report, left, warnings))
            if report.limit_reached:
                run.limit = _limit_note(store, ledger, budget, emails[index:],
                                        report.limit_reached)
            if report.stopped or report.limit_reached:
                break
        else:  # broadcasts first; welcome emails only if the run has room left
            if settings.welcome.enabled:
                _welcome(settings, ledger, store, provider, budget, now, run, loaded)
        if run.limit is not None and run.welcome is None and settings.welcome.enabled:
            # the welcome emails due now wait with the broadcasts' readers: count them in
            left = run.limit.left + welcome_waiting(settings, ledger, store, now, loaded,
                                                    {item.post.id for item in run.plan.due})
            run.limit = replace(run.limit, left=left,
                                finish=budget.finish(left) if budget else None)
    finally:
        provider.close()
        if budget is not None:
            budget.close()


def _welcome(settings: Settings, ledger: Ledger, store: ReaderStore, provider,
             budget: Budget | None, now: dt.datetime, run: DueRun,
             loaded: tuple[list, list]) -> None:
    """The welcome series' part of the run, after the broadcasts."""
    try:
        run.welcome = send_welcome(settings, *loaded, ledger, store, provider, budget, now,
                                   {item.post.id for item in run.plan.due})
    except InputError as error:  # [welcome] posts names no post: the broadcasts went out
        run.broken.append(f"welcome series not sent: {error}")
        return
    run.broken += run.welcome.broken
    stopped = next((o.report.limit_reached for o in run.welcome.outcomes
                    if o.report.limit_reached), None)
    if budget is not None and run.welcome.given < run.welcome.due and not stopped:
        stopped = budget.limits.words()
    if stopped:
        left = run.welcome.left
        run.limit = LimitNote(stopped, left, budget.finish(left) if budget else None)


def _list_not_ready(store: ReaderStore) -> str | None:
    """Why a list with nobody to send to is not to be believed yet, else None (after waiting
    for a change under way, such as an import, whose readers then count)."""
    if isinstance(store, SubscriberStore) and not store.files():  # the folder gone, or empty
        where = store.directory
        return (f"no subscriber file in {where} (newsletter reads {where / '*.csv'}); it goes "
                "out once the list is back")
    try:
        store.wait_for_writes()
    except SubscriberError as error:
        return f"{error.message} (an import?); it goes out once that change is done"
    return None


def _limit_note(store: ReaderStore, ledger: Ledger, budget: Budget | None,
                waiting: list[tuple[DuePost, Email, list[Finding]]], why: str) -> LimitNote:
    """What a run stopped by a limit leaves: the readers of the posts it did not finish, and
    when they will have gone out at the site's limits (unknown without any)."""
    left = sum(_recipients(store, ledger, item) for item, _, _ in waiting)
    return LimitNote(why, left, budget.finish(left) if budget is not None else None)


def _recipients(store: ReaderStore, ledger: Ledger | None, item: DuePost) -> int:
    """The readers a run would send ``item`` to: a finished campaign's left pending only."""
    post = item.post
    if ledger is not None and pending_only(ledger, post.id):
        return ledger.counts(post.id).get(post.id, Counter())[State.PENDING]
    return count_recipients(store, ledger, post.id, tags=post.newsletter_tags)
