"""The Markdown LoveIt, DoIt and FixIt add to Hugo's (their "extended Markdown syntax"), on
the sites that use those themes: ``[Hugo]^(a static site generator)`` is a ruby annotation,
``[90]/[100]`` a fraction, ``:(fas fa-heart):`` a Font Awesome icon, and ``{?X}`` writes X
as it is (``[Hugo]{?^}(...)`` is not an annotation). The themes rewrite the page's HTML with
them, so the email showed the brackets as written.

Read in text only (not in code); the annotation keeps ``<rp>`` parentheses for the mail
programs that show no ruby, and the text part reads "Hugo(a static site generator)". An
icon font does not load in an email: the icon is left out.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

MARKS = frozenset({"ruby", "fraction", "fontawesome"})
_PATTERNS = {"ruby": r"\[(?P<base>[^\[\]]+?)\]\^\((?P<note>[^()]+?)\)",
             "fraction": r"\[(?P<over>[^\[\]]+?)\]/\[(?P<under>[^\[\]]+?)\]",
             "fontawesome": r":\((?P<icon>[\w -]+?)\):"}
_ESCAPE = r"\{\?(?P<escaped>.)\}"


def theme_marks_plugin(md: MarkdownIt, enabled: frozenset[str]) -> None:
    pattern = re.compile("|".join([_ESCAPE] + [_PATTERNS[name] for name in sorted(enabled)]))
    md.core.ruler.push("theme_marks", lambda state: _marks(state, pattern))


def _marks(state: StateCore, pattern: re.Pattern) -> None:
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        children = []
        for child in token.children:
            if child.type == "text" and pattern.search(child.content):
                children.extend(_split(child.content, pattern))
            else:
                children.append(child)
        token.children = children


def _split(text: str, pattern: re.Pattern) -> list[Token]:
    """``text`` as text and HTML tokens, each mark its elements."""
    tokens, at = [], 0
    for found in pattern.finditer(text):
        tokens.append(_text(text[at:found.start()]))
        parts = found.groupdict()
        if parts["escaped"] is not None:
            tokens.append(_text(parts["escaped"]))
        elif parts.get("base") is not None:
            tokens += [_html("<ruby>"), _text(parts["base"]), _html("<rp>(</rp><rt>"),
                       _text(parts["note"]), _html("</rt><rp>)</rp></ruby>")]
        elif parts.get("over") is not None:
            tokens += [_html("<sup>"), _text(parts["over"]), _html("</sup>/<sub>"),
                       _text(parts["under"]), _html("</sub>")]
        at = found.end()
    tokens.append(_text(text[at:]))
    return [token for token in tokens if token.content]


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _html(content: str) -> Token:
    token = Token("html_inline", "", 0)
    token.content = content
    return token
