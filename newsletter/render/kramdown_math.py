"""kramdown's math, ``$$...$$``: LaTeX the blog's MathJax or KaTeX draws, which no email client
runs. kramdown keeps what is between the marks as written (no emphasis in ``x_i + y_i``, no
escape eating ``\\\\``), so the email shows that LaTeX as code, unchanged: a ``$$`` paragraph of
its own (kramdown's math block) as a code block, one inside text as inline code."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

MARK = "$$"


def math_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("paragraph", "kramdown_math_block", _math_block)
    md.inline.ruler.before("backticks", "kramdown_math_inline", _math_inline)


def _math_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Lines from one starting with ``$$`` to one ending with it, after a blank line (kramdown
    reads a math block only where a block may start)."""
    if state.is_code_block(start):
        return False
    first = state.src[state.bMarks[start] + state.tShift[start]:state.eMarks[start]]
    if not first.startswith(MARK):
        return False
    last = _closing_line(state, start, end, first)
    if last is None:
        return False
    if silent:
        return True
    lines = state.getLines(start, last + 1, state.sCount[start], False).strip()
    token = state.push("fence", "code", 0)
    token.info, token.markup, token.map = "math", MARK, [start, last + 1]
    token.content = lines[len(MARK):-len(MARK)].strip() + "\n"
    state.line = last + 1
    return True


def _closing_line(state: StateBlock, start: int, end: int, first: str) -> int | None:
    """The line ending the block that opens on ``start``; None when the paragraph ends first.
    Lines searched without finding one are not searched again (linear time on hostile posts)."""
    if len(first.rstrip()) > len(MARK) and first.rstrip().endswith(MARK):
        return start
    searched = state.env.setdefault("kramdown_math_searched", {})
    if start < searched.get(end, -1):
        return None
    for number in range(start + 1, end):
        text = state.src[state.bMarks[number] + state.tShift[number]:state.eMarks[number]]
        if not text.strip():
            break  # a blank line ends the paragraph: no math block
        if text.rstrip().endswith(MARK):
            return number
    else:
        number = end
    searched[end] = number
    return None


def _math_inline(state: StateInline, silent: bool) -> bool:
    """``$$...$$`` inside text: inline code of the LaTeX between the marks."""
    if not state.src.startswith(MARK, state.pos):
        return False
    unclosed = state.env.get("kramdown_math_unclosed")
    if unclosed and unclosed[0] is state.src and state.pos >= unclosed[1]:
        return False
    close = state.src.find(MARK, state.pos + len(MARK))
    if close < 0:
        state.env["kramdown_math_unclosed"] = (state.src, state.pos)
        return False
    content = state.src[state.pos + len(MARK):close].strip()
    if not content:
        return False
    if not silent:
        token = state.push("code_inline", "code", 0)
        token.markup, token.content = MARK, " ".join(content.split())
    state.pos = close + len(MARK)
    return True
