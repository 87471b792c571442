"""Math the blog's MathJax or KaTeX draws, which no email client runs: kramdown's ``$$...$$``,
Hugo's passthrough delimiters (``\\[...\\]``, ``\\(...\\)``, ``$$...$$``, as the site's
``[markup.goldmark.extensions.passthrough]`` sets them) and remark-math's ``$...$`` and
``$$...$$``. Between its marks the blog keeps the LaTeX as written (no emphasis in
``x_i * y_i``, no escape eating ``\\\\``), so the email shows that LaTeX as code, unchanged: a
block delimiter opening a paragraph of its own (a math block) as a code block, math inside text
as inline code."""

from __future__ import annotations

from functools import partial

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

Delimiters = tuple[tuple[str, str], ...]  # (opening, closing) pairs
KRAMDOWN: Delimiters = (("$$", "$$"),)


def math_plugin(md: MarkdownIt, blocks: Delimiters = KRAMDOWN, inline: Delimiters = ()) -> None:
    """Read math between ``blocks`` delimiters (a block, or inside text) and ``inline`` ones
    (inside text only); before escapes, since Hugo's ``\\(`` is one."""
    for number, pair in enumerate(blocks):
        md.block.ruler.before("paragraph", f"math_block_{number}", partial(_math_block, pair))
    pairs = sorted(set(blocks) | set(inline), key=lambda pair: -len(pair[0]))  # $$ before $
    md.inline.ruler.before("escape", "math_inline", partial(_math_inline, tuple(pairs)))


def _math_block(pair: tuple[str, str], state: StateBlock, start: int, end: int,
                silent: bool) -> bool:
    """Lines from one starting with the opening mark to one ending with the closing one, where
    a block may start."""
    if state.is_code_block(start):
        return False
    opening, closing = pair
    first = state.src[state.bMarks[start] + state.tShift[start]:state.eMarks[start]]
    if not first.startswith(opening):
        return False
    last = _closing_line(state, start, end, first, pair)
    if last is None:
        return False
    if silent:
        return True
    lines = state.getLines(start, last + 1, state.sCount[start], False).strip()
    token = state.push("fence", "code", 0)
    token.info, token.markup, token.map = "math", opening, [start, last + 1]
    token.content = lines[len(opening):-len(closing)].strip() + "\n"
    state.line = last + 1
    return True


def _closing_line(state: StateBlock, start: int, end: int, first: str,
                  pair: tuple[str, str]) -> int | None:
    """The line ending the block that opens on ``start``; None when the paragraph ends first.
    Lines searched without finding one are not searched again (linear time on hostile posts)."""
    opening, closing = pair
    if len(first.rstrip()) >= len(opening) + len(closing) and first.rstrip().endswith(closing):
        return start
    searched = state.env.setdefault(f"math_searched {opening}", {})
    if start < searched.get(end, -1):
        return None
    for number in range(start + 1, end):
        text = state.src[state.bMarks[number] + state.tShift[number]:state.eMarks[number]]
        if not text.strip():
            break  # a blank line ends the paragraph: no math block
        if text.rstrip().endswith(closing):
            return number
    else:
        number = end
    searched[end] = number
    return None


def _math_inline(pairs: Delimiters, state: StateInline, silent: bool) -> bool:
    """Math inside text: inline code of the LaTeX between the marks."""
    for opening, closing in pairs:
        if not state.src.startswith(opening, state.pos):
            continue
        unclosed = state.env.setdefault("math_unclosed", {})
        known = unclosed.get(opening)
        if known and known[0] is state.src and state.pos >= known[1]:
            return False
        close = state.src.find(closing, state.pos + len(opening))
        if close < 0:
            unclosed[opening] = (state.src, state.pos)
            return False
        content = state.src[state.pos + len(opening):close].strip()
        if not content:
            return False
        if not silent:
            token = state.push("code_inline", "code", 0)
            token.markup, token.content = opening, " ".join(content.split())
        state.pos = close + len(closing)
        return True
    return False
