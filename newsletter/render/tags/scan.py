"""Where a post's Markdown is code: the parts whose template syntax is shown, not run.

Fenced blocks (a line of three or more backticks or tildes at the start of a line, closed by
the same fence) and indented blocks (a paragraph whose first line is indented four spaces,
unless it continues a list) are found the way Python-Markdown finds them, in one pass each (a
post is hostile input: nothing here may take longer than linear time); in a post written in a
CommonMark dialect, they are the blocks its parser finds (a fence inside a list item is code
there). The raw HTML elements ``<pre>`` and ``<code>`` are code too, and HTML comments are
found: what they hold is never shown. Inline code spans are found as the text is read
(:class:`BacktickRuns`), since a shortcode's parameters may hold backticks.
"""

from __future__ import annotations

import bisect
import re
from newsletter.records import record
from newsletter.render.dialects import PYTHON_MARKDOWN, Dialect

# Python-Markdown's fenced_code opening line (FencedBlockPreprocessor.FENCED_BLOCK_RE).
_FENCE_OPEN = re.compile(r"(~{3,}|`{3,})[ ]*(?:\{[^\n]*\}|\.?[\w#.+-]*[ ]*"
                         r"(?:hl_lines=([\"']).*?\2[ ]*)?)")
_FENCE_CLOSE = re.compile(r"(~{3,}|`{3,})[ ]*")
_FENCES = ("```", "~~~")
_LIST_ITEM = re.compile(r"[ ]{0,3}(?:[*+-]|\d+\.)[ \t]+\S")
_REST_OF_LINE = re.compile(r"[ \t]*(?:\n|\Z)")
_LOOK_BACK = 2000  # characters above a tag looked through for the list item it is in
_HTML_OPEN = re.compile(r"<(pre|code)\b[^<>]{0,500}>|<!--", re.IGNORECASE)
_HTML_CLOSE = {"pre": re.compile(r"</pre\s*>", re.IGNORECASE),
               "code": re.compile(r"</code\s*>", re.IGNORECASE),
               "comment": re.compile(r"-->")}
_BACKTICKS = re.compile("`+")
_RAW_OPEN = re.compile(r"\{%-?\s*raw\s*-?%\}")
_RAW_CLOSE = re.compile(r"\{%-?\s*endraw\s*-?%\}")
# {{ "{{" }}: Liquid prints the string, the way posts write braces Liquid would otherwise read
_STRING_OUTPUT = re.compile(r"""\{\{-?[ \t]*(?:"([^"\n]{0,200})"|'([^'\n]{0,200})')[ \t]*-?\}\}""")
# {{</* shortcode */>}} and {{%/* */%}}: Hugo shows {{< shortcode >}}; Zola's {{/* x() */}} and
# {%/* x() */%} show {{ x() }} and {% x() %} (keyed True: in a Zola post, where Hugo's {{/* */}}
# is a comment). Each opening, its end and what it shows around.
_ESCAPED = {False: re.compile(r"\{\{[<%]/\*"), True: re.compile(r"\{\{[<%]?/\*|\{%/\*")}
_ESCAPED_END = {"{{</*": (re.compile(r"\*/>\}\}"), "{{<", ">}}"),
                "{{%/*": (re.compile(r"\*/%\}\}"), "{{%", "%}}"),
                "{{/*": (re.compile(r"\*/\}\}"), "{{", "}}"),
                "{%/*": (re.compile(r"\*/%\}"), "{%", "%}")}
_BLANK_LINE = re.compile(r"\n[ \t]*(?:\n|\Z)")
TAB_WIDTH = 4
_NEWLINE = re.compile("\n")
_ANY_NEWLINE = re.compile("\r\n|\r|\n")  # CommonMark's line endings


@record(frozen=True)
class Region:
    """A stretch of the text that is code (or an HTML comment): ``text[start:end]``."""

    start: int
    end: int
    kind: str  # "fence", "indented", "pre", "code" or "comment"


class Finder:
    """The next match of a pattern at or after a position. Callers move forward through the
    text, so each search is reused until it is passed: every part is searched about once."""

    def __init__(self, text: str, pattern: re.Pattern):
        self.text, self.pattern = text, pattern
        self._from, self._match, self._searched = 0, None, False

    def next(self, pos: int) -> re.Match | None:
        match = self._match
        if not (self._searched and self._from <= pos and (match is None or match.start() >= pos)):
            self._from, self._searched = pos, True
            match = self._match = self.pattern.search(self.text, pos)
        return match


