"""Preview files: what a post's email looks like, written to disk for a sample reader.

``preview/<name>/email.html``, ``email.txt`` and ``message.eml`` per post, where ``<name>`` is the
last segment of the post's slug, and the post's prepared images in ``preview/<name>/images/``:
``email.html`` and the post's page show those, the files readers will get, whether the email
carries them inline or loads them from the blog (not deployed yet, maybe). ``message.eml`` is the
message exactly as sent. Nothing here sends mail.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
from pathlib import Path

from newsletter.check import Finding
from newsletter.config import Settings
from newsletter.message import sample_message
from newsletter.posts import Post, PostStatus, classify, folder_name, newest_first
from newsletter.preview.dropped import as_clients_show
from newsletter.records import record
from newsletter.render import Email, write_atomically
from newsletter.sending import prepare_post, sendable_by_due, since_of

IMAGES_FOLDER = "images"  # beside each post's preview files


@record(frozen=True)
class Preview:
    """The files written for one post, the rendered email they came from, and its findings."""

    post: Post
    email: Email
    findings: list[Finding]
    paths: tuple[Path, ...]


def posts_to_preview(settings: Settings, posts: list[Post], now: dt.datetime
                     ) -> tuple[list[Post], bool]:
    """The posts previewed by default, and whether they are the fallback: those `send --due`
    could send (as `check` checks them), else the newest ready post, so that there is an
    email to look at (no fallback when none is ready). Not every ready post: sent ones and
    those before since included, a blog of 5,000 posts took four minutes and 300 MB."""
    due = sendable_by_due(settings, posts, now)
    if due:
        return due, False
    ready = [post for post in posts if classify(post, now) is PostStatus.READY]
    return newest_first(ready)[:1], bool(ready)


def checked_email(settings: Settings, post: Post, now: dt.datetime) -> tuple[Email, list[Finding]]:
    """``post`` rendered, and the preflight check's findings, as `send` would find them."""
    email, preflight = prepare_post(settings, post, now, since_of(settings))
    return email, preflight.findings


def local_images(html: str, email: Email, prefix: str) -> str:
    """``html`` showing each of the post's images from ``prefix`` + its name (a file beside the
    preview, or the preview server) instead of a ``cid:`` part or the blog's URL."""
    for image in email.images:
        quoted = html_lib.escape(image.src, quote=True)
        html = html.replace(f'src="{quoted}"', f'src="{prefix}{image.name}"')
    return html


def write_preview(settings: Settings, post: Post, out_dir: Path, now: dt.datetime) -> Preview:
    """Render ``post`` and write its email.html, email.txt, message.eml and images under
    ``out_dir``."""
    email, findings = checked_email(settings, post, now)
    message = sample_message(settings, email)
    folder = out_dir / folder_name(post.name)
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "email.html": as_clients_show(local_images(message.html, email, f"{IMAGES_FOLDER}/")
                                      ).encode("utf-8"),
        "email.txt": message.text.encode("utf-8"),
        "message.eml": message.as_bytes(),
    }
    if email.images:
        (folder / IMAGES_FOLDER).mkdir(exist_ok=True)
        files.update({f"{IMAGES_FOLDER}/{image.name}": image.data for image in email.images})
    paths = []
    for name, data in files.items():
        path = folder / name
        write_atomically(path, data, shared=True)  # a full disk leaves no half-written file
        paths.append(path)
    return Preview(post=post, email=email, findings=findings, paths=tuple(paths))
