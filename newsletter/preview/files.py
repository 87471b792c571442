"""Preview files: what a post's email looks like, written to disk for a sample reader.

``preview/<name>/email.html``, ``email.txt`` and ``message.eml`` per post, where ``<name>`` is the
last segment of the post's slug. Nothing here sends mail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from newsletter.config import Settings
from newsletter.posts import Post, PostStatus, classify
from newsletter.message import sample_message
from newsletter.render import Email, render_post

# Posts previewed when none is named: everything that is or will be sent.
PREVIEWED_STATUSES = (PostStatus.READY, PostStatus.SCHEDULED)


@dataclass(frozen=True)
class Preview:
    """The files written for one post, and the rendered email they came from."""

    post: Post
    email: Email
    paths: tuple[Path, ...]


def posts_to_preview(posts: list[Post], now: dt.datetime) -> list[Post]:
    """The posts previewed by default: ready or scheduled newsletters, not drafts or pages."""
    return [post for post in posts if classify(post, now) in PREVIEWED_STATUSES]


def write_preview(settings: Settings, post: Post, out_dir: Path) -> Preview:
    """Render ``post`` and write its email.html, email.txt and message.eml under ``out_dir``."""
    email = render_post(settings, post)
    message = sample_message(settings, email)
    folder = out_dir / post.name
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "email.html": message.html.encode("utf-8"),
        "email.txt": message.text.encode("utf-8"),
        "message.eml": message.as_bytes(),
    }
    paths = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return Preview(post=post, email=email, paths=tuple(paths))
