"""ERB in a Bridgetown post's prose: ``<%= render "note" %>`` and ``<% if ... %>`` are Ruby the
site runs when it builds the page (ERB is Bridgetown's default template engine, and it runs
Markdown files through it too: bridgetownrb.com/docs/template-engines). No email can run it, so
each tag is reported at its line and shown as text; ``<%# a comment %>`` is left out. Code is
not read here: the expander only hands over prose.
"""

from __future__ import annotations

import html
import re

from newsletter.render.tags.expansion import Piece, snippet

OPENING = re.compile(r"<%(?!%)")  # <%% is ERB's escaped, literal <%
MAX_ERB_CHARS = 4000  # of one tag, at most


def read(text: str, pos: int, limit: int) -> Piece:
    """The ERB tag opening at ``pos``: left out if a comment, else shown as text and reported."""
    close = text.find("%>", pos + 2, min(limit, pos + MAX_ERB_CHARS))
    if close < 0:
        return Piece(pos + 2, "&lt;%", f"{snippet(text, pos, limit)}\u2026 is never closed",
                     "end the ERB tag with %>, or put it in code if it is meant literally")
    end = close + 2
    if text.startswith("<%#", pos):
        return Piece(end, "")
    return Piece(end, html.escape(text[pos:end]),
                 f"{snippet(text, pos, end)} is ERB, Ruby the site runs when it builds the "
                 "page; an email cannot",
                 "write what it shows into the post, or put it in code")
