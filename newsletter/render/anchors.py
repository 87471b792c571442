"""Heading ids as the blog has them, and where each same-page link of a post goes in its email.

A post's headings get the ids GitHub gives them (github-slugger: lower case; punctuation,
symbols and emoji dropped, ``-`` and ``_`` kept; each space a ``-``; a repeated id gets ``-1``,
``-2``...). Hugo (``autoHeadingIDType = "github"``, its default), Jekyll (kramdown's GFM
input, its default), Gatsby (gatsby-remark-autolink-headers), Astro and Docusaurus use the same
rule, so ``#the-first-transition`` names the same section on the blog as in the post. An id
the post writes itself (``## Title {#id}``, raw ``<h2 id>``) is kept.

A heading's permalink, the ``#``, ``¶`` or ``🔗`` link to itself that blog themes write into
headings (``<a class="anchor" href="#setup">#</a>``), is dropped: in an email it is clutter
before or after the words, and it would be part of the heading's id.

A ``#fragment`` link whose target stays in the email (a footnote, an element with that id that
is not a heading) is left as it is; every other one, a table of contents' included, goes to
the post's page on the blog with that fragment (docs/email.md#fragment-links).
"""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote

import lxml.html

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Python-Markdown's smarty extension turns source punctuation into these; slugs are made from
# the source text, where GitHub drops quotes but keeps each "-" of "--" and "---".
_SMARTY_SOURCE = str.maketrans({"\u2013": "--", "\u2014": "---"})
# Unicode general categories a GitHub slug keeps: letters, marks, decimal and letter numbers,
# connector punctuation ("_"); of the rest only "-" and " " stay.
_KEPT_CATEGORIES = ("L", "M", "Nd", "Nl", "Pc")


def github_slug(text: str) -> str:
    """``text`` as github-slugger makes a heading's id (without the ``-1`` of a repeat)."""
    kept = (char for char in text.translate(_SMARTY_SOURCE).lower()
            if char in "- " or unicodedata.category(char).startswith(_KEPT_CATEGORIES))
    return "".join(kept).replace(" ", "-")


def drop_permalinks(root: lxml.html.HtmlElement) -> None:
    """Remove each same-page link in a heading that holds no word (``#``, ``¶``, an icon drawn
    in SVG); a picture is the post's."""
    for heading in root.iter(*HEADINGS):
        for link in list(heading.iter("a")):
            words = link.text_content()
            if (link.get("href") or "").startswith("#") and link.find(".//img") is None and not any(
                    unicodedata.category(char)[0] in "LN" for char in words):
                link.drop_tree()  # its tail stays


def add_heading_ids(root: lxml.html.HtmlElement) -> None:
    """Give every heading without an id its GitHub slug, unique in the document."""
    taken = {element.get("id") for element in root.iter() if element.get("id")}
    counts: dict[str, int] = {}
    for heading in root.iter(*HEADINGS):
        if heading.get("id"):
            continue
        base = github_slug(heading.text_content().strip())
        if not base:
            continue
        slug = base
        while slug in taken:
            counts[base] = counts.get(base, 0) + 1
            slug = f"{base}-{counts[base]}"
        taken.add(slug)
        heading.set("id", slug)


def local_ids(root: lxml.html.HtmlElement) -> frozenset[str]:
    """Ids whose element a same-page link may jump to inside the email: every id but the
    headings' (those links go to the blog)."""
    return frozenset(element.get("id") for element in root.iter()
                     if element.get("id") and element.tag not in HEADINGS)


def all_ids(root: lxml.html.HtmlElement) -> frozenset[str]:
    """Every id of the fragment, and every ``<a name>``: a browser jumps to either (posts
    written for kramdown mark sections ``<a name="lists"/>``); a link to a name goes to the
    blog's page, as a heading's does."""
    return frozenset(element.get("id") for element in root.iter() if element.get("id")) | {
        anchor.get("name") for anchor in root.iter("a") if anchor.get("name")}


def fragment_url(url: str, page_url: str, kept_ids: frozenset[str]) -> str:
    """A same-page link (``#x``) as the email carries it: as written when ``x`` is in
    ``kept_ids`` (or the link is a bare ``#``), else ``page_url#x``."""
    fragment = url[1:]
    if not fragment or unquote(fragment) in kept_ids:
        return url
    return page_url.split("#")[0] + url
