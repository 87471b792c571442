"""Dashes, ellipses and kramdown's guillemets: the replacements the generators' typographers
make, in place of markdown-it's own.

markdown-it's replacements also turn ``(c)``, ``(tm)`` and ``(r)`` into ©, ™ and ®, ``+-``
into ±, two dots into an ellipsis, and cut ``!!!!``, ``????`` and ``,,`` short. No generator's
typographer does (kramdown, Goldmark's, SmartyPants, Python-Markdown's smarty): "(a), (b) or
(c)" lost its (c) to a copyright sign. Made here: ``---`` an em dash and ``--`` an en dash (as
markdown-it makes them), ``...`` an ellipsis; for kramdown, ``<<`` and ``>>`` are « and », a
space inside them a no-break space (``<< oui >>`` is «\u00a0oui\u00a0»), as kramdown writes them.
Text inside an autolink (its address) is left as written.
"""

from __future__ import annotations

import re
from functools import partial

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

_EM_DASH = re.compile(r"(^|[^-])---(?=[^-]|$)", re.M)
_EN_DASH = re.compile(r"(^|\s)--(?=\s|$)", re.M)
_EN_DASH_BETWEEN = re.compile(r"(^|[^-\s])--(?=[^-\s]|$)", re.M)
_GUILLEMETS = re.compile(r"<< |<<| >>|>>")
_GUILLEMET = {"<< ": "\u00ab\u00a0", "<<": "\u00ab", " >>": "\u00a0\u00bb", ">>": "\u00bb"}
_MARKS = re.compile(r"--|\.\.\.|<<|>>")


def punctuation_plugin(md: MarkdownIt, guillemets: bool = False) -> None:
    """Replace markdown-it's ``replacements`` rule by :func:`_replace`."""
    md.core.ruler.at("replacements", partial(_replace, guillemets))


def _replace(guillemets: bool, state: StateCore) -> None:
    if not state.md.options.typographer:
        return
    for token in state.tokens:
        if token.type != "inline" or not token.children or not _MARKS.search(token.content):
            continue
        in_autolink = False
        for child in token.children:
            if child.type in ("link_open", "link_close") and child.info == "auto":
                in_autolink = child.type == "link_open"
            elif child.type == "text" and not in_autolink:
                child.content = _replaced(child.content, guillemets)


def _replaced(text: str, guillemets: bool) -> str:
    text = text.replace("...", "\u2026")
    text = _EM_DASH.sub("\\1\u2014", text)
    text = _EN_DASH_BETWEEN.sub("\\1\u2013", _EN_DASH.sub("\\1\u2013", text))
    return _GUILLEMETS.sub(lambda found: _GUILLEMET[found[0]], text) if guillemets else text
