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
