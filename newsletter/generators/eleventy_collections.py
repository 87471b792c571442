"""The posts collection an Eleventy blog's settings make from globs
(``eleventyConfig.addCollection("posts", api => api.getFilteredByGlob("./src/posts/*.md"))``),
as many blogs make their posts one, read from the settings' code without running it: the glob
written in the call, or in a constant or a helper function the call names."""

from __future__ import annotations

import re
from pathlib import Path

COLLECTIONS = ("posts", "post")  # eleventy-base-blog's, and 11ty.dev's examples'
GLOB_COLLECTIONS = (*COLLECTIONS, "blog", "articles")
_ADD_COLLECTION = re.compile(r"""\baddCollection\(\s*(["'`])(\w+)\1""")
_GLOBS = r"""\[[^\]]*\]|(["'`])[^"'`\n]+\{0}"""  # "glob", or [...]
_BY_GLOB = re.compile(r"\bgetFilteredByGlob\(\s*(" + _GLOBS.format(2) + r"|[A-Za-z_$][\w$]*)")
_CALLED = re.compile(r"\b([A-Za-z_$][\w$]*)\s*\(")
_TOP_LEVEL_LINE = re.compile(r"\n(?=[^\s})\]])")  # a statement's end, in formatted code
_JS_STRING = re.compile(r"""(["'`])([^"'`\n]+)\1""")


def glob_collection(text: str) -> tuple[str | None, tuple[str, ...]]:
    """The posts collection the settings' code ``text`` (its comments left out) makes from
    globs, and those globs (from the site's folder, ``{md,njk}`` alternatives spelled out);
    (None, ()) when there is none."""
    calls = list(_ADD_COLLECTION.finditer(text))
    made: dict[str, list[str]] = {}
    for index, call in enumerate(calls):
        end = calls[index + 1].start() if index + 1 < len(calls) else len(text)
        region = text[call.end():end]
        region += "".join(_definition(text, name) for name in set(_CALLED.findall(region)))
        for found in _BY_GLOB.finditer(region):
            written = found[1] if found[1][0] in "[\"'`" else _definition(text, found[1])
            made.setdefault(call[2], []).extend(
                glob for _, each in _JS_STRING.findall(written)
                for glob in _alternatives(each.strip().removeprefix("./")))
    name = next((name for name in GLOB_COLLECTIONS if made.get(name)), None)
    return name, tuple(made[name]) if name else ()


# What the blog's feed lists: a feed template's loop over collections.X (feed.njk,
# feed.xml.njk, feed.liquid...), or the RSS plugin's feedPlugin option collection: {name: "X"}.
_FEED_LOOP = re.compile(r"""\bcollections(?:\.(\w+)|\[\s*["'](\w+)["']\s*\])""")
_FEED_OPTION = re.compile(r"""\bcollection\s*:\s*\{\s*name\s*:\s*["'`](\w+)["'`]""")


def feed_collection(config_text: str, input_dir: Path) -> str | None:
    """The collection the blog's feed is made of, where it is not named ``posts`` or ``post``
    (``_posts``, as writers name a collection to keep it out of their tag lists): the posts a
    reader of the feed gets, so the ones to mail."""
    found = _FEED_OPTION.search(config_text)
    if found:
        return found[1]
    for feed in sorted(input_dir.glob("feed*")) + sorted(input_dir.glob("*/feed*")):
        text = feed.read_text(encoding="utf-8", errors="replace") if feed.is_file() else ""
        names = [first or second for first, second in _FEED_LOOP.findall(text)]
        if names and names[0] != "all":  # every template of the site: no telling posts apart
            return names[0]
    return None


def _definition(text: str, name: str) -> str:
    """The top-level ``const name = ...`` or ``function name(...) {...}`` of the settings' code
    (a glob kept in a constant, a helper making the collection), or ""."""
    found = re.search(rf"^(?:(?:const|let|var)\s+{re.escape(name)}\s*=|(?:async\s+)?function"
                      rf"\s+{re.escape(name)}\s*\()", text, re.MULTILINE)
    if not found:
        return ""
    end = _TOP_LEVEL_LINE.search(text, found.end())
    return text[found.start():end.start() if end else len(text)]


def _alternatives(glob: str) -> list[str]:
    """``posts/*.{md,njk}`` → ``posts/*.md``, ``posts/*.njk`` (the first braces only)."""
    found = re.search(r"\{([^{}]*)\}", glob)
    if not found:
        return [glob]
    return [glob[:found.start()] + choice + glob[found.end():] for choice in found[1].split(",")]
