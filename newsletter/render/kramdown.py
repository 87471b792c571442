"""What kramdown (Jekyll's Markdown) adds to CommonMark, read so none of it leaks as text.

- An attribute list on a line of its own (``{: .note}``, ``{:.no_toc}``, ``{: #intro}``, an
  attribute definition ``{:ref: .x}``, ``{::options ... /}``) styles the web page: dropped, but
  for the id and classes of the heading right above it, which its table of contents and links
  use. A ``{::comment}`` ... ``{:/comment}`` block is dropped whole.
- An attribute list after a link or an image on its line (``[a](x){:target="_blank"}``) is
  dropped; an image keeps the width and height it gives (``{: w="700" h="400"}``) and its
  classes (``{: .align-center}``).
- An abbreviation's definition (``*[HTML]: HyperText Markup Language``) and the end-of-block
  mark (``^`` alone on a line) are dropped too.
- An HTML element written ``markdown="1"`` (or ``"block"``, as Jekyll themes write
  ``<details markdown="block">``) holds Markdown, as kramdown reads it.
- A one-item list followed by ``{:toc}`` (``* TOC``, then ``{:toc}``) is the post's table of
  contents: each heading (not those marked ``.no_toc``) linked by its id, nested by level, as
  kramdown builds it. Those links go to the post on the blog (docs/email.md#fragment-links). A
  second one is dropped.
- Math, ``$$...$$``, is shown as the LaTeX it is, as code (:mod:`newsletter.render.latex`, which
  the kramdown dialect's ``math_blocks`` turn on).
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from newsletter.render.anchors import HEADINGS
from newsletter.render.attribute_lists import set_attributes

_BLOCK_IAL = re.compile(r"\{:([^{}\n]*)\}[ \t]*")
_COMMENT_OPEN = re.compile(r"\{::comment\}[ \t]*")
_COMMENT_CLOSE = re.compile(r".*\{:/(?:comment)?\}[ \t]*")
_SPAN_IAL = re.compile(r"\{::comment\}[^{}]*\{:/(?:comment)?\}|\{:[^{}\n]*\}")
_TOC = re.compile(r"[ \t]*toc[ \t]*")
# A size in an image's attribute list: width= or w=, height= or h=, a number or a percentage,
# in quotes that smart punctuation may have curled.
_SIZE = re.compile(r"""(?<![\w-])(width|height|w|h)=["'\u2018\u2019\u201c\u201d]?"""
                   r"""([0-9]+(?:\.[0-9]+)?%?)(?![\w.%])""")
# The words of an attribute list, a quoted value whole (in quotes smart punctuation may have
# curled): a class is one that starts with a dot ({: .align-center}, {:.shadow.rounded}).
_IAL_WORD = re.compile("[^\\s=]+=(?:[\"\u201c\u201d][^\"\u201c\u201d]*[\"\u201c\u201d]"
                       "|['\u2018\u2019][^'\u2018\u2019]*['\u2018\u2019]|\\S*)|\\S+")
# Lines kramdown reads and never shows: an abbreviation's definition, the end-of-block mark.
_NOT_SHOWN = re.compile(r"\*\[[^\]\n]+\]:.*|\^[ \t]*")
# <div class="note" markdown="1">: the opening tag and its element's name, then the attribute.
_OPENING_TAG = re.compile(r"<([A-Za-z][\w-]*)\b[^<>]*>")
_MARKDOWN_ATTRIBUTE = re.compile(r"""\smarkdown[ \t]*=[ \t]*(["']?)(?:1|block)\1(?=[\s/>])""")
_CLOSING_TAG = re.compile(r"</([A-Za-z][\w-]*)\s*>\s*$")
_LINE_CLOSING_TAG = re.compile(r"(</[A-Za-z][\w-]*\s*>)[ \t]*\n")
MAX_MARKDOWN_IN_HTML = 4
TOC_MARK = "data-kramdown-toc"  # on the list that stands for the table of contents, until built


