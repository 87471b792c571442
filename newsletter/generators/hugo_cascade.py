"""Hugo's ``cascade`` (gohugo.io/content-management/front-matter/#cascade): front matter a
section's ``_index.md`` (or the site's settings) passes down to the pages below it, unless a page
sets the value itself; the nearest section wins. It is how Hugo's documentation makes a headless
section (``cascade: {build: {render: never, list: never}}``) or keeps a whole section a draft.

Only the values that decide whether and when a page is published are taken: ``draft``,
``build``, the publish and expiry dates. A ``target`` (or ``_target``) limits a cascade to
pages whose logical path (``/posts/**``), kind (``page``, ``section``), language or environment
(``production``, as ``hugo`` builds, unless the deploy names another) match.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Any, Callable

from newsletter.generators.settings_files import lower_keys

PASSED_DOWN = ("draft", "build", "_build", "publishdate", "pubdate", "published",
               "expirydate", "unpublishdate")
FrontMatterOf = Callable[[Path], dict[str, Any]]
FoldersOf = Callable[[tuple[str, ...]], list[Path]]


def cascaded(relative: PurePosixPath, folders_of: FoldersOf, site_cascade: Any,
             build: dict[str, str], front_matter_of: FrontMatterOf) -> dict[str, Any]:
    """The values the page at ``relative`` (its path in the content) inherits; ``folders_of``
    gives the site's folders of a section path (``content/posts``, and one mounted there);
    ``build`` the ``lang`` and ``environment`` Hugo builds the page in."""
    base = relative.stem.partition(".")[0]
    kind = "section" if base == "_index" else "page"
    folders = relative.parts[:-1]
    logical = "/" + "/".join((*folders, base) if base not in ("index", "_index") else folders)
    found: dict[str, Any] = {}
    sources = [site_cascade]
    for depth in range(len(folders) + 1):
        index = next((folder / f"_index.{ext}" for folder in folders_of(folders[:depth])
                      for ext in ("md", "markdown", "html")
                      if (folder / f"_index.{ext}").is_file()), None)
        if index is not None:
            sources.append(front_matter_of(index).get("cascade"))
    for cascade in sources:  # the nearest last: its values win
        for entry in cascade if isinstance(cascade, list) else [cascade]:
            entry = lower_keys(entry) if isinstance(entry, dict) else None
            if entry and _targets(entry, {"path": logical, "kind": kind, **build}):
                found.update({key: value for key, value in entry.items() if key in PASSED_DOWN})
    return found


def _targets(entry: dict[str, Any], wanted: dict[str, str]) -> bool:
    target = entry.get("target") or entry.get("_target")
    if not isinstance(target, dict):
        return True
    return all(_glob(str(pattern)).fullmatch(wanted[key])
               for key, pattern in target.items() if key in wanted and pattern)


def _glob(pattern: str) -> re.Pattern:
    """Hugo's globs: ``**`` any path, ``*`` one part, ``?`` one character, ``{a,b}`` either."""
    out, index = [], 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**", index):
            out.append(".*")
            index += 2
            continue
        if char == "{" and "}" in pattern[index:]:
            end = pattern.index("}", index)
            out.append("(?:" + "|".join(map(re.escape, pattern[index + 1:end].split(","))) + ")")
            index = end + 1
            continue
        out.append("[^/]*" if char == "*" else "[^/]" if char == "?" else re.escape(char))
        index += 1
    return re.compile("".join(out), re.IGNORECASE)
