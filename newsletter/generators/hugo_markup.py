"""How a Hugo site's Goldmark shows Markdown (gohugo.io/configuration/markup), as the options of
the email's Markdown dialect (newsletter/render/dialects.py).

Hugo's defaults: raw HTML is not shown (``renderer.unsafe = false``: Goldmark writes
``<!-- raw HTML omitted -->`` in its place), the typographer sets quotes, dashes and ellipses
(``extensions.typographer.disable = false``; before Hugo 0.112 ``typographer`` was a bool), and
bare addresses are links (``extensions.linkify = true``), math is not read
(``extensions.passthrough.enable = false``), a line's end within a paragraph is a space
(``renderer.hardWraps = false``; true makes it a line break), a ``{.class}`` line after a
block is text (``parser.attribute.block = false``; true makes it the block's attributes),
``~~a~~`` is struck through (``extensions.strikethrough``), and ``==a==``, ``++a++``, ``H~2~O``
and ``1^st^`` are text unless the site enables those ``extensions.extras``.
Emoji codes (``:tada:``) are text unless the site sets ``enableEmoji = true``.
"""

from __future__ import annotations

import html
from typing import Any

# [markup.goldmark.extensions.extras] (Hugo 0.126), each off unless ``enable = true``
EXTRAS = ("delete", "insert", "mark", "subscript", "superscript")
# The themes with Markdown of their own, and what it writes (newsletter/render/theme_marks.py)
_MARKING_THEMES = ("loveit", "doit", "fixit")
THEME_MARKS = ("ruby", "fraction", "fontawesome")
SUMMARY_DIVIDER = "<!--more-->"  # ends a post's summary (gohugo.io/content-management/summaries)


def goldmark_options(config: dict[str, Any]) -> dict[str, Any]:
    """``raw_html``, ``hard_wraps``, ``block_attributes``, ``smart_punctuation``, ``autolinks``,
    ``emoji``, ``strikethrough``, ``extras``, ``quotes`` and the math delimiters as the site's
    ``[markup.goldmark]`` (keys in lower case) sets them, Hugo's defaults otherwise."""
    goldmark = _table(_table(config, "markup"), "goldmark")
    extensions = _table(goldmark, "extensions")
    typographer = extensions.get("typographer", True)
    quotes = _quotes(typographer) if isinstance(typographer, dict) else ()
    if isinstance(typographer, dict):
        typographer = typographer.get("disable") is not True
    renderer = _table(goldmark, "renderer")
    attributes = _table(_table(goldmark, "parser"), "attribute")
    return {"raw_html": renderer.get("unsafe") is True,
            "hard_wraps": renderer.get("hardwraps") is True,
            "block_attributes": attributes.get("block") is True,
            "smart_punctuation": typographer is not False,
            "autolinks": extensions.get("linkify", True) is not False,
            "emoji": config.get("enableemoji") is True,
            "strikethrough": extensions.get("strikethrough") is not False,
            "extras": frozenset(name for name in EXTRAS if _table(
                _table(extensions, "extras"), name).get("enable") is True),
            "theme_marks": _theme_marks(config), **({"quotes": quotes} if quotes else {}),
            **_cjk(_table(extensions, "cjk")),
            **_passthrough(_table(extensions, "passthrough"))}


def _quotes(typographer: dict[str, Any]) -> tuple[str, ...]:
    """The typographer's quotes where the site sets them (French ``leftDoubleQuote =
    "&laquo;&nbsp;"``), Goldmark's for the others, in markdown-it's order (double, then
    single); none where it sets none."""
    values = [typographer.get(f"{side}{kind}quote") for kind in ("double", "single")
              for side in ("left", "right")]
    if not any(isinstance(value, str) and value for value in values):
        return ()
    return tuple(html.unescape(value) if isinstance(value, str) and 0 < len(value) <= 20
                 else default for value, default in zip(values, "\u201c\u201d\u2018\u2019"))


def _cjk(cjk: dict[str, Any]) -> dict[str, bool]:
    """Goldmark's CJK extension's ``eastasianlinebreaks`` and ``escapedspace``, each off
    unless the extension is enabled too."""
    enabled = cjk.get("enable") is True
    return {"east_asian_line_breaks": enabled and cjk.get("eastasianlinebreaks") is True,
            "escaped_space": enabled and cjk.get("escapedspace") is True}


def _theme_marks(config: dict[str, Any]) -> frozenset[str]:
    """The Markdown of their own LoveIt, DoIt and FixIt read (``ruby``, ``fraction``,
    ``fontawesome``), where the site's theme (``theme``, or a module it imports) is one of
    them: each unless its ``params.page`` turns it off."""
    themes = config.get("theme")
    names = [themes] if isinstance(themes, str) else list(themes or ()) \
        if isinstance(themes, list) else []
    names += [entry.get("path") for entry in _table(config, "module").get("imports") or ()
              if isinstance(entry, dict)]
    if not any(isinstance(name, str) and name.rstrip("/").rpartition("/")[2].lower() in
               _MARKING_THEMES for name in names):
        return frozenset()
    page = _table(_table(config, "params"), "page")
    return frozenset(mark for mark in THEME_MARKS if page.get(mark) is not False)


def _passthrough(passthrough: dict[str, Any]) -> dict[str, Any]:
    """The delimiters of the passthrough extension (Hugo's way to math: the text between them
    is left as written for KaTeX or MathJax), ``math_blocks`` and ``math_inline``: pairs of
    non-empty strings, as the site lists them; none while it is not enabled."""
    if passthrough.get("enable") is not True:
        return {}
    delimiters = _table(passthrough, "delimiters")
    return {f"math_{kind}": tuple(
        (pair[0], pair[1]) for pair in delimiters.get(key) or ()
        if isinstance(pair, list) and len(pair) == 2
        and all(isinstance(mark, str) and 0 < len(mark) <= 10 for mark in pair))
        for kind, key in (("blocks", "block"), ("inline", "inline"))}


def _table(table: dict[str, Any], key: str) -> dict[str, Any]:
    value = table.get(key)
    return value if isinstance(value, dict) else {}
