"""HTML that tags put into a post, safe whatever their parameters hold.

Parameters are text: every value is escaped for where it goes (an attribute, an element's
text), Markdown's own punctuation included, so a caption cannot open a link or a code span.
URLs are kept only with a web scheme (or none: a file of the site, a path on it), read the way
a browser reads them (controls and spaces around dropped, tabs and newlines inside removed).
"""

from __future__ import annotations

import html
import re
import threading
from urllib.parse import quote

import lxml.html
import markdown

from newsletter.posts import MARKDOWN_SYNTAX
from newsletter.urls import split_url

_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
# A file name or path that ends as a picture's does (how a shortcode's parameter names one).
IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)\Z", re.IGNORECASE)
_URL_TRIM = "".join(map(chr, range(0x21)))  # C0 controls and space (WHATWG URL standard)
# Characters Markdown would read as syntax, written as character references instead.
_MARKDOWN_PUNCTUATION = {ord(char): f"&#{ord(char)};" for char in "\\`*_[]{}~|#!"}
WEB_SCHEMES = ("http", "https")
_THREAD = threading.local()


def escape(value: str) -> str:
    """``value`` on one line, for an element's text or a double-quoted attribute."""
    one_line = _SPACES.sub(" ", _CONTROLS.sub(" ", value)).strip()
    return html.escape(one_line, quote=True).translate(_MARKDOWN_PUNCTUATION)


def web_url(value: str, *, mail: bool = False) -> str | None:
    """``value`` as a URL an email may carry: http(s) (or mailto: with ``mail``), a
    protocol-relative ``//host/...``, or a path with no scheme; None for anything else
    (``javascript:``, ``data:``, ``file:``...)."""
    url = re.sub(r"[\t\n\r]", "", value).strip(_URL_TRIM)
    if not url:
        return None
    parts = split_url(url)
    if parts is None:  # an unbalanced [ in the host
        return None
    scheme = parts.scheme.lower()
    if re.match(r"[A-Za-z]:[\\/]", url):  # C:\... is a file on the writer's computer
        return None
    if scheme and scheme not in WEB_SCHEMES + (("mailto",) if mail else ()):
        return None
    return url


def url_in_markdown(url: str) -> str:
    """``url`` written so Markdown reads it whole, inside ``(...)`` or as text."""
    return quote(url, safe="/:?#[]@!$&'*+,;=%~-._")


def link(href: str, label_html: str) -> str:
    """``<a href>`` around HTML that is already escaped."""
    return f'<a href="{escape(href)}">{label_html}</a>'


def inline_markdown(value: str) -> tuple[str, str]:
    """``value`` rendered as one line of Markdown (emphasis, links, code), its HTML escaped
    first so it adds no element of its own; returns (HTML, plain text)."""
    one_line = _SPACES.sub(" ", _CONTROLS.sub(" ", value)).strip()
    if not one_line:
        return "", ""
    if not MARKDOWN_SYNTAX.search(one_line):
        return escape(one_line), one_line
    rendered = _inline_markdown().reset().convert(html.escape(one_line, quote=False))
    single_paragraph = rendered.startswith("<p>") and rendered.count("<p>") == 1
    inner = rendered[3:-4] if single_paragraph and rendered.endswith("</p>") else escape(one_line)
    return inner, lxml.html.fragment_fromstring(inner, create_parent="div").text_content()


def _inline_markdown() -> markdown.Markdown:
    """A Markdown converter for parameters, one per thread (the preview server renders in
    several), made when first needed: most posts need none."""
    if not hasattr(_THREAD, "markdown"):
        _THREAD.markdown = markdown.Markdown()
    return _THREAD.markdown
