"""Segments: `send POST --tag` and a post's `newsletter_tags` reach only readers with one of those
tags; a later send without tags reaches the rest, each reader once."""

from __future__ import annotations

import sqlite3
from urllib.parse import unquote

from conftest import invoke

LIST = ("email,name,status,tags\n"
        "weekly@example.com,W,active,Weekly\n"       # tags compare ignoring case
        "paid@example.com,P,active,\"paid,other\"\n"
        "both@example.com,B,active,weekly;paid\n"
        "plain@example.com,N,active,\n"
        "gone@example.com,G,unsubscribed,weekly\n")


def mailed(site) -> list[str]:
    folder = site / "outbox" / "what-matters"
    return sorted(unquote(path.stem) for path in folder.glob("*.eml"))


def segment_site(site):
    (site / "subscribers" / "subscribers.csv").write_text(LIST)
    return site


def test_send_with_tags_reaches_the_segment_and_a_full_send_the_rest_once(site):
    segment_site(site)
    dry = invoke(site, "send", "what-matters", "--tag", "weekly", "--tag", "PAID", "--dry-run")
    assert "Recipients: 3 (tagged weekly, PAID)" in dry.output
    first = invoke(site, "send", "what-matters", "--tag", "weekly", "--tag", "paid", "--yes")
    assert first.exit_code == 0, first.output
    assert mailed(site) == ["both@example.com", "paid@example.com", "weekly@example.com"]
    again = invoke(site, "send", "what-matters", "--tag", "weekly", "--yes")
    assert "Nothing left to send: every subscriber tagged weekly has" in again.output
    status = invoke(site, "status", "what-matters")
    assert status.output.splitlines()[0] == (
        "/posts/what-matters: sent 3, failed 0, in doubt 0, pending 0, not yet sent 1")
    assert "to readers tagged weekly, paid" in status.output
    full = invoke(site, "send", "what-matters", "--yes")
    assert "Sent 1, failed 0" in full.output
    assert mailed(site) == ["both@example.com", "paid@example.com", "plain@example.com",
                            "weekly@example.com"]
    with sqlite3.connect(site / ".newsletter" / "ledger.db") as db:
        runs = db.execute("SELECT segment FROM runs ORDER BY id").fetchall()
    assert runs == [('["weekly", "paid"]',), (None,)]


def test_newsletter_tags_in_front_matter_segment_send_due_and_send(site):
    segment_site(site)
    post = site / "content" / "posts" / "what-matters.md"
    post.write_text(post.read_text().replace('template: "post"',
                                             'template: "post"\nnewsletter_tags: [paid]'))
    due = invoke(site, "send", "--due", "--now", "2026-11-21T00:00Z")
    assert due.exit_code == 0, due.output
    assert mailed(site) == ["both@example.com", "paid@example.com"]
    posts = invoke(site, "posts")
    assert "sent 2 of 2 " in posts.output  # the segment is the whole audience of the post
    assert "Nothing left to send" in invoke(site, "send", "what-matters", "--yes").output
    full = invoke(site, "send", "what-matters", "--tag", "weekly", "--yes")
    assert "Sent 1," in full.output  # weekly@ only: both@ has it already
    assert mailed(site) == ["both@example.com", "paid@example.com", "weekly@example.com"]
