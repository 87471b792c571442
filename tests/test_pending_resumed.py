"""Readers a finished campaign left pending are sent by the next `send --due`, whatever ran in
between: a run a sending limit cut short, or a `--tag` run to another segment."""

from __future__ import annotations

import datetime as dt

from conftest import invoke
from sending_support import (
    REFERENCE_POST,
    FlakyProvider,
    RecordingProvider,
    ledger_states,
    run_send,
    site_settings,
)

from newsletter.sending import Budget, Ledger, finish_if_walked


def outage_leaves_everyone_pending(site) -> None:
    """A `send POST` during a provider outage: it walks the whole list, all of it pending."""
    settings = site_settings(site)
    report = run_send(settings, FlakyProvider(settings, failures=1000))
    with Ledger.open(settings) as ledger:
        finish_if_walked(ledger, REFERENCE_POST, report, dt.datetime.now(dt.timezone.utc))
    assert set(ledger_states(settings).values()) == {"pending"}


def sent_by_due(site) -> list[str]:
    result = invoke(site, "send", "--due")
    assert result.exit_code == 0, result.output
    return sorted(path.stem for path in (site / "outbox").rglob("*.eml"))


def test_a_run_cut_short_by_a_limit_leaves_the_rest_pending_for_send_due(site):
    outage_leaves_everyone_pending(site)
    limited = site_settings(site, hourly_limit=2, batch_size=1)
    budget = Budget.open(limited, dt.datetime.now(dt.timezone.utc))
    try:
        report = run_send(limited, RecordingProvider(limited), budget=budget)
    finally:
        budget.close()
    assert report.sent == 2 and report.limit_reached
    waiting = sorted(a for a, state in ledger_states(limited).items() if state == "pending")
    assert len(waiting) == 2
    assert sent_by_due(site) == waiting
    assert set(ledger_states(limited).values()) == {"sent"}


def test_a_tag_run_to_another_segment_leaves_the_others_pending_for_send_due(site):
    outage_leaves_everyone_pending(site)
    assert invoke(site, "send", "what-matters", "--tag", "math", "--yes").exit_code == 0
    assert sent_by_due(site) == ["ada@example.com", "edsger@example.com", "grace@example.org",
                                 "katherine@example.org"]  # katherine by the --tag run
    assert set(ledger_states(site_settings(site)).values()) == {"sent"}


def test_status_counts_a_finished_posts_pending_readers_left_not_the_readers_who_joined_since(
        site):
    from fake_providers import write_provider_settings

    outage_leaves_everyone_pending(site)  # the 4 readers of the list, the post walked
    assert invoke(site, "subscribers", "add", "newcomer@example.net").exit_code == 0
    write_provider_settings(site, name="outbox", daily_limit=100)
    status = invoke(site, "status")
    assert "pending 4, not yet sent 1; 4 readers left, finishing about" in status.output, \
        status.output
    assert sent_by_due(site) == ["ada@example.com", "edsger@example.com", "grace@example.org",
                                 "katherine@example.org"]  # not newcomer@: it went out before
