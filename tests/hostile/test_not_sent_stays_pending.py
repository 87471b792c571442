"""A failure that provably happened before the request left leaves its readers pending.

Before, `provider.timeout = nan` (or any local failure while building or preparing a request)
died inside the worker with a traceback, the batch's readers were marked in doubt though
nothing went out, and the next run said "Nothing left to send".
"""

from __future__ import annotations

import dataclasses
from collections import Counter

from conftest import invoke
from fake_providers import KEYS, provider_environ, start_fake, write_provider_settings
from sending_support import ledger_states, run_send, site_settings, write_readers

from newsletter.config import load_settings
from newsletter.providers import PROVIDERS

ENVIRON = provider_environ("postmark")


def postmark_settings(site, url: str, **provider):
    write_provider_settings(site, name="postmark", api_url=url, timeout=5)
    settings = load_settings(site, ENVIRON)
    changed = dataclasses.replace(settings.provider, **provider)
    return dataclasses.replace(settings, provider=changed)


def test_a_request_that_cannot_be_built_leaves_its_readers_pending_and_nothing_sent(site):
    readers = write_readers(site, 12)
    server = start_fake("postmark", KEYS["postmark"])
    settings = postmark_settings(site, server.url, concurrency=1, batch_size=5)

    class BuildFails(PROVIDERS["postmark"]):
        def build_request(self, messages):
            raise UnicodeEncodeError("utf-8", "\udcff", 0, 1, "surrogates not allowed")

    try:
        broken = BuildFails(settings)
        report = run_send(settings, broken)
        broken.close()
        requests_of_broken_run = server.request_count
        states = Counter(ledger_states(settings).values())
        working = PROVIDERS["postmark"](settings)
        again = run_send(settings, working)
        working.close()
    finally:
        server.close()

    assert requests_of_broken_run == 0
    assert states == {"pending": 5}  # the first batch, recorded; never in doubt
    assert report.stopped.startswith("unexpected error in postmark building a request: "
                                     "UnicodeEncodeError(")
    assert (report.sent, report.in_doubt, report.pending) == (0, 0, 5)
    assert again.sent == 12 and sorted(server.accepted) == sorted(readers)


def test_a_nan_timeout_that_slipped_past_the_settings_sends_nothing_and_stays_pending(site):
    write_readers(site, 3)
    server = start_fake("postmark", KEYS["postmark"])
    settings = postmark_settings(site, server.url, timeout=float("nan"))
    provider = PROVIDERS["postmark"](settings)
    try:
        report = run_send(settings, provider)
    finally:
        provider.close()
        server.close()

    assert server.request_count == 0
    assert set(ledger_states(settings).values()) == {"pending"}
    assert "could not be prepared (ValueError('timeout nan s'))" in report.stopped


def test_a_send_to_an_impossible_api_url_is_refused_before_anyone_is_claimed(site):
    # Once a send that failed to prepare each request (readers left pending); the settings
    # now refuse the address itself, in one line naming its line, before the ledger is opened.
    write_readers(site, 4)
    write_provider_settings(site, name="postmark", api_url="http://:80", timeout=5)

    sent = invoke(site, "send", "what-matters", "--yes", env=ENVIRON)

    assert sent.exit_code == 2
    assert sent.output.startswith("error: newsletter.toml:") and "provider.api_url" in sent.output
    assert "names no host" in sent.output and "Traceback" not in sent.output
    assert "leave provider.api_url out to use the provider's own" in sent.output
    assert not (site / ".newsletter" / "ledger.db").exists()
