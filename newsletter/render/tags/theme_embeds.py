"""Themes' embeds of a fediverse post and of a PDF (Toha's ``mastodon`` and ``embed-pdf``, and
the like), which the page shows in a frame or draws with a script, and DoIt's and FixIt's
card of a person: a link to the post, the file or the person's page, as Hugo's own embeds
are (docs/template-tags.md). They were left out, or the card showed only its picture."""

from __future__ import annotations

import re
from typing import Callable

from newsletter.render.tags.context import TagContext
from newsletter.render.tags.html import escape, link, web_url
from newsletter.render.tags.hugo import Output
from newsletter.render.tags.syntax import Tag, TagProblem

_HOST = re.compile(r"[a-z0-9.-]{1,253}\.[a-z]{2,63}", re.IGNORECASE)
_USER = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_POST = re.compile(r"[0-9]{1,30}")


def mastodon(tag: Tag, context: TagContext) -> Output:
    """``{{< mastodon server="fosstodon.org" user="name" id="1234" >}}`` (Toha's; ``host``
    too, ``mastodon.social`` by default), or the post's address (``status``, ``url``): "View
    the post by @name on fosstodon.org", linked to it."""
    address = tag.get("status") or tag.get("url")
    if address:
        url = web_url(address)
        if not url or not url.startswith("https://"):
            raise TagProblem(f"{tag.quoted()} needs the post's https:// address",
                             'write it as status="https://mastodon.social/@name/1234"')
        return _embed(url, "View the post on Mastodon")
    server = tag.get("server") or tag.get("host") or "mastodon.social"
    user, post = (tag.get("user") or "").lstrip("@"), tag.get("id") or ""
    if not (_HOST.fullmatch(server) and _USER.fullmatch(user) and _POST.fullmatch(post)):
        raise TagProblem(f"{tag.quoted()} needs the post's server, user and number",
                         'write it as server="mastodon.social" user="name" id="1234"')
    return _embed(f"https://{server}/@{user}/{post}", f"View the post by @{user} on {server}")


def pdf(tag: Tag, context: TagContext) -> Output:
    """``{{< embed-pdf src="files/report.pdf" >}}``: "Open the PDF: report.pdf", linked to the
    file where the site serves it (``src`` from the site's root, as Toha reads it)."""
    src = (tag.get("src") or tag.get("url") or tag.get("src", 0) or "").strip()
    url = web_url(src)
    if not src or not url:
        raise TagProblem(f"{tag.quoted()} needs the file", 'write it as src="files/report.pdf"')
    if "://" not in url and not url.startswith("//"):
        url = context.site_url.rstrip("/") + "/" + url.lstrip("/")
    return _embed(url, f"Open the PDF: {src.rstrip('/').rpartition('/')[2]}")


def person(tag: Tag, context: TagContext) -> Output:
    """DoIt's and FixIt's ``person`` card (``url``, ``name``, ``nick``, ``text``, by name or
    in that order without ``nick``): the name linked to the person's page, then the text. The
    avatar (``picture``) is the card's decoration, left out."""
    url, name, text = tag.get("url", 0), tag.get("name", 1), tag.get("text", 2)
    if not name:
        raise TagProblem(f"{tag.quoted()} names no person", 'write it as name="Ria Fenn"')
    label = escape(name + (f" ({tag.get('nick')})" if tag.get("nick") else ""))
    safe = web_url(url or "", mail=True)
    shown = link(safe, label) if safe else label
    return Output(shown + (f" \u2014 {escape(text)}" if text else ""), block=True)


def _embed(url: str, label: str) -> Output:
    return Output(link(url, escape(label)), block=True)


SHORTCODES: dict[str, Callable[[Tag, TagContext], Output]] = {
    "mastodon": mastodon, "embed-pdf": pdf, "pdf": pdf, "person": person}
