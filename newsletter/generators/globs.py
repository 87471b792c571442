"""Globs as generators write them in their settings: ``**/`` any folders, ``*`` within one,
``[^_]`` a class of characters, ``{md,mdx}`` one of the choices."""

from __future__ import annotations

import re

_GLOB_GROUP = re.compile(r"\[([^\]/]+)\]|\{([^{}/]*,[^{}/]*)\}")


def glob_matches(pattern: str, relative: str) -> bool:
    """Whether a site-relative path is ``pattern`` or lies in a folder ``pattern`` matches."""
    regex = glob_regex(pattern.strip().strip("/"))
    parts = relative.split("/")
    return any(regex.fullmatch("/".join(parts[:end])) for end in range(1, len(parts) + 1))


def glob_regex(pattern: str) -> re.Pattern:
    """A glob as a regular expression: ``**/`` any folders, ``*`` and ``?`` within one,
    ``[^_]`` a class of characters, ``{md,mdx}`` one of the choices."""
    out, index = [], 0
    while index < len(pattern):
        group = _GLOB_GROUP.match(pattern, index)
        if group and group[0].startswith("["):
            negated = group[1][:1] in ("!", "^")
            inside = group[1][1:] if negated else group[1]
            out.append(("[^/" if negated else "[") + inside.replace("\\", "\\\\") + "]")
            index = group.end()
        elif group:
            out.append("(?:" + "|".join(glob_regex(choice).pattern
                                         for choice in group[2].split(",")) + ")")
            index = group.end()
        elif pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        elif pattern[index] == "*":
            out.append("[^/]*")
            index += 1
        elif pattern[index] == "?":
            out.append("[^/]")
            index += 1
        else:
            out.append(re.escape(pattern[index]))
            index += 1
    return re.compile("".join(out))