def code_regions(text: str, dialect: Dialect = PYTHON_MARKDOWN) -> list[Region]:
    """Every code region and HTML comment of ``text`` read in ``dialect``, in order, not
    overlapping."""
    if dialect.html:  # HTML: its <pre>, <code> and comments alone
        return _html(text, [])
    if dialect.commonmark:
        from newsletter.render.commonmark import code_block_lines  # markdown-it-py: when needed

        lines = _lines(text, _ANY_NEWLINE)  # as CommonMark counts them
        regions = [Region(lines[first][0], lines[last - 1][1], "fence")
                   for first, last in code_block_lines(text, dialect) if first < last <= len(lines)]
    else:
        lines = _lines(text, _NEWLINE)
        regions = _fences(text, lines)
        regions += _indented(text, lines, regions)
    regions.sort(key=lambda region: region.start)
    return _merge(regions + _html(text, regions))


def _lines(text: str, newlines: re.Pattern) -> list[tuple[int, int]]:
    """(start, end) of each line, without its newline."""
    spans, start = [], 0
    for newline in newlines.finditer(text):
        spans.append((start, newline.start()))
        start = newline.end()
    spans.append((start, len(text)))
    return spans


def _fences(text: str, lines: list[tuple[int, int]]) -> list[Region]:
    closers: dict[str, list[int]] = {}  # fence -> the lines that could close it, in order
    for number, (start, end) in enumerate(lines):
        if text.startswith(_FENCES, start) and (close := _FENCE_CLOSE.fullmatch(text, start, end)):
            closers.setdefault(close[1], []).append(number)
    regions, number = [], 0
    while number < len(lines):
        start, end = lines[number]
        opening = text.startswith(_FENCES, start) and _FENCE_OPEN.fullmatch(text, start, end)
        if opening:
            candidates = closers.get(opening[1], [])
            at = bisect.bisect_right(candidates, number)
            if at < len(candidates):
                last = candidates[at]
                regions.append(Region(start, lines[last][1], "fence"))
                number = last + 1
                continue
        number += 1
    return regions


def _indented(text: str, lines: list[tuple[int, int]], fences: list[Region]) -> list[Region]:
    """Blank-line separated blocks whose first line is indented like code, outside lists."""
    fence_starts = [region.start for region in fences]
    regions: list[Region] = []
    in_list, block_start, block_end = False, None, 0
    for start, end in [*lines, (len(text) + 1, len(text) + 1)]:
        inside = bisect.bisect_right(fence_starts, start) - 1
        in_fence = inside >= 0 and start <= fences[inside].end
        blank = start > len(text) or in_fence or not text[start:end].strip()
        if blank:
            if block_start is not None:
                in_list = _close_block(text, block_start, block_end, in_list, regions)
                block_start = None
            if in_fence:
                in_list = False
            continue
        if block_start is None:
            block_start = start
        block_end = end
    return regions


def _close_block(text: str, start: int, end: int, in_list: bool, regions: list[Region]) -> bool:
    """Record the block if it is indented code; returns whether a list goes on after it."""
    newline = text.find("\n", start, end)
    first_line = text[start:newline if newline >= 0 else end].expandtabs(TAB_WIDTH)
    if len(first_line) - len(first_line.lstrip(" ")) >= TAB_WIDTH:
        if not in_list:
            regions.append(Region(start, end, "indented"))
        return in_list
    return bool(_LIST_ITEM.match(first_line))


def _html(text: str, regions: list[Region]) -> list[Region]:
    """``<pre>``, ``<code>`` and ``<!-- -->`` outside the Markdown code regions."""
    starts = [region.start for region in regions]
    closers = {kind: Finder(text, pattern) for kind, pattern in _HTML_CLOSE.items()}
    found: list[Region] = []
    pos = 0
    for opening in _HTML_OPEN.finditer(text):
        if opening.start() < pos:
            continue
        inside = bisect.bisect_right(starts, opening.start()) - 1
        if inside >= 0 and opening.start() < regions[inside].end:
            continue
        kind = (opening[1] or "comment").lower()
        closing = closers[kind].next(opening.end())
        if closing:
            found.append(Region(opening.start(), closing.end(), kind))
            pos = closing.end()
    return found


def _merge(regions: list[Region]) -> list[Region]:
    merged: list[Region] = []
    for region in sorted(regions, key=lambda region: region.start):
        if merged and region.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = Region(last.start, max(last.end, region.end), last.kind)
        else:
            merged.append(region)
    return merged


