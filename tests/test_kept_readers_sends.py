"""The kept readers (.newsletter/list_readers.jsonl) across real sends: whoever left between
two sends (by a one-click, which only the journal holds yet, or by an edit of the CSV) never
gets the next post; a rotated secret puts tokens of the new secret in every link; tags and
`send --to` reach whom they name. Each send is `newsletter send` into the outbox."""

from __future__ import annotations

import email
import email.policy
import os
from pathlib import Path
from urllib.parse import urlsplit

import requests
from conftest import invoke
from web_server import serving

from newsletter.config import load_settings
from newsletter.web import NewsletterApp

READERS = [f"r{n}@example.com" for n in range(6)]
OLD, NEW = "o" * 32, "n" * 32


def write_list(site: Path, statuses: dict[str, str] | None = None,
               tags: dict[str, str] | None = None) -> None:
    """The list, its file last changed a minute ago (a read of files changed just now is not
    kept)."""
    statuses, tags = statuses or {}, tags or {}
    path = site / "subscribers" / "subscribers.csv"
    path.write_text("email,name,status,tags\n" + "".join(
        f"{address},Reader {n},{statuses.get(address, 'active')},{tags.get(address, '')}\n"
        for n, address in enumerate(READERS)))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - 60 * 10**9))


def write_post(site: Path, name: str) -> None:
    (site / "content" / "posts" / f"{name}.md").write_text(
        f'---\ntitle: "{name.title()}"\ndate: "2026-12-01T00:00:00Z"\nslug: /posts/{name}\n'
        f"description: About {name}.\n---\n\nThe body of {name}.\n")


def send(site: Path, post: str, *options: str, secret: str = OLD) -> dict:
    """Send ``post``; the messages it wrote, by reader."""
    result = invoke(site, "send", post, "--yes", *options, env={"NEWSLETTER_SECRET": secret})
    assert result.exit_code == 0, result.output
    return {path.stem: email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in (site / "outbox" / post).glob("*.eml")}


def unsubscribe_path(message) -> str:
    return urlsplit(message["List-Unsubscribe"].split(",")[0].strip(" <>")).path


def kept(site: Path) -> bool:
    return (site / ".newsletter" / "list_readers.jsonl").exists()


def test_who_left_between_two_sends_never_gets_the_next_post(site):
    write_list(site)
    for post in ("second", "third"):
        write_post(site, post)
    first = send(site, "what-matters")
    assert sorted(first) == READERS and kept(site)
    app = NewsletterApp(load_settings(site, {"NEWSLETTER_SECRET": OLD}))
    with serving(app) as base:  # r1 clicks the one-click link of the first post
        answer = requests.post(base + unsubscribe_path(first["r1@example.com"]),
                               data={"List-Unsubscribe": "One-Click"}, timeout=30)
    assert answer.status_code == 200
    second = send(site, "second")
    assert sorted(second) == sorted(set(READERS) - {"r1@example.com"})
    write_list(site, {"r1@example.com": "unsubscribed", "r2@example.com": "unsubscribed"})
    third = send(site, "third")
    assert sorted(third) == sorted(set(READERS) - {"r1@example.com", "r2@example.com"})


def test_after_the_secret_is_rotated_every_link_carries_a_token_of_the_new_secret(site):
    write_list(site)
    write_post(site, "second")
    send(site, "what-matters", secret=OLD)
    assert kept(site)
    second = send(site, "second", secret=NEW)
    assert sorted(second) == READERS
    new_app = NewsletterApp(load_settings(site, {"NEWSLETTER_SECRET": NEW}))
    old_app = NewsletterApp(load_settings(site, {"NEWSLETTER_SECRET": OLD}))
    with serving(new_app) as new, serving(old_app) as old:
        for address, message in second.items():
            path = unsubscribe_path(message)
            assert requests.get(new + path, timeout=30).status_code == 200, address
            assert requests.get(old + path, timeout=30).status_code == 403, address
            answer = requests.post(new + path, data={"List-Unsubscribe": "One-Click"},
                                   timeout=30)
            assert answer.status_code == 200 and address in answer.text


def test_tags_and_send_to_reach_whom_they_name_after_a_kept_send(site):
    write_list(site, tags={"r3@example.com": "vip", "r4@example.com": "VIP;other"})
    write_post(site, "second")
    assert sorted(send(site, "what-matters")) == READERS and kept(site)
    assert sorted(send(site, "second", "--tag", "vip")) == ["r3@example.com", "r4@example.com"]
    assert sorted(send(site, "second")) == READERS  # the others, once each
    write_post(site, "third")
    assert send(site, "third", "--to", "editor@example.net") == {}  # a test send: aside
    assert [path.name for path in (site / "outbox" / "third" / "test-sends").iterdir()] == [
        "editor@example.net.eml"]
    assert sorted(send(site, "third")) == READERS
