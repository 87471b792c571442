"""`send` and `send --due` run the preflight check first, and surprises in the schedule speak up.

Through the real CLI, with the outbox and a real ledger: in subprocesses for one test of each
command (`send`, `send --due`, `check`, `posts`), in-process where a test runs it many times.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image
from conftest import REFERENCE_POST, run_cli, run_in_process

from newsletter.config import load_settings
from newsletter.sending import Ledger

FIXTURES = Path(__file__).parent / "fixtures" / "check"
SINCE = "2026-11-25T00:00:00Z"
NOW = "2026-11-27T12:00:00Z"


def add(site: Path, fixture: str, date: str | None = None) -> str:
    text = (FIXTURES / f"{fixture}.md").read_text()
    if date:
        text = text.replace("2026-11-02T09:00:00Z", date)
    (site / "content" / "posts" / f"{fixture}.md").write_text(text)
    return fixture


def ledger_posts(site: Path) -> set[str]:
    """The posts the ledger holds any row for."""
    ledger = Ledger.open_existing(load_settings(site, {}))
    if ledger is None:
        return set()
    with ledger:
        return set(ledger.counts())


def schedule(site: Path, since: str = SINCE) -> None:
    toml = site / "newsletter.toml"
    toml.write_text(toml.read_text().replace("since = 2026-01-01T00:00:00Z", f'since = "{since}"'))


@pytest.fixture
def blog(site):
    """The example site with `since` just before a post that is due and clean."""
    (site / "content" / "posts" / "what-matters.md").unlink()
    schedule(site)
    add(site, "clean", "2026-11-26T08:00:00Z")
    return site


def test_send_refuses_a_post_with_an_error_before_anyone_is_claimed(site):
    add(site, "link_javascript")
    for args in (["--yes"], ["--dry-run"]):
        result = run_cli(site, "send", "link_javascript", *args)
        assert result.returncode == 2
        assert result.stderr.splitlines() == [
            "error: content/posts/link_javascript.md:9: link-javascript: the link \"here\" runs a "
            "script (javascript:alert(1)); email clients strip it and spam filters distrust it; "
            "link to a web page",
            "error: /posts/link_javascript not sent: 1 error above; fix them and run "
            "`newsletter check link_javascript`",
        ]
        assert "Recipients" not in result.stdout
    assert "/posts/link_javascript" not in ledger_posts(site)
    assert not (site / "outbox").exists()


def test_a_test_send_goes_anyway_and_says_a_real_one_would_not(site, tmp_path):
    add(site, "link_javascript")
    result = run_in_process(site, "send", "link_javascript", "--to", "me@example.com")
    assert result.returncode == 0, result.stderr
    assert ("note: a real send refuses /posts/link_javascript until the 1 error above is fixed; "
            "this test copy goes anyway.") in result.stderr
    assert list((site / "outbox").glob("*/test-sends/*.eml"))


def test_warnings_are_printed_once_and_the_post_goes_out(site):
    add(site, "link_fragment")
    result = run_in_process(site, "send", "link_fragment", "--yes")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("link-fragment") == 1
    assert "Sent 4, failed 0, in doubt 0, pending 0." in result.stdout
    assert "/posts/link_fragment" in ledger_posts(site)


def test_send_due_holds_back_a_post_with_an_error_and_sends_the_others(blog):
    add(blog, "link_javascript", "2026-11-26T09:00:00Z")
    first = run_in_process(blog, "send", "--due", "--now", NOW)
    assert first.returncode == 1
    assert first.stdout == 'Sent /posts/clean "Everything Fine" to 4 readers.\n'
    assert first.stderr == (
        "error: /posts/link_javascript not sent: content/posts/link_javascript.md:9: "
        "link-javascript: the link \"here\" runs a script (javascript:alert(1)); email clients "
        "strip it and spam filters distrust it; link to a web page\n")
    assert ledger_posts(blog) == {"/posts/clean"}
    again = run_in_process(blog, "send", "--due", "--now", NOW)  # said on every run until fixed
    assert again.returncode == 1 and again.stdout == "" and again.stderr == first.stderr
    post = blog / "content" / "posts" / "link_javascript.md"
    post.write_text(post.read_text().replace("[here](javascript:alert(1))",
                                             "[the example](https://example.org/)"))
    fixed = run_in_process(blog, "send", "--due", "--now", NOW)
    assert fixed.returncode == 0 and fixed.stderr == ""
    assert fixed.stdout == 'Sent /posts/link_javascript "A Script Link" to 4 readers.\n'


def test_send_due_prints_warnings_on_the_run_that_sends_only(blog):
    add(blog, "link_fragment", "2026-11-26T09:00:00Z")
    first = run_cli(blog, "send", "--due", "--now", NOW)
    assert first.returncode == 0
    assert first.stderr.count("\n") == 1 and first.stderr.startswith(
        "warning: content/posts/link_fragment.md:9: link-fragment: ")
    second = run_cli(blog, "send", "--due", "--now", NOW)
    assert (second.returncode, second.stdout, second.stderr) == (0, "", "")


def test_a_dry_run_renders_and_checks_what_it_would_send(blog):
    add(blog, "link_fragment", "2026-11-26T09:00:00Z")
    result = run_in_process(blog, "send", "--due", "--dry-run", "--now", NOW)
    assert result.returncode == 0
    assert '  would send /posts/clean "Everything Fine" (2026-11-26T08:00+00:00) to 4 readers' \
        in result.stdout
    assert "warning: content/posts/link_fragment.md:9: link-fragment:" in result.stderr
    assert ledger_posts(blog) == set()


def test_a_dry_run_fails_when_the_real_run_would(blog):
    (blog / "templates" / "email.css").unlink()
    result = run_in_process(blog, "send", "--due", "--dry-run", "--now", NOW)
    assert result.returncode == 1
    assert '  would NOT send /posts/clean "Everything Fine"' in result.stdout
    assert result.stderr == ("error: /posts/clean not sent: templates/email.css: template file not "
                             "found; run `newsletter init` to restore it\n")
    assert result.stdout.endswith("Dry run: nothing sent.\n")


def test_a_dry_run_fails_on_a_broken_post_file(blog):
    (blog / "content" / "posts" / "broken.md").write_text("---\ntitle: x\n---\n\nNo date.\n")
    result = run_in_process(blog, "send", "--due", "--dry-run", "--now", NOW)
    assert result.returncode == 1
    assert "error: content/posts/broken.md: no date" in result.stderr


def test_a_dry_run_fails_when_the_provider_could_not_start(blog):
    toml = blog / "newsletter.toml"
    toml.write_text(toml.read_text().replace('name = "outbox"', 'name = "postmark"'))
    result = run_in_process(blog, "send", "--due", "--dry-run", "--now", NOW)
    assert result.returncode == 2
    assert result.stderr.startswith(
        "error: environment: provider-setup: NEWSLETTER_SECRET is not set")
    assert "POSTMARK_SERVER_TOKEN is not set" in result.stderr  # every missing secret at once


def test_now_later_than_the_clock_needs_dry_run(blog):
    refused = run_in_process(blog, "send", "--due", "--now", "2999-12-05T09:30")
    assert refused.returncode == 2
    assert refused.stderr == (
        "error: --now 2999-12-05T09:30 is later than the current time, and a real run would "
        "send early what is due then; add --dry-run to see what a run at that time would send\n")
    assert not (blog / "outbox").exists() and ledger_posts(blog) == set()
    looked = run_in_process(blog, "send", "--due", "--now", "2999-12-05T09:30", "--dry-run")
    assert looked.returncode == 0 and "would send /posts/clean" in looked.stdout


def test_posts_says_which_posts_send_due_will_never_send(site):
    add(site, "date_before_since")
    result = run_cli(site, "posts")
    assert result.returncode == 0
    row = next(line for line in result.stdout.splitlines() if "/posts/date_before_since" in line)
    assert row.startswith("before since (not sent by --due)  2025-12-09")
    reference = next(line for line in result.stdout.splitlines() if REFERENCE_POST in line)
    assert reference.startswith("ready ")


def test_a_post_before_since_can_still_be_sent_on_purpose(site):
    add(site, "date_before_since")
    result = run_in_process(site, "send", "date_before_since", "--yes")
    assert result.returncode == 0
    assert "warning: content/posts/date_before_since.md:3: date-before-since: dated 2025-12-09 " \
           "09:00 UTC, before [schedule] since (2026-01-01 00:00 UTC): send --due never sends it" \
        in result.stderr
    # no advice to run the command that is running
    assert "otherwise only `newsletter send date_before_since` sends it" in result.stderr
    assert "to send it anyway" not in result.stderr


def lumen_site(site: Path, front_matter: str) -> Path:
    """A Gatsby "Lumen" blog: content/posts/<date>---<name>/index.md, its image beside it."""
    shutil.rmtree(site / "content")
    folder = site / "content" / "posts" / "2026-12-02---hello-subscribers"
    folder.mkdir(parents=True)
    Image.new("RGB", (800, 600), (90, 120, 150)).save(folder / "photo.jpg")
    (folder / "index.md").write_text(
        f"---\n{front_matter}---\n\nHello, and welcome.\n\n![The harbour at dawn](./photo.jpg)\n")
    return folder / "index.md"


LUMEN_FRONT_MATTER = """title: "Hello, Subscribers"
date: "2026-12-02T08:00:00.000Z"
template: "post"
draft: false
slug: "/posts/hello-subscribers"
category: "News"
tags:
  - "Newsletter"
