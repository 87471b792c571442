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
from dataclasses import dataclass
from pathlib import Path

from newsletter.config import Settings
from newsletter.posts import Post, PostStatus, classify
from newsletter.message import DEVELOPMENT_SECRET, Message, MessageFactory
from newsletter.render import Email, render_post


SAMPLE_ADDRESS = "reader@example.org"
SAMPLE_NAME = "Sample Reader"
# Posts previewed when none is named: everything that is or will be sent.
PREVIEWED_STATUSES = (PostStatus.READY, PostStatus.SCHEDULED)
IMAGES_FOLDER = "images"  # beside each post's preview files


@dataclass(frozen=True)
class Preview:
    """The files written for one post, and the rendered email they came from."""

    post: Post
    email: Email
    paths: tuple[Path, ...]


def posts_to_preview(posts: list[Post], now: dt.datetime) -> list[Post]:
    """The posts previewed by default: ready or scheduled newsletters, not drafts or pages."""
    return [post for post in posts if classify(post, now) in PREVIEWED_STATUSES]


def sample_message(settings: Settings, email: Email) -> Message:
    """The message as the sample reader would get it, built exactly as `send` builds one."""
    # Signed with the real secret when set, so the preview's unsubscribe link works on a deployed
    # endpoint; a preview never refuses to run for want of a secret.
    secret = settings.secrets.get("NEWSLETTER_SECRET") or DEVELOPMENT_SECRET
    return MessageFactory(settings, email, secret).build(SAMPLE_ADDRESS, SAMPLE_NAME)


def local_images(html: str, email: Email, prefix: str) -> str:
    """``html`` showing each of the post's images from ``prefix`` + its name (a file beside the
    preview, or the preview server) instead of a ``cid:`` part or the blog's URL."""
    for image in email.images:
        quoted = html_lib.escape(image.src, quote=True)
        html = html.replace(f'src="{quoted}"', f'src="{prefix}{image.name}"')
    return html


def write_preview(settings: Settings, post: Post, out_dir: Path) -> Preview:
    """Render ``post`` and write its email.html, email.txt, message.eml and images under
    ``out_dir``."""
    email = render_post(settings, post)
    message = sample_message(settings, email)
    folder = out_dir / post.name
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "email.html": local_images(message.html, email, f"{IMAGES_FOLDER}/").encode("utf-8"),
        "email.txt": message.text.encode("utf-8"),
        "message.eml": message.as_bytes(),
    }
    if email.images:
        (folder / IMAGES_FOLDER).mkdir(exist_ok=True)
        files.update({f"{IMAGES_FOLDER}/{image.name}": image.data for image in email.images})
    paths = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return Preview(post=post, email=email, paths=tuple(paths))
