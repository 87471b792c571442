"""A welcome series whose posts are not evenly spaced: `every = ["2d", "5d"]`, a series at
0, 2 and 7 days, run by cron (`send --due --now` at each day's noon, earlier than the real
clock as a cron run is), on both stores."""

from __future__ import annotations

from conftest import invoke
from fake_providers import write_settings
from test_welcome import DAY, ENV, SERIES, T0, make_blog, outbox, write_list
from tests.pg_support import each_store, pg_url  # noqa: F401 (fixtures)

NOON = T0 + DAY / 2


def test_a_series_at_0_2_and_7_days_sends_each_post_after_its_own_gap(site, each_store):
    blog = make_blog(site)
    write_settings(blog, "welcome", enabled=True, posts=SERIES, every=["2d", "5d"])
    first = invoke(blog, "send", "--due", "--now", NOON.isoformat(), env=ENV)  # starts it
    assert first.exit_code == 0, first.output
    write_list(blog, [("old@example.com", T0 - 30 * DAY, ""), ("new@example.org", T0 + DAY, "")])
    status = invoke(blog, "welcome", "status", env=ENV)
    assert "3 posts, the first at the first cron run after joining, then one 2 days after " \
        "it, then one 5 days after that." in status.output, status.output
    got = {}
    for day in range(1, 11):
        run = invoke(blog, "send", "--due", "--now", (NOON + day * DAY).isoformat(), env=ENV)
        assert run.exit_code == 0, run.output
        for post, readers in outbox(blog).items():
            if "new@example.org" in readers:
                got.setdefault(post, day)
    assert got == {"best-a": 1, "best-b": 3, "best-c": 8}
    assert "old@example.com" not in {r for readers in outbox(blog).values() for r in readers}


def test_a_list_of_gaps_with_one_that_is_no_duration_is_one_line(site):
    blog = make_blog(site)
    write_settings(blog, "welcome", enabled=True, posts=SERIES, every=["2d", "soon"])
    run = invoke(blog, "send", "--due", env=ENV)
    assert run.exit_code == 2
    assert "welcome.every: 'soon' is not a duration" in run.output
    write_settings(blog, "welcome", enabled=True, posts=SERIES, every=["2d", "0d"])
    run = invoke(blog, "send", "--due", env=ENV)
    assert run.exit_code == 2 and "welcome.every must be longer than 0" in run.output
