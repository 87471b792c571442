"""Attribute lists (``{#id .class}``) as Hugo, kramdown and Zola read them after a heading, and
as Hugo reads them on the line after a block where its site turns that on
(``markup.goldmark.parser.attribute.block = true``): that line styles the block and is never
shown.

Only ids and classes are kept: other attributes (``onclick=...``) are dropped, so a post cannot
add behaviour or styles this way.
"""

from __future__ import annotations

import re
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

# The parts of an attribute list: #id, .class, key=value (dropped). A key is read from its first
# character only, so a long word is never read again from each of its characters.
_ATTRIBUTE = re.compile(r"""#([^\s#.{}"'=]+)|\.([^\s#.{}"'=]+)"""
                        r"""|(?<![\w-])[\w-]+=(?:"[^"]*"|'[^']*'|[^\s"'{}]+)""")
_LINE = re.compile(r"\{([^{}\n]*)\}[ \t]*")


def heading_attributes(state: StateCore) -> None:
    """Move a heading's trailing ``{#id .class}`` onto the heading (a core rule, run before
    inline parsing)."""
    tokens = state.tokens
    for index, token in enumerate(tokens[:-1]):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        text = inline.content.rstrip()
        start = text.rfind("{")
        if not text.endswith("}") or start < 1 or text[start - 1] not in " \t":
            continue
        attributes = text[start + 1:-1].removeprefix(":").strip()
        if attributes and not _ATTRIBUTE.sub("", attributes).strip():
            inline.content = text[:start].rstrip()
            set_attributes(token, attributes)


def set_attributes(token: Token, text: str) -> None:
    """The id and classes of an attribute list (``#id .a .b``) set on ``token``."""
    classes = [token.attrGet("class") or ""]
    for found in _ATTRIBUTE.finditer(text):
        if found[1]:
            token.attrSet("id", found[1])
        elif found[2]:
            classes.append(found[2])
    if any(classes):
        token.attrSet("class", " ".join(filter(None, classes)))


def block_attributes(md: MarkdownIt) -> None:
    """Read Goldmark's block attribute lines: a line holding only ``{.note #id key=value}``
    ends the block above (a paragraph's lines included) and gives it its id and classes."""
    md.block.ruler.before("table", "block_attributes", _attribute_line,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.core.ruler.after("block", "block_attributes_apply", _apply_attribute_lines)


def _attribute_line(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4:
        return False  # indented code
    line = state.src[state.bMarks[start] + state.tShift[start]:state.eMarks[start]]
    match = _LINE.fullmatch(line)
    if not match or not match[1].strip() or _ATTRIBUTE.sub("", match[1]).strip():
        return False
    if not silent:
        token = state.push("block_attributes", "", 0)
        token.content, token.map, token.hidden = match[1], [start, start + 1], True
    state.line = start + 1
    return True


def _apply_attribute_lines(state: StateCore) -> None:
    apply_attribute_lines(state, "block_attributes", set_attributes)


def apply_attribute_lines(state: StateCore, kind: str,
                          apply: Callable[[Token, str], None]) -> None:
    """Each attribute line (tokens of ``kind``) applied to the opening of the block right
    above it (``apply(opening, attributes)``); then the lines are gone. Lines in a row after
    one block look for its opening once, so a post of such lines takes linear time."""
    kept: list[Token] = []
    found: tuple[int, Token | None] = (-1, None)  # (len(kept), the block's opening) last found
    for token in state.tokens:
        if token.type != kind:
            kept.append(token)
            continue
        if found[0] != len(kept):
            found = (len(kept), _opening(kept))
        opening = found[1]
        if opening is not None and opening.map and opening.map[1] == token.map[0]:
            apply(opening, token.content)  # else not right after a block: it styles nothing
    state.tokens = kept


def _opening(tokens: list[Token]) -> Token | None:
    """The opening token of the block that ``tokens`` ends with."""
    balance = 0
    for token in reversed(tokens):
        balance -= token.nesting
        if balance <= 0:
            return token if token.nesting == 1 else None
    return None
