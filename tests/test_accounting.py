"""`status` and `posts` count the whole list: readers no run has reached are "not yet sent"."""

from __future__ import annotations

from conftest import invoke
from fake_providers import KEYS, fail, provider_environ, start_fake, write_provider_settings
from sending_support import write_readers


def test_readers_a_stopped_run_never_reached_are_counted_as_not_yet_sent(site):
    addresses = write_readers(site, 120)
    fake = start_fake("postmark", KEYS["postmark"])
    try:
        write_provider_settings(site, name="postmark", api_url=fake.url, batch_size=40,
                                concurrency=1, timeout=10)
        fake.enqueue(fail(401))  # the first batch: the token is refused, the run stops
        result = invoke(site, "send", "what-matters", "--yes", env=provider_environ("postmark"))
        assert result.exit_code == 1
        assert "80 readers not attempted" in result.output

        status = invoke(site, "status", env=provider_environ("postmark"))
        assert status.output == ("/posts/what-matters: sent 0, failed 0, in doubt 0, "
                                 "pending 40, not yet sent 80\n")
        detail = invoke(site, "status", "what-matters", env=provider_environ("postmark"))
        assert detail.output.splitlines()[-1] == (
            "80 not yet sent (active readers no run has reached): newsletter send "
            "what-matters sends them.")
        posts = invoke(site, "posts", env=provider_environ("postmark"))
        assert "sent 0 of 120 (40 pending, 80 not yet sent)" in posts.output

        rerun = invoke(site, "send", "what-matters", "--yes", env=provider_environ("postmark"))
        assert rerun.exit_code == 0, rerun.output
        assert sorted(fake.accepted) == sorted(addresses)
        status = invoke(site, "status", env=provider_environ("postmark"))
        assert status.output == ("/posts/what-matters: sent 120, failed 0, in doubt 0, "
                                 "pending 0, not yet sent 0\n")
    finally:
        fake.close()


def test_sign_ups_after_a_post_went_out_are_not_yet_sent_for_it(site):
    invoke(site, "send", "what-matters", "--yes")
    invoke(site, "subscribers", "add", "late@example.com")
    assert "sent 4 of 5 (1 not yet sent)" in invoke(site, "posts").output
