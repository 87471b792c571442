"""Goldmark's CJK extension, as a Hugo site's ``[markup.goldmark.extensions.cjk]`` turns it on
(Chinese, Japanese and Korean blogs; LoveIt's, FixIt's and Stack's sites often do):

- ``eastAsianLineBreaks``: a line's end within a paragraph between two East Asian wide
  characters is nothing, not a space; the email put a space into the middle of sentences
  wrapped in the source.
- ``escapedSpace``: ``\\ `` (a backslash before a space), which lets ``**强调**\\ 文字`` close its
  emphasis, shows nothing; the email showed the backslash.

Code spans and blocks keep what they hold.
"""

from __future__ import annotations

import unicodedata

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore


def cjk_plugin(md: MarkdownIt, line_breaks: bool, escaped_space: bool) -> None:
    md.core.ruler.push("cjk", lambda state: _cjk(state, line_breaks, escaped_space))


def _cjk(state: StateCore, line_breaks: bool, escaped_space: bool) -> None:
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        children = token.children
        if escaped_space:
            for child in children:
                if child.type == "text":
                    child.content = child.content.replace("\\ ", "")
        if line_breaks:
            token.children = [child for at, child in enumerate(children)
                              if not (child.type == "softbreak" and _wide_around(children, at))]


def _wide_around(children: list, at: int) -> bool:
    """Whether the characters either side of the line break ``children[at]`` are wide."""
    before = children[at - 1].content[-1:] if at > 0 else ""
    after = children[at + 1].content[:1] if at + 1 < len(children) else ""
    return all(char and unicodedata.east_asian_width(char) in ("W", "F")
               for char in (before, after))
