"""Times as a provider's search writes them, with a zone or without: `reconcile` reads both.
Resend's list of emails writes ``+00`` (its reference) and could write none at all."""

from __future__ import annotations

import pytest
from fake_providers import provider_environ
from test_provider_matrix import POST, run  # noqa: F401 (run is a fixture)
from test_reconcile import FIRST_BATCH, TAKEN_AT_ONCE, in_doubt_first_batch, provider_ids

from conftest import invoke
from newsletter.sending import State


@pytest.mark.parametrize("zone", ["+00", ""], ids=["short-zone", "no-zone"])
def test_resends_list_is_read_whichever_way_it_writes_the_zone(run, zone):  # noqa: F811
    """Before, a created_at with no zone failed the whole lookup ("unreadable created_at"):
    every reader stayed in doubt. A time without one is UTC, as Resend keeps them."""
    campaign = in_doubt_first_batch(run, "resend", TAKEN_AT_ONCE)
    campaign.server.resend_zone = zone

    result = invoke(campaign.site, "reconcile", "--settle", "0",
                    env=provider_environ("resend"))

    assert result.exit_code == 0, result.output
    assert f"{POST}: 3 in doubt; 3 found at resend (now sent)" in result.output
    assert campaign.counts() == {State.SENT: 6}
    logged = {e.address: e.provider_id for e in campaign.server.sent_log.entries}
    assert {a: provider_ids(campaign)[a] for a in FIRST_BATCH} == {a: logged[a] for a in FIRST_BATCH}