class BacktickRuns:
    """Inline code spans: a run of backticks opens one, the next run of the same length (in
    the same paragraph) closes it."""

    def __init__(self, text: str):
        self.text = text
        self.by_length: dict[int, list[int]] = {}
        for run in _BACKTICKS.finditer(text):
            self.by_length.setdefault(len(run[0]), []).append(run.start())
        self._paragraph_end = Finder(text, _BLANK_LINE)

    def span(self, start: int, limit: int) -> tuple[int, int] | None:
        """(content start, content end) of the code span whose opening run is at ``start``,
        closed before ``limit`` and the paragraph's end; None if it is not closed."""
        text = self.text
        end = run_end(text, start)
        if start > 0 and text[start - 1] == "\\":
            return None  # an escaped backtick opens nothing
        blank = self._paragraph_end.next(end)
        limit = min(limit, blank.start() if blank else len(text))
        runs = self.by_length.get(end - start, [])
        at = bisect.bisect_right(runs, end)
        if at < len(runs) and runs[at] < limit:
            return end, runs[at]
        return None


def run_end(text: str, start: int) -> int:
    """Where the run of backticks at ``start`` ends."""
    return _BACKTICKS.match(text, start).end()


@record(frozen=True)
class Literal:
    """A stretch shown as written wherever it is: raw blocks, escaped shortcodes, Liquid's
    string outputs."""

    start: int
    end: int
    text: str


def literal_spans(text: str, *, zola: bool = False) -> list[Literal]:
    """``{% raw %}`` blocks (their content), ``{{</* x */>}}`` (``{{< x >}}``; in a ``zola`` post
    ``{{/* x() */}}`` is ``{{ x() }}``) and Liquid's string outputs (``{{ "{{" }}`` is ``{{``,
    in code too, as Jekyll renders Liquid before Markdown), in order."""
    found, end = [], 0
    raw_end = Finder(text, _RAW_CLOSE)
    for opening in _RAW_OPEN.finditer(text):
        closing = raw_end.next(opening.end()) if opening.start() >= end else None
        if closing:  # (an opening inside the previous block is its content)
            content = text[opening.end():closing.start()]
            found.append(Literal(opening.start(), closing.end(), content))
            end = closing.end()
    ends, end = {mark: Finder(text, pattern) for mark, (pattern, _, _) in _ESCAPED_END.items()}, 0
    for opening in _ESCAPED[zola].finditer(text):
        mark = opening[0]
        closing = ends[mark].next(opening.end()) if opening.start() >= end else None
        if closing:
            _, before, after = _ESCAPED_END[mark]
            shown = before + text[opening.end():closing.start()] + after
            found.append(Literal(opening.start(), closing.end(), shown))
            end = closing.end()
    found += [Literal(string.start(), string.end(), string[1] if string[1] is not None
                      else string[2]) for string in _STRING_OUTPUT.finditer(text)]
    kept: list[Literal] = []
    for literal in sorted(found, key=lambda literal: literal.start):
        if not kept or literal.start >= kept[-1].end:
            kept.append(literal)
    return kept


def list_indent(text: str, start: int) -> str:
    """The indentation of the list item whose lines hold ``start`` (Hextra's cards indented
    under a step), so a block put there stays in the item; "" outside a list (at the top, four
    spaces would make it code; in an HTML block it stays inline, as it was written)."""
    line_start = text.rfind("\n", 0, start) + 1
    depth = len(text[line_start:start])
    if text[line_start:start].strip():
        return ""  # words before it on its line
    for line in reversed(text[max(0, line_start - _LOOK_BACK):line_start].splitlines()):
        above = len(line) - len(line.lstrip(" \t"))
        if not line.strip() or above >= depth:
            continue
        if item := _LIST_ITEM.match(line.lstrip(" \t")):
            column = above + item.end() - 1  # where the item's text starts
            return " " * column if column <= depth else ""
        if not above:
            return ""  # a paragraph at the top: no list
    return ""


def standalone_indent(text: str, start: int, end: int) -> str | None:
    """Where a block a tag makes stands alone on its lines: "" at a line's start, the list
    item's indentation when indented in one (list_indent); None when words share its lines."""
    if not _REST_OF_LINE.match(text, end):
        return None
    if start == 0 or text[start - 1] == "\n":
        return ""
    return list_indent(text, start) or None
