"""What `send --due` finds due: published, dated from `since` to now, campaign unfinished."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from newsletter.config import load_settings
from newsletter.posts import load_posts
from newsletter.errors import InputError
from newsletter.sending import Ledger, State
from newsletter.sending.schedule import SINCE_KEY, mark_finished, parse_time, plan_due

UTC = dt.timezone.utc
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def configure(site, timezone="UTC", since: str | None = "2026-11-01T00:00:00Z"):
    """Point the site at `timezone` and `since`, and keep only the posts a test writes."""
    for post in (site / "content" / "posts").glob("*.md"):
        post.unlink()
    toml = site / "newsletter.toml"
    text = toml.read_text().replace('timezone = "UTC"', f'timezone = "{timezone}"')
    text = text.split("[schedule]")[0] + (f"[schedule]\nsince = {since}\n" if since else "")
    toml.write_text(text)


def write_post(site, name: str, date: str, extra: str = "") -> None:
    (site / "content" / "posts" / f"{name}.md").write_text(
        f"---\ntitle: {name}\ndate: {date}\nslug: /posts/{name}\n{extra}---\n\nBody of {name}.\n")


def plan(site, now: dt.datetime, *, ledger=None, record=False):
    settings = load_settings(site, {})
    return plan_due(settings, *load_posts(settings), ledger, now, record_since=record)


def due_ids(site, now, **kwargs) -> list[str]:
    return [item.post.id for item in plan(site, now, **kwargs).due]


@pytest.mark.parametrize("text, zone, expected", [
    ("2026-12-01", BERLIN, dt.datetime(2026, 11, 30, 23, 0, tzinfo=UTC)),
    ("2026-12-01T09:00", BERLIN, dt.datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),
    ("2026-12-01 09:00:00", NEW_YORK, dt.datetime(2026, 12, 1, 14, 0, tzinfo=UTC)),
    ("2026-12-01T08:00:00Z", NEW_YORK, dt.datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),
    ("2026-12-01T13:30:00+05:30", BERLIN, dt.datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),
])
def test_now_is_iso_and_a_zone_less_time_is_read_in_the_site_timezone(text, zone, expected):
    assert parse_time(text, zone) == expected


def test_a_now_that_is_not_a_date_is_bad_input():
    with pytest.raises(InputError) as error:
        parse_time("next tuesday", UTC)
    assert error.value.exit_code == 2
    assert str(error.value) == ("--now 'next tuesday' is not an ISO date-time; "
                                "write it as 2026-12-01T09:00 or 2026-12-01T08:00:00Z")


@pytest.mark.parametrize("date, due_from", [
    # A naive date-time in front matter is local time in site.timezone (New York: UTC-5 in Dec).
    ('"2026-12-01T09:00:00"', dt.datetime(2026, 12, 1, 14, 0, tzinfo=UTC)),
    ("2026-12-01 09:00:00", dt.datetime(2026, 12, 1, 14, 0, tzinfo=UTC)),  # YAML date-time
    ("2026-12-01", dt.datetime(2026, 12, 1, 5, 0, tzinfo=UTC)),  # YAML date: local midnight
    ('"2026-12-01T09:00:00Z"', dt.datetime(2026, 12, 1, 9, 0, tzinfo=UTC)),
    ('"2026-12-01T09:00:00+01:00"', dt.datetime(2026, 12, 1, 8, 0, tzinfo=UTC)),
    ("2026-12-01T09:00:00.000Z", dt.datetime(2026, 12, 1, 9, 0, tzinfo=UTC)),
])
def test_a_post_is_due_from_its_date_in_any_form(site, date, due_from):
    configure(site, timezone="America/New_York")
    write_post(site, "dated", date)
    second = dt.timedelta(seconds=1)
    assert due_ids(site, due_from - second) == []
    assert due_ids(site, due_from) == ["/posts/dated"]


def test_summer_time_is_honoured_for_naive_dates(site):
    configure(site, timezone="Europe/Berlin", since="2026-06-01T00:00:00Z")
    write_post(site, "summer", '"2026-07-01T09:00:00"')  # CEST, UTC+2
    assert due_ids(site, dt.datetime(2026, 7, 1, 6, 59, tzinfo=UTC)) == []
    assert due_ids(site, dt.datetime(2026, 7, 1, 7, 0, tzinfo=UTC)) == ["/posts/summer"]


def test_only_published_posts_dated_from_since_are_due_oldest_first(site):
    configure(site, since="2026-11-01T00:00:00Z")
    write_post(site, "before-since", '"2026-10-31T23:59:00Z"')
    write_post(site, "at-since", '"2026-11-01T00:00:00Z"')
    write_post(site, "later", '"2026-11-10T00:00:00Z"')
    write_post(site, "future", '"2026-12-10T00:00:00Z"')
    write_post(site, "draft", '"2026-11-05T00:00:00Z"', "draft: true\n")
    write_post(site, "opted-out", '"2026-11-05T00:00:00Z"', "newsletter: false\n")
    write_post(site, "a-page", '"2026-11-05T00:00:00Z"', "template: page\n")
    now = dt.datetime(2026, 11, 20, tzinfo=UTC)
    assert due_ids(site, now) == ["/posts/at-since", "/posts/later"]


def test_since_is_compared_across_zones(site):
    configure(site, timezone="Europe/Berlin", since='"2026-11-01T00:00:00+01:00"')
    write_post(site, "local-midnight", "2026-11-01")  # Berlin midnight: exactly since
    write_post(site, "utc-midnight", '"2026-11-01T00:00:00Z"')  # 01:00 in Berlin: after
    write_post(site, "berlin-half-past-midnight", '"2026-10-31T23:30:00Z"')
    write_post(site, "too-early", '"2026-10-31T22:59:00Z"')  # 23:59 on Oct 31 in Berlin
    now = dt.datetime(2026, 11, 20, tzinfo=UTC)
    assert due_ids(site, now) == ["/posts/local-midnight", "/posts/berlin-half-past-midnight",
                                  "/posts/utc-midnight"]


def test_without_since_a_dry_plan_takes_now_and_records_nothing(site):
    configure(site, since=None)
    write_post(site, "old", '"2026-11-01T00:00:00Z"')
    now = dt.datetime(2026, 11, 20, tzinfo=UTC)
    result = plan(site, now)
    assert result.first_run and result.since == now and result.due == ()


def test_the_first_run_records_now_as_since_and_later_runs_use_it(site):
    configure(site, since=None)
    write_post(site, "old", '"2026-11-01T00:00:00Z"')
    first = dt.datetime(2026, 11, 20, tzinfo=UTC)
    with Ledger.open(load_settings(site, {})) as ledger:
        assert plan(site, first, ledger=ledger, record=True).first_run
        assert ledger.get_meta(SINCE_KEY) == "2026-11-20T00:00:00+00:00"
        write_post(site, "new", '"2026-11-21T00:00:00Z"')
        later = plan(site, dt.datetime(2026, 11, 22, tzinfo=UTC), ledger=ledger, record=True)
    assert not later.first_run and later.since == first
    assert [item.post.id for item in later.due] == ["/posts/new"]


def test_since_in_the_settings_wins_over_the_recorded_one(site):
    configure(site, since="2026-11-01T00:00:00Z")
    write_post(site, "early", '"2026-11-02T00:00:00Z"')
    with Ledger.open(load_settings(site, {})) as ledger:
        ledger.set_meta(SINCE_KEY, "2026-11-15T00:00:00+00:00")
        result = plan(site, dt.datetime(2026, 11, 20, tzinfo=UTC), ledger=ledger, record=True)
    assert result.since == dt.datetime(2026, 11, 1, tzinfo=UTC)
    assert [item.post.id for item in result.due] == ["/posts/early"]


def test_campaigns_are_new_resumed_or_finished_by_the_ledger(site):
    configure(site)
    for name in ("fresh", "interrupted", "finished", "retry-pending", "nobody-to-send-to"):
        write_post(site, name, '"2026-11-10T00:00:00Z"')
    now = dt.datetime(2026, 11, 20, tzinfo=UTC)
    with Ledger.open(load_settings(site, {})) as ledger:
        ledger.claim("/posts/interrupted", ["a@x.org"], "outbox")  # killed mid-send
        ledger.claim("/posts/finished", ["a@x.org"], "outbox")
        ledger.record("/posts/finished", [("a@x.org", State.SENT, "id", None)])
        mark_finished(ledger, "/posts/finished", now)
        ledger.claim("/posts/retry-pending", ["a@x.org"], "outbox")
        ledger.mark("/posts/retry-pending", ["a@x.org"], State.PENDING, "503")
        mark_finished(ledger, "/posts/retry-pending", now)
        mark_finished(ledger, "/posts/nobody-to-send-to", now)
        result = plan(site, now, ledger=ledger)
    assert {item.post.id: item.resume for item in result.due} == {
        "/posts/fresh": False, "/posts/interrupted": True, "/posts/retry-pending": True}
    assert [item.post.id for item in result.new] == ["/posts/fresh"]


def test_a_sent_post_stays_sent_when_edited_renamed_or_re_dated(site):
    configure(site)
    write_post(site, "sent", '"2026-11-10T00:00:00Z"')
    now = dt.datetime(2026, 11, 20, tzinfo=UTC)
    with Ledger.open(load_settings(site, {})) as ledger:
        ledger.claim("/posts/sent", ["a@x.org"], "outbox")
        ledger.record("/posts/sent", [("a@x.org", State.SENT, "id", None)])
        mark_finished(ledger, "/posts/sent", now)
        (site / "content" / "posts" / "sent.md").unlink()
        (site / "content" / "posts" / "renamed-file.md").write_text(
            '---\ntitle: Edited\ndate: "2026-11-19T00:00:00Z"\nslug: /posts/sent\n---\n\n'
            "New words.\n")
        assert plan(site, now, ledger=ledger).due == ()
