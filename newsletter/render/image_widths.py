"""How wide an image of the post is shown: capped at the email's column, shrinking with a
phone's screen, an emoji pasted as a picture at the size of the text around it."""

from __future__ import annotations

import re

import lxml.html

# The content column is 600 px minus 2 x 40 px padding; classic Outlook ignores CSS widths on
# images, so every image gets a width attribute no larger than this (docs/email.md#images).
MAX_IMAGE_WIDTH = 520
# An emoji pasted as a picture: the class WordPress and jemoji give it, its size the text's.
EMOJI, EMOJI_SIZE = "emoji", 20
# A small picture in a line of text (an icon, a badge): it stays in the line, as on the blog,
# instead of a block that splits the sentence in two. Its height: about a line and a half.
IN_TEXT, IN_TEXT_HEIGHT = "in-text", 40
_LINE_BLOCKS = frozenset({"p", "li", "td", "th", "dd", "dt"})
_INLINE = frozenset({"a", "span", "strong", "b", "em", "i", "small", "sup", "sub", "mark"})
# A width attribute as browsers read it (HTML's rules for dimension values): its leading number,
# "300px" as 300, and a percentage of the column ("50%").
_DIMENSION = re.compile(r"[ \t\n\f\r]*([0-9]+(?:\.[0-9]+)?)(%?)")
# A style's width in pixels or percent (style="width: 300px"), not its max-width or min-width.
_STYLE_WIDTH = re.compile(r"(?:^|;)\s*width\s*:\s*([0-9]+(?:\.[0-9]+)?)(?:px|(%))\s*"
                          r"(?:!important\s*)?(?:;|$)", re.IGNORECASE)
# The classes themes centre an image or figure by: WordPress's (an image, a block's figure) and
# Jekyll's Minimal Mistakes' ({: .align-center}).
_CENTRING_CLASSES = frozenset({"aligncenter", "align-center"})
# A style's text alignment (the last one written wins, as in CSS).
_TEXT_ALIGN = re.compile(r"(?:^|;)\s*text-align\s*:\s*([a-z-]+)", re.IGNORECASE)
# A style declaration of an image's width or height (not its max- or min-).
_SIZE = re.compile(r"\s*(?:width|height)\s*:", re.IGNORECASE)


def fluid_images(root: lxml.html.HtmlElement) -> None:
    """Give each image with a width attribute ``width:100%; max-width:<width>px``: it shrinks
    with a phone's screen even where the client drops the ``<style>`` block, as a width
    attribute alone does not (its pixels widen the table around it). A style the post wrote
    comes after, so it wins, but for its width and height: the width attribute holds the width
    (:func:`display_width`), and a fixed ``width:800px`` or ``height:300px`` would keep the
    picture wider than a phone, or out of shape once its width is capped. An image in a
    centred block is centred by its margins: as a block it no longer follows ``text-align``."""
    for image in root.iter("img"):
        if _in_a_line(image):
            image.classes.add(IN_TEXT)
        width = image.get("width", "").strip()
        if width.isdigit() and int(width) and EMOJI not in image.classes:
            centred = "margin-left:auto; margin-right:auto; " if _centred(image) else ""
            image.set("style", f"width:100%; max-width:{width}px; {centred}{_without_size(image)}".strip())


def _in_a_line(image: lxml.html.HtmlElement) -> bool:
    """Whether ``image`` is a small picture that shares its line: no taller than
    ``IN_TEXT_HEIGHT`` (as sized: a picture of unknown height is not), inside a paragraph (or
    a link or emphasis there) that holds text or other pictures beside it."""
    height = image.get("height", "").strip()
    if not height.isdigit() or not 0 < int(height) <= IN_TEXT_HEIGHT:
        return False
    block = image.getparent()
    while block is not None and block.tag in _INLINE:
        block = block.getparent()
    if block is None or block.tag not in _LINE_BLOCKS:
        return False
    return bool("".join(block.itertext()).strip()) or sum(1 for _ in block.iter("img")) > 1


def _centred(image: lxml.html.HtmlElement) -> bool:
    """Whether the blog's page shows ``image`` centred: the class its theme centres it by
    (WordPress's ``aligncenter``, Minimal Mistakes' ``align-center``), or a block that centres
    its lines (``<center>``, ``align="center"``, ``style="text-align:center"``)."""
    if any(_CENTRING_CLASSES & set(element.classes) for element in (image, *image.iterancestors())):
        return True
    for block in image.iterancestors():
        if block.tag == "center":
            return True
        written = _TEXT_ALIGN.findall(block.get("style", "")) or [block.get("align")]
        if written[-1]:
            return written[-1].strip().lower() in ("center", "-webkit-center")
    return False


def _without_size(image: lxml.html.HtmlElement) -> str:
    """The image's style without its width and height declarations."""
    return "; ".join(declaration.strip() for declaration in image.get("style", "").split(";")
                     if declaration.strip() and not _SIZE.match(declaration))


def emoji_size(image: lxml.html.HtmlElement) -> None:
    """An emoji pasted as a picture (WordPress's and jemoji's ``<img class="emoji">``) at the
    size of the text around it: as a picture of the post, 100% of the column wide, it filled it."""
    image.set("width", str(EMOJI_SIZE))
    image.set("height", str(EMOJI_SIZE))
    if image.get("style"):
        image.set("style", _without_size(image))


def display_width(image: lxml.html.HtmlElement) -> int:
    """The width the image is shown at: its style's width in px or %, else its width
    attribute (browsers let the style win), capped at the column."""
    match = _STYLE_WIDTH.search(image.get("style", "")) or _DIMENSION.match(image.get("width", ""))
    if not match or not float(match[1]):
        return MAX_IMAGE_WIDTH
    pixels = float(match[1]) * MAX_IMAGE_WIDTH / 100 if match[2] else float(match[1])
    return max(1, min(round(pixels), MAX_IMAGE_WIDTH))


def cap_width(image: lxml.html.HtmlElement) -> None:
    """A remote image: its width capped at the column, and no height (its size is unknown)."""
    image.set("width", str(display_width(image)))
    image.attrib.pop("height", None)  # a fixed height would distort the image once width is capped
