"""Nikola's own shortcodes (getnikola.com/handbook.html#built-in-shortcodes) that Hugo's do
not cover: ``thumbnail``, a picture whose content is its caption, and ``media``, a player."""

from __future__ import annotations

from dataclasses import replace

from newsletter.render.players import video_in_address
from newsletter.render.tags import hugo, themes
from newsletter.render.tags.context import TagContext
from newsletter.render.tags.hugo import Output
from newsletter.render.tags.syntax import Tag


def thumbnail(tag: Tag, caption: str) -> str:
    """``{{% thumbnail "/images/x.png" alt="..." title="..." %}}caption{{% /thumbnail %}}``:
    the picture (the whole one, which the page's small copy opens) as Hugo's ``figure`` shows
    it, its caption (Markdown, expanded) under it. Raises TagProblem for a picture that is no
    file or web address."""
    picture = hugo.figure(tag, None).markdown
    return "\n\n" + "\n\n".join(part for part in (picture, caption.strip()) if part) + "\n\n"


def media(tag: Tag, context: TagContext) -> Output:
    """``{{% media url="https://www.youtube.com/watch?v=ID" %}}`` (an oEmbed player on the
    page): a YouTube or Vimeo video as Hugo's ``youtube`` and ``vimeo`` show it; another
    address as a theme's unknown shortcode, its link with a warning."""
    url = tag.get("url", 0) or ""
    for name, handler in (("youtube", hugo.youtube), ("vimeo", hugo.vimeo)):
        if video := video_in_address(url, name):
            return handler(replace(tag, name=name, positional=(video,), named={}), context)
    return themes.left_out(tag, context)
