"""A post whose slug changed after it was sent is not mailed to everyone again by cron."""

from __future__ import annotations

from conftest import invoke
from pg_support import pg_url, store_site  # noqa: F401 (fixtures)


def test_a_reslugged_post_is_not_sent_again_by_send_due(store_site):
    site = store_site
    assert invoke(site, "send", "what-matters", "--yes").exit_code == 0
    sent = sorted((site / "outbox").rglob("*.eml"))
    post = site / "content" / "posts" / "what-matters.md"
    post.write_text(post.read_text(encoding="utf-8").replace(
        'slug: "/posts/what-matters"', 'slug: "/posts/what-really-matters"'), encoding="utf-8")
    due = invoke(site, "send", "--due")
    assert due.exit_code == 0, due.output
    assert "/posts/what-really-matters" in due.output and "/posts/what-matters, sent" in due.output
    assert "newsletter send what-really-matters" in due.output
    assert sorted((site / "outbox").rglob("*.eml")) == sent
    # Given its old slug back, it is the post that was sent: nothing to send, nothing said.
    post.write_text(post.read_text(encoding="utf-8").replace(
        "/posts/what-really-matters", "/posts/what-matters"), encoding="utf-8")
    again = invoke(site, "send", "--due")
    assert again.exit_code == 0 and again.output == ""
    assert sorted((site / "outbox").rglob("*.eml")) == sent
