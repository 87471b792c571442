"""A reStructuredText post's metadata as Pelican reads it (docs.getpelican.com/en/latest/
content.html): the title the document opens with, a line underlined (and perhaps overlined)
with one punctuation character repeated, then the field list docutils makes its docinfo of
(``:date:``, ``:summary:``, ``:slug:``, ``:tags:``...), a value going on over indented lines.

The title and field lines are blanked out of the body rather than cut: the body keeps the
file's line numbers, so an error in it names the file's own line.
"""

from __future__ import annotations

import re
from typing import Any

_ADORNMENT = re.compile(r"([!-/:-@\[-`{-~])\1{2,}[ \t]*$")  # ####, ====, ~~~ (3 or more)
_FIELD = re.compile(r"^:([^:\s`][^:`]*):(?:[ \t]+(.*?))?[ \t]*$")


def restructured_metadata(lines: list[str]) -> tuple[dict[str, Any], dict[str, str], str]:
    """(metadata in lower case, each key as written, the body with the title and fields
    blanked) of the reStructuredText file of ``lines``."""
    body = list(lines)
    meta: dict[str, Any] = {}
    spelling: dict[str, str] = {}
    at = _blank_lines_from(lines, 0)
    title_lines = _title_at(lines, at)
    if title_lines:
        first, count, title = title_lines
        meta["title"], spelling["title"] = title, "title"
        body[first:first + count] = [""] * count
        at = _blank_lines_from(lines, first + count)
    while at < len(lines) and (field := _FIELD.match(lines[at])):
        key, value = field[1].strip(), [field[2] or ""]
        body[at] = ""
        at += 1
        while at < len(lines) and lines[at][:1] in (" ", "\t") and lines[at].strip():
            value.append(lines[at].strip())
            body[at] = ""
            at += 1
        meta[key.lower()], spelling[key.lower()] = " ".join(filter(None, value)), key
    return meta, spelling, "\n".join(body)


def _title_at(lines: list[str], at: int) -> tuple[int, int, str] | None:
    """(first line, line count, text) of a section title starting at line ``at``: a text line
    under an adornment as long, or between two of the same character; None if none is."""
    if at + 1 >= len(lines):
        return None
    over = _ADORNMENT.match(lines[at])
    if over and at + 2 < len(lines) and lines[at + 1].strip() and \
            lines[at + 2].strip() == lines[at].strip():
        return at, 3, lines[at + 1].strip()
    under = _ADORNMENT.match(lines[at + 1])
    if not over and lines[at].strip() and under and \
            len(lines[at + 1].rstrip()) >= len(lines[at].strip()):
        return at, 2, lines[at].strip()
    return None


def _blank_lines_from(lines: list[str], at: int) -> int:
    while at < len(lines) and not lines[at].strip():
        at += 1
    return at
