"""A post a daily limit spreads over days, as the writer follows it: `status` of each post
while it goes out, and the post edited (its file and address renamed) before the rest of its
readers have it. The example site's four active readers, a limit of 3 a day, the outbox."""

from __future__ import annotations

import pytest

from conftest import invoke
from fake_providers import write_settings

ENV = {"NEWSLETTER_SECRET": "test-secret"}


@pytest.fixture
def going_out(site):
    """/posts/what-matters sent to 3 of its 4 readers: the daily limit stopped it."""
    write_settings(site, "provider", name="outbox", daily_limit=3, reserve_for_signups=0)
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
