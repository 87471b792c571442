"""`newsletter status --json`: each post's figures for scripts (docs/events.md lists the keys).

Per post: the ledger's readers by state (``in_flight``: on their way in a send running now),
``not_yet_sent`` (the active readers of its segment no run has reached; null for a post whose
file is gone, which no send can find), its latest run, and the funnel of what happened after
the hand-off. The keys are always all there, in this order.
"""

from __future__ import annotations

from collections import Counter

from newsletter.cli.echo import warn_skipped_rows


def post_figures(settings, posts, post_id: str | None) -> dict | list[dict]:
    """The figures of ``post_id``, or a list with those of every post the ledger holds."""
    from newsletter.sending import Ledger, State, ledger_report, open_events, post_funnel

    segments = {post.id: post.newsletter_tags for post in posts}
    report = ledger_report(settings, segments, only=post_id)  # a dead run's rows: in doubt
    warn_skipped_rows(report.problems)  # on stderr: stdout stays JSON
    wanted = sorted(report.counts) if post_id is None else [post_id]
    ledger = Ledger.open_existing(settings)
    events = open_events(settings) if report.counts else None  # one store for every post
    try:
        figures = []
        for each in wanted:
            counter = report.counts.get(each, Counter())
            funnel = post_funnel(settings, each, counter, events).as_json()
            runs = ledger.runs(each) if ledger is not None else []
            figures.append({
                **{key: funnel.pop(key) for key in ("post", "sent", "in_doubt", "failed",
                                                    "pending")},
                "in_flight": counter[State.SUBMITTING],
                "not_yet_sent": _not_yet_sent(settings, report, segments, each),
                "last_run": _run_json(runs[-1]) if runs else None,
                **funnel,
            })
    finally:
        if events is not None:
            events.close()
        if ledger is not None:
            ledger.close()
    return figures if post_id is None else figures[0]


def _not_yet_sent(settings, report, segments, post_id: str) -> int | None:
    if post_id not in segments:  # its file is gone: no send finds it until it is back
        return None
    if post_id in report.unsent:
        return report.unsent[post_id]
    from newsletter.sending import count_active  # nothing sent yet: its whole segment
    from newsletter.subscribers import open_store

    return count_active(open_store(settings), segments[post_id])


def _run_json(run) -> dict:
    started, segment, ended = run
    return {"started": started, "ended": ended, "tags": segment}
