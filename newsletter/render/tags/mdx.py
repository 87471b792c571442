"""MDX's own syntax in a post's prose: the site's code, which no email can run.

An ``.mdx`` post (Astro, Gatsby) holds JavaScript besides its Markdown: ``import`` and ``export``
statements (left out: they only feed the site's build), ``{/* comments */}`` (left out) and
JSX: components (``<Chart data={...} />``) and ``{expressions}``. What a component or an
expression shows is made by the site's code when it builds the page; an email cannot run it,
so each is reported at its line and shown as text, never as markup. Code is not read here: the
expander only hands over prose.
"""

from __future__ import annotations

import html
import re

from newsletter.render.tags.expansion import Piece

# Where MDX syntax may begin in prose: an ESM statement at the start of a line, a JSX element
# whose name is capitalised (HTML's are not case-sensitive, but no HTML element is written
# <Chart>), a closing one, or an expression in braces (an escaped \{ is text).
OPENING = re.compile(r"^(?:import|export)[ \t]|</[A-Z][\w.]*\s*>|<[A-Z][\w.]*(?=[\s/>])"
                     r"|(?<![\\{])\{(?![{%])", re.MULTILINE)
_BLANK_LINE = re.compile(r"\n[ \t]*(?:\n|\Z)")
MAX_JSX_CHARS = 4000  # read of one component's opening tag or one expression, at most


def read(text: str, pos: int, limit: int) -> Piece:
    """The MDX syntax at ``pos`` (where :data:`OPENING` matched), read up to ``limit``. Each
    character is read once: what is read is what the piece covers (posts are hostile)."""
    if text.startswith(("import", "export"), pos):  # ends at the paragraph's end, as in MDX
        blank = _BLANK_LINE.search(text, pos, limit)
        return Piece(blank.start() if blank else limit, "")
    opening = OPENING.match(text, pos)[0]
    if opening.startswith("</"):  # the opening tag is reported
        return Piece(pos + len(opening), html.escape(opening, quote=False))
    end = _balanced_end(text, pos, limit)
    source = text[pos:end]
    if source.startswith("{/*") and source.endswith("*/}"):
        return Piece(end, "")
    shown = html.escape(source, quote=False)
    if opening.startswith("<"):
        return Piece(end, shown, f"{opening}> is an MDX component: what it shows is made by the "
                     "site's code, which an email cannot run",
                     "write what it shows into the post (text, a link, an image), or remove it")
    return Piece(end, shown, f"{' '.join(source.split())[:60]} is an MDX expression: the site's "
                 "code works it out, an email cannot", "write its value into the post, or "
                 "escape the brace as \\{")


def _balanced_end(text: str, pos: int, limit: int) -> int:
    """The end of the component's opening tag or of the expression at ``pos``: the ``>`` or
    ``}`` outside braces and quotes; else where the paragraph, or :data:`MAX_JSX_CHARS`, ends."""
    depth, quote = 0, ""
    stop = min(limit, pos + MAX_JSX_CHARS)
    closer = ">" if text[pos] == "<" else "}"
    for index in range(pos, stop):
        char = text[index]
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'`" and depth > 0 or char in "\"'" and closer == ">":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and closer == "}":
                return index + 1
        elif char == closer and depth == 0:
            return index + 1
        elif char == "\n" and _BLANK_LINE.match(text, index):
            return index
    return stop
