"""The preview pages: an index of every post and one page per post, as plain HTML.

The live server (``preview_server``) and the static ``newsletter preview`` build their pages here
from the same Jinja2 templates (``templates/`` beside this module), so what opens from disk is what the server
shows. Pages make no network requests of their own: no scripts, fonts or images in the page chrome.
The post's own images are shown from the prepared files (``PageLinks.images``), so the page shows
what readers will get before anything is deployed; other remote images are loaded as a reader's
client would load them.
"""

from __future__ import annotations

import datetime as dt
import re
from email import policy
from email.parser import BytesHeaderParser
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import jinja2
import lxml.html

from newsletter.check import Finding
from newsletter.config import Settings
from newsletter.errors import ContentError, NewsletterError, PostNotFoundError
from newsletter.message import Message, sample_message
from newsletter.posts import (
    Post,
    error_file_name,
    find_post,
    folder_name,
    load_posts,
    newest_first,
)
from newsletter.preview.dropped import as_clients_show
from newsletter.preview.files import IMAGES_FOLDER, Preview, checked_email, local_images
from newsletter.records import record
from newsletter.render import (
    CLIP_WARNING_BYTES,
    GMAIL_CLIP_BYTES,
    IMAGE_WARNING_BYTES,
    Email,
    encoded_html_size,
    write_atomically,
)
from newsletter.sending import held_back, ledger_counts, schedule_note, since_of, status_words
from newsletter.urls import split_url

DESKTOP_WIDTH = 700  # px: a desktop client's reading pane around a 600 px email
PHONE_WIDTH = 375  # px: the CSS width of most phones (iPhone 6-13 mini, many Androids)
# Preview text shown after the subject. Sources: docs/email.md#preheader (40 on phones to 140 on
# Apple Mail desktop); Gmail's web inbox shows about 90-100 characters of subject + preheader.
DESKTOP_PREVIEW_CHARS = 90
PHONE_PREVIEW_CHARS = 45
PAGE_FILE = "index.html"  # the index in preview/, and each post's page in preview/<name>/
_BODY_HEADERS = ("MIME-Version", "Content-Type", "Content-Transfer-Encoding")

