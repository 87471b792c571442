"""The welcome series over a simulated month of cron runs.

Each run is the library's `send_due(settings, now)` with ``now`` moved by the test harness (the
user-facing `--now` refuses a real run in the future); readers join on different days, mail
goes to the outbox, and what each reader got, and at which run, is read from the .eml files
the runs leave.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import signal
import subprocess
import time

import pytest

from conftest import invoke, run_cli, run_in_process, start_cli
from fake_providers import write_settings
from newsletter.config import load_settings
from newsletter.sending import Ledger, State, send_due
from test_kill import count_files, reader_of
from tests.pg_support import each_store, list_into_store, pg_url  # noqa: F401 (fixtures)

T0 = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
DAY = dt.timedelta(days=1)
SERIES = ["best-a", "best-b", "best-c"]
ENV = {"NEWSLETTER_SECRET": "test-secret"}


def write_post(site, name: str, date: str) -> None:
    (site / "content" / "posts" / f"{name}.md").write_text(
        f'---\ntitle: "{name.title()}"\ndate: "{date}"\nslug: /posts/{name}\n'
        f"description: About {name}.\n---\n\nThe body of {name}.\n")


def write_list(site, readers: list[tuple[str, dt.datetime, str]], left: set[str] = set()) -> None:
    """The subscriber file: (address, joined, tags) each, active unless in ``left``."""
    for old in (site / "subscribers").glob("*.csv"):
        old.unlink()
    rows = ["email,name,status,tags,subscribed_at"] + [
        f"{address},,{'unsubscribed' if address in left else 'active'},{tags},"
        f"{joined.isoformat()}" for address, joined, tags in readers]
    (site / "subscribers" / "subscribers.csv").write_text("\n".join(rows) + "\n")
    list_into_store(site)


@pytest.fixture
def blog(site, each_store):
    """The site of :func:`make_blog` on each store (files, then PostgreSQL)."""
    return make_blog(site)


@pytest.fixture
def files_blog(site):
    """The site of :func:`make_blog` on the files store only."""
    return make_blog(site)


def make_blog(site):
    """Three old posts readers liked most, the series of them every 3 days, and `since`
    after them: they are never broadcast."""
    for post in (site / "content" / "posts").glob("*.md"):
        post.unlink()
    for day, name in enumerate(SERIES, start=1):
        write_post(site, name, f"2026-06-0{day}T08:00:00Z")
    write_settings(site, "schedule", since="2026-10-01T00:00:00Z")
    write_settings(site, "welcome", enabled=True, posts=SERIES, every="3d",
                   intro="You joined {site} recently; here is one of the posts readers liked most.")
    write_list(site, [("old@example.com", T0 - 30 * DAY, "")])
    return site


def outbox(site) -> dict[str, set[str]]:
    """Post folder -> readers with a file there (a duplicate copy fails the test at once)."""
    found: dict[str, set[str]] = {}
    for eml in (site / "outbox").glob("*/*.eml"):
        reader, duplicate = reader_of(eml.name)
        assert not duplicate, f"{reader} got {eml.parent.name} twice"
        found.setdefault(eml.parent.name, set()).add(reader)
    return found


def test_a_month_of_cron_runs_gives_each_new_reader_each_post_once_in_order(blog):
    site = blog
    settings = load_settings(site, ENV)
    joiners = {f"day{d:02}@example.org": T0 + d * DAY + 9 * dt.timedelta(hours=1)
               for d in (0, 1, 4, 9, 15, 22)}
    joiners["quitter@example.org"] = T0 + 2 * DAY
    joiners["vip@example.org"] = T0 + 3 * DAY
    got: dict[str, list[tuple[str, dt.datetime]]] = {}
    seen: dict[str, set[str]] = {}
    clock = T0
    while clock <= T0 + 31 * DAY:
        listed = [("old@example.com", T0 - 30 * DAY, "")] + [
            (a, joined, "vip" if a.startswith("vip") else "") for a, joined in joiners.items()
            if joined <= clock]
        write_list(site, listed, {"quitter@example.org"} if clock >= T0 + 4 * DAY else set())
        if clock == T0 + 3 * DAY + 12 * dt.timedelta(hours=1):
            # the writer sends best-b on purpose to the readers tagged vip
            sent = invoke(site, "send", "best-b", "--tag", "vip", "--yes", env=ENV)
            assert sent.exit_code == 0, sent.output
        promised = None
        if clock.day % 2 == 0:  # what a dry run at this time says
            plan = invoke(site, "send", "--due", "--dry-run", "--now", clock.isoformat(), env=ENV)
            assert plan.exit_code == 0, plan.output
            promised = {post: int(n) for post, n in re.findall(
                r'would send welcome post (\S+) ".*" to (\d+) reader', plan.output)}
        run = send_due(settings, clock)
        assert not run.failed, run
        if promised is not None:  # ... is what the real run at that time did
            assert promised == {o.post.id: o.report.sent for o in run.welcome.outcomes}
        for post, readers in outbox(site).items():
            for reader in readers - seen.setdefault(post, set()):
                got.setdefault(reader, []).append((post, clock))
            seen[post] = set(readers)
        clock += DAY / 2

    assert "old@example.com" not in got  # on the list before the series was enabled
    for reader, joined in joiners.items():
        posts = [post for post, _ in got[reader]]
        if reader.startswith("quitter"):
            assert posts == ["best-a"]  # unsubscribed on day 4: the series stopped
            continue
        if reader.startswith("vip"):
            # best-b went to them as a broadcast: the series skips it
            assert posts == ["best-a", "best-b", "best-c"]
            times = dict(got[reader])
            assert times["best-c"] - times["best-a"] == 3 * DAY
            continue
        assert posts == SERIES, reader
        times = [when for _, when in got[reader]]
        assert joined <= times[0] < joined + DAY / 2  # the first cron run after joining
        assert [b - a for a, b in zip(times, times[1:])] == [3 * DAY, 3 * DAY]


def test_the_welcome_email_is_the_post_with_the_intro_line(blog):
    site = blog
    write_list(site, [("new@example.org", T0 + DAY, "")])
    settings = load_settings(site, ENV)
    send_due(settings, T0)  # the series starts
    send_due(settings, T0 + 2 * DAY)
    message = email.message_from_bytes(
        (site / "outbox" / "best-a" / "new@example.org.eml").read_bytes(),
        policy=email.policy.default)
    for part in ("plain", "html"):
        text = " ".join(message.get_body((part,)).get_content().split())
        intro = text.index("You joined Example Notes recently; here is one of the posts")
        assert intro < text.index("The body of best-a")


def test_a_series_naming_a_draft_or_no_post_says_so_and_sends_the_rest_of_the_run(blog):
    site = blog
    write_post(site, "news", "2026-11-02T08:00:00Z")
    (site / "content" / "posts" / "best-a.md").write_text(
        (site / "content" / "posts" / "best-a.md").read_text().replace("---\n\n", "draft: true\n---\n\n"))
    write_list(site, [("new@example.org", T0 + DAY, "")])
    settings = load_settings(site, ENV)
    send_due(settings, T0)
    run = send_due(settings, T0 + 2 * DAY)
    assert run.failed and any("best-a is a draft" in line for line in run.broken), run.broken
    assert outbox(site) == {"news": {"new@example.org"}}  # the broadcast went out
    write_settings(site, "welcome", enabled=True, posts=["best-b", "no-such-post"])
    run = send_due(load_settings(site, ENV), T0 + 3 * DAY)
    assert any("welcome.posts" in line and "no-such-post" in line for line in run.broken)
    # the dry run says what the run would: that error, exit 1, and the rest of the plan
    plan = invoke(site, "send", "--due", "--dry-run", "--now", (T0 + 3 * DAY).isoformat(), env=ENV)
    assert plan.exit_code == 1, plan.output
    assert "error: welcome series not sent: newsletter.toml: welcome.posts: no post named " \
        "'no-such-post'" in plan.output
    assert plan.output.endswith("Dry run: nothing sent.\n")


def test_a_series_post_only_for_a_tag_is_not_sent_to_readers_without_it(blog):
    site = blog
    path = site / "content" / "posts" / "best-a.md"
    path.write_text(path.read_text().replace("---\n\n", "newsletter_tags: [paid]\n---\n\n"))
    write_list(site, [("free@example.org", T0 + DAY, ""), ("paid@example.org", T0 + DAY, "paid")])
    settings = load_settings(site, ENV)
    send_due(settings, T0)
    line = ("welcome series: /posts/best-a is only for readers tagged paid (newsletter_tags): not sent; the series goes to every new "
            "reader: take it out of [welcome] posts, or remove its newsletter_tags")
    plan = invoke(site, "send", "--due", "--dry-run", "--now", (T0 + 2 * DAY).isoformat(), env=ENV)
    assert plan.exit_code == 1 and f"error: {line}\n" in plan.output, plan.output
    assert 'would NOT send welcome post /posts/best-a "Best-A" to 2 readers' in plan.output
    assert "Nothing is due." not in plan.output  # it is due: the run would refuse it
    run = send_due(settings, T0 + 2 * DAY)
    assert run.failed and run.broken == [line]
    assert outbox(site) == {}


def test_readers_on_the_list_before_the_series_get_it_only_when_enrolled(blog):
    site = blog
    settings = load_settings(site, ENV)
    send_due(settings, T0)
    send_due(settings, T0 + DAY)
    assert outbox(site) == {}
    refused = invoke(site, "welcome", "enroll", "--all", input="n\n")
    assert "1 reader on the list" in refused.output and refused.exit_code != 0
    enrolled = invoke(site, "welcome", "enroll", "--all", "--yes")
    assert enrolled.exit_code == 0, enrolled.output
    plan = invoke(site, "send", "--due", "--dry-run", env=ENV)
    assert 'would send welcome post /posts/best-a "Best-A" to 1 reader' in plan.output
    assert outbox(site) == {}
    send_due(settings, dt.datetime.now(dt.timezone.utc))
    assert outbox(site) == {"best-a": {"old@example.com"}}
    status = invoke(site, "status", env=ENV)
    # series sends are told apart from broadcasts
    assert "/posts/best-a: sent 1, failed 0, in doubt 0, pending 0, not yet sent 0; " \
        "1 reader had it as a welcome email" in status.output


def test_enroll_off_a_terminal_without_yes_says_to_add_yes_and_enrolls_nobody(files_blog):
    # a cron job or a script has nobody to answer the question: "Aborted!" told them nothing
    site = files_blog
    send_due(load_settings(site, ENV), T0)
    refused = run_cli(site, "welcome", "enroll", "--all", stdin=subprocess.DEVNULL)
    assert refused.returncode == 2, refused.stderr
    assert refused.stderr.splitlines()[-1] == (
        "error: not on a terminal, so nobody was enrolled; add --yes to enroll them without "
        "confirmation")
    again = run_cli(site, "welcome", "enroll", "--all", "--yes")
    assert "Enrolled 1 reader." in again.stdout, again.stdout + again.stderr


def test_sigkill_mid_welcome_run_sends_nobody_a_second_copy(files_blog):
    site = files_blog
    started = run_in_process(site, "send", "--due", "--now", T0.isoformat(), env=ENV)
    assert started.returncode == 0, started.stderr
    # Three kills land in the first ~500 at 1500 a second: the last run finishes the rest.
    readers = [f"reader{n:04}@example.net" for n in range(1000)]
    write_list(site, [(address, T0 + DAY, "") for address in readers])
    toml = site / "newsletter.toml"
    toml.write_text(toml.read_text().replace('name = "outbox"',
                                             'name = "outbox"\nrate_limit = 1500.0\nbatch_size = 10'))
    folder = site / "outbox" / "best-a"
    for _ in range(3):
        process = start_cli(site, "send", "--due", env=ENV, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
        before, deadline = count_files(folder), time.monotonic() + 30
        while count_files(folder) == before and process.poll() is None \
                and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(0.1)
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert count_files(folder) < len(readers)  # the kills landed mid-run
    finished = run_cli(site, "send", "--due", env=ENV)
    assert finished.returncode in (0, 1), finished.stderr  # 1: a killed batch is in doubt
    got = outbox(site)["best-a"]  # fails on any second copy
    assert got <= set(readers)
    with Ledger.open(load_settings(site, ENV)) as ledger:
        states = ledger.counts("/posts/best-a")["/posts/best-a"]
    # every reader has it once, or is in doubt (a killed batch): never resent on its own
    assert states[State.SENT] + states[State.IN_DOUBT] == len(readers)
    assert states[State.SENT] <= len(got) <= len(readers)
    assert states[State.IN_DOUBT] <= 3 * 10 * 16  # at most the batches in flight at each kill
    status = run_in_process(site, "welcome", "status", env=ENV)
    assert f"best-a: sent {states[State.SENT]}, due now 0," in status.stdout


def test_a_state_folder_that_cannot_be_written_is_one_line_not_a_traceback(files_blog):
    site = files_blog
    (site / ".newsletter").mkdir()
    (site / ".newsletter" / "welcome.db").mkdir()  # where the file should be: no way to open it
    result = invoke(site, "welcome", "enroll", "--all", "--yes")
    assert result.exit_code == 2  # as every read-only folder (issue: one line, exit 2)
    assert result.output.startswith("error: ") and "cannot open welcome.db" in result.output
    assert "Traceback" not in result.output


def test_status_of_a_series_turned_off_after_it_started_says_nobody_gets_it(blog):
    send_due(load_settings(blog, ENV), T0)  # the first run with the series on starts it
    write_settings(blog, "welcome", enabled=False, posts=SERIES, every="3d")
    status = run_in_process(blog, "welcome", "status", env=ENV)
    assert status.returncode == 0
    assert "turned off since: nobody gets it until [welcome] enabled = true again" in status.stdout
    assert "readers who signed up since get it" not in status.stdout


def test_status_of_a_series_that_is_off_says_how_to_turn_it_on_not_that_cron_starts_it(
        site, each_store):
    status = run_in_process(site, "welcome", "status", env=ENV)
    assert status.returncode == 0
    assert status.stdout.startswith("Welcome series (disabled: send --due sends none of it)")
    assert "set enabled = true in newsletter.toml" in status.stdout
    assert "the next send --due starts it;" not in status.stdout


def test_status_under_a_daily_limit_does_not_promise_a_welcome_post_to_the_whole_list(blog):
    # old@ joined before the series: nobody will send them best-a, so nothing of it is "left"
    site = blog
    write_settings(site, "provider", name="outbox", daily_limit=100)
    write_list(site, [("old@example.com", T0 - 30 * DAY, ""), ("new@example.org", T0 + DAY, "")])
    settings = load_settings(site, ENV)
    send_due(settings, T0)
    assert not send_due(settings, T0 + 2 * DAY).failed
    status = invoke(site, "status", env=ENV)
    assert "/posts/best-a: sent 1, failed 0, in doubt 0, pending 0, not yet sent 1; " \
        "1 reader had it as a welcome email\n" in status.output


def test_a_run_whose_broadcast_reaches_the_limit_counts_the_welcome_emails_waiting(blog):
    site = blog
    write_settings(site, "provider", name="outbox", daily_limit=5, reserve_for_signups=0)
    write_post(site, "news", "2026-11-03T08:00:00Z")
    write_list(site, [("old@example.com", T0 - 30 * DAY, "")]
               + [(f"new{n}@example.org", T0 + DAY, "") for n in range(6)])
    settings = load_settings(site, ENV)
    send_due(settings, T0)
    run = send_due(settings, T0 + 3 * DAY)
    # news went to 5 of 7; the 6 new readers' first welcome email waits too: 8 messages, at
    # 5 a day the last ones two days later
    assert [outcome.report.sent for outcome in run.outcomes] == [5]
    assert run.limit.left == 8
    assert run.limit.finish == T0 + 5 * DAY


def new_reader_had_best_a(site):
    """The blog with new@, who joined on day 1 and had best-a from the series on day 2."""
    write_list(site, [("new@example.org", T0 + DAY, "")])
    settings = load_settings(site, ENV)
    send_due(settings, T0)
    send_due(settings, T0 + 2 * DAY)
    assert outbox(site) == {"best-a": {"new@example.org"}}
    return site


def test_a_post_taken_out_of_the_series_does_not_skip_the_next_one_for_readers_who_had_it(blog):
    # new@ had best-a; the writer takes best-a out: best-b is still theirs next, not best-c
    site = new_reader_had_best_a(blog)
    write_settings(site, "welcome", enabled=True, posts=["best-b", "best-c"], every="3d")
    settings = load_settings(site, ENV)
    assert not send_due(settings, T0 + 4 * DAY).failed
    assert outbox(site) == {"best-a": {"new@example.org"}}  # every 3 days, still
    assert not send_due(settings, T0 + 5 * DAY).failed
    assert outbox(site) == {"best-a": {"new@example.org"}, "best-b": {"new@example.org"}}
    assert not send_due(settings, T0 + 8 * DAY).failed
    assert outbox(site)["best-c"] == {"new@example.org"}


def test_a_reader_keeps_their_place_when_a_post_of_the_series_is_renamed(blog):
    # best-a's file is renamed (a new id) and the series names it anew: new@ had it already
    site = new_reader_had_best_a(blog)
    posts = site / "content" / "posts"
    (posts / "best-a.md").write_text((posts / "best-a.md").read_text().replace(
        "/posts/best-a", "/posts/best-first"))
    (posts / "best-a.md").rename(posts / "best-first.md")
    write_settings(site, "welcome", enabled=True, posts=["best-first", "best-b", "best-c"],
                   every="3d")
    assert not send_due(load_settings(site, ENV), T0 + 5 * DAY).failed
    assert outbox(site) == {"best-a": {"new@example.org"}, "best-b": {"new@example.org"}}


def test_the_series_starts_at_the_first_run_enabling_it_even_when_its_posts_need_fixing(blog):
    # enabled on day 0 with a typo in posts, fixed on day 2: new@ joined on day 1, after the start
    site = blog
    write_settings(site, "welcome", enabled=True, posts=["best-a", "best-zz"], every="3d")
    write_list(site, [("new@example.org", T0 + DAY, "")])
    run = send_due(load_settings(site, ENV), T0)
    assert any("best-zz" in line for line in run.broken), run.broken
    write_settings(site, "welcome", enabled=True, posts=SERIES, every="3d")
    assert not send_due(load_settings(site, ENV), T0 + 2 * DAY).failed
    assert outbox(site) == {"best-a": {"new@example.org"}}


def test_the_dry_run_of_a_series_post_this_run_broadcasts_says_what_the_run_sends(files_blog):
    """welcome.md: a post of the series that this run broadcasts is left to the broadcast. The
    dry run promised a welcome copy of it too (a duplicate that never came), and not the next
    post of the series, which the run then sent."""
    site = files_blog
    an_hour_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)
    write_post(site, "fresh", an_hour_ago.isoformat())
    write_settings(site, "welcome", enabled=True, posts=["fresh", *SERIES], every="3d")
    settings = load_settings(site, ENV)
    send_due(settings, T0)  # the series starts; nothing is due yet
    assert invoke(site, "welcome", "enroll", "--all", "--yes").exit_code == 0
    plan = invoke(site, "send", "--due", "--dry-run", env=ENV)
    assert plan.exit_code == 0, plan.output
    assert 'would send /posts/fresh "Fresh"' in plan.output
    assert "would send welcome post /posts/fresh" not in plan.output
    assert 'would send welcome post /posts/best-a "Best-A" to 1 reader' in plan.output
    run = send_due(settings, dt.datetime.now(dt.timezone.utc))
    # what the dry run said: fresh as the broadcast, the series goes on with the next post
    assert [(o.item.post.id, o.report.sent) for o in run.outcomes] == [("/posts/fresh", 1)]
    assert [(o.post.id, o.report.sent) for o in run.welcome.outcomes] == [("/posts/best-a", 1)]


def test_status_of_a_one_post_series_says_1_post(files_blog):
    write_settings(files_blog, "welcome", enabled=True, posts=["best-a"])
    status = invoke(files_blog, "welcome", "status", env=ENV)
    assert status.output.startswith("Welcome series (enabled): 1 post, the first "), status.output


def test_an_imported_list_is_not_welcomed_unless_the_import_asks_sign_ups_are(blog, tmp_path):
    """Readers moved here from another service are not new: `subscribers import` keeps them
    out of the series (dated or not), `--welcome` puts them in it, `subscribers add` is a
    sign-up and gets it, and `welcome enroll --all` takes the imported ones too."""
    site = blog
    settings = load_settings(site, ENV)
    now = dt.datetime.now(dt.timezone.utc)
    send_due(settings, now - DAY)  # the series started yesterday
    moved = tmp_path / "members.csv"  # undated, and one dated after the series started
    moved.write_text("email,subscribed_at\nann@example.net,\n"
                     f"bo@example.net,{(now - DAY / 2).isoformat()}\n")
    assert invoke(site, "subscribers", "import", str(moved)).exit_code == 0
    asked = tmp_path / "asked.csv"
    asked.write_text(f"email,subscribed_at\ncy@example.net,{(now - 90 * DAY).isoformat()}\n")
    result = invoke(site, "subscribers", "import", str(asked), "--welcome")
    assert result.exit_code == 0, result.output
    assert invoke(site, "subscribers", "add", "dee@example.net").exit_code == 0
    send_due(settings, now + dt.timedelta(minutes=15))
    assert outbox(site) == {"best-a": {"cy@example.net", "dee@example.net"}}
    status = invoke(site, "welcome", "status")
    assert "readers who signed up since get it (an import's only with --welcome)" \
        in status.output, status.output
    enrolled = invoke(site, "welcome", "enroll", "--all", "--yes")
    assert "Enrolled 3 readers" in enrolled.output, enrolled.output  # old@, ann@, bo@
    send_due(settings, now + dt.timedelta(minutes=30))
    assert outbox(site)["best-a"] == {"cy@example.net", "dee@example.net", "old@example.com",
                                      "ann@example.net", "bo@example.net"}


def test_a_welcome_email_found_never_sent_does_not_reopen_the_broadcast_to_later_readers(
        blog):
    """A broadcast post of the series whose welcome email to one reader was in doubt, then
    found never sent (cron asks the provider first), goes to that reader; the finished
    broadcast is not walked again for everyone who joined since."""
    site = blog
    write_post(site, "fresh", (T0 + DAY).isoformat())
    write_settings(site, "welcome", enabled=True, posts=["fresh"], every="3d", first_after="1d")
    settings = load_settings(site, ENV)
    send_due(settings, T0 + 2 * DAY)  # the broadcast to old@; the series starts
    write_list(site, [("old@example.com", T0 - 30 * DAY, ""), ("new@example.org", T0 + 2 * DAY, "")])
    send_due(settings, T0 + 3 * DAY + dt.timedelta(hours=1))  # new@'s welcome email
    assert outbox(site) == {"fresh": {"old@example.com", "new@example.org"}}
    for eml in (site / "outbox" / "fresh").glob("*new@example.org*"):
        eml.unlink()  # its batch timed out before the outbox wrote it
    with Ledger.open(settings) as ledger:
        ledger.mark("/posts/fresh", ["new@example.org"], State.IN_DOUBT, "read timeout")
    write_list(site, [("old@example.com", T0 - 30 * DAY, ""), ("new@example.org", T0 + 2 * DAY, ""),
                      ("later@example.org", T0 + 3 * DAY + 2 * dt.timedelta(hours=1), "")])
    reconciled = invoke(site, "reconcile", env=ENV)  # as the cron run would first
    assert "1 never reached" in reconciled.output, reconciled.output
    plan = invoke(site, "send", "--due", "--dry-run", "--now",
                  (T0 + 3 * DAY + 3 * dt.timedelta(hours=1)).isoformat(), env=ENV)
    assert '"Fresh" (' in plan.output and "to 1 reader" in plan.output, plan.output
    send_due(settings, T0 + 3 * DAY + 3 * dt.timedelta(hours=1))
    # later@ joined a day before the series gives them fresh: not yet
    assert outbox(site) == {"fresh": {"old@example.com", "new@example.org"}}
    send_due(settings, T0 + 4 * DAY + 3 * dt.timedelta(hours=1))
    assert outbox(site) == {"fresh": {"old@example.com", "new@example.org", "later@example.org"}}


def test_a_series_naming_one_post_twice_under_two_names_is_one_line_not_a_traceback(blog):
    site = blog
    write_settings(site, "welcome", enabled=True, posts=["best-a", "best-b", "/posts/best-a"])
    write_list(site, [("new@example.org", T0 + DAY, "")])
    run = send_due(load_settings(site, ENV), T0 + 2 * DAY)
    assert run.broken == ["welcome series not sent: newsletter.toml: welcome.posts names "
                          "/posts/best-a twice ('best-a' and '/posts/best-a'); name each post "
                          "once"], run.broken
    status = invoke(site, "welcome", "status")
    assert status.exit_code == 2 and "Traceback" not in status.output, status.output
    assert status.output.count("\n") == 1 and "names /posts/best-a twice" in status.output
    assert outbox(site) == {}


def test_the_series_starts_at_the_first_run_enabling_it_even_when_a_limit_stops_its_broadcasts(
        blog):
    # The first run's broadcast stops at the daily limit before the series' part: the series
    # has started all the same, so a reader who joins the next hour gets it.
    site = blog
    write_settings(site, "provider", name="outbox", daily_limit=5, reserve_for_signups=0)
    write_post(site, "news", (T0 - DAY).isoformat())
    listed = [(f"old{n}@example.com", T0 - 30 * DAY, "") for n in range(8)]
    write_list(site, listed)
    settings = load_settings(site, ENV)
    assert send_due(settings, T0).limit is not None
    write_list(site, listed + [("new@example.org", T0 + dt.timedelta(hours=1), "")])
    for day in range(1, 4):
        send_due(settings, T0 + day * DAY + dt.timedelta(hours=2))
    assert outbox(site)["best-a"] == {"new@example.org"}
    assert len(outbox(site)["news"]) == 9


def test_an_import_with_welcome_before_the_first_run_starts_the_series_and_refuses_it_off(
        files_blog, tmp_path):
    site = files_blog
    moved = tmp_path / "asked.csv"
    moved.write_text("email\ncy@example.net\n")
    write_settings(site, "welcome", enabled=False, posts=SERIES)
    refused = invoke(site, "subscribers", "import", str(moved), "--welcome")
    assert refused.exit_code == 2 and refused.output.count("\n") == 1, refused.output
    assert "--welcome: the welcome series is not enabled" in refused.output
    assert "cy@example.net" not in (site / "subscribers" / "subscribers.csv").read_text()
    write_settings(site, "welcome", enabled=True, posts=SERIES)
    assert invoke(site, "subscribers", "import", str(moved), "--welcome").exit_code == 0
    send_due(load_settings(site, ENV), dt.datetime.now(dt.timezone.utc))  # the first run
    assert outbox(site) == {"best-a": {"cy@example.net"}}


def test_a_welcome_email_in_doubt_then_found_never_sent_is_sent_by_the_series(blog):
    # best-a was never broadcast (dated before since): only the series can send it again
    site = blog
    write_list(site, [("new@example.org", T0 + DAY, "")])
    settings = load_settings(site, ENV)
    send_due(settings, T0)
    send_due(settings, T0 + 2 * DAY)
    assert outbox(site) == {"best-a": {"new@example.org"}}
    for eml in (site / "outbox" / "best-a").glob("*new@example.org*"):
        eml.unlink()  # its batch timed out before the outbox wrote it
    with Ledger.open(settings) as ledger:
        ledger.mark("/posts/best-a", ["new@example.org"], State.IN_DOUBT, "read timeout")
    run = send_due(settings, T0 + 2 * DAY + dt.timedelta(hours=1))  # asks the outbox first
    assert run.reconciled, run
    assert outbox(site) == {"best-a": {"new@example.org"}}
    send_due(settings, T0 + 5 * DAY + dt.timedelta(hours=1))
    assert outbox(site) == {"best-a": {"new@example.org"}, "best-b": {"new@example.org"}}
    with Ledger.open(settings) as ledger:
        assert ledger.counts("/posts/best-a")["/posts/best-a"] == {State.SENT: 1}
