"""A post a daily limit spreads over days, as the writer follows it: `status` of each post
while it goes out, and the post edited (its file and address renamed) before the rest of its
readers have it. The example site's four active readers, a limit of 3 a day, the outbox."""

from __future__ import annotations

import pytest

from conftest import invoke
from fake_providers import write_settings
from tests.pg_support import each_store, list_into_store, pg_url  # noqa: F401 (fixtures)

ENV = {"NEWSLETTER_SECRET": "test-secret"}


@pytest.fixture
def going_out(site, each_store):
    """/posts/what-matters sent to 3 of its 4 readers: the daily limit stopped it (each store)."""
    write_settings(site, "provider", name="outbox", daily_limit=3, reserve_for_signups=0)
    list_into_store(site)
    run = invoke(site, "send", "--due", "--now", "2026-11-21T00:00Z", env=ENV)
    assert run.exit_code == 0 and "Limit reached" in run.output, run.output
    return site


def test_status_of_any_post_while_another_goes_out_under_the_limit(going_out):
    site = going_out
    other = invoke(site, "status", "notes-on-editing", env=ENV)
    assert (other.exit_code, other.output) == (0, "/posts/notes-on-editing: not sent yet.\n")
    this = invoke(site, "status", "what-matters", env=ENV)
    assert this.exit_code == 0, this.output
    assert "/posts/what-matters: sent 3, failed 0, in doubt 0, pending 0, not yet sent 1; " \
        "1 reader left, finishing about" in this.output


def test_a_post_renamed_before_the_limit_let_it_reach_everyone_goes_on_to_the_rest(going_out):
    """Its file and slug renamed mid-send: the reader it had not reached gets it (it was left
    out for good, the rest told to `send` it on purpose, which mails everyone again), and
    nobody gets it twice."""
    site = going_out
    old = site / "content" / "posts" / "what-matters.md"
    old.rename(site / "content" / "posts" / "what-matters-most.md")
    renamed = site / "content" / "posts" / "what-matters-most.md"
    renamed.write_text(renamed.read_text().replace('slug: "/posts/what-matters"',
                                                   'slug: "/posts/what-matters-most"'))
    listed = invoke(site, "posts", env=ENV)
    assert "renamed: going out as /posts/what-matters (send --due sends the rest)" \
        in listed.output, listed.output
    status = invoke(site, "status", env=ENV)
    assert "/posts/what-matters: sent 3, failed 0, in doubt 0, pending 0; renamed " \
        "/posts/what-matters-most (the rest go out under this id); 1 reader left" \
        in status.output, status.output
    write_settings(site, "provider", name="outbox", daily_limit=10, reserve_for_signups=0)
    plan = invoke(site, "send", "--due", "--dry-run", env=ENV)
    assert (plan.exit_code, plan.output.count("  would ")) == (0, 1), plan.output
    assert 'would resume /posts/what-matters "What Matters When You Write Every Week" ' \
        "(2026-11-20T08:30+00:00) to 1 reader\n" in plan.output
    run = invoke(site, "send", "--due", "--now", "2026-11-21T06:00Z", env=ENV)
    assert run.exit_code == 0, run.output
    assert run.output.startswith('Sent /posts/what-matters "What Matters When You Write Every '
                                 'Week" to 1 reader (resumed an unfinished run).\n'), run.output
    got = sorted(eml.name for eml in (site / "outbox").rglob("*.eml"))
    assert got == sorted(f"{address}.eml" for address in (
        "ada@example.com", "grace@example.org", "katherine@example.org", "edsger@example.com"))
    later = invoke(site, "send", "--due", "--now", "2026-11-21T06:05Z", env=ENV)
    assert later.exit_code == 0 and "Sent" not in later.output, later.output  # said once:
    assert later.output.startswith("Not sent: /posts/what-matters-most ")  # it went out

    assert len(list((site / "outbox").rglob("*.eml"))) == 4
