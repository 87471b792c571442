"""Attribute lists (``{#id .class}``) as Hugo, kramdown and Zola read them after a heading.

Only ids and classes are kept: other attributes (``onclick=...``) are dropped, so a post cannot
add behaviour or styles this way.
"""

from __future__ import annotations

import re

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

# "## Title {#id .class key=value}": the braces at the end of a heading, and each part inside.
_HEADING_ATTRIBUTES = re.compile(r"[ \t]+\{:?[ \t]*([^{}]*?)[ \t]*\}[ \t]*$")
_ATTRIBUTE = re.compile(r"""#([^\s#.{}"'=]+)|\.([^\s#.{}"'=]+)|[\w-]+=(?:"[^"]*"|'[^']*'|\S+)""")


def heading_attributes(state: StateCore) -> None:
    """Move a heading's trailing ``{#id .class}`` onto the heading (a core rule, run before
    inline parsing)."""
    tokens = state.tokens
    for index, token in enumerate(tokens[:-1]):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        match = _HEADING_ATTRIBUTES.search(inline.content)
        if match and match[1] and not _ATTRIBUTE.sub("", match[1]).strip():
            inline.content = inline.content[:match.start()]
            set_attributes(token, match[1])


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
