"""`reconcile` when the provider's search API rate-limits it: a 429 is waited out as the
provider says (Retry-After; SendGrid's X-RateLimit-Reset), then the search goes on to the same
end as without one; a wait longer than reconcile keeps leaves the readers in doubt, saying when
to run it again. Nobody is ever sent a second copy."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import re
import time

import pytest
from fake_providers import provider_environ
from test_provider_matrix import HTTP_PROVIDERS, POST, run  # noqa: F401 (run is a fixture)
from test_reconcile import TAKEN_AT_ONCE, in_doubt_first_batch, reconcile

from conftest import invoke
from newsletter.sending import State


def too_many(name: str, seconds: int) -> tuple[int, dict, dict]:
    """A 429 as the provider answers it, asking for ``seconds``."""
    if name == "sendgrid":
        return 429, {"X-RateLimit-Reset": str(int(time.time()) + seconds)}, {
            "errors": [{"message": "too many requests"}]}
    if name == "resend":
        return 429, {"retry-after": str(seconds)}, {
            "statusCode": 429, "name": "rate_limit_exceeded", "message": "Too many requests."}
    return 429, {"Retry-After": str(seconds)}, {"message": "Too many requests", "ErrorCode": 429}


@pytest.fixture(autouse=True)
def quick_pace(monkeypatch):
    """SendGrid's documented 10 s between reads, shortened (still paced)."""
    module = importlib.import_module("newsletter.providers.sendgrid")
    monkeypatch.setattr(module, "LOOKUP", dataclasses.replace(module.LOOKUP, interval=0.1))


@pytest.mark.parametrize("name", HTTP_PROVIDERS)
def test_a_429_is_waited_out_and_the_search_ends_as_without_it(run, name):  # noqa: F811
    campaign = in_doubt_first_batch(run, name, TAKEN_AT_ONCE)
    campaign.server.lookup_queue.extend([too_many(name, 1)] * 2)

    result = reconcile(campaign, "--settle", "0")

    assert result.exit_code == 0, result.output
    assert campaign.counts() == {State.SENT: 6}
    assert not campaign.server.lookup_queue  # both 429s were read, and waited out
    assert invoke(campaign.site, "send", POST.rpartition("/")[2], "--yes",
                  env=provider_environ(name)).exit_code == 0
    assert sorted(campaign.server.accepted) == sorted(set(campaign.server.accepted))


@pytest.mark.parametrize("name", HTTP_PROVIDERS)
def test_a_429_asking_for_an_hour_leaves_them_in_doubt_saying_when(run, name):  # noqa: F811
    campaign = in_doubt_first_batch(run, name, TAKEN_AT_ONCE)
    campaign.server.lookup_queue.append(too_many(name, 3600))

    asked = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)
    result = reconcile(campaign, "--settle", "0")

    assert result.exit_code == 1
    assert campaign.counts() == {State.SENT: 3, State.IN_DOUBT: 3}
    when = re.search(r"429: .*; it asks reconcile to wait: run it again after "
                     r"(\d{4}-\d\d-\d\d \d\d:\d\d) UTC", result.output)
    assert when, result.output
    after = dt.datetime.strptime(when[1], "%Y-%m-%d %H:%M").replace(tzinfo=dt.timezone.utc)
    assert asked - dt.timedelta(minutes=1) <= after <= asked + dt.timedelta(minutes=2)
    status = invoke(campaign.site, "status", POST, env=provider_environ(name)).output
    assert f"run it again after {when[1]} UTC" in status  # the reason stays with the readers
