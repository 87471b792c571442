"""Every provider failure, end to end: send_post, the ledger, the fake's counts, and a rerun.

Six readers go out in two batches of three with two batches in flight; the first request the
fake sees gets the failure, the others succeed. After the run and after a plain rerun, no reader
was accepted twice and every reader is accounted for in the ledger.
"""

from __future__ import annotations

from contextlib import ExitStack

import pytest
from fake_providers import (
    DEFAULTS, DROP, HANGUP, KEYS, OK, cut, fail, partial, provider_environ, render_reference,
    slow, start_fake, write_provider_settings, write_readers, write_settings,
)
from folder_server import serving_folder

from newsletter.config import load_settings
from newsletter.errors import ContentError
from newsletter.sending import Ledger, State
from newsletter.providers import PROVIDERS
from newsletter.sending.retry import RetryPolicy
from newsletter.sending import send_post
from newsletter.state import postgres
from newsletter.subscribers import open_store

READERS = [f"reader{i}@example.com" for i in range(6)]
POST = "/posts/what-matters"
FAST_RETRIES = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05)
HTTP_PROVIDERS = ("postmark", "sendgrid", "mailgun", "resend")

# case -> (behaviour of the first request, ledger after the first run)
SENT_ALL = {State.SENT: 6}
HALF_IN_DOUBT = {State.SENT: 3, State.IN_DOUBT: 3}
CASES = {
    "success": (OK, SENT_ALL),
    "partial failure": (partial(i0=406, i2=300), {State.SENT: 4, State.FAILED: 2}),
    "401": (fail(401), {State.SENT: 3, State.PENDING: 3}),
    # api_url is not the send endpoint (http:// for https://, a wrong path): nothing was sent
    "308 redirect": (fail(308), {State.SENT: 3, State.PENDING: 3}),
    "404": (fail(404), {State.SENT: 3, State.PENDING: 3}),
    # A proxy's login, or a request too large (as every batch of the post would be): nothing
    # was sent, and it is no reader's fault (was: every reader of the batch failed, and the
    # run went on to have every other batch refused alike).
    "407 from a proxy": (fail(407), {State.SENT: 3, State.PENDING: 3}),
    "413": (fail(413), {State.SENT: 3, State.PENDING: 3}),
    # The server stopped waiting before it had the whole request: retried (was: failed).
    "408": (fail(408), SENT_ALL),
    "422": (fail(422, name=300), {State.SENT: 3, State.FAILED: 3}),
    "429 with a retry hint": (fail(429, retry_after=0.05), SENT_ALL),
    # A refusal whose body is cut short still sent nothing: retried (was: in doubt).
    "422 cut short": (cut(422), SENT_ALL),
    "500": (fail(500), HALF_IN_DOUBT),
    "503": (fail(503), HALF_IN_DOUBT),
    "slower than the timeout": (slow(), HALF_IN_DOUBT),
    "connection closed mid-response": (DROP, HALF_IN_DOUBT),
    "connection closed without an answer": (HANGUP, HALF_IN_DOUBT),
}
STOPS = ("401", "308 redirect", "404", "407 from a proxy", "413")
IN_DOUBT_CASES = [case for case, (_, expected) in CASES.items() if expected is HALF_IN_DOUBT]
# Where a provider's docs say otherwise (docs/providers.md): Postmark calls 503 safe to retry, and
# Resend retries an in-doubt batch under the same Idempotency-Key, so it is never sent twice.
SPECIAL = {("postmark", "503"): SENT_ALL, **{("resend", case): SENT_ALL for case in IN_DOUBT_CASES}}
# Only Postmark and Resend report per-message failures inside an accepted batch.
PARTIAL = ("postmark", "resend")
# The timeout where a request is meant to time out (against slow(), which never answers in
# time): the other batch's answer from the fake on this machine takes milliseconds.
SHORT_TIMEOUT = 1.0


