"""Attribute lists (``{#id .class}``) as Hugo, kramdown and Zola read them after a heading.

Only ids and classes are kept: other attributes (``onclick=...``) are dropped, so a post cannot
add behaviour or styles this way.
"""

from __future__ import annotations

import re

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

# The parts of an attribute list: #id, .class, key=value (dropped). A key is read from its first
# character only, so a long word is never read again from each of its characters.
_ATTRIBUTE = re.compile(r"""#([^\s#.{}"'=]+)|\.([^\s#.{}"'=]+)"""
                        r"""|(?<![\w-])[\w-]+=(?:"[^"]*"|'[^']*'|[^\s"'{}]+)""")


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
