"""A post's Markdown as the email's body fragment: absolute links and sized images.

The fragment is an lxml tree so that both parts of the email come from the same content: the
HTML part serialises it, the text part (:mod:`newsletter.render.text`) walks it. Links are fixed on
the tree, after Markdown, so raw HTML in a post gets the same treatment as Markdown syntax.
Images that name a file of the site are left as written here, for
:mod:`newsletter.render.images` to find, prepare and size. What the writer should look at
(relative links, images without alt text) is for the preflight check (:mod:`newsletter.check`),
which reads the same tree before its links are fixed.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import lxml.html
import markdown

from newsletter.render.image_files import is_local
from newsletter.render.inline import use_linear_inline

MARKDOWN_EXTENSIONS = ("tables", "fenced_code", "footnotes", "smarty")
# The content column is 600 px minus 2 x 40 px padding; classic Outlook ignores CSS widths on
# images, so every image gets a width attribute no larger than this (docs/email.md#images).
MAX_IMAGE_WIDTH = 520
# The attribute holding each linking element's URL.
URL_ATTRIBUTES = {"a": "href", "img": "src"}
# Control characters, tabs and newlines: browsers drop them from URLs (WHATWG URL standard), and
# lxml refuses most of them in attribute values.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def markdown_fragment(source: str) -> lxml.html.HtmlElement:
    """The Markdown as a ``<div>`` tree, links and images exactly as the post writes them."""
    md = markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS), output_format="html")
    return lxml.html.fragment_fromstring(use_linear_inline(md).convert(source), create_parent="div")


def markdown_to_fragment(source: str, page_url: str) -> lxml.html.HtmlElement:
    """Render Markdown into a ``<div>`` tree for an email: absolute URLs, sized remote images."""
    root = markdown_fragment(source)
    for element in root.iter(*URL_ATTRIBUTES):
        attribute = URL_ATTRIBUTES[element.tag]
        written = element.get(attribute) or ""
        if element.tag == "img":
            if not (element.get("alt") or "").strip():
                element.set("alt", "")  # marks it decorative for screen readers (docs/email.md#images)
            if is_local(written):
                continue  # a file of the site: newsletter.render.images finds and sizes it
            _cap_width(element)
        url = email_url(written, page_url)
        if url:
            element.set(attribute, url)
    return root


def fragment_html(root: lxml.html.HtmlElement) -> str:
    """The fragment's children as an HTML string (without the wrapping ``<div>``)."""
    inner = lxml.html.tostring(root, encoding="unicode")
    return inner[len("<div>"):-len("</div>")]


def email_url(url: str, page_url: str) -> str:
    """``url`` as written in the post served at ``page_url``, as the email carries it: without
    control characters or surrounding spaces, and absolute.

    A post served at /posts/x is the folder /posts/x/ on a static site, so "img.png" in it means
    /posts/x/img.png. Same-document anchors (footnotes) and URLs with a scheme stay as written.
    """
    url = _CONTROL_CHARACTERS.sub("", url).strip()
    if not url or url.startswith("#") or urlsplit(url).scheme:
        return url
    if url.startswith("//"):
        return "https:" + url
    return urljoin(page_url.rstrip("/") + "/", url)


def display_width(image: lxml.html.HtmlElement) -> int:
    """The width the image is shown at: its own width attribute, capped at the column."""
    width = image.get("width", "").strip()
    return min(int(width), MAX_IMAGE_WIDTH) if width.isdigit() and int(width) else MAX_IMAGE_WIDTH


def _cap_width(image: lxml.html.HtmlElement) -> None:
    """A remote image: its width capped at the column, and no height (its size is unknown)."""
    image.set("width", str(display_width(image)))
    image.attrib.pop("height", None)  # a fixed height would distort the image once width is capped
