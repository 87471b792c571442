"""Fenced code inside an admonition, a collapsible block or a tab (pymdownx.superfences, which
every MkDocs Material blog lists): Python-Markdown's own fenced_code reads fences at the start of
a line only, before the blocks are parsed, so one indented under ``??? note`` became inline code
with its language word (``console $ mkdocs serve``) in the email's text.

Such a block's content is parsed a chunk (blank-line-separated block) at a time: a fence left open
at the end of one is continued by the next, until the closing fence.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.util import AtomicString

_OPENING = re.compile(r"^(?P<fence>`{3,}|~{3,})[ \t]*\.?(?P<language>[\w#.+-]*)[^\n]*(?:\n|$)")
_OPEN = "data-open-fence"  # the fence of a block not yet closed; removed when it is


class _FenceProcessor(BlockProcessor):
    def test(self, parent: etree.Element, block: str) -> bool:
        return bool(_OPENING.match(block)) or self._open_block(parent) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        pre = self._open_block(parent)
        if pre is None:
            opening = _OPENING.match(block)
            pre = etree.SubElement(parent, "pre")
            code = etree.SubElement(pre, "code")
            if opening.group("language"):
                code.set("class", f"language-{opening.group('language')}")
            pre.set(_OPEN, opening.group("fence"))
            code.text, block = AtomicString(""), block[opening.end():]
        else:
            code = pre[0]
            code.text = AtomicString(code.text + "\n\n")
        fence = pre.get(_OPEN)
        lines = block.split("\n")
        closing = next((at for at, line in enumerate(lines)
                        if line.strip().startswith(fence) and not line.strip(fence[0]).strip()),
                       None)
        code.text = AtomicString(code.text + "\n".join(lines[:closing]))
        if closing is not None:
            code.text = AtomicString(code.text + "\n")
            del pre.attrib[_OPEN]
            rest = "\n".join(lines[closing + 1:])
            if rest.strip():
                blocks.insert(0, rest)

    @staticmethod
    def _open_block(parent: etree.Element) -> etree.Element | None:
        last = parent[-1] if len(parent) else None
        return last if last is not None and last.tag == "pre" and last.get(_OPEN) else None


class NestedFences(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's name)
        md.registerExtension(self)
        md.parser.blockprocessors.register(_FenceProcessor(md.parser), "nested_fence", 106)
