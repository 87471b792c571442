"""pymdownx.arithmatex's math in Python-Markdown blogs (MkDocs Material's way to MathJax or
KaTeX): ``$$...$$``, ``\\[...\\]`` and ``\\begin{env}...\\end{env}`` as a block of their own,
``$...$`` and ``\\(...\\)`` inside text. The email shows the LaTeX written, as Markdown posts'
math (render/latex.py): a block as a code block, inside text as inline code. Without it,
Python-Markdown read the LaTeX as Markdown: ``\\\\`` became ``\\``, ``\\(`` ``(``, and
``x_i * y_i`` emphasis."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

_BLOCK = re.compile(r"\s*(?:\$\$(?P<dollars>.+?)\$\$|\\\[(?P<brackets>.+?)\\\]|"
                    r"(?P<environment>\\begin\{(?P<name>[a-z]+\*?)\}.+?\\end\{(?P=name)\}))\s*",
                    re.DOTALL)
# arithmatex's "smart dollar": $ before and after the LaTeX with no space inside them, the
# closing one before no digit: "$5 and $10" stays text. \( looks a line's 1,000 characters
# ahead at most: a hostile line of them unclosed costs no square of its length.
_INLINE = (r"(?<![\\$])\$(?!\s)(?P<dollar>(?:\\.|[^\\$\n])+?)(?<!\s)\$(?![\d$])"
           r"|\\\((?P<parenthesis>.{1,1000}?)\\\)")


class Arithmatex(markdown.Extension):
    """Math blocks before any other block is read, math in text before escapes are."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's name)
        md.registerExtension(self)
        md.parser.blockprocessors.register(_MathBlock(md.parser), "math_block", 95)
        md.inlinePatterns.register(_MathInline(_INLINE, md), "math_inline", 185)


class _MathBlock(BlockProcessor):
    def test(self, parent: etree.Element, block: str) -> bool:
        return ("$$" in block or "\\" in block) and _BLOCK.fullmatch(block) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        found = _BLOCK.fullmatch(blocks.pop(0))
        latex = found["dollars"] or found["brackets"] or found["environment"]
        code = etree.SubElement(etree.SubElement(parent, "pre"), "code",
                                {"class": "language-math"})
        code.text = AtomicString(latex.strip() + "\n")


class _MathInline(InlineProcessor):
    def handleMatch(self, found: re.Match, data: str):  # noqa: N802 (Markdown's name)
        code = etree.Element("code")
        code.text = AtomicString(" ".join((found["dollar"] or found["parenthesis"]).split()))
        return code, found.start(0), found.end(0)