def kramdown_plugin(md: MarkdownIt) -> None:
    """Read kramdown's attribute lists, comments, ``{:toc}`` and Markdown inside HTML
    (module docstring)."""
    md.block.ruler.before("table", "kramdown_ial", _attribute_line,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.core.ruler.after("block", "kramdown_ial_apply", _apply_attribute_lines)
    md.core.ruler.after("kramdown_ial_apply", "kramdown_markdown_in_html", _markdown_in_html)
    md.core.ruler.push("kramdown_span_ial", _drop_span_attributes)


def _attribute_line(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A line holding only an attribute list, or a ``{::comment}`` block: a hidden token."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False  # indented code
    line = _line(state, start)
    match = _BLOCK_IAL.fullmatch(line)
    if not match and not _NOT_SHOWN.fullmatch(line):
        return False
    last = _comment_end(state, start, end) if _COMMENT_OPEN.fullmatch(line) else start
    if not silent:
        token = state.push("kramdown_ial", "", 0)
        token.content = match[1] if match and last == start else ""
        token.map, token.hidden = [start, last + 1], True
    state.line = last + 1
    return True


def _comment_end(state: StateBlock, start: int, end: int) -> int:
    """The line closing the ``{::comment}`` on line ``start``; ``start`` itself when none does
    (then only that line is dropped, never the rest of the post). Lines already searched
    without a close are not searched again, so a post of unclosed comments takes linear time."""
    unclosed_from = state.env.setdefault("kramdown_unclosed_from", {})
    if start >= unclosed_from.get(end, end):
        return start
    for number in range(start + 1, end):
        if _COMMENT_CLOSE.fullmatch(_line(state, number)):
            return number
    unclosed_from[end] = start
    return start


def _line(state: StateBlock, number: int) -> str:
    return state.src[state.bMarks[number] + state.tShift[number]:state.eMarks[number]]


def _apply_attribute_lines(state: StateCore) -> None:
    """Each attribute line's id and classes onto the heading right above it, ``{:toc}`` onto
    the list right above it; then the lines are gone."""
    kept: list[Token] = []
    found: tuple[int, Token | None] = (-1, None)  # (len(kept), the block's opening) last found
    for token in state.tokens:
        if token.type != "kramdown_ial":
            kept.append(token)
            continue
        if found[0] != len(kept):  # lines in a row after one block look for its opening once
            found = (len(kept), _opening(kept))
        opening = found[1]
        if opening is None or not opening.map or opening.map[1] != token.map[0]:
            continue  # not right after a block: it styles the next one, or nothing
        toc = bool(_TOC.fullmatch(token.content))
        if opening.type == "heading_open" and not toc:
            set_attributes(opening, token.content)
        elif opening.type in ("bullet_list_open", "ordered_list_open") and toc:
            opening.attrSet(TOC_MARK, "")
    state.tokens = kept


def _opening(tokens: list[Token]) -> Token | None:
    """The opening token of the block that ``tokens`` ends with."""
    balance = 0
    for token in reversed(tokens):
        balance -= token.nesting
        if balance <= 0:
            return token if token.nesting == 1 else None
    return None


def _markdown_in_html(state: StateCore) -> None:
    """An HTML block whose element says ``markdown="1"`` (or ``"block"``): what it holds up to
    its closing tag rendered as Markdown, the attribute gone. Nested ones are rendered to
    :data:`MAX_MARKDOWN_IN_HTML` levels, so a post of thousands reads each part a few times."""
    depth = state.env.get("kramdown_html_depth", 0)
    if depth >= MAX_MARKDOWN_IN_HTML:
        return  # left as written
    for token in state.tokens:
        opening = token.type == "html_block" and _OPENING_TAG.match(token.content)
        attribute = opening and _MARKDOWN_ATTRIBUTE.search(opening[0])
        if not attribute:
            continue
        rest = token.content[opening.end():]
        closing = _CLOSING_TAG.search(rest)
        if closing and closing[1].lower() != opening[1].lower():
            closing = None
        inner = rest[:closing.start()] if closing else rest
        # kramdown reads each HTML element in it on its own; CommonMark would run an HTML block
        # on to the next blank line, Markdown included.
        inner = _LINE_CLOSING_TAG.sub("\\1\n\n", inner)
        inner = state.md.render(inner, {"kramdown_html_depth": depth + 1})
        token.content = (opening[0][:attribute.start()] + opening[0][attribute.end():] + "\n"
                         + inner + (closing[0] if closing else ""))


def _drop_span_attributes(state: StateCore) -> None:
    """``{:...}`` after a link or an image, and inline ``{::comment}...{:/}``, out of the text;
    an image keeps the size its list gives it."""
    for token in state.tokens:
        children = token.children or ()
        for previous, child in zip([None, *children], children):
            if child.type == "text" and "{:" in child.content:
                if previous is not None and previous.type == "image":
                    _image_size(previous, child.content)
                child.content = _SPAN_IAL.sub("", child.content)


def _image_size(image: Token, text: str) -> None:
    """The width and height of an attribute list right after ``image`` (``{: width="200"}``,
    Chirpy's ``{: w="700" h="400"}``) set on it: the blog shows the image at that size; and
    its classes (Minimal Mistakes centres one by ``{: .align-center}``)."""
    ial = _SPAN_IAL.match(text)
    for name, value in _SIZE.findall(ial[0] if ial else ""):
        image.attrSet("width" if name in ("w", "width") else "height", value)
    classes = [name for word in _IAL_WORD.findall(ial[0][2:-1] if ial else "")
               if word.startswith(".") for name in word.split(".") if name]
    if classes:
        image.attrSet("class", " ".join(filter(None, [image.attrGet("class"), *classes])))


def table_of_contents(root: lxml.html.HtmlElement) -> None:
    """The first list marked ``{:toc}`` replaced by links to the post's headings, nested by
    level; any other one dropped (a post holds one table of contents: thousands would make an
    email the square of the post's size)."""
    for number, marked in enumerate(root.xpath(f"//*[@{TOC_MARK}]")):
        headings = [] if number else [
            heading for heading in root.iter(*HEADINGS)
            if heading.get("id") and "no_toc" not in (heading.get("class") or "").split()]
        toc = _nested(marked.tag, headings)
        if len(toc):
            toc.tail = marked.tail
            marked.getparent().replace(marked, toc)
        else:
            marked.drop_tree()


def _nested(tag: str, headings: list[lxml.html.HtmlElement]) -> lxml.html.HtmlElement:
    top = lxml.html.Element(tag, {"class": "toc"})
    stack = [(0, top)]  # (heading level, the list or item the next deeper heading goes in)
    for heading in headings:
        level = int(heading.tag[1])
        while stack[-1][0] >= level:
            stack.pop()
        holder = stack[-1][1]
        if holder.tag == "li":  # a deeper heading: a list inside the item above
            holder = holder[-1] if holder[-1].tag == tag else etree.SubElement(holder, tag)
        item = etree.SubElement(holder, "li")
        link = etree.SubElement(item, "a", {"href": "#" + heading.get("id")})
        link.text = " ".join(heading.text_content().split())
        stack.append((level, item))
    return top