_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
_STYLE = re.compile(r"(<style\b[^>]*>)(.*?)(</style>)", re.IGNORECASE | re.DOTALL)
_MEDIA_ATTRIBUTE = re.compile(r"""(\smedia\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_SCHEME_FEATURE = re.compile(r"\(\s*prefers-color-scheme\s*:\s*(dark|light)\s*\)", re.IGNORECASE)
# Stand-ins for (prefers-color-scheme: ...) that every browser evaluates the same way in a frame.
_ALWAYS = "(min-width: 0px)"
_NEVER = "(max-width: 0px)"
_REMOTE_IMAGE = re.compile(r"""<img\b[^>]*?\ssrc\s*=\s*["']?(https?://[^"'\s>]+)""", re.IGNORECASE)


@record(frozen=True)
class PageLinks:
    """Where pages point: server paths (``live``), or relative files when written to disk."""

    index: str  # from a post page to the index
    live: bool  # served: every post has a page at /<slug>
    written: frozenset[str] = frozenset()  # on disk: the names of posts whose page exists
    images: str = f"{IMAGES_FOLDER}/"  # where a post page finds its prepared images

    def post(self, slug: str) -> str | None:
        """The href of the page for the post (or broken file) ``slug``, if it has one."""
        if self.live:
            return "/" + quote(slug.strip("/"))
        name = folder_name(slug.rstrip("/").rpartition("/")[2])
        return f"{quote(name)}/{PAGE_FILE}" if name in self.written else None


IMAGE_PATH = "/_images/"  # the preview server's prepared images
SERVER_LINKS = PageLinks(index="/", live=True, images=IMAGE_PATH)


@record(frozen=True)
class Row:
    """One post in the index."""

    id: str
    title: str
    date: str
    status_class: str
    status_text: str
    href: str | None


@record(frozen=True)
class BrokenFile:
    """A post file that could not be read, with the page that explains why."""

    error: ContentError
    href: str | None


def index_page(settings: Settings, now: dt.datetime, links: PageLinks) -> str:
    """Every post, newest first, with its status; files with errors listed with their error."""
    posts, errors = load_posts(settings)
    sent = ledger_counts(settings)
    since = since_of(settings)
    held = held_back(settings, posts, now)
    rows = [_row(settings, post, now, sent, since, held, links) for post in newest_first(posts)]
    broken = [BrokenFile(error, links.post(error_file_name(error) or "")) for error in errors]
    return render_page("index.html", settings, now, links, rows=rows, errors=broken,
                       ledger=bool(sent), note=schedule_note(posts, now, sent, since))


def post_page(settings: Settings, post: Post, now: dt.datetime, links: PageLinks,
              checked: tuple[Email, list[Finding]] | None = None) -> str:
    """The page for ``post``: inbox rows, findings, size, the email in frames, text, headers."""
    email, findings = checked or checked_email(settings, post, now)
    message = sample_message(settings, email)
    html, text = as_clients_show(local_images(message.html, email, links.images)), message.text
    status_class, status_text = status_words(post, now, ledger_counts(settings, post.id),
                                             since=since_of(settings))
    size = _size(settings, email, len(message.as_bytes()))
    return render_page(
        "post.html", settings, now, links,
        post=post, email=email, status_class=status_class, status_text=status_text,
        date=_date_text(settings, post), inbox=_inbox(settings, _inbox_text(email), size),
        findings=findings, size=size,
        views=email_views(html), remote_hosts=_remote_hosts(html),
        widths={"desktop": DESKTOP_WIDTH, "phone": PHONE_WIDTH},
        text=text, headers=sample_headers(message),
    )


def write_pages(settings: Settings, previews: list[Preview], out_dir: Path,
                now: dt.datetime) -> list[Path]:
    """Write each post's page (``<out>/<name>/index.html``) and the index (``<out>/index.html``)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for preview in previews:
        path = out_dir / folder_name(preview.post.name) / PAGE_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        page_html = post_page(settings, preview.post, now,
                              PageLinks(f"../{PAGE_FILE}", live=False),
                              (preview.email, preview.findings))
        write_atomically(path, page_html.encode("utf-8"), shared=True)
        paths.append(path)
    # Link every post whose page is on disk, including those written by earlier runs.
    written = frozenset(page.parent.name for page in out_dir.glob(f"*/{PAGE_FILE}"))
    index = out_dir / PAGE_FILE
    write_atomically(index, index_page(settings, now, PageLinks(
        PAGE_FILE, live=False, written=written)).encode("utf-8"), shared=True)
    return [*paths, index]


def error_page(error: NewsletterError, now: dt.datetime, links: PageLinks,
               traceback: str | None = None, site_title: str = "newsletter") -> str:
    """A readable page for ``error``: where, what, and what to do."""
    if traceback:
        heading = "Something broke in newsletter"
    elif isinstance(error, PostNotFoundError):
        heading = "No such post"
    else:
        heading = "This can't be previewed yet"
    return _environment().get_template("error.html").render(
        error=error, heading=heading, traceback=traceback, links=links, live=links.live,
        site_title=site_title, now=now.strftime("%H:%M:%S"),
    )


def find_post_or_its_error(settings: Settings, name: str) -> Post:
    """The post ``name``; if none, the error of a broken file of that name, else not found."""
    posts, errors = load_posts(settings)
    return find_post(posts, name, errors)


def sample_headers(message: Message) -> list[tuple[str, str]]:
    """The headers of the sample message that ``newsletter preview`` writes as message.eml."""
    parsed = BytesHeaderParser(policy=policy.default).parsebytes(message.as_bytes())
    return [(name, str(value)) for name, value in parsed.items() if name not in _BODY_HEADERS]


def email_views(html: str) -> dict:
    """The email as shown in the light and dark frames.

    Both views pin ``(prefers-color-scheme: ...)`` in the email's ``<style>`` blocks and ``media``
    attributes to a condition every browser evaluates the same way, so the light views stay light
    and the dark view applies the email's own dark rules, whatever the viewing browser prefers.
    Links get ``target="_blank"`` (as Gmail and Yahoo force) so they never replace the frame.
    """
    light = _pin_color_scheme(html, dark=False)
    dark = _pin_color_scheme(html, dark=True)
    return {
        "light": _open_links_outside(light),
        "dark": _open_links_outside(dark),
        "dark_rules": light != dark,
    }


def preview_text(text: str, limit: int) -> str:
    """``text`` cut as an inbox cuts it: at about ``limit`` characters, on a word, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:.-") + "\u2026"


def _pin_color_scheme(html: str, *, dark: bool) -> str:
    def pin(match: re.Match) -> str:
        return _ALWAYS if (match.group(1).lower() == "dark") == dark else _NEVER

    html = _STYLE.sub(lambda m: m.group(1) + _SCHEME_FEATURE.sub(pin, m.group(2)) + m.group(3), html)
    return _MEDIA_ATTRIBUTE.sub(
        lambda m: m.group(1) + m.group(2) + _SCHEME_FEATURE.sub(pin, m.group(3)) + m.group(2), html)


def _open_links_outside(html: str) -> str:
    base = '<base target="_blank">'
    with_base, count = _HEAD.subn(lambda m: m.group(0) + base, html, count=1)
    return with_base if count else base + html


def _remote_hosts(html: str) -> list[str]:
    return sorted({parts.netloc for parts in map(split_url, _REMOTE_IMAGE.findall(html))
                   if parts})


def _row(settings, post, now, sent, since, held, links) -> Row:
    status_class, status_text = status_words(post, now, sent, since=since, held=held)
    return Row(id=post.id, title=post.title, date=_date_text(settings, post),
               status_class=status_class, status_text=status_text, href=links.post(post.id))


def _date_text(settings: Settings, post: Post) -> str:
    return post.date.astimezone(settings.site.zone).strftime("%Y-%m-%d %H:%M") if post.date else ""


def _inbox_text(email: Email) -> str:
    """What an inbox shows after the subject: the preheader, else the first words of the email,
    which clients read from the start of its body (the masthead, the title, the date...)."""
    if email.preheader:
        return email.preheader
    return " ".join(lxml.html.document_fromstring(email.html).body.text_content().split())


def _inbox(settings: Settings, preheader: str | None, size: dict) -> dict:
    return {
        "sender": settings.email.from_name or settings.email.from_address,
        "size": size["download_text"],
        "desktop": preview_text(preheader or "", DESKTOP_PREVIEW_CHARS),
        "phone": preview_text(preheader or "", PHONE_PREVIEW_CHARS),
        "desktop_limit": DESKTOP_PREVIEW_CHARS,
        "phone_limit": PHONE_PREVIEW_CHARS,
    }


def _size(settings: Settings, email: Email, message_bytes: int) -> dict:
    """The HTML part against Gmail's clipping point, and what a reader downloads in all: the
    message (inline images inside it, base64), plus hosted images when the email is opened."""
    size = encoded_html_size(email.html)
    hosted = sum(len(image.data) for image in email.images if not image.inline)
    images = sum(len(image.data) for image in email.images)
    return {
        "text": _kb(size), "over_budget": size > CLIP_WARNING_BYTES,
        "budget_text": _kb(CLIP_WARNING_BYTES), "clip_text": _kb(GMAIL_CLIP_BYTES),
        "percent_of_clip": round(100 * size / GMAIL_CLIP_BYTES, 1),
        "budget_mark": round(100 * CLIP_WARNING_BYTES / GMAIL_CLIP_BYTES, 1),
        "images": len(email.images), "images_text": _kb(images),
        "images_over": images > IMAGE_WARNING_BYTES, "image_budget_text": _kb(IMAGE_WARNING_BYTES),
        "images_percent": round(100 * images / IMAGE_WARNING_BYTES, 1),
        "inline": bool(email.inline_images), "image_url": settings.images.url,
        "message_text": _kb(message_bytes), "download_text": _kb(message_bytes + hosted),
    }


def _kb(size: int) -> str:
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def render_page(template: str, settings: Settings, now: dt.datetime, links: PageLinks,
                **values) -> str:
    """A page template filled in, with what every page shows (site, time, links)."""
    return _environment().get_template(template).render(
        links=links, live=links.live, site_title=settings.site.title,
        now=now.astimezone(settings.site.zone).strftime("%Y-%m-%d %H:%M:%S %Z"), **values,
    )


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    # The page templates ship inside the package and never change while running, so one
    # Environment is kept; the *email* templates are re-read by render on every request.
    return jinja2.Environment(
        loader=jinja2.PackageLoader("newsletter.preview", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