class Run:
    """One site, one fake provider, and the runs of send_post against it."""

    def __init__(self, site, provider_name, **settings):
        self.site, self.name = site, provider_name
        self.stack = ExitStack()
        self.server = start_fake(provider_name, KEYS[provider_name])
        self.stack.callback(self.server.close)
        write_readers(site, READERS)
        if provider_name == "resend":  # its batches take no attachments: the blog serves images
            blog = self.stack.enter_context(serving_folder(site / "static" / "newsletter"))
            write_settings(site, "images", mode="hosted", url=blog)
        self.configure(api_url=self.server.url, **settings)

    def configure(self, **settings):
        values = {"name": self.name, **DEFAULTS, "batch_size": 3, "concurrency": 2, **settings}
        if self.name != "mailgun":
            values.pop("domain")
        write_provider_settings(self.site, **values)
        self.settings = load_settings(self.site, provider_environ(self.name))
        self.email = render_reference(self.settings)

    def send(self, **options):
        """send_post on the site's store (its files, or PostgreSQL)."""
        provider = PROVIDERS[self.name](self.settings)
        try:
            with Ledger.open(self.settings) as ledger:
                return send_post(self.settings, self.email, provider,
                                 store=open_store(self.settings), ledger=ledger,
                                 retry=options.pop("retry", FAST_RETRIES), **options)
        finally:
            provider.close()
            postgres.close_all()

    def states(self) -> dict[str, State]:
        with Ledger.open(self.settings) as ledger:
            return {d.address: d.state for d in ledger.deliveries(POST, list(State))}

    def counts(self) -> dict[State, int]:
        counts: dict[State, int] = {}
        for state in self.states().values():
            counts[state] = counts.get(state, 0) + 1
        return counts

    def assert_accounted(self) -> None:
        """Never a reader accepted twice, never one unaccounted, never one sent and not told."""
        states, accepted = self.states(), self.server.accepted
        assert self.server.invalid == []
        assert max(accepted.values(), default=0) <= 1, accepted
        by_state = {s: {a for a, v in states.items() if v == s} for s in State}
        assert by_state[State.SENT] <= set(accepted)
        assert set(accepted) <= by_state[State.SENT] | by_state[State.IN_DOUBT]
        assert "gone@example.com" not in accepted

    def close(self):
        self.stack.close()


@pytest.fixture
def run(site):
    runs = []

    def start(provider_name, **settings):
        runs.append(Run(site, provider_name, **settings))
        return runs[-1]

    yield start
    for each in runs:
        each.close()


MATRIX = [(name, case) for name in HTTP_PROVIDERS for case in CASES
          if case != "partial failure" or name in PARTIAL]


@pytest.mark.parametrize(("provider_name", "case"), MATRIX)
def test_each_failure_leaves_an_honest_ledger_and_a_safe_rerun(run, provider_name, case):
    behaviour, expected = CASES[case]
    expected = SPECIAL.get((provider_name, case), expected)
    campaign = run(provider_name, timeout=SHORT_TIMEOUT)
    campaign.server.enqueue(behaviour)

    first = campaign.send()

    assert campaign.counts() == expected
    assert bool(first.stopped) == (case in STOPS)
    campaign.assert_accounted()

    second = campaign.send()

    after = campaign.counts()
    assert after.get(State.SENT, 0) == 6 - expected.get(State.FAILED, 0) - expected.get(State.IN_DOUBT, 0)
    assert after.get(State.PENDING, 0) == 0 and not second.stopped
    campaign.assert_accounted()


@pytest.mark.parametrize("provider_name", HTTP_PROVIDERS)
def test_an_unreachable_provider_leaves_everyone_pending_for_the_next_run(run, provider_name):
    campaign = run(provider_name)
    live_url = campaign.server.url
    campaign.configure(api_url="http://127.0.0.1:1")  # nothing listens there

    first = campaign.send()

    assert campaign.counts() == {State.PENDING: 6} and first.pending == 6
    campaign.configure(api_url=live_url)
    campaign.send()
    assert campaign.counts() == {State.SENT: 6}
    campaign.assert_accounted()


def test_resend_retries_an_in_doubt_batch_under_its_key_without_a_duplicate(run):
    campaign = run("resend", timeout=SHORT_TIMEOUT)
    campaign.server.enqueue(slow())

    report = campaign.send()

    assert campaign.counts() == SENT_ALL and report.in_doubt == 0
    assert sorted(campaign.server.accepted.values()) == [1] * 6
    campaign.assert_accounted()


def test_resend_in_doubt_after_retries_run_out_is_resent_safely_on_request(run):
    campaign = run("resend")
    for _ in range(2 * FAST_RETRIES.attempts):  # both batches use up their retries
        campaign.server.enqueue(fail(500))
    campaign.send()
    assert campaign.counts() == {State.IN_DOUBT: 6}

    campaign.send(resend_in_doubt=True)

    assert campaign.counts() == SENT_ALL
    assert sorted(campaign.server.accepted.values()) == [1] * 6
    campaign.assert_accounted()


@pytest.mark.parametrize(("provider_name", "tag"), [("sendgrid", "-nl-email-"),
                                                    ("mailgun", "%recipient.email%")])
def test_a_post_holding_a_merge_tag_is_refused_before_anyone_is_claimed(run, provider_name, tag):
    campaign = run(provider_name)
    post = campaign.site / "content" / "posts" / "what-matters.md"
    post.write_text(post.read_text().replace("Three years ago", f"Write to {tag} three years ago"))
    campaign.configure()

    with pytest.raises(ContentError, match=f"which {provider_name} would replace"):
        campaign.send()

    assert campaign.counts() == {} and not campaign.server.accepted
