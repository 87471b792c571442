"""`newsletter posts` never calls "ready" a post `send --due` will not send."""

from __future__ import annotations

import datetime as dt
import json
import os

from conftest import invoke
from generator_sites import fill_in_settings, hexo_site
from pg_support import pg_url, store_site  # noqa: F401 (fixtures)


def _statuses(site) -> dict[str, str]:
    listed = invoke(site, "posts", "--json")
    return {item["id"]: item["status"] for item in json.loads(listed.output)}


def _send_then_rename(site) -> None:
    """Send the example post by hand, then give it a new slug (a new id)."""
    assert invoke(site, "send", "what-matters", "--yes").exit_code == 0
    post = site / "content" / "posts" / "what-matters.md"
    post.write_text(post.read_text(encoding="utf-8").replace(
        'slug: "/posts/what-matters"', 'slug: "/posts/what-really-matters"'), encoding="utf-8")


def test_a_sent_post_under_a_new_slug_is_not_listed_as_ready(store_site):
    site = store_site
    _send_then_rename(site)
    assert _statuses(site)["/posts/what-really-matters"] == "renamed"
    assert "renamed: sent as /posts/what-matters (not sent by --due)" in invoke(
        site, "posts").output
    assert invoke(site, "send", "--due").exit_code == 0  # it notes the post as sent
    assert _statuses(site)["/posts/what-really-matters"] == "renamed"
    assert not list((site / "outbox").rglob("what-really-matters*"))


def test_an_old_post_dated_by_its_file_and_edited_is_not_listed_as_ready(tmp_path):
    root = tmp_path / "hexo"
    hexo_site(root)
    assert invoke(root, "init").exit_code == 0
    fill_in_settings(root, since="2026-11-01T00:00:00Z")  # no readers: nothing is sent
    path = root / "source" / "_posts" / "loom-notes.md"
    path.write_text("---\ntitle: Loom Notes\n---\n\nNotes from before the newsletter.\n")
    old = dt.datetime(2025, 6, 1, 10, tzinfo=dt.timezone.utc).timestamp()
    os.utime(path, (old, old))
    assert invoke(root, "send", "--due", "--now", "2026-11-20T12:00:00Z").exit_code == 0
    path.write_text("---\ntitle: Loom Notes\n---\n\nNotes from before the newsletter, fixed.\n")
    assert _statuses(root)["/loom-notes"] == "before-since"


def test_the_preview_index_says_renamed_as_posts_does(site):
    from newsletter.config import load_settings
    from newsletter.preview.pages import SERVER_LINKS, index_page

    _send_then_rename(site)
    page = index_page(load_settings(site, {}), dt.datetime.now(dt.timezone.utc), SERVER_LINKS)
    assert ('<span class="status status-renamed">renamed: sent as /posts/what-matters (not '
            'sent by --due)</span>') in page


def test_a_post_send_due_found_no_readers_for_is_not_ready_nor_before_since(site):
    (site / "subscribers" / "subscribers.csv").write_text("email,name,status,tags,subscribed_at\n")
    assert "readers who join later do not get it" in invoke(site, "send", "--due").output
    assert _statuses(site)["/posts/what-matters"] == "sent"
    assert "sent to nobody (no active readers then)" in invoke(site, "posts").output


def test_status_of_a_renamed_post_names_the_id_it_went_out_as(site):
    _send_then_rename(site)
    assert invoke(site, "status", "what-really-matters").output == (
        "/posts/what-really-matters: sent as /posts/what-matters before its file or slug was "
        "renamed (newsletter status /posts/what-matters); send --due does not send it again.\n")
    assert invoke(site, "status").output == (
        "/posts/what-matters: sent 4, failed 0, in doubt 0, pending 0; renamed "
        "/posts/what-really-matters (not sent again)\n")
    # the id it names shows that post's figures (its short name is the renamed file's too)
    assert invoke(site, "status", "/posts/what-matters").output.startswith(
        "/posts/what-matters: sent 4, failed 0, in doubt 0, pending 0")
