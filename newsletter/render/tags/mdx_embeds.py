"""What MDX embed components become in the email: links, as Hugo's ``youtube``, ``vimeo``,
``tweet`` and ``gist`` shortcodes become (an email runs no player and no script).

astro-embed's ``<YouTube id="..." />`` (an id or the video's address), ``<Vimeo id>``,
``<Tweet id="https://x.com/user/status/1">`` and ``<LinkPreview id="https://...">``; MDX Embed's
(Gatsby) ``<YouTube youTubeId>``, ``<Vimeo vimeoId>``, ``<Tweet tweetLink="user/status/1">``
and ``<Gist gistLink="user/id">``; Starlight's ``<LinkCard title href>``. A component whose
value names no such thing is left to the other rules (what it holds, with a warning).
"""

from __future__ import annotations

import re

from newsletter.render.players import (YOUTUBE_THUMBNAIL_WIDTH, gist_link, video_in_address,
                                       vimeo_url, watch_label, youtube_thumbnail, youtube_url)
from newsletter.render.tags.html import escape, link, web_url

_VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{6,64}")
_NUMBER = re.compile(r"[0-9]{1,30}")
_POST = re.compile(r"(?:(?:https?:)?//(?:www\.|mobile\.)?(?:twitter|x)\.com/)?"
                   r"(?:([A-Za-z0-9_]{1,64})/)?status(?:es)?/([0-9]{1,30})(?:[/?#].*)?",
                   re.IGNORECASE)
_GIST = re.compile(r"(?:https://gist\.github\.com/)?(?:([\w-]{1,64})/)?([\w-]{1,64})/?")


def embed_html(name: str, values: dict[str, str], any_case: bool = False) -> str | None:
    """The paragraph the embed component ``name`` with text attributes ``values`` becomes,
    else None (not an embed newsletter knows, or no value it can read). ``any_case``: the
    name as a tag writes it (Markdoc's ``{% tweet id="..." /%}`` renders astro-embed's)."""
    maker = _EMBEDS.get(name) or (_LOWER.get(name.lower()) if any_case else None)
    found = maker(values) if maker else None
    return f"\n\n<p>{found}</p>\n\n" if found else None


def _youtube(values: dict[str, str]) -> str | None:
    given = (values.get("id") or values.get("youTubeId") or values.get("videoId")
             or values.get("url") or "").strip()
    video = given if _VIDEO_ID.fullmatch(given) else video_in_address(given, "youtube")
    if not video:
        return None
    thumbnail = (f'<img src="{youtube_thumbnail(video)}" alt="" role="presentation" '
                 f'width="{YOUTUBE_THUMBNAIL_WIDTH}">')
    return link(youtube_url(video), thumbnail + escape(watch_label("YouTube",
                                                                   values.get("title"))))


def _vimeo(values: dict[str, str]) -> str | None:
    given = (values.get("id") or values.get("vimeoId") or values.get("url") or "").strip()
    video = given if _NUMBER.fullmatch(given) else video_in_address(given, "vimeo")
    return link(vimeo_url(video), escape(watch_label("Vimeo", values.get("title")))) \
        if video else None


def _tweet(values: dict[str, str]) -> str | None:
    found = _POST.fullmatch((values.get("id") or values.get("tweetLink")
                             or values.get("url") or "").strip())
    if not found:
        return None
    user, post = found[1], found[2]
    label = f"View the post by @{user} on X" if user else "View the post on X"
    return link(f"https://x.com/{user or 'i'}/status/{post}", escape(label))


def _gist(values: dict[str, str]) -> str | None:
    found = _GIST.fullmatch((values.get("gistLink") or values.get("id") or "").strip())
    if not found:
        return None
    url, words = gist_link(found[1], found[2], values.get("file"))
    return link(url, escape(words))


def _link_card(values: dict[str, str]) -> str | None:
    url = web_url(values.get("href") or values.get("id") or values.get("url") or "")
    if not url or not url.lower().startswith(("http://", "https://", "/")):
        return None
    words = values.get("title") or url
    description = values.get("description")
    return link(url, escape(words)) + (f" — {escape(description)}" if description else "")


_EMBEDS = {"YouTube": _youtube, "Vimeo": _vimeo, "Tweet": _tweet, "Gist": _gist,
           "LinkPreview": _link_card, "LinkCard": _link_card}
_LOWER = {name.lower(): maker for name, maker in _EMBEDS.items()}
