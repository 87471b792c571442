"""Who left the list and when, from the delivery events (the report's list history), read
through the events' index on both stores."""

from __future__ import annotations

import sqlite3

import pytest
from pg_support import pg_url  # noqa: F401 (a fixture)

from newsletter.sending.events import (
    EVENTS_FILE,
    DeliveryEvent,
    EventStore,
    first_events_query,
)
from newsletter.state import postgres

LEFT = ("unsubscribed", "bounced", "complained")


def some_events() -> list[DeliveryEvent]:
    events = [DeliveryEvent("postmark", f"d{post}-{n}", "delivered", f"r{n}", f"/posts/p{post}",
                            1000.0 + n) for post in range(3) for n in range(40)]
    return events + [
        DeliveryEvent("postmark", "u1", "unsubscribed", "r3", "/posts/p1", 2000.0),
        DeliveryEvent("postmark", "u2", "unsubscribed", "r3", "/posts/p2", 1500.0),
        DeliveryEvent("postmark", "b1", "bounced", "r7", "/posts/p0", 1800.0),
        DeliveryEvent("newsletter", "o1", "unsubscribed", "r9", None, 1700.0),  # one-click
        DeliveryEvent("newsletter", "o2", "unsubscribed", "r3", None, 1400.0),
    ]


@pytest.fixture(params=["files", "postgresql"])
def events(request, tmp_path):
    if request.param == "files":
        store = EventStore(tmp_path)
    else:
        store = EventStore(tmp_path, postgres.Database(request.getfixturevalue("pg_url")),
                           owned=True)
    store.record(some_events())
    yield store
    store.close()


def test_each_readers_first_departure_of_any_post_or_none(events):
    assert events.first_events(LEFT) == {"r3": 1400.0, "r7": 1800.0, "r9": 1700.0}
    assert events.first_events(("bounced",)) == {"r7": 1800.0}


def test_departures_are_searched_post_by_post_not_read_from_every_event(tmp_path):
    # 200 posts to 100,000 readers make 20 million delivered events: the list's history on
    # every /report read them all for the few hundred departures among them.
    store = EventStore(tmp_path)
    store.record(some_events())
    store.close()
    with sqlite3.connect(tmp_path / EVENTS_FILE) as db:
        plan = [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + first_events_query(3),
                                             LEFT * 2)]
    assert any("USING INDEX events_by_post (post_id=? AND kind=?)" in step for step in plan)
    assert not [step for step in plan if step.startswith("SCAN events")], plan
