"""Eleventy Image's shortcode as email (11ty.dev/docs/plugins/image): ``{% image "cat.jpg",
"A cat on the stairs" %}``, which eleventy-base-blog and the plugin's documentation write in
posts, is that image with that alt text. Its other arguments (widths, sizes) only shape the
page's ``<picture>``; the email prepares the image itself. Eleventy Excellent's shortcode
takes a caption third (``{% image "x.jpg", "alt", "caption", "lazy" %}``): words there, not
the plugin's ``sizes`` ("(min-width: 30em) 50vw, 100vw"), are the figure's caption.
"""

from __future__ import annotations

import re

from newsletter.render.tags.context import TagContext
from newsletter.render.tags.html import escape, web_url
from newsletter.render.tags.hugo import Output
from newsletter.render.tags.syntax import Tag, TagProblem

# The string arguments, as Nunjucks and Liquid write them: "a", 'b' (commas or spaces between)
_STRING = re.compile(r"""\s*,?\s*(?:"([^"]*)"|'([^']*)')""")
# The plugin's sizes argument ends with a length or "auto"
_SIZES = re.compile(r"(?:\d(?:vw|vh|px|em|rem|%)|\bauto)\s*$", re.IGNORECASE)


def image(tag: Tag, context: TagContext) -> Output:
    """``{% image "src", "alt" [, widths, sizes] %}``: the image; with a caption third, the
    image and its caption."""
    strings, pos = [], 0
    while (found := _STRING.match(tag.body, pos)) and len(strings) < 3:
        strings.append(found.group(1) if found.group(1) is not None else found.group(2))
        pos = found.end()
    src = web_url(strings[0]) if strings else None
    if not src:
        raise TagProblem(f"{tag.quoted()} names no image file newsletter can find",
                         'write the image\'s path in quotes: {% image "photo.jpg", "what it '
                         'shows" %}')
    alt = strings[1] if len(strings) > 1 else ""
    shown = f'<img src="{escape(src)}" alt="{escape(alt)}">'
    caption = strings[2].strip() if len(strings) > 2 else ""
    if not caption or _SIZES.search(caption):
        return Output(shown)
    return Output(f"<figure>{shown}<figcaption>{escape(caption)}</figcaption></figure>",
                  block=True)
