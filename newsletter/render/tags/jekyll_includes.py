"""A Jekyll blog's own picture include (``_includes/image.html``), read to learn which of its
parameters is the picture, its alt text and its caption.

``{% include image.html url="/assets/img/reeds.jpg" description="Reeds at dusk" %}`` writes
what the blog's file makes of it, often ``<img src="{{ include.url | relative_url }}"
alt="{{ include.description }}">`` and a ``<figcaption>`` of ``{{ include.description }}``: the
email shows that picture with that alt text and caption, as the page does. Nothing of the file
is run: only its ``<img>`` and ``<figcaption>`` are read for the ``include.x`` they print.
"""

from __future__ import annotations

import re

from newsletter.records import record

# Each searched for from its first opening only: a file of openings never closed costs one pass.
_IMG = re.compile(r"<img\b[^>]{0,4000}>", re.IGNORECASE)
_CAPTION = re.compile(r"<figcaption\b[^>]{0,4000}>(.{0,4000}?)</figcaption>",
                      re.IGNORECASE | re.DOTALL)
_INCLUDE_VALUE = re.compile(r"\{\{-?\s*include\.([A-Za-z_][\w-]{0,100})[^}]{0,400}\}\}")
_SITE_VALUE = re.compile(r"\{\{-?\s*site\.(?:url|baseurl)\s*-?\}\}")
_ANY_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


@record(frozen=True)
class PictureInclude:
    """What a site's include shows of its parameters: the picture's, its alt's, its caption's
    names, the path its ``src`` puts before the picture's (``/assets/img/``), and whether it
    prints any other parameter (then the email shows it only in part)."""

    src: str
    alt: str | None
    caption: str | None
    folder: str
    more: bool


def picture_include(text: str) -> PictureInclude | None:
    """What the include file ``text`` makes of its parameters, where it is a picture whose
    ``src`` prints one of them; else None."""
    image = _first(_IMG, text, "<img")
    src = _attribute(image[0], "src") if image else None
    source = _INCLUDE_VALUE.search(src or "")
    if not source:
        return None
    alt = _INCLUDE_VALUE.search(_attribute(image[0], "alt") or "")
    caption = _first(_CAPTION, text, "<figcaption")
    captioned = _INCLUDE_VALUE.search(caption[1]) if caption else None
    folder = _SITE_VALUE.sub("", src[:source.start()]).strip()
    if _ANY_TAG.search(folder) or re.search(r"[\"'<>\s]", folder):
        folder = ""  # a path worked out by the site's code: the parameter alone
    named = {source[1], *(found[1] for found in (alt, captioned) if found)}
    more = any(found[1] not in named for found in _INCLUDE_VALUE.finditer(text))
    return PictureInclude(source[1], alt[1] if alt else None,
                          captioned[1] if captioned else None, folder, more)


def _attribute(element: str, name: str) -> str | None:
    found = re.search(rf"""\s{name}\s*=\s*(?:"([^"]*)"|'([^']*)')""", element, re.IGNORECASE)
    return (found[1] if found[1] is not None else found[2]) if found else None


def _first(pattern: re.Pattern, text: str, opening: str) -> re.Match | None:
    """``pattern`` matched at the first ``opening`` of ``text`` (any case), else None."""
    at = text.lower().find(opening)
    return pattern.match(text, at) if at >= 0 else None
