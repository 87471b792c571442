"""`[provider] daily_limit` / `hourly_limit`, and the provider's own quota answers.

The cron runs are the library's `send_due(settings, now)` with ``now`` moved by the test (the
harness's clock): the user-facing `--now` refuses a real run in the future. Mail goes over HTTP
to a fake Resend whose account, like a free tier, takes 300 messages a day and then answers
its `daily_quota_exceeded`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import invoke
from fake_providers import (
    KEYS,
    fail,
    provider_environ,
    start_fake,
    write_provider_settings,
    write_settings,
)
from fake_providers import write_readers as write_files

from newsletter.config import load_settings
from newsletter.sending import Budget, Ledger, State, send_due
from newsletter.subscribers import Signup
from tests.pg_support import each_store, list_into_store, pg_url  # noqa: F401 (fixtures)

START = dt.datetime(2026, 11, 2, 6, 0, tzinfo=dt.timezone.utc)
READERS = [f"reader{n:04}@example.net" for n in range(1000)]


def write_readers(site, addresses) -> None:
    """The list of fake_providers.write_readers, in the site's store."""
    write_files(site, addresses)
    list_into_store(site)


def write_post(site, name: str, date: str) -> None:
    (site / "content" / "posts" / f"{name}.md").write_text(
        f'---\ntitle: "{name.title()}"\ndate: "{date}"\nslug: /posts/{name}\n'
        f"description: About {name}.\n---\n\nThe body of {name}.\n")


@pytest.fixture
def resend(site):
    """The site sending one new post through a fake Resend with a 300-a-day quota."""
    for post in (site / "content" / "posts").glob("*.md"):
        post.unlink()
    write_post(site, "first", "2026-11-01T08:00:00Z")
    write_settings(site, "schedule", since="2026-11-01T00:00:00Z")
    server = start_fake("resend", KEYS["resend"])
    server.record = False  # count only: a thousand readers
    server.quota = 300
    yield site, server
    server.close()


def configure(site, server, **provider):
    write_provider_settings(site, name="resend", api_url=server.url, timeout=10, **provider)
    return load_settings(site, provider_environ("resend"))


def ledger_states(settings) -> Counter:
    with Ledger.open(settings) as ledger:
        return ledger.counts().get("/posts/first", Counter())


def test_four_days_of_cron_runs_under_a_daily_limit_deliver_each_reader_once(resend, each_store):
    site, server = resend
    write_readers(site, READERS)
    settings = configure(site, server, daily_limit=300)
    per_day = []
    for day in range(5):
        before = sum(server.accepted.values())
        server.quota = 300  # the provider's day starts again
        for hour in range(0, 24, 6):  # cron every six hours
            run = send_due(settings, START + dt.timedelta(days=day, hours=hour))
            assert not run.failed, run
        per_day.append(sum(server.accepted.values()) - before)
    # 270 a day: 30 of the 300 are kept for sign-up confirmations (10%)
    assert per_day == [270, 270, 270, 190, 0]
    assert set(server.accepted) == set(READERS)
    assert set(server.accepted.values()) == {1}
    assert ledger_states(settings) == Counter({State.SENT: 1000})


def test_a_run_stopped_by_the_limit_says_what_is_left_and_when_it_will_finish(resend, each_store):
    site, server = resend
    write_readers(site, READERS)
    settings = configure(site, server, daily_limit=300)
    run = send_due(settings, START)
    assert run.limit is not None and not run.failed
    assert run.limit.left == 730
    # 270 a day at most: 270 tomorrow, 270 the day after, the last 190 on the third day
    assert START + dt.timedelta(days=3) <= run.limit.finish <= START + dt.timedelta(days=3, hours=1)
    assert run.limit.why == "the daily limit of 300 (30 kept for sign-ups)"


def test_send_prints_the_limit_in_one_line_and_exits_0(resend, each_store):
    site, server = resend
    write_readers(site, READERS[:50])
    configure(site, server, daily_limit=20, reserve_for_signups=0)
    result = invoke(site, "send", "first", "--yes", env=provider_environ("resend"))
    assert result.exit_code == 0, result.output
    limit_lines = [line for line in result.output.splitlines() if "Limit reached" in line]
    assert len(limit_lines) == 1
    assert "30 readers left, estimated to finish" in limit_lines[0]
    assert sum(server.accepted.values()) == 20
    again = invoke(site, "send", "first", "--yes", env=provider_environ("resend"))
    assert again.exit_code == 0 and sum(server.accepted.values()) == 20  # the window is full


