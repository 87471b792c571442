"""Emoji codes (``:tada:``) as the characters, where the site's generator writes them so: Hugo
with ``enableEmoji = true``, Zola with ``render_emoji = true``, Jekyll with the jemoji plugin
(all three read GitHub's codes) and MkDocs with pymdownx.emoji (render/admonitions.py).

A core rule over the text of each paragraph once it is parsed (code is left as written): a code
the ``emoji`` package knows as one of GitHub's aliases or as an emoji's own name
(``:hedgehog:``) becomes its character, in one pass; any other ``:word:`` stays as written, as
Hugo leaves a code it does not know. The package keeps up with each Unicode release, which a
table of our own would not.
"""

from __future__ import annotations

import re
from functools import lru_cache

import emoji
from markdown_it.rules_core import StateCore

# A code at each colon: "10:30:tada:" holds :30: (no emoji) and then :tada:.
_CODE = re.compile(r":(?=([a-z0-9_+-]{1,40}):)")


def emoji_codes(state: StateCore) -> None:
    """Each known code in the text of ``state`` (code spans and blocks aside) as its emoji."""
    for token in state.tokens:
        if token.type == "inline" and token.children:
            for child in token.children:
                if child.type == "text" and ":" in child.content:
                    child.content = _with_emoji(child.content)


def _with_emoji(text: str) -> str:
    pieces, pos = [], 0
    for code in _CODE.finditer(text):
        character = emoji_of(code.group(1)) if code.start() >= pos else None
        if character:
            pieces += [text[pos:code.start()], character]
            pos = code.start() + len(code.group(1)) + 2
    return "".join(pieces) + text[pos:]


def emoji_of(code: str) -> str | None:
    """The emoji GitHub's code names (``tada``), or None when it names none."""
    return _names().get(code)


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Each code the ``emoji`` package knows (its names, then GitHub's aliases over them) and
    its emoji, fully qualified where there are several: what ``emojize(language="alias")``
    gives, looked up once each rather than a pattern run over the text for every code, which
    took 4 ms a code (a post of 50,000 made-up codes took minutes)."""
    names: dict[str, str] = {}
    qualified = emoji.STATUS["fully_qualified"]
    for key in ("en", "alias"):
        found: dict[str, str] = {}
        for character, data in emoji.EMOJI_DATA.items():
            written = data.get(key) or []
            for name in [written] if isinstance(written, str) else written:
                if name not in found or data.get("status") == qualified:
                    found[name] = character
        names.update(found)
    return {name.strip(":"): character for name, character in names.items()}
