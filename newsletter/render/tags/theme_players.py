"""LoveIt's, DoIt's and FixIt's ``music`` and ``mapbox`` shortcodes: a player and a map the
email cannot run, each a link to what it plays or shows (docs/template-tags.md)."""

from __future__ import annotations

import re
from typing import Callable

from newsletter.render.tags.context import TagContext
from newsletter.render.tags.hugo import Output
from newsletter.render.tags.html import escape, link, web_url
from newsletter.render.tags.syntax import Tag
from newsletter.render.tags.themes import left_out

# NetEase Cloud Music's pages of what a `server="netease"` player plays, by its `type`.
_NETEASE = {"song": "song", "playlist": "playlist", "album": "album", "artist": "artist",
            "search": "search"}
_NUMBER = re.compile(r"-?\d{1,3}(?:\.\d{1,12})?")


def music(tag: Tag, context: TagContext) -> Output:
    """``url`` (a file, with ``name`` and ``artist``), ``auto`` or the first value (a music
    service's page), or ``server="netease" type="song" id="..."`` (also by position): a link,
    "▶ Listen: name – artist"."""
    url = tag.get("url") or tag.get("auto") or (tag.get("auto", 0) if len(tag.positional) == 1
                                                else None)
    server, kind, number = (tag.get("server", 0), tag.get("type", 1), tag.get("id", 2))
    if not url and server == "netease" and kind in _NETEASE and number and number.isdigit():
        url = f"https://music.163.com/#/{_NETEASE[kind]}?id={number}"
    safe = web_url(url or "")
    if not safe:
        return left_out(tag, context)
    title = " \u2013 ".join(filter(None, (tag.get("name"), tag.get("artist"))))
    return Output(link(safe, escape(f"\u25b6 Listen: {title}" if title else "\u25b6 Listen")))


def mapbox(tag: Tag, context: TagContext) -> Output:
    """``{{< mapbox lng lat zoom >}}`` (or by name): a link to the place on OpenStreetMap."""
    lng, lat = tag.get("lng", 0), tag.get("lat", 1)
    zoom = tag.get("zoom", 2) or "10"
    if not (lng and lat and _NUMBER.fullmatch(lng) and _NUMBER.fullmatch(lat)
            and zoom.isdigit()):
        return left_out(tag, context)
    return Output(link(f"https://www.openstreetmap.org/?mlat={lat}&mlon={lng}"
                       f"#map={zoom}/{lat}/{lng}", "Open the map"))


SHORTCODES: dict[str, Callable[[Tag, TagContext], Output]] = {"music": music, "mapbox": mapbox}