def test_status_and_the_dry_run_say_what_is_left_and_when_the_runs_will_send_it(resend, each_store):
    site, server = resend
    write_readers(site, READERS)
    configure(site, server, daily_limit=300)
    env = provider_environ("resend")
    plan = invoke(site, "send", "--due", "--dry-run", env=env)
    assert plan.exit_code == 0, plan.output
    assert "At the daily limit of 300 (30 kept for sign-ups), cron runs would send them:" \
        in plan.output
    runs = [line.split()[-2] for line in plan.output.splitlines() if line.endswith("messages")]
    assert runs == ["270", "270", "270", "190"]
    assert sum(server.accepted.values()) == 0
    sent = invoke(site, "send", "--due", env=env)
    assert sent.exit_code == 0 and "Limit reached" in sent.output
    full = invoke(site, "send", "--due", env=env)  # no room until tomorrow: cron hears nothing
    assert full.exit_code == 0 and full.output == ""
    status = invoke(site, "status", env=env)
    assert "/posts/first: sent 270, failed 0, in doubt 0, pending 0, not yet sent 730; " \
        "730 readers left, finishing about" in status.output


def test_sign_up_confirmations_still_go_out_on_a_full_day(resend, each_store):
    from newsletter.web.signup_journal import Entry
    from newsletter.web.signup_mail import SignupMailer

    site, server = resend
    write_readers(site, READERS)
    settings = configure(site, server, daily_limit=300)
    for hour in range(0, 24, 6):
        send_due(settings, START + dt.timedelta(hours=hour))
    assert sum(server.accepted.values()) == 270  # the day is full for newsletters
    mailer = SignupMailer(settings, "test-secret")
    try:
        mailer.send_confirmations([Entry(n, Signup(f"new{n}@example.org"), "", "", "new")
                                   for n in range(20)])
    finally:
        mailer.provider.close()
    assert all(server.accepted[f"new{n}@example.org"] == 1 for n in range(20))


def test_the_providers_quota_answer_mid_batch_leaves_the_rest_pending_never_in_doubt(resend):
    site, server = resend
    write_readers(site, READERS[:250])
    settings = configure(site, server, batch_size=50, concurrency=1)
    server.quota = 120  # a quota newsletter was not told of: the provider says when it is used
    run = send_due(settings, START)
    assert not run.failed  # a limit reached is not a failure
    assert run.limit is not None and "daily_quota_exceeded" in run.limit.why
    states = ledger_states(settings)
    assert states[State.SENT] == 100 and states[State.IN_DOUBT] == states[State.FAILED] == 0
    assert states[State.PENDING] == 50 and run.limit.left == 150  # 100 never tried
    server.quota = 300  # the next day
    send_due(settings, START + dt.timedelta(days=1))
    assert ledger_states(settings) == Counter({State.SENT: 250})
    assert set(server.accepted.values()) == {1} and len(server.accepted) == 250


@pytest.mark.parametrize("name", ["postmark", "mailgun", "resend"])
def test_each_providers_quota_answer_stops_the_send_as_limit_reached(site, name):
    # Postmark's ErrorCode 405, Mailgun's 429 asking to wait a day, Resend's daily quota
    for post in (site / "content" / "posts").glob("*.md"):
        post.unlink()
    write_post(site, "first", "2026-11-01T08:00:00Z")
    write_readers(site, READERS[:50])
    server = start_fake(name, KEYS[name])
    try:
        server.quota = 20
        extra = {"domain": "mg.example.com"} if name == "mailgun" else {}
        write_provider_settings(site, name=name, api_url=server.url, timeout=10, batch_size=10,
                                concurrency=1, **extra)
        result = invoke(site, "send", "first", "--yes", env=provider_environ(name))
        assert result.exit_code == 0, result.output
        assert "Limit reached" in result.output and "30 readers left" in result.output
        states = ledger_states(load_settings(site, provider_environ(name)))
        assert states == Counter({State.SENT: 20, State.PENDING: 10})  # 20 never tried
        server.quota = 100
        again = invoke(site, "send", "first", "--yes", env=provider_environ(name))
        assert again.exit_code == 0, again.output
        assert sorted(server.accepted) == sorted(READERS[:50])
        assert set(server.accepted.values()) == {1}
    finally:
        server.close()


def test_an_hourly_limit_spreads_a_send_over_the_hours(site, each_store):
    for post in (site / "content" / "posts").glob("*.md"):
        post.unlink()
    write_post(site, "first", "2026-11-01T08:00:00Z")
    write_settings(site, "schedule", since="2026-11-01T00:00:00Z")
    write_readers(site, READERS[:50])
    write_provider_settings(site, name="outbox", hourly_limit=20)
    settings = load_settings(site, {"NEWSLETTER_SECRET": "test-secret"})
    folder = site / "outbox" / "first"
    sent = []
    for quarter in range(13):  # cron every 15 minutes for three hours
        send_due(settings, START + dt.timedelta(minutes=15 * quarter))
        sent.append(len(list(folder.glob("*.eml"))))
    assert sent[:4] == [20] * 4 and sent[4:8] == [40] * 4 and sent[8:] == [50] * 5


