"""The preview server's report page (``/report``): per sent post, its funnel as a chart and a
table; and the list's size week by week (docs/events.md)."""

from __future__ import annotations

import datetime as dt

from newsletter.config import Settings
from newsletter.posts import load_posts
from newsletter.preview.charts import funnel_chart, funnel_rows, list_chart
from newsletter.preview.pages import PageLinks, render_page
from newsletter.records import record
from newsletter.sending import (
    Funnel,
    ledger_counts,
    list_history,
    no_events_note,
    open_events,
    post_funnel,
)

REPORT_PATH = "/report"


@record(frozen=True)
class PostReport:
    """One sent post on the report."""

    id: str
    title: str
    funnel: Funnel
    chart: str
    rows: list[tuple[str, str, str, str, str]]  # (step, name, readers, share, part) as shown
    no_events: str | None = None  # shown instead of the chart: the provider sends none


def report_page(settings: Settings, now: dt.datetime, links: PageLinks) -> str:
    """Every post the ledger holds, newest first, then the list's history."""
    posts, _ = load_posts(settings)
    known = {post.id: post for post in posts}
    counts = ledger_counts(settings)

    def newest_first(post_id: str) -> tuple:
        date = known[post_id].date if post_id in known else None
        return (date is None, -date.timestamp() if date else 0, post_id)

    order = sorted(counts, key=newest_first)
    events = open_events(settings)
    try:
        reports = [_post_report(settings, post_id, known, counts[post_id], events, number)
                   for number, post_id in enumerate(order)]
    finally:
        if events is not None:
            events.close()
    weeks = list_history(settings, now)
    return render_page("report.html", settings, now, links, posts=reports, weeks=weeks,
                       list_chart=list_chart(weeks, "list-chart"),
                       tracked=settings.tracking.opens or settings.tracking.clicks)


def _post_report(settings, post_id, known, counter, events, number) -> PostReport:
    funnel = post_funnel(settings, post_id, counter, events)
    post = known.get(post_id)
    rows = [(step, name, "not tracked" if count is None else f"{count:,}",
             "" if step == "accepted" else funnel.share_text(count), part)
            for step, name, count, _, part in funnel_rows(funnel)]
    return PostReport(post_id, post.title if post else post_id, funnel,
                      funnel_chart(funnel, f"funnel-{number}"), rows,
                      no_events_note(settings, funnel))
