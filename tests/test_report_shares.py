"""The shares the report and `status POST` print: one decimal, but a reader is never 0.0%."""

from __future__ import annotations

import re
from html import unescape

from newsletter.preview.charts import funnel_chart
from newsletter.sending import Funnel


def test_one_complaint_in_thousands_is_not_shown_as_none_nor_the_rest_as_everyone():
    """Before, 1 bounce and 1 complaint of 4,000 read 0.0% (a complaint rate looks like nothing
    happened) and 3,998 delivered 100.0%, beside the bounce that says otherwise."""
    funnel = Funnel("/posts/plain-words", 4_000, 0, 0, 0, 3_998, 1, 1, 0, None, None)

    shown = {count: unescape(share) for count, share in re.findall(
        r'data-count="\d+"/><text[^>]*>([\d,]+) · ([^<]+)</text>', str(funnel_chart(funnel, "f")))}

    assert shown == {"3,998": ">99.9%", "1": "<0.1%", "0": "0.0%"}
    assert [funnel.share_text(n) for n in (4_000, 2, 40, 0)] == ["100.0%", "0.1%", "1.0%", "0.0%"]


def test_a_charts_description_says_every_figure_from_none_to_millions_of_readers():
    """What a screen reader is told of the funnel chart: each step's figure and share, with
    what it holds (readers in doubt counted as accepted, hard bounces, the deferred), so the
    chart says without sight or colour what its bars do; one reader and none read right."""
    from newsletter.preview.charts import funnel_description

    millions = Funnel("/posts/big", 1_999_990, 10, 0, 0, 1_999_000, 900, 3, 40, None, 7,
                      hard_bounced=600, heard=10, deferred=20, clicked_by_machine=5)
    assert funnel_description(millions) == (
        "Accepted: 2,000,000 (10 in doubt, told of by webhooks: run reconcile); "
        "Delivered: 1,999,000, >99.9%; Bounced: 900, <0.1% (600 hard); "
        "No word yet: 100, <0.1% (20 deferred: the provider is still trying); "
        "Complained: 3, <0.1%; Unsubscribed: 40, <0.1%; Opened: not tracked; "
        "Clicked: 7, <0.1% (+5 by a machine only, not counted).")
    one = Funnel("/posts/one", 1, 0, 0, 0, 1, 0, 0, 0, None, None)
    assert funnel_description(one).startswith("Accepted: 1; Delivered: 1, 100.0%; Bounced: 0, 0.0%;")
    none = Funnel("/posts/none", 0, 0, 2, 0, 0, 0, 0, 0, None, None)
    assert funnel_description(none).startswith("Accepted: 0; Delivered: 0; Bounced: 0;")
    assert 'aria-describedby="f-desc"' in str(funnel_chart(none, "f"))