def test_a_quota_answer_is_told_apart_from_a_rate_limit_for_every_provider(resend):
    site, server = resend
    write_readers(site, READERS[:10])
    settings = configure(site, server)
    server.quota = None
    server.enqueue(fail(429, retry_after=0.01), fail(429, name="daily_quota_exceeded"))
    run = send_due(settings, START)
    # the first 429 was a rate limit (retried), the second a quota: stopped, nothing lost
    assert run.limit is not None and not run.failed
    assert ledger_states(settings) == Counter({State.PENDING: 10})


def test_two_senders_at_once_share_one_daily_limit_and_never_spend_the_same_room(
        site, each_store):
    # Two hosts on one PostgreSQL store (or two processes on one site folder): each run's
    # budget reads the room again, under the send log's lock, before each batch.
    write_provider_settings(site, name="outbox", daily_limit=100, reserve_for_signups=0)
    settings = load_settings(site, {"NEWSLETTER_SECRET": "test-secret"})
    first, second = Budget.open(settings, START), Budget.open(settings, START)
    try:
        assert first.take(60) == 60
        assert second.take(60) == 40  # opened before the first spent: still only the rest
        assert first.take(1) == 0 and second.take(1) == 0
    finally:
        first.close(), second.close()

    later = START + dt.timedelta(days=2)  # a new window: 100 again, taken by racing senders

    def sender(_) -> int:
        budget = Budget.open(settings, later)
        try:
            taken = 0
            while given := budget.take(3):
                taken += given
            return taken
        finally:
            budget.close()

    with ThreadPoolExecutor(4) as pool:
        assert sum(pool.map(sender, range(4))) == 100


def test_an_old_post_sent_by_hand_and_stopped_by_the_limit_is_finished_by_cron(resend, each_store):
    # `send POST` says "(or send --due) continues": so it does, though the post is dated
    # before [schedule] since, and each reader gets it once
    site, server = resend
    (site / "content" / "posts" / "first.md").unlink()
    write_post(site, "archive", "2025-06-01T08:00:00Z")
    write_readers(site, READERS[:50])
    settings = configure(site, server, daily_limit=20, reserve_for_signups=0)
    env = provider_environ("resend")
    by_hand = invoke(site, "send", "archive", "--yes", env=env)
    assert by_hand.exit_code == 0 and "(or send --due) continues" in by_hand.output
    status = invoke(site, "status", env=env)
    assert "30 readers left, finishing about" in status.output
    plan = invoke(site, "send", "--due", "--dry-run", env=env)
    assert 'would resume /posts/archive "Archive" (2025-06-01T08:00+00:00) to 30 readers' \
        in plan.output
    assert "before [schedule] since" not in plan.output  # not "send --due never sends it"
    tomorrow = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1, minutes=1)
    for day in range(3):
        run = send_due(settings, tomorrow + dt.timedelta(days=day))
        assert not run.failed, run
    assert set(server.accepted) == set(READERS[:50])
    assert set(server.accepted.values()) == {1}


def test_a_tag_send_stopped_by_the_limit_names_the_command_for_the_same_readers(resend):
    # `newsletter send first` alone would mail the readers outside the tag as well
    site, server = resend
    rows = ["email,name,status,tags"] + [
        f"{address},,active,{'vip' if n < 30 else ''}" for n, address in enumerate(READERS[:50])]
    (site / "subscribers" / "subscribers.csv").write_text("\n".join(rows) + "\n")
    configure(site, server, daily_limit=20, reserve_for_signups=0)
    result = invoke(site, "send", "first", "--tag", "vip", "--yes", env=provider_environ("resend"))
    assert result.exit_code == 0, result.output
    limit = result.output.splitlines()[-1]
    assert limit.startswith("Limit reached: the daily limit of 20; 10 readers left, estimated")
    assert limit.endswith("; `newsletter send first --tag vip` continues.")
    assert sum(server.accepted.values()) == 20


def test_a_real_run_at_an_earlier_now_counts_its_messages_when_they_go_out(site):
    # --now moves the schedule, not the clock: what a run sends now counts in today's window
    for post in (site / "content" / "posts").glob("*.md"):
        post.unlink()
    now = dt.datetime.now(dt.timezone.utc)
    write_post(site, "first", (now - dt.timedelta(days=3)).isoformat())
    write_settings(site, "schedule", since=(now - dt.timedelta(days=4)).isoformat())
    write_files(site, READERS[:20])
    write_provider_settings(site, name="outbox", daily_limit=5, reserve_for_signups=0)
    env = {"NEWSLETTER_SECRET": "test-secret"}
    assert "Limit reached" in invoke(site, "send", "--due", env=env).output
    earlier = (now - dt.timedelta(days=2)).isoformat()
    again = invoke(site, "send", "--due", "--now", earlier, env=env)
    assert again.exit_code == 0 and again.output == "", again.output
    assert len(list((site / "outbox").rglob("*.eml"))) == 5
