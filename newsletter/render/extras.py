"""Hugo's Goldmark "extras" (gohugo.io/configuration/markup/#extras), for the sites that turn
them on: ``==marked==``, ``++inserted++``, ``H~2~O`` and ``1^st^`` are ``<mark>``, ``<ins>``,
``<sub>`` and ``<sup>``, as the blog shows them; ``~~deleted~~`` is the strikethrough the
dialect already has. Without them the email showed the markers as written.

``==`` and ``++`` pair up as ``~~`` does (markdown-it's delimiter runs, so ``a == b`` in a
sentence stays text); ``~`` and ``^`` take one word, as markdown-it-sub and -sup read them.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter
from mdit_py_plugins.subscript import sub_plugin
from mdit_py_plugins.superscript import superscript_plugin

# Extras by their key in [markup.goldmark.extensions.extras]: the marker of each that pairs
# doubled, as ~~ does, and the element it makes.
PAIRED = {"mark": ("=", "mark"), "insert": ("+", "ins")}


def extras_plugin(md: MarkdownIt, enabled: frozenset[str]) -> None:
    """Read the ``enabled`` extras (``delete`` is the dialect's strikethrough, enabled by the
    caller)."""
    for name, (marker, element) in PAIRED.items():
        if name in enabled:
            md.inline.ruler.before("emphasis", f"extras_{element}", _tokenizer(marker))
            md.inline.ruler2.before("emphasis", f"extras_{element}", _pairer(marker, element))
    if "subscript" in enabled:
        md.use(sub_plugin)
    if "superscript" in enabled:
        md.use(superscript_plugin)


def _tokenizer(marker: str):
    def tokenize(state: StateInline, silent: bool) -> bool:
        """Each doubled marker of a run a text token of its own, on the delimiter list."""
        if silent or state.src[state.pos] != marker:
            return False
        scanned = state.scanDelims(state.pos, True)
        length = scanned.length
        if length < 2:
            return False
        if length % 2:
            state.push("text", "", 0).content = marker
            length -= 1
        for _ in range(length // 2):
            state.push("text", "", 0).content = marker * 2
            state.delimiters.append(Delimiter(marker=ord(marker), length=0,
                                              token=len(state.tokens) - 1, end=-1,
                                              open=scanned.can_open, close=scanned.can_close))
        state.pos += scanned.length
        return True
    return tokenize


def _pairer(marker: str, element: str):
    def pair(state: StateInline) -> None:
        """Each matched pair of doubled markers the element's opening and closing tags."""
        for delimiters in [state.delimiters] + [meta["delimiters"] for meta in state.tokens_meta
                                                if meta and "delimiters" in meta]:
            for opener in delimiters:
                if opener.marker != ord(marker) or opener.end == -1:
                    continue
                closer = delimiters[opener.end]
                for at, kind, nesting in ((opener.token, "open", 1),
                                          (closer.token, "close", -1)):
                    token = state.tokens[at]
                    token.type, token.tag, token.nesting = f"{element}_{kind}", element, nesting
                    token.markup, token.content = marker * 2, ""
    return pair
