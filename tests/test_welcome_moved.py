"""A reader of the welcome series whose address changed in the list carries on where they were.

Before: the series keeps each reader's place under their address, so a row whose email cell
the writer changed by hand (the reader's new mailbox, same row, same `subscribed_at`) was a new
reader: the series started again from its first post, which they had had already.
"""

from __future__ import annotations

from conftest import invoke
from test_welcome import DAY, ENV, T0, files_blog, new_reader_had_best_a, outbox, write_list  # noqa: F401

from newsletter.config import load_settings
from newsletter.sending import send_due


def test_a_reader_whose_address_was_changed_by_hand_gets_the_next_post_not_the_first(files_blog):
    site = new_reader_had_best_a(files_blog)
    write_list(site, [("moved@example.org", T0 + DAY, "")])  # new@'s row, a new address
    status = invoke(site, "welcome", "status", env=ENV).output  # today: long after T0
    assert "/posts/best-a: sent 1, due now 0, waiting 0" in status, status
    assert "/posts/best-b: sent 0, due now 1, waiting 0" in status, status
    assert not send_due(load_settings(site, ENV), T0 + 5 * DAY).failed
    assert outbox(site) == {"best-a": {"new@example.org"}, "best-b": {"moved@example.org"}}
    assert not send_due(load_settings(site, ENV), T0 + 8 * DAY).failed
    assert outbox(site)["best-c"] == {"moved@example.org"}


def test_a_newcomer_who_joined_at_the_second_a_leaver_did_starts_from_the_first_post(files_blog):
    # new@ unsubscribed (their row stays): a sign-up at the very second they once joined is
    # someone else, who gets the whole series.
    site = new_reader_had_best_a(files_blog)
    write_list(site, [("new@example.org", T0 + DAY, ""), ("other@example.org", T0 + DAY, "")],
               left={"new@example.org"})
    assert not send_due(load_settings(site, ENV), T0 + 5 * DAY).failed
    assert outbox(site) == {"best-a": {"new@example.org", "other@example.org"}}
