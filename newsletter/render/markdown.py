"""A post's Markdown as the email's body fragment: heading ids, absolute links, sized images.

The fragment is an lxml tree so that both parts of the email come from the same content: the
HTML part serialises it, the text part (:mod:`newsletter.render.text`) walks it. Links are fixed on
the tree, after Markdown, so raw HTML in a post gets the same treatment as Markdown syntax.
Images that name a file of the site are left as written here, for
:mod:`newsletter.render.images` to find, prepare and size. What the writer should look at
(relative links, images without alt text) is for the preflight check (:mod:`newsletter.check`),
which reads the same tree before its links are fixed.

The post is read in its blog's dialect (:mod:`newsletter.render.dialects`): CommonMark with
GitHub's extensions (:mod:`newsletter.render.commonmark`), or Python-Markdown with tables,
fenced code, footnotes, smart punctuation, definition lists, attribute lists (``## Title
{#id}``, as Hugo and kramdown write them) and sane lists (a bulleted list after a numbered one
is a list of its own, and ``3.`` starts at 3, as CommonMark has it). Everything after is shared:
headings get the ids the blog gives them (:mod:`newsletter.render.anchors`), and links, images,
task lists and tables are shaped for an email the same way.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import import_module
from typing import TYPE_CHECKING
from urllib.parse import urljoin

import lxml.etree
import lxml.html
import markdown

from newsletter.posts import site_relative
from newsletter.render.anchors import (HEADINGS, add_heading_ids, drop_permalinks,
                                       fragment_url, local_ids)
from newsletter.render.blocks import shape_blocks
from newsletter.render.dialects import PYTHON_MARKDOWN, Dialect, markdown_dialect
from newsletter.render.effort import (HtmlSizeCheck, InlineBudget, check_html_size,
                                      check_source_work, located_in)
from newsletter.render.image_files import is_local
from newsletter.render.image_widths import EMOJI, cap_width, emoji_size
from newsletter.render.inline import use_linear_inline
from newsletter.render.inlining import without_void_end_tags
from newsletter.render.players import replace_players
from newsletter.urls import split_url

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.posts import Post

MARKDOWN_EXTENSIONS = ("tables", "fenced_code", "footnotes", "smarty", "def_list", "attr_list",
                       "sane_lists")
# The attribute holding each linking element's URL.
URL_ATTRIBUTES = {"a": "href", "img": "src"}
# Other elements' URLs, made absolute like links: a video's file and still image.
MEDIA_URL_ATTRIBUTES = ("src", "poster")
MEDIA = ("video", "audio", "source", "track")
# Raw HTML a post writes that never reaches the email: premailer would apply a <style>'s rules to
# the whole email (the layout's body and cells too), and the text part would show its CSS or code;
# <base>, <meta> and <link> act on the whole page the email is shown in (where its links lead, a
# redirect, a stylesheet fetched from elsewhere). Event handler attributes (onerror=...) go too.
PAGE_TAGS = ("base", "meta", "link")
LEFT_OUT = ("style", "script", *PAGE_TAGS)
# An HTML comment in a post is the writer's note to themselves ("TODO: check the numbers"): it
# goes, but for Outlook's conditional comments (<!--[if mso]>...<![endif]-->), written for it.
_CONDITIONAL_COMMENT = re.compile(r"\[if\s|<!\[endif\]")
# Terminal colour codes (ESC [31m) and titles (ESC ]0;...BEL), pasted with a command's output, and the other control
# characters but tabs and line breaks: no client shows them, and in the text part they reach the
# terminal of a reader who reads mail there.
_TERMINAL_CODES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)"
                             r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Control characters, tabs and newlines: browsers drop them from URLs (WHATWG URL standard), and
# lxml refuses most of them in attribute values.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def is_event_handler(attribute: str) -> bool:
    """Whether an HTML attribute runs a script (``onclick``, ``OnError``)."""
    return attribute[:2].lower() == "on"


def markdown_fragment(source: str, dialect: Dialect = PYTHON_MARKDOWN,
                      written: str | None = None) -> lxml.html.HtmlElement:
    """The Markdown, read in ``dialect``, as a ``<div>`` tree with heading ids, links and images
    exactly as the post writes them (``written``: the post's own text, whose raw HTML a dialect
    may omit); an image written with a srcset alone has its widest candidate as its src."""
    source = _TERMINAL_CODES.sub("", source)
    root = lxml.html.fragment_fromstring(_markdown_html(source, dialect, written),
                                         create_parent="div")
    replace_players(root)
    for image in root.iter("img"):
        if not (image.get("src") or "").strip() and image.get("srcset"):
            image.set("src", _widest(image.get("srcset")))
    drop_permalinks(root)
    add_heading_ids(root)
    if dialect.kramdown or dialect.toc_marker:
        from newsletter.render import kramdown

        kramdown.table_of_contents(root, dialect.toc_marker)
    return root


@lru_cache(maxsize=8)  # the render and then the preflight check read each post's Markdown
def _markdown_html(source: str, dialect: Dialect, written: str | None) -> str:
    html = _dialect_html(source, dialect, written)
    check_html_size(len(html), source)  # what the renderers' own steps did not weigh
    return html


def _dialect_html(source: str, dialect: Dialect, written: str | None) -> str:
    if dialect.html:  # a template's HTML, its tags expanded: the email's as it is
        return source
    if dialect.restructured:
        from newsletter.render.restructured import restructured_html  # docutils: when needed

        return restructured_html(source)
    if dialect.commonmark:
        # markdown-it-py takes about 25 ms to import: loaded only for the blogs that need it.
        from newsletter.render import commonmark

        return commonmark.commonmark_html(source, dialect, written)
    # Given as instances: a name makes Markdown scan every installed package's entry points
    # (a fifth of a send's first render: 7 ms of CPU).
    names = [name for name in MARKDOWN_EXTENSIONS if name != "smarty" or dialect.smart_punctuation]
    extensions = [import_module(f"markdown.extensions.{name}").makeExtension()
                  for name in names + ["nl2br"] * dialect.hard_wraps]
    if (dialect.admonitions or dialect.tabs or dialect.parse_block_html or dialect.emoji
            or dialect.extras):
        from newsletter.render.admonitions import site_extensions

        extensions += site_extensions(dialect)
    md = markdown.Markdown(extensions=extensions, output_format="html")
    md.treeprocessors.register(HtmlSizeCheck(md, source), "size", HtmlSizeCheck.PRIORITY)
    check_source_work(source)
    return use_linear_inline(md, InlineBudget.for_source(source)).convert(source)


def raw_html_lines(source: str, dialect: Dialect) -> list[int]:
    """Lines (from 0) where raw HTML the post writes starts, in a CommonMark ``dialect``."""
    from newsletter.render import commonmark  # loaded only for the blogs that need it

    return commonmark.raw_html_lines(source, dialect)


def post_fragment(settings: Settings, post: Post, source: str) -> lxml.html.HtmlElement:
    """``source`` (``post``'s Markdown, its template tags expanded) as the email's fragment, in
    the post's dialect; a text too costly to render is refused naming the post's file and line."""
    with located_in(site_relative(settings, post.path), post):
        layout = post.site
        base = layout.base_path if layout and layout.generator.prefixes_root_links() else ""
        return markdown_to_fragment(source, post.url, markdown_dialect(settings, post), post.body,
                                    link_base=base)


def markdown_to_fragment(source: str, page_url: str, dialect: Dialect = PYTHON_MARKDOWN,
                         written: str | None = None, link_base: str = ""
                         ) -> lxml.html.HtmlElement:
    """Render Markdown into a ``<div>`` tree for an email: absolute URLs (a same-page link to a
    heading goes to the post on the blog; one from the root under ``link_base``, where the
    generator puts its base path before it), sized remote images, task lists, tables that
    scroll."""
    root = markdown_fragment(source, dialect, written)
    for element in list(root.iter(*LEFT_OUT)):
        element.drop_tree()  # its tail stays
    for comment in list(root.iter(lxml.etree.Comment)):
        if not _CONDITIONAL_COMMENT.match(comment.text or ""):
            comment.drop_tree()
    for heading in [heading for heading in root.iter(*HEADINGS)
                    if not heading.text_content().strip() and not heading.xpath(".//img")]:
        heading.drop_tree()  # a heading of nothing (Hugo Coder's "## <!--more-->"): a gap
    for element in root.iter(lxml.etree.Element):
        for name in [name for name in element.attrib if is_event_handler(name)]:
            del element.attrib[name]
    shape_blocks(root)
    kept_ids = local_ids(root)
    for element in root.iter(*URL_ATTRIBUTES):
        attribute = URL_ATTRIBUTES[element.tag]
        written = element.get(attribute) or ""
        if element.tag == "img":
            if not (element.get("alt") or "").strip():
                element.set("alt", "")  # marks it decorative for screen readers (docs/email.md#images)
            if is_local(written):
                continue  # a file of the site: newsletter.render.images finds and sizes it
            if EMOJI in element.classes:
                emoji_size(element)
            else:
                cap_width(element)
        elif link_base and written.startswith("/") and not written.startswith("//") and \
                not (written + "/").startswith(link_base.rstrip("/") + "/"):
            written = link_base.rstrip("/") + written
        url = email_url(written, page_url, kept_ids)
        if url:
            element.set(attribute, url)
    for element in list(root.iter("img", "source")):
        _email_srcset(element, page_url)
    for element in root.iter(*MEDIA):
        for attribute in MEDIA_URL_ATTRIBUTES:
            if element.get(attribute):
                element.set(attribute, email_url(element.get(attribute), page_url))
    return root


def fragment_html(root: lxml.html.HtmlElement) -> str:
    """The fragment's children as an HTML string (without the wrapping ``<div>``)."""
    inner = without_void_end_tags(lxml.html.tostring(root, encoding="unicode"))
    return inner[len("<div>"):-len("</div>")]


def email_url(url: str, page_url: str, kept_ids: frozenset[str] = frozenset()) -> str:
    """``url`` as written in the post served at ``page_url``, as the email carries it: without
    control characters or surrounding spaces, each space inside as ``%20`` (as the HTML part's
    serialiser writes it, so the text part's ``<url>`` is whole too), and absolute.

    A relative URL resolves as a browser resolves it on the post's page: from /posts/x/ (a folder)
    "img.png" is /posts/x/img.png, from /posts/x or /posts/x.html it is /posts/img.png; the
    generator gives the page's real address. A same-page link (``#x``) stays as written when the email keeps its target
    (``x`` in ``kept_ids``: footnotes), else it goes to ``page_url#x``. URLs with a scheme stay
    as written, and so does one that cannot be split (``http://[``: check reports it).
    """
    url = whole_url(url)
    if url.startswith("#"):
        return fragment_url(url, page_url, kept_ids)
    parts = split_url(url)
    if not url or parts is None or parts.scheme:
        return url
    if url.startswith("//"):
        return "https:" + url
    return urljoin(page_url, url)


def whole_url(url: str) -> str:
    """``url`` without control characters or surrounding spaces, each space inside as ``%20``:
    whole in the text part's ``<url>``, as the HTML part's serialiser writes it."""
    return _CONTROL_CHARACTERS.sub("", url).strip().replace(" ", "%20")


def _email_srcset(element: lxml.html.HtmlElement, page_url: str) -> None:
    """A ``srcset`` of URLs made absolute. One naming a file of the site (never a guessed URL)
    goes: from an image, whose ``src`` is the prepared file; with its ``<source>``, whose
    ``<picture>`` then shows its ``<img>`` (Apple Mail would pick the source, and find nothing)."""
    srcset = element.get("srcset")
    if srcset is None:
        return
    candidates = [candidate.split(None, 1) for candidate in srcset.split(",") if candidate.strip()]
    if any(is_local(candidate[0]) for candidate in candidates):
        if element.tag == "source":
            element.drop_tag()  # lxml nests what follows a <source> in it: that stays
        else:
            for attribute in ("srcset", "sizes"):
                element.attrib.pop(attribute, None)
        return
    element.set("srcset", ", ".join(" ".join([email_url(candidate[0], page_url), *candidate[1:]])
                                    for candidate in candidates))


def _widest(srcset: str) -> str:
    """The URL of ``srcset``'s widest (or densest) candidate: an image written with a srcset
    alone, as pasted from a page, has no src for the email, which holds no srcset to pick from."""
    candidates = [candidate.split() for candidate in srcset.split(",") if candidate.strip()]
    return max(candidates, key=lambda candidate: _descriptor(candidate[1:]))[0]


def _descriptor(words: list[str]) -> float:
    """``480w`` or ``2x`` as a number (1x when none, or not understood)."""
    try:
        return float(words[0][:-1]) if words and words[0][-1:] in ("w", "x") else 1.0
    except ValueError:
        return 1.0
