"""A post's Markdown as the email's body fragment: absolute links, sized images, and warnings.

The fragment is an lxml tree so that both parts of the email come from the same content: the
HTML part serialises it, the text part (:mod:`newsletter.render.text`) walks it. Links are fixed on
the tree, after Markdown, so raw HTML in a post gets the same treatment as Markdown syntax.
Images that name a file of the site are left as written here, for
:mod:`newsletter.render.images` to find, prepare and size.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import lxml.html
import markdown

from newsletter.render.image_files import is_local
from newsletter.render.inline import use_linear_inline

MARKDOWN_EXTENSIONS = ("tables", "fenced_code", "footnotes", "smarty")
# The content column is 600 px minus 2 x 40 px padding; classic Outlook ignores CSS widths on
# images, so every image gets a width attribute no larger than this (docs/email.md#images).
MAX_IMAGE_WIDTH = 520


def markdown_to_fragment(source: str, page_url: str) -> tuple[lxml.html.HtmlElement, list[str]]:
    """Render Markdown into a ``<div>`` tree for an email; return it and warnings for the writer."""
    md = markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS), output_format="html")
    html = use_linear_inline(md).convert(source)
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    warnings: list[str] = []
    # A post served at /posts/x is the folder /posts/x/ on a static site, so "img.png" in it
    # means /posts/x/img.png.
    base = page_url.rstrip("/") + "/"
    for element in root.iter("a", "img"):
        attribute = "href" if element.tag == "a" else "src"
        url = (element.get(attribute) or "").strip()
        if element.tag == "img":
            _check_alt(element, warnings)
            if is_local(url):
                continue  # a file of the site: newsletter.render.images sizes it
            _cap_width(element)
        if url:
            element.set(attribute, _absolute_url(url, base, warnings))
    return root, warnings


def fragment_html(root: lxml.html.HtmlElement) -> str:
    """The fragment's children as an HTML string (without the wrapping ``<div>``)."""
    inner = lxml.html.tostring(root, encoding="unicode")
    return inner[len("<div>"):-len("</div>")]


def _absolute_url(url: str, base: str, warnings: list[str]) -> str:
    if url.startswith("#") or urlsplit(url).scheme:
        return url  # same-document anchors (footnotes) and absolute URLs stay as written
    if url.startswith("//"):
        return "https:" + url
    absolute = urljoin(base, url)
    if not url.startswith("/"):
        # Root-relative links are unambiguous; document-relative ones depend on where the
        # page is served, so the writer should check the result.
        warnings.append(f"relative link {url} made absolute: {absolute}")
    return absolute


def display_width(image: lxml.html.HtmlElement) -> int:
    """The width the image is shown at: its own width attribute, capped at the column."""
    width = image.get("width", "").strip()
    return min(int(width), MAX_IMAGE_WIDTH) if width.isdigit() and int(width) else MAX_IMAGE_WIDTH


def _check_alt(image: lxml.html.HtmlElement, warnings: list[str]) -> None:
    if not (image.get("alt") or "").strip():
        warnings.append(f"image without alt text: {image.get('src', '')}")
        image.set("alt", "")


def _cap_width(image: lxml.html.HtmlElement) -> None:
    """A remote image: its width capped at the column, and no height (its size is unknown)."""
    image.set("width", str(display_width(image)))
    image.attrib.pop("height", None)  # a fixed height would distort the image once width is capped
