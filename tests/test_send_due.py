"""`newsletter send --due` from cron: the real CLI in subprocesses where the process matters.

The blog: 30 posts from before `since`, one post due, one in the future, one draft and a page.
Time is set with `--now`, so every run is what cron would see at that moment. Runs where the
process itself matters (the first send, a lock held by another process, two runs at once, a
kill, an error line) are subprocesses; the many follow-up runs run in-process, the same command.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from conftest import invoke, run_cli, run_in_process
from fake_providers import write_readers
from generator_sites import fill_in_settings, hexo_site
from newsletter.config import load_settings
from newsletter.sending import Ledger, State
from newsletter.sending import site_lock
from sending_support import leave_in_flight

NOW = "2026-11-27T12:00:00Z"
AFTER_THE_FUTURE_POST = "2026-12-02T10:00:00Z"
ACTIVE = ["ada@example.com", "edsger@example.com", "grace@example.org", "katherine@example.org"]


def write_post(site, name: str, date: str, extra: str = "") -> None:
    (site / "content" / "posts" / f"{name}.md").write_text(
        f'---\ntitle: "{name.replace("-", " ").title()}"\ndate: "{date}"\n'
        f"slug: /posts/{name}\ndescription: About {name}.\n{extra}---\n\nThe body of {name}.\n")


def set_schedule(site, schedule: str = "", provider: str = "") -> None:
    toml = site / "newsletter.toml"
    text = toml.read_text().split("[provider]")[0]
    toml.write_text(f'{text}[provider]\nname = "outbox"\n{provider}\n[schedule]\n{schedule}\n')


@pytest.fixture
def blog(site):
    """The example site with 30 old posts, one due, one future, one draft (and its page)."""
    for post in (site / "content" / "posts").glob("*.md"):
        post.unlink()
    for day in range(30):
        write_post(site, f"old-{day:02}", f"2026-10-{day + 1:02}T08:00:00Z")
    write_post(site, "due-now", "2026-11-26T08:00:00Z")
    write_post(site, "coming-soon", "2026-12-01T08:00:00Z")
    write_post(site, "half-done", "2026-11-26T09:00:00Z", "draft: true\n")
    set_schedule(site, 'since = "2026-11-25T00:00:00Z"')
    return site


def due(site, *args, now: str = NOW) -> subprocess.CompletedProcess:
    """A cron run, in-process."""
    return run_in_process(site, "send", "--due", "--now", now, *args)


def cron(site, *args, now: str = NOW) -> subprocess.CompletedProcess:
    """A cron run, as cron starts it: its own process."""
    return run_cli(site, "send", "--due", "--now", now, *args)


def due_command(site) -> list[str]:
    """The same run, for Popen."""
    return [sys.executable, "-m", "newsletter", "--site", str(site), "send", "--due", "--now", NOW]


def received(site) -> dict[str, list[str]]:
    """Outbox folder (post) -> sorted readers who got it, once per copy (duplicates show twice)."""
    found: dict[str, list[str]] = {}
    for eml in sorted((site / "outbox").glob("*/*.eml")):
        reader = re.sub(r"(\.dup\d+)?\.eml$", "", eml.name)
        found.setdefault(eml.parent.name, []).append(reader)
    return {post: sorted(readers) for post, readers in found.items()}


def add_readers(site, count: int) -> list[str]:
    """Append ``count`` active readers to the subscriber list; returns every active address."""
    rows = "".join(f"reader{n:04}@example.net,Reader {n},active,,2026-01-01T00:00:00Z\n"
                   for n in range(count))
    with open(site / "subscribers" / "subscribers.csv", "a") as handle:
        handle.write(rows)
    return sorted(ACTIVE + [f"reader{n:04}@example.net" for n in range(count)])


def quiet(result) -> bool:
    return result.returncode == 0 and result.stdout == "" and result.stderr == ""


def test_only_the_due_post_goes_out_then_cron_stays_silent_until_the_next_one(blog):
    first = cron(blog)
    assert first.returncode == 0, first.stderr
    assert first.stdout == 'Sent /posts/due-now "Due Now" to 4 readers.\n'
    assert first.stderr == ""
    assert received(blog) == {"due-now": ACTIVE}

    assert quiet(due(blog))

    later = due(blog, now=AFTER_THE_FUTURE_POST)
    assert later.stdout == 'Sent /posts/coming-soon "Coming Soon" to 4 readers.\n'
    assert received(blog) == {"due-now": ACTIVE, "coming-soon": ACTIVE}

    draft = blog / "content" / "posts" / "half-done.md"
    draft.write_text(draft.read_text().replace("draft: true", "draft: false"))
    published = due(blog, now=AFTER_THE_FUTURE_POST)
    assert published.stdout == 'Sent /posts/half-done "Half Done" to 4 readers.\n'
    assert quiet(due(blog, now=AFTER_THE_FUTURE_POST))
    assert received(blog) == {"due-now": ACTIVE, "coming-soon": ACTIVE, "half-done": ACTIVE}


def test_a_post_sent_by_hand_is_not_reopened_by_cron_for_readers_who_join_later(blog):
    sent = run_in_process(blog, "send", "due-now", "--yes")
    assert sent.returncode == 0, sent.stderr
    joined = add_readers(blog, 1)
    tagged = run_in_process(blog, "send", "coming-soon", "--tag", "founding", "--yes")
    assert tagged.returncode == 0, tagged.stderr

    assert quiet(due(blog))
    later = due(blog, now=AFTER_THE_FUTURE_POST)  # a send to some readers stays open to all
    assert later.stdout == ('Sent /posts/coming-soon "Coming Soon" to 4 readers '
                            "(resumed an unfinished run).\n")
    assert received(blog) == {"due-now": ACTIVE, "coming-soon": joined}


def test_editing_renaming_or_re_dating_a_sent_post_does_not_send_it_again(blog):
    due(blog)
    posts = blog / "content" / "posts"
    text = (posts / "due-now.md").read_text()
    (posts / "due-now.md").unlink()
    edited = text.replace("The body of due-now.", "Fixed a typo.").replace("Due Now", "Due Now!")
    (posts / "renamed.md").write_text(edited)
    assert quiet(due(blog))
    (posts / "renamed.md").write_text(edited.replace("2026-11-26T08:00", "2026-11-27T11:00"))
    assert quiet(due(blog))
    (posts / "renamed.md").write_text(edited.replace("2026-11-26T08:00", "2026-12-01T09:00"))
    later = due(blog, now=AFTER_THE_FUTURE_POST)  # its new date has passed too: still not resent
    assert later.stdout == 'Sent /posts/coming-soon "Coming Soon" to 4 readers.\n'
    assert received(blog)["due-now"] == ACTIVE


def test_a_sent_post_whose_file_is_renamed_is_not_sent_again_under_its_new_id(blog):
    # A post without a slug takes its id from its file name (Hugo's and Jekyll's always do)
    posts = blog / "content" / "posts"
    (posts / "due-now.md").write_text((posts / "due-now.md").read_text().replace(
        "slug: /posts/due-now\n", ""))
    assert due(blog).stdout == 'Sent /posts/due-now "Due Now" to 4 readers.\n'
    (posts / "due-now.md").rename(posts / "2026-11-26-due-now.md")
    moved = due(blog)
    assert moved.returncode == 0 and moved.stderr == ""
    assert moved.stdout == (
        'Not sent: /posts/2026-11-26-due-now "Due Now" is /posts/due-now, sent before, under '
        "a new file name or slug (the same title); `newsletter send 2026-11-26-due-now` sends it on "
        "purpose.\n")
    assert quiet(due(blog))
    assert received(blog) == {"due-now": ACTIVE}


def test_a_post_sent_before_the_ledger_kept_titles_is_not_sent_again_once_renamed(blog):
    posts = blog / "content" / "posts"
    (posts / "due-now.md").write_text((posts / "due-now.md").read_text().replace(
        "slug: /posts/due-now\n", ""))
    due(blog)
    with Ledger.open(load_settings(blog, {})) as ledger:  # as an older newsletter left it
        ledger.db.execute("DELETE FROM meta WHERE key LIKE 'sent-%'")
    assert quiet(due(blog))  # this newsletter's first run notes what the site's posts went out as
    (posts / "due-now.md").rename(posts / "2026-11-26-due-now.md")
    assert due(blog).stdout.startswith('Not sent: /posts/2026-11-26-due-now "Due Now" is ')
    assert received(blog) == {"due-now": ACTIVE}


def test_an_old_post_dated_by_its_file_is_not_made_new_by_an_edit(tmp_path):
    # Hexo dates a post without a date by its file's time, which an edit (or a git pull
    # bringing one) moves to now
    root = tmp_path / "hexo"
    hexo_site(root)
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root, since="2026-11-01T00:00:00Z")
    write_readers(root, ["reader@example.org"])

    def write(name: str, text: str, day: str) -> None:
        path = root / "source" / "_posts" / f"{name}.md"
        path.write_text(f"---\ntitle: {name.title()}\n---\n\n{text}\n")
        moment = dt.datetime.fromisoformat(day).timestamp()
        os.utime(path, (moment, moment))

    write("loom-notes", "Notes from before the newsletter.", "2025-06-01T10:00:00+00:00")
    assert quiet(due(root, now="2026-11-20T12:00:00Z"))
    write("loom-notes", "Notes from before the newsletter, typo fixed.",
          "2026-11-25T10:00:00+00:00")
    write("fresh", "A new post, dated by its file too.", "2026-11-26T10:00:00+00:00")
    sent = due(root, now="2026-11-27T12:00:00Z")
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout == 'Sent /fresh "Fresh" to 1 reader.\n'
    assert quiet(due(root, now="2026-11-27T12:00:00Z"))


def test_the_first_run_without_since_records_it_and_sends_nothing_older(blog):
    set_schedule(blog)
    first = due(blog)
    assert first.returncode == 0 and first.stderr == ""
    assert first.stdout == (
        "First run: recorded since = 2026-11-27T12:00+00:00 in the ledger; posts dated before it "
        "are never sent by --due (send one on purpose: newsletter send POST).\n")
    assert not (blog / "outbox").exists()
    assert quiet(due(blog))
    later = due(blog, now=AFTER_THE_FUTURE_POST)
    assert later.stdout == 'Sent /posts/coming-soon "Coming Soon" to 4 readers.\n'
    assert list(received(blog)) == ["coming-soon"]


def test_more_posts_due_than_the_cap_sends_none_and_lists_how_to_send_each(blog):
    # Dated in the past of the real clock too, so that `send POST` (no --now) may send them.
    set_schedule(blog, 'since = "2026-11-01T00:00:00Z"')
    write_post(blog, "due-now", "2026-11-10T08:00:00Z")
    write_post(blog, "also-due", "2026-11-10T10:00:00Z")
    write_post(blog, "and-this", "2026-11-10T11:00:00Z")
    refused = due(blog)
    assert refused.returncode == 1 and refused.stdout == ""
    lines = refused.stderr.splitlines()
    assert lines[0] == (
        "error: 3 posts are due at once, more than [schedule] max_posts_per_run (2): none of "
        "them was sent. Send them on purpose, one by one (or raise max_posts_per_run, or move "
        "[schedule] since):")
    assert [line.split("#")[0].strip() for line in lines[1:]] == [
        "newsletter send /posts/due-now",
        "newsletter send /posts/also-due",
        "newsletter send /posts/and-this"]
    assert not (blog / "outbox").exists()
    shown = due(blog, "--dry-run")
    assert ("A run would send none of them: 3 new posts are more than [schedule] "
            "max_posts_per_run (2). Send them on purpose, one by one (or raise "
            "max_posts_per_run, or move [schedule] since).") in shown.stdout.splitlines()
    # no line above it promises a send the run would refuse
    assert "  would send " not in shown.stdout
    assert '  would NOT send /posts/due-now "Due Now"' in shown.stdout

    # The writer sends one on purpose; the next cron run sends the two left, and not that one.
    assert run_cli(blog, "send", "/posts/due-now", "--yes").returncode == 0
    resumed = due(blog)
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout.splitlines() == ['Sent /posts/also-due "Also Due" to 4 readers.',
                                           'Sent /posts/and-this "And This" to 4 readers.']
    assert received(blog) == {"due-now": ACTIVE, "also-due": ACTIVE, "and-this": ACTIVE}


def test_a_dry_run_shows_what_would_be_sent_and_touches_nothing(blog):
    set_schedule(blog)
    shown = due(blog, "--dry-run", now=AFTER_THE_FUTURE_POST)
    assert shown.returncode == 0
    assert shown.stdout.splitlines() == [
        "Schedule at 2026-12-02T10:00+00:00, sending posts dated from 2026-12-02T10:00+00:00 "
        "(first run: this would be recorded as since).",
        "Nothing is due.",
        "Dry run: nothing sent."]
    set_schedule(blog, 'since = "2026-11-25T00:00:00Z"')
    shown = due(blog, "--dry-run", now=AFTER_THE_FUTURE_POST)
    assert shown.stdout.splitlines()[1:] == [
        '  would send /posts/due-now "Due Now" (2026-11-26T08:00+00:00) to 4 readers',
        '  would send /posts/coming-soon "Coming Soon" (2026-12-01T08:00+00:00) to 4 readers',
        "Dry run: nothing sent."]
    assert not (blog / "outbox").exists() and not (blog / ".newsletter" / "ledger.db").exists()


def test_a_run_while_another_holds_the_site_says_one_line_and_exits_0(blog):
    with site_lock(load_settings(blog, {})):
        skipped = cron(blog)
    assert skipped.returncode == 0 and skipped.stderr == ""
    assert re.fullmatch(r"Skipped: another send is running on this site \(pid \d+\); "
                        r"this run sent nothing\.\n", skipped.stdout)
    assert not (blog / "outbox").exists()


def test_two_runs_started_together_send_each_reader_one_email(blog):
    readers = add_readers(blog, 300)
    set_schedule(blog, 'since = "2026-11-25T00:00:00Z"', "batch_size = 20\nrate_limit = 400\n")
    runs = [subprocess.Popen(due_command(blog), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
            for _ in range(2)]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0, 0]
    sent = f'Sent /posts/due-now "Due Now" to {len(readers)} readers.\n'
    [other] = [out for out, _ in outputs if out != sent]
    # The other run either found the lock taken or, if it came later, nothing left to send.
    assert other == "" or other.startswith("Skipped: another send is running")
    assert [err for _, err in outputs] == ["", ""]
    assert received(blog) == {"due-now": readers}


def test_a_run_killed_mid_send_is_finished_by_the_next_run_without_duplicates(blog):
    readers = add_readers(blog, 600)
    set_schedule(blog, 'since = "2026-11-25T00:00:00Z"',
                 "batch_size = 10\nconcurrency = 1\nrate_limit = 300\n")
    run = subprocess.Popen(due_command(blog), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    folder = blog / "outbox" / "due-now"
    deadline = time.monotonic() + 30
    while len(list(folder.glob("*.eml"))) < 50 and time.monotonic() < deadline:
        time.sleep(0.02)
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert 0 < len(received(blog)["due-now"]) < len(readers)

    # paced only to be killed part-way: the next run finishes at full speed
    set_schedule(blog, 'since = "2026-11-25T00:00:00Z"', "batch_size = 10\nconcurrency = 1\n")
    finished = due(blog)
    with Ledger.open(load_settings(blog, {})) as ledger:
        in_doubt = {d.address for d in ledger.deliveries("/posts/due-now", [State.IN_DOUBT])}
    # If the kill landed mid-batch, the run first settled that batch's readers from the
    # outbox's files (reconcile): nobody is left in doubt, and everyone has exactly one copy.
    assert in_doubt == set() and received(blog)["due-now"] == sorted(readers)
    *reconciled, sent = finished.stdout.splitlines()
    assert sent.startswith('Sent /posts/due-now "Due Now" to ')
    assert sent.endswith(" readers (resumed an unfinished run).")
    assert all(line.startswith("Reconciled /posts/due-now with outbox: ")
               and line.endswith(", 0 still in doubt.") for line in reconciled)
    assert finished.returncode == 0 and finished.stderr == ""
    assert quiet(due(blog))


def test_a_crashed_batch_is_reported_once_and_the_rest_sent(blog):
    with Ledger.open(load_settings(blog, {})) as ledger:
        leave_in_flight(ledger, "/posts/due-now", ["ada@example.com"])
    resumed = due(blog)
    assert resumed.returncode == 1
    assert resumed.stdout == ('Sent /posts/due-now "Due Now" to 3 readers '
                              "(resumed an unfinished run).\n")
    assert resumed.stderr == "error: /posts/due-now: in doubt 1; see `newsletter status due-now`\n"
    assert received(blog) == {"due-now": ACTIVE[1:]}
    assert quiet(due(blog))


def test_readers_left_pending_by_an_outage_are_sent_by_the_next_run(blog):
    due(blog)
    with Ledger.open(load_settings(blog, {})) as ledger:  # as if ada's batch had run out of retries
        ledger.mark("/posts/due-now", ["ada@example.com"], State.PENDING, "not sent: 503")
    (blog / "outbox" / "due-now" / "ada@example.com.eml").unlink()
    resumed = due(blog)
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout == ('Sent /posts/due-now "Due Now" to 1 reader '
                              "(resumed an unfinished run).\n")
    assert received(blog) == {"due-now": ACTIVE}
    assert quiet(due(blog))


def test_a_broken_post_is_reported_without_holding_up_the_due_one(blog):
    (blog / "content" / "posts" / "broken.md").write_text(
        '---\ntitle: Broken\ndate: "soon"\n---\n\nx\n')
    result = cron(blog)
    assert result.returncode == 1
    assert result.stdout == 'Sent /posts/due-now "Due Now" to 4 readers.\n'
    assert result.stderr == (
        "error: content/posts/broken.md:3: date 'soon' is not a date; write it as "
        '"2024-05-01T09:00:00Z" or 2024-05-01 (send --due skips this file until it is fixed)\n')
    assert received(blog) == {"due-now": ACTIVE}


def test_due_takes_no_post(blog):
    result = run_cli(blog, "send", "--due", "due-now")
    assert result.returncode == 2
    assert "--due takes no POST" in result.stderr


def test_a_dry_run_shows_every_time_in_the_site_timezone(blog):
    toml = blog / "newsletter.toml"
    toml.write_text(toml.read_text().replace('timezone = "UTC"', 'timezone = "Europe/Berlin"'))
    set_schedule(blog, "since = 2026-11-25T00:00:00")  # no zone: read in Europe/Berlin
    shown = due(blog, "--dry-run", now="2026-11-27T12:00:00Z")
    assert shown.stdout.splitlines() == [
        "Schedule at 2026-11-27T13:00+01:00, sending posts dated from 2026-11-25T00:00+01:00.",
        '  would send /posts/due-now "Due Now" (2026-11-26T09:00+01:00) to 4 readers',
        "Dry run: nothing sent."]


def test_the_collector_runs_while_a_run_asks_about_readers_in_doubt(blog, monkeypatch):
    # A send collects no cycles from its start until its campaign (sending/collector.py); the
    # lookups before it, one request or more per reader in doubt, must not pile up theirs.
    from newsletter.sending import due as due_run

    with Ledger.open(load_settings(blog, {})) as ledger:
        leave_in_flight(ledger, "/posts/due-now", ["ada@example.com"])
    collecting = []

    def reconcile_posts(*args, **kwargs):
        collecting.append(gc.isenabled())
        return real(*args, **kwargs)

    real = due_run.reconcile_posts
    monkeypatch.setattr(due_run, "reconcile_posts", reconcile_posts)
    due(blog)  # ada stays in doubt: the outbox holds no copy of hers
    assert collecting == [True]