description: "The first letter."
"""


def test_a_lumen_post_is_checked_by_its_folder_name(site):
    lumen_site(site, LUMEN_FRONT_MATTER)
    for name in ("hello-subscribers", "2026-12-02---hello-subscribers"):
        result = run_in_process(site, "check", name)
        assert (result.returncode, result.stdout) == (0, ""), result.stdout
        assert result.stderr == "Checked 1 post: nothing found.\n"


def test_a_broken_lumen_post_named_by_its_folder_says_what_is_wrong(site):
    lumen_site(site, LUMEN_FRONT_MATTER.replace('title: "Hello, Subscribers"', "title: Hello: you"))
    for command in (["send", "hello-subscribers", "--yes"], ["check", "hello-subscribers"]):
        result = run_cli(site, *command)
        assert result.returncode == 2
        assert "content/posts/2026-12-02---hello-subscribers/index.md:2: " in result.stdout + result.stderr
        assert "no post named" not in result.stderr


def test_a_date_before_since_names_the_zone_it_is_shown_in(site):
    """cron's clock and the site's may be in different zones: the times say which."""
    settings_file = site / "newsletter.toml"
    settings_file.write_text(settings_file.read_text().replace('timezone = "UTC"',
                                                               'timezone = "Europe/Berlin"'))
    add(site, "date_before_since")
    result = run_in_process(site, "check", "date_before_since")
    assert "date-before-since: dated 2025-12-09 10:00 CET, before [schedule] since " \
           "(2026-01-01 01:00 CET)" in result.stdout + result.stderr
