"""Container directives, ``:::note`` ... ``:::``, as remark-directive reads them in Astro themes
(Cactus's admonitions, Starlight's asides) and Docusaurus reads its admonitions (``:::tip[Title]``,
or ``:::tip Title``), and VitePress its custom containers (``::: tip Title``): the email shows the
label in bold, then the content.

Rewritten line for line (the opening line becomes ``**Note:**``, which starts the content's first
paragraph; the closing line an empty one), so every line of the post keeps its number for the
problems reported later. Code is left alone; a directive never closed is left as written. A leaf
directive (``::github{repo="x/y"}``, a line the theme's code turns into a card) cannot be shown:
a problem at its line.
"""

from __future__ import annotations

import re

from newsletter.render.dialects import PYTHON_MARKDOWN, Dialect
from newsletter.render.tags.expansion import TemplateProblem
from newsletter.render.tags.html import escape
from newsletter.render.tags.scan import code_regions

# :::name[label]{attributes}, or Docusaurus's :::name Title (its label after a space), or
# VitePress's ::: name Title (markdown-it-container's: a space after the colons)
_FENCE = re.compile(r"^(:{2,})(?:[ \t]*([A-Za-z][\w-]{0,40})(?:\[([^\]\n]{0,200})\]|[ \t]+([^\s{\[]"
                    r"[^\n{]{0,199}?))?(?:\{[^}\n]{0,500}\})?)?[ \t]*$", re.MULTILINE)


def rewrite(body: str, first_line: int = 1,
            dialect: Dialect = PYTHON_MARKDOWN) -> tuple[str, list[TemplateProblem]]:
    """``body`` with each closed container directive outside code shown as a bold label, and
    the leaf directives it holds (``body``, in ``dialect``, starts on ``first_line`` of its
    file)."""
    if not _FENCE.search(body):
        return body, []
    regions = code_regions(body, dialect)
    at, open_ones, edits, problems = 0, [], {}, []
    for fence in _FENCE.finditer(body):
        while at < len(regions) and regions[at].end <= fence.start():
            at += 1
        if at < len(regions) and regions[at].start <= fence.start():
            continue  # in code: shown as written
        colons, name, label, title = fence.groups()
        if len(colons) == 2:
            if name and not title and len(problems) < 100:
                problems.append(TemplateProblem(
                    first_line + body.count("\n", 0, fence.start()),
                    f"{fence[0].strip()[:60]} is a directive the site's code turns into "
                    "something an email cannot show", "write what it shows into the post"))
        elif name:
            shown = label or title or name.replace("-", " ").capitalize()
            open_ones.append((fence, colons, shown))
        elif open_ones and open_ones[-1][1] == colons:
            opening, _, shown = open_ones.pop()
            edits[opening.span()] = f"**{escape(shown)}:**"
            edits[fence.span()] = ""
    pieces, pos = [], 0
    for (start, end), text in sorted(edits.items()):
        pieces += [body[pos:start], text]
        pos = end
    return "".join(pieces) + body[pos:], problems
