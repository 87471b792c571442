"""MkDocs's admonitions, read as Python-Markdown's admonition extension reads them (``!!! note
"Title"`` over an indented block), and pymdownx.details' collapsible ones (``??? note``, open
with ``???+``), which an email shows open: Material blogs write both. Loaded only for the blogs
whose settings turn them on (``Dialect.admonitions``).
"""

from __future__ import annotations

import re

import markdown
from markdown.extensions.admonition import AdmonitionExtension, AdmonitionProcessor

_OPENING = re.compile(r'(?:^|\n)(?:!!!|\?\?\?\+?) ?([\w\-]+(?: +[\w\-]+)*)(?: +"(.*?)")? *'
                      r'(?:\n|$)')


class _Processor(AdmonitionProcessor):
    RE = _OPENING

    def test(self, parent, block: str) -> bool:
        # the markers first: the regular expression is slow on long blocks, tested again and again
        if ("!!!" in block or "???" in block) and self.RE.search(block):
            return True
        return self.parse_content(parent, block)[0] is not None


class Admonitions(AdmonitionExtension):
    """The admonition extension, its opening line ``!!!`` or ``???``."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's name)
        md.registerExtension(self)
        md.parser.blockprocessors.register(_Processor(md.parser), "admonition", 105)
