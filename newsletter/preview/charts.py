"""Charts for the report page, drawn on the server as inline SVG: nothing to load, works offline.

Colours come from classes the page's stylesheet sets (with a dark-mode variant) and text uses
``currentColor``, so a chart reads like the page around it. Each chart is ``role="img"`` with a
title; the page shows the same figures in a table for screen readers and for copying.
"""

from __future__ import annotations

from html import escape
from typing import Sequence

from markupsafe import Markup

from newsletter.sending import Funnel, Week

STEP_NAMES = {"accepted": "Accepted", "delivered": "Delivered", "bounced": "Bounced",
              "no_word_yet": "No word yet",
              "complained": "Complained", "unsubscribed": "Unsubscribed", "opened": "Opened",
              "clicked": "Clicked"}
FUNNEL_WIDTH, LABEL_WIDTH, BAR_WIDTH, ROW_HEIGHT = 640, 110, 380, 30
CHAR_WIDTH = 8  # px: wider than any character of a figure in the page's 13px font
LIST_WIDTH, LEFT_MARGIN, ACTIVE_HEIGHT, CHANGE_HEIGHT, TOP = 720, 56, 150, 80, 34


def funnel_rows(funnel: Funnel) -> list[tuple[str, str, int | None, float | None, str]]:
    """(step, name, readers or None when untracked, share of accepted, what the figure holds
    or leaves out: "9 hard") for each step."""
    steps = [("accepted", funnel.accepted), *funnel.steps()]
    return [(step, STEP_NAMES[step], count, funnel.share(count), funnel.part_text(step))
            for step, count in steps]


def funnel_description(funnel: Funnel) -> str:
    """Every figure of the funnel chart in words: what a screen reader says of the chart,
    which colour and bar length say nothing to."""
    words = []
    for step, name, count, _, part in funnel_rows(funnel):
        share = "" if step == "accepted" else funnel.share_text(count)
        figure = "not tracked" if count is None else f"{count:,}" + (f", {share}" if share else "")
        words.append(f"{name}: {figure}" + (f" ({part})" if part else ""))
    return "; ".join(words) + "."


