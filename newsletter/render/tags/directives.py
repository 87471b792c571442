"""Container directives, ``:::note`` ... ``:::``, as remark-directive reads them in Astro themes
(Cactus's admonitions, Starlight's asides) and Docusaurus reads its admonitions (``:::tip[Title]``,
or ``:::tip Title``), and VitePress its custom containers (``::: tip Title``): the email shows the
label in bold, then the content. Pandoc's fenced divs, as Quarto blogs write them (``:::
{.callout-tip title="Title"}``, its title else a ``## heading`` opening it, else its kind), are
callouts shown so too; a div of other classes (``::: {.column-margin}``) shows its content alone.

Rewritten line for line (the opening line becomes ``**Note:**``, which starts the content's first
paragraph; the closing line an empty one), so every line of the post keeps its number for the
problems reported later. Code is left alone; a directive never closed is left as written. A leaf
directive (``::youtube{id=...}``, a line the theme's code turns into a card) cannot be shown:
a problem at its line; but Fuwari's ``::github{repo="x/y"}`` card is a link to the repository.
"""

from __future__ import annotations

import re

from newsletter.render.dialects import PYTHON_MARKDOWN, Dialect
from newsletter.render.tags.expansion import TemplateProblem
from newsletter.render.tags.html import escape
from newsletter.render.tags.scan import code_regions

# :::name[label]{attributes}, or Docusaurus's :::name Title (its label after a space), or
# VitePress's ::: name Title (markdown-it-container's: a space after the colons)
# VitePress's ::: name Title (markdown-it-container's: a space after the colons); or Pandoc's
# ::: {.callout-note title="..."} (its attributes alone)
_FENCE = re.compile(r"^(:{2,})(?:[ \t]*([A-Za-z][\w-]{0,40})(?:\[([^\]\n]{0,200})\]|[ \t]+([^\s{\[]"
                    r"[^\n{]{0,199}?))?(?:\{[^}\n]{0,500}\})?|[ \t]*\{([^}\n]{0,500})\})?[ \t]*$",
                    re.MULTILINE)
# Fuwari's repository card, ::github{repo="owner/name"}: in the email, a link to it
_GITHUB_CARD = re.compile(r"""::github\{repo=(["'])([\w.-]{1,100}/[\w.-]{1,100})\1\}""")
_CALLOUT = re.compile(r"(?:^|\s)\.callout-([\w-]{1,40})")
_TITLE = re.compile(r"""\btitle=(?:"([^"]*)"|'([^']*)')""")
_HEADING = re.compile(r"\n[ \t]*#{1,6}[ \t]+([^\n]+?)[ \t#]*(?=\n)")


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
        colons, name, label, title, attributes = fence.groups()
        if attributes is not None:
            open_ones.append((fence, colons, _callout(attributes, body, fence.end())))
        elif len(colons) == 2 and (card := _GITHUB_CARD.fullmatch(fence[0].strip())):
            edits[fence.span()] = f"[{card[2]}](https://github.com/{card[2]})"
        elif len(colons) == 2:
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
            if isinstance(shown, re.Match):  # a callout labelled by its heading, there
                edits[(shown.start() + 1, shown.end())] = f"**{escape(shown[1])}:**"
                shown = ""
            edits[opening.span()] = f"**{escape(shown)}:**" if shown else ""
            edits[fence.span()] = ""
    pieces, pos = [], 0
    for (start, end), text in sorted(edits.items()):
        pieces += [body[pos:start], text]
        pos = end
    return "".join(pieces) + body[pos:], problems


def _callout(attributes: str, body: str, end: int) -> str | re.Match:
    """The label of a Pandoc div with ``attributes``: a callout's title, else the heading on its
    first line (which becomes its label, there), else its kind; "" for another div."""
    kind = _CALLOUT.search(attributes)
    if kind is None:
        return ""
    title = _TITLE.search(attributes)
    if title:
        return title[1] if title[1] is not None else title[2]
    return _HEADING.match(body, end) or kind[1].replace("-", " ").capitalize()
