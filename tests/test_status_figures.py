"""Large figures in what `status` and the preview's report tell the writer: every number on
the report with its thousands separators, every column of `status` wide enough for it."""

from __future__ import annotations

import datetime as dt

from pg_support import each_store, list_into_store, pg_url  # noqa: F401 (fixtures)
from sending_support import site_settings


def test_the_report_writes_every_large_figure_with_thousands_separators(site):
    from newsletter.preview.pages import SERVER_LINKS, render_page
    from newsletter.preview.report import PostReport
    from newsletter.sending import Funnel, Week

    funnel = Funnel(post="/posts/big", sent=1_200_000, in_doubt=12_345, failed=2_000,
                    pending=45_678, delivered=0, bounced=0, complained=0, unsubscribed=0,
                    opened=None, clicked=None)
    now = dt.datetime(2026, 12, 7, tzinfo=dt.timezone.utc)
    page = render_page("report.html", site_settings(site), now, SERVER_LINKS,
                       posts=[PostReport("/posts/big", "Big", funnel, "", [])],
                       weeks=[Week(dt.date(2026, 11, 30), 1_250_000, 23_456, 7_890)],
                       list_chart="", tracked=False)
    assert "Also 12,345 in doubt, 2,000 failed, 45,678 pending." in page
    assert "<td>1,250,000</td><td>23,456</td><td>7,890</td>" in page


def test_status_json_of_every_post_opens_the_event_store_once(site, each_store, monkeypatch):
    """On PostgreSQL each opening is a connection pool: one per post held a server's
    connections for a ledger of many posts."""
    import json

    from conftest import invoke

    from newsletter.sending.events import EventStore

    list_into_store(site)
    draft = site / "content" / "posts" / "notes-on-editing.md"
    draft.write_text(draft.read_text(encoding="utf-8").replace("draft: true", "draft: false"),
                     encoding="utf-8")
    for post in ("what-matters", "notes-on-editing"):
        assert invoke(site, "send", post, "--yes").exit_code == 0
    if each_store is None:  # the files store opens no events file before one is kept
        recorded = EventStore(site_settings(site).state_dir)
        recorded.readers_by_kind("/posts/what-matters")
        recorded.close()
    opened = []
    real_init = EventStore.__init__

    def counted(self, *args, **kwargs):
        opened.append(args)
        real_init(self, *args, **kwargs)
    monkeypatch.setattr(EventStore, "__init__", counted)
    result = invoke(site, "status", "--json")
    funnels = json.loads(result.output)
    assert [funnel["post"] for funnel in funnels] == ["/posts/notes-on-editing",
                                                     "/posts/what-matters"]
    assert len(opened) == 1


def test_status_post_lines_up_the_funnel_of_a_list_of_tens_of_millions(site, capsys):
    from collections import Counter

    from newsletter.cli.status import _show_funnel
    from newsletter.sending import State

    _show_funnel(site_settings(site, name="postmark"), "/posts/what-matters",
                 Counter({State.SENT: 12_345_678}))
    lines = capsys.readouterr().out.splitlines()
    # written as the status line above it writes them (sent 12345678, ...), in one column
    assert lines[2:6] == ["  accepted     12345678", "  delivered           0  0.0%",
                          "  bounced             0  0.0%",
                          "  no word yet  12345678  100.0%"]
    assert lines[8] == "  opened              -  not tracked ([tracking] opens = true)"