def funnel_chart(funnel: Funnel, chart_id: str) -> Markup:
    """Horizontal bars, one per step, as long as its share of the readers accepted."""
    rows = funnel_rows(funnel)
    words = [f"{count:,}" + (f" · {funnel.share_text(count)}"
                             if share is not None and step != "accepted" else "")
             for step, _, count, share, _ in rows if count is not None]
    # The longest figure must fit beside a full bar: bars are shorter for a list of millions.
    room = max(map(len, words), default=0) * CHAR_WIDTH + 6
    bar_width = min(BAR_WIDTH, FUNNEL_WIDTH - LABEL_WIDTH - room)
    height = ROW_HEIGHT * len(rows) + 8
    parts = [_svg_open(chart_id, FUNNEL_WIDTH, height,
                       f"What happened to {funnel.accepted:,} email{'' if funnel.accepted == 1 else 's'} of "
                       f"{funnel.post}", funnel_description(funnel))]
    for index, (step, name, count, share, _) in enumerate(rows):
        y = 4 + index * ROW_HEIGHT
        middle = y + ROW_HEIGHT // 2 + 4
        parts.append(f'<text x="0" y="{middle}" class="label">{escape(name)}</text>')
        if count is None:
            parts.append(f'<text x="{LABEL_WIDTH}" y="{middle}" class="untracked" '
                         f'data-step="{step}">not tracked</text>')
            continue
        # Readers in doubt whom no event told of can still have one (an unsubscribe by the
        # link in an older email): a share past 100% ends its bar at the chart's edge.
        width = round(bar_width * min(share or 0, 1), 1)
        if count and width < 1:
            width = 1.0  # a reader or two still shows
        parts.append(f'<rect class="bar bar-{step}" x="{LABEL_WIDTH}" y="{y + 5}" '
                     f'width="{width}" height="{ROW_HEIGHT - 10}" rx="3" data-step="{step}" '
                     f'data-count="{count}"/>')
        parts.append(f'<text x="{LABEL_WIDTH + width + 6}" y="{middle}" class="value">'
                     f"{escape(words.pop(0))}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))


def list_chart(weeks: Sequence[Week], chart_id: str) -> Markup:
    """Active readers as a line; below it, who joined (bars up) and who left (bars down)."""
    most = max((week.active for week in weeks), default=0) or 1
    # The scale's top figure stands left of the plot: a list of millions needs more room.
    plot_left = max(LEFT_MARGIN, len(f"{most:,}") * CHAR_WIDTH + 8)
    plot = LIST_WIDTH - plot_left - 8
    step = plot / max(len(weeks), 1)
    change = max((max(week.joined, week.left) for week in weeks), default=0) or 1
    base = TOP + ACTIVE_HEIGHT + 24 + CHANGE_HEIGHT // 2  # the joined/left zero line
    height = base + CHANGE_HEIGHT // 2 + 28
    parts = [_svg_open(chart_id, LIST_WIDTH, height, "Active readers, and who joined and left, "
                       "week by week", _list_description(weeks))]
    parts.append(f'<text x="0" y="{TOP - 18}" class="label">Active readers</text>'
                 f'<text x="0" y="{TOP + 4}" class="axis">{most:,}</text>'
                 f'<text x="0" y="{TOP + ACTIVE_HEIGHT}" class="axis">0</text>'
                 f'<line class="grid" x1="{plot_left}" x2="{LIST_WIDTH - 8}" '
                 f'y1="{TOP + ACTIVE_HEIGHT}" y2="{TOP + ACTIVE_HEIGHT}"/>')
    points = []
    for index, week in enumerate(weeks):
        x = round(plot_left + (index + 0.5) * step, 1)
        y = round(TOP + ACTIVE_HEIGHT - ACTIVE_HEIGHT * week.active / most, 1)
        points.append(f"{x},{y}")
        bar = max(step * 0.6, 1)
        up = round(CHANGE_HEIGHT / 2 * week.joined / change, 1)
        down = round(CHANGE_HEIGHT / 2 * week.left / change, 1)
        parts.append(f'<g class="week" data-week="{week.start.isoformat()}" '
                     f'data-active="{week.active}" data-joined="{week.joined}" '
                     f'data-left="{week.left}">'
                     f'<rect class="joined" x="{round(x - bar / 2, 1)}" y="{base - up}" '
                     f'width="{round(bar, 1)}" height="{up}"/>'
                     f'<rect class="left" x="{round(x - bar / 2, 1)}" y="{base}" '
                     f'width="{round(bar, 1)}" height="{down}"/></g>')
    parts.append(f'<polyline class="active" fill="none" points="{" ".join(points)}"/>')
    parts.append(f'<text x="0" y="{base - CHANGE_HEIGHT // 2 - 6}" class="label">Joined '
                 f'(up) and left (down), most in a week: {change:,}</text>'
                 f'<line class="grid" x1="{plot_left}" x2="{LIST_WIDTH - 8}" y1="{base}" '
                 f'y2="{base}"/>')
    if weeks:
        parts.append(f'<text x="{plot_left}" y="{height - 6}" class="axis">week of '
                     f'{weeks[0].start.isoformat()}</text><text x="{LIST_WIDTH - 8}" '
                     f'y="{height - 6}" class="axis" text-anchor="end">week of '
                     f'{weeks[-1].start.isoformat()}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _list_description(weeks: Sequence[Week]) -> str:
    """The list chart in words: where the active line starts and ends, who joined and left."""
    if not weeks:
        return "No weeks to show yet."
    first, last = weeks[0], weeks[-1]
    return (f"From the week of {first.start.isoformat()} ({first.active:,} active) to the week "
            f"of {last.start.isoformat()} ({last.active:,} active): "
            f"{sum(week.joined for week in weeks):,} joined and "
            f"{sum(week.left for week in weeks):,} left; the table gives each week.")


def _svg_open(chart_id: str, width: int, height: int, title: str, description: str) -> str:
    """The chart's opening: an image to assistive technology, named by its title and
    described by its figures in words (``desc``)."""
    name = escape(chart_id)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{name}" '
            f'role="img" aria-labelledby="{name}-title" aria-describedby="{name}-desc" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
            f'<title id="{name}-title">{escape(title)}</title>'
            f'<desc id="{name}-desc">{escape(description)}</desc>')
