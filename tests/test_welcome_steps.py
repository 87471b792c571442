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
    write_settings(blog, "welcome", enabled=True, posts=SERIES, every=[])
    run = invoke(blog, "send", "--due", env=ENV)
    assert run.exit_code == 2 and "welcome.every lists no duration" in run.output


def test_a_series_post_a_reader_had_before_its_slug_changed_is_not_sent_again(site, each_store):
    """The post went out to the list as /posts/best-a; its slug (its file, for most
    generators: a move into a page bundle) changed since; the readers enrolled in the series
    then had it already: each goes on to the next post instead of getting it twice."""
    blog = make_blog(site)
    had = invoke(blog, "send", "best-a", "--yes", env=ENV)
    assert had.exit_code == 0, had.output
    assert invoke(blog, "send", "--due", "--now", NOON.isoformat(), env=ENV).exit_code == 0
    post = blog / "content" / "posts" / "best-a.md"
    post.write_text(post.read_text().replace("slug: /posts/best-a\n", "slug: /posts/best-of-a\n"))
    assert invoke(blog, "welcome", "enroll", "--all", "--yes", env=ENV).exit_code == 0
    plan = invoke(blog, "send", "--due", "--dry-run", env=ENV)
    assert 'would send welcome post /posts/best-b "Best-B" to 1 reader' in plan.output, plan.output
    assert "best-of-a" not in plan.output
    run = invoke(blog, "send", "--due", env=ENV)
    assert run.exit_code == 0, run.output
    assert run.output == 'Welcome series: sent /posts/best-b "Best-B" to 1 reader.\n'
    assert outbox(blog) == {"best-a": {"old@example.com"}, "best-b": {"old@example.com"}}


def test_more_posts_due_than_the_cap_hold_up_no_new_reader_of_the_series(site, each_store):
    """The machine asleep for three days, a post written each day: the run refuses to send
    the three at once (max_posts_per_run), and sends the welcome series anyway, as its dry
    run says (it sent nothing at all, its dry run promising the series)."""
    blog = make_blog(site)
    assert invoke(blog, "send", "--due", "--now", NOON.isoformat(), env=ENV).exit_code == 0
    write_list(blog, [("old@example.com", T0 - 30 * DAY, ""), ("new@example.org", T0 + DAY, "")])
    for day, name in ((2, "monday"), (3, "tuesday"), (4, "wednesday")):
        (blog / "content" / "posts" / f"{name}.md").write_text(
            f'---\ntitle: "{name.title()}"\ndate: "{(T0 + day * DAY).isoformat()}"\n'
            f"slug: /posts/{name}\ndescription: On {name}.\n---\n\nThe body.\n")
    woken = (NOON + 4 * DAY).isoformat()
    write_settings(blog, "provider", name="outbox", daily_limit=100)
    plan = invoke(blog, "send", "--due", "--dry-run", "--now", woken, env=ENV)
    assert plan.exit_code == 1, plan.output
    assert 'would send welcome post /posts/best-a "Best-A" to 1 reader' in plan.output
    # the messages it plans under the limit are the run's: not the posts it would not send
    assert plan.output.splitlines()[-4:-2] == [
        "At the daily limit of 100 (10 kept for sign-ups), cron runs would send them:",
        f"  {woken[:16]}+00:00  1 message"], plan.output
    run = invoke(blog, "send", "--due", "--now", woken, env=ENV)
    assert run.exit_code == 1
    assert "error: 3 posts are due at once, more than [schedule] max_posts_per_run (2): none " \
        "of them was sent." in run.output
    assert 'Welcome series: sent /posts/best-a "Best-A" to 1 reader.' in run.output
    assert outbox(blog) == {"best-a": {"new@example.org"}}


def test_a_series_longer_than_its_gaps_says_the_last_gap_repeats(site):
    blog = make_blog(site)
    write_settings(blog, "welcome", enabled=True, posts=SERIES, every=["2d"])
    assert "then one every 2 days." in invoke(blog, "welcome", "status", env=ENV).output
    (blog / "content" / "posts" / "best-d.md").write_text(
        '---\ntitle: "Best-D"\ndate: "2026-06-04T08:00:00Z"\nslug: /posts/best-d\n'
        "description: About best-d.\n---\n\nThe body of best-d.\n")
    write_settings(blog, "welcome", enabled=True, posts=[*SERIES, "best-d"], every=["2d", "5d"])
    status = invoke(blog, "welcome", "status", env=ENV)
    assert "4 posts, the first at the first cron run after joining, then one 2 days after it, " \
        "then one 5 days after that, and one every 5 days after." in status.output, status.output
