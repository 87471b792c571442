"""pymdownx.mark, .caret and .tilde in Python-Markdown blogs (MkDocs Material's, Pelican's and
Nikola's ``MARKDOWN`` settings): ``==marked==``, ``^^inserted^^``, ``~~deleted~~``, ``H~2~O`` and
``x^2^`` are ``<mark>``, ``<ins>``, ``<del>``, ``<sub>`` and ``<sup>``, as the blog shows them.
Python-Markdown reads none of them itself, so the email showed the markers as written.

The same names as Hugo's extras (``Dialect.extras``): ``mark``, ``insert``, ``delete``,
``subscript``, ``superscript``. A doubled marker pairs around text that neither starts nor ends
with a space (``a == b`` stays text); a single one takes text without spaces, as pymdownx reads it.
"""

from __future__ import annotations

import markdown
from markdown.inlinepatterns import SimpleTagInlineProcessor

# (extra, pattern, element, priority): the doubled markers before the single ones.
_PATTERNS = (
    ("mark", r"(==)(?!\s)(.+?)(?<!\s)==", "mark", 68),
    ("insert", r"(\^\^)(?!\s)(.+?)(?<!\s)\^\^", "ins", 67),
    ("delete", r"(~~)(?!\s)(.+?)(?<!\s)~~", "del", 67),
    ("superscript", r"(\^)([^\s^]+)\^", "sup", 66),
    ("subscript", r"(~)([^\s~]+)~", "sub", 66),
)


class Marks(markdown.Extension):
    """The ``enabled`` extras' inline patterns."""

    def __init__(self, enabled: frozenset[str]):
        super().__init__()
        self.enabled = enabled

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's name)
        md.registerExtension(self)
        for extra, pattern, element, priority in _PATTERNS:
            if extra in self.enabled:
                md.inlinePatterns.register(SimpleTagInlineProcessor(pattern, element),
                                           f"pymdown_{element}", priority)
