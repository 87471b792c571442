"""ERB in a Bridgetown post's prose: ``<%= render "note" %>`` and ``<% if ... %>`` are Ruby the
site runs when it builds the page (ERB is Bridgetown's default template engine, and it runs
Markdown files through it too: bridgetownrb.com/docs/template-engines). No email can run it, so
each tag is reported at its line and shown as text; ``<%# a comment %>`` is left out, and
Bridgetown's URL helpers of a path written out (``<%= relative_url "/about" %>``, ``url_for``,
``absolute_url``), in a link's destination as anywhere, are that address, as the page shows it.
Code is not read here: the expander only hands over prose.
"""

from __future__ import annotations

import html
import re

from newsletter.render.tags.context import TagContext
from newsletter.render.tags.expansion import Piece, snippet

OPENING = re.compile(r"<%(?!%)")  # <%% is ERB's escaped, literal <%
MAX_ERB_CHARS = 4000  # of one tag, at most
_URL_HELPER = re.compile(r"""<%=\s*(relative_url|url_for|absolute_url)[ (]\s*"""
                         r"""(["'])([^"'<>\s]{1,2000})\2\s*\)?\s*-?%>""")


def read(text: str, pos: int, limit: int, context: TagContext) -> Piece:
    """The ERB tag opening at ``pos``: left out if a comment, the address if a URL helper of a
    path, else shown as text and reported."""
    close = text.find("%>", pos + 2, min(limit, pos + MAX_ERB_CHARS))
    if close < 0:
        return Piece(pos + 2, "&lt;%", f"{snippet(text, pos, limit)}\u2026 is never closed",
                     "end the ERB tag with %>, or put it in code if it is meant literally")
    end = close + 2
    if text.startswith("<%#", pos):
        return Piece(end, "")
    helper = _URL_HELPER.match(text, pos, end)
    if helper:
        absolute = helper[1] == "absolute_url"
        return Piece(end, html.escape((context.absolute_url if absolute else
                                       context.relative_url)(helper[3])))
    return Piece(end, html.escape(text[pos:end]),
                 f"{snippet(text, pos, end)} is ERB, Ruby the site runs when it builds the "
                 "page; an email cannot",
                 "write what it shows into the post, or put it in code")
