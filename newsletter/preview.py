"""Preview files: what a post's email looks like, written to disk for a sample reader.

``preview/<name>/email.html``, ``email.txt`` and ``message.eml`` per post, where ``<name>`` is the
last segment of the post's slug. Nothing here sends mail.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path
from urllib.parse import quote

from newsletter.config import Settings
from newsletter.content import Post, PostStatus, classify
from newsletter.render import Email, render_post

logger = logging.getLogger(__name__)

SAMPLE_ADDRESS = "reader@example.org"
SAMPLE_NAME = "Sample Reader"
SAMPLE_TOKEN = "preview-token"
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


def sample_values(settings: Settings) -> dict[str, str]:
    """Placeholder values for the sample reader (the token is not a real signature)."""
    url = settings.email.unsubscribe_url.format(email=quote(SAMPLE_ADDRESS, safe=""), token=SAMPLE_TOKEN)
    return {"unsubscribe_url": url, "email": SAMPLE_ADDRESS}


def write_preview(settings: Settings, post: Post, out_dir: Path) -> Preview:
    """Render ``post`` and write its email.html, email.txt and message.eml under ``out_dir``."""
    email = render_post(settings, post)
    values = sample_values(settings)
    html, text = email.fill(values)
    folder = out_dir / post.name
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "email.html": html.encode("utf-8"),
        "email.txt": text.encode("utf-8"),
        "message.eml": sample_message(settings, email, values),
    }
    paths = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return Preview(post=post, email=email, paths=tuple(paths))


def sample_message(settings: Settings, email: Email, values: dict[str, str]) -> bytes:
    """The message as the sample reader would get it (multipart/alternative, CRLF)."""
    # TODO(lead): switch to newsletter.message's builder once it is committed, so the preview
    # shows exactly the headers `send` produces.
    config = settings.email
    html, text = email.fill(values)
    message = EmailMessage()
    message["From"] = formataddr((config.from_name, config.from_address))
    message["To"] = formataddr((SAMPLE_NAME, values["email"]))
    message["Subject"] = email.subject
    message["Date"] = format_datetime(dt.datetime.now(dt.timezone.utc))
    message["Message-ID"] = make_msgid(idstring="preview", domain=config.sender_domain)
    if config.reply_to:
        message["Reply-To"] = config.reply_to
    unsubscribe = [f"<{values['unsubscribe_url']}>"]
    if config.unsubscribe_mailto:
        unsubscribe.append(f"<mailto:{config.unsubscribe_mailto}?subject=unsubscribe>")
    message["List-Unsubscribe"] = ", ".join(unsubscribe)
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    # Long headers stay on one line: folding a long List-Unsubscribe URL makes `email` RFC 2047
    # encode it, which no receiver decodes.
    return message.as_bytes(policy=policy.SMTP.clone(max_line_length=998))
