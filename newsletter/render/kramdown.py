"""What kramdown (Jekyll's Markdown) adds to CommonMark, read so none of it leaks as text.

- An attribute list on a line of its own (``{: .note}``, ``{:.no_toc}``, ``{: #intro}``, an
  attribute definition ``{:ref: .x}``, ``{::options ... /}``) styles the web page: dropped, but
  for the id and classes of the heading right above it, which its table of contents and links
  use. A ``{::comment}`` ... ``{:/comment}`` block is dropped whole; what a ``{::nomarkdown}``
  ... ``{:/nomarkdown}`` block holds is written out as it is, as kramdown writes it.
- An attribute list after a link or an image on its line (``[a](x){:target="_blank"}``) is
  dropped; an image keeps the width and height it gives (``{: w="700" h="400"}``) and its
  classes (``{: .align-center}``).
- An abbreviation's definition (``*[HTML]: HyperText Markup Language``) and the end-of-block
  mark (``^`` alone on a line) are dropped too.
- An HTML element written ``markdown="1"`` (or ``"block"``, as Jekyll themes write
  ``<details markdown="block">``) holds Markdown, as kramdown reads it; so does every element
  whose content kramdown reads as blocks (``<div>``, ``<details>``, ...) where its
  ``parse_block_html`` option is on: in _config.yml's ``kramdown:`` settings, or from a post's
  ``{::options parse_block_html="true" /}`` line on.
- A one-item list followed by ``{:toc}`` (``* TOC``, then ``{:toc}``; with classes too, as
  Hydejack writes ``{:toc .large-only}``) is the post's table of contents: each heading (not
  those marked ``.no_toc``) linked by its id, nested by level, as kramdown builds it. Those
  links go to the post on the blog (docs/email.md#fragment-links). A second one is dropped.
- Math, ``$$...$$``, is shown as the LaTeX it is, as code (:mod:`newsletter.render.latex`, which
  the kramdown dialect's ``math_blocks`` turn on).
"""

from __future__ import annotations

import re
from functools import partial

import lxml.html
from lxml import etree
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.html_block import html_block
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from newsletter.render.anchors import HEADINGS
from newsletter.render.attribute_lists import apply_attribute_lines, set_attributes

_BLOCK_IAL = re.compile(r"\{:([^{}\n]*)\}[ \t]*")
# The blocks kramdown's extensions open on a line of their own: (opening, closing line).
_COMMENT = (re.compile(r"\{::comment\}[ \t]*"), re.compile(r".*\{:/(?:comment)?\}[ \t]*"))
_NOMARKDOWN = (re.compile(r"\{::nomarkdown\b[^{}\n]*\}[ \t]*"),
               re.compile(r"(?P<kept>.*)\{:/(?:nomarkdown)?\}[ \t]*"))
_SPAN_IAL = re.compile(r"\{::comment\}[^{}]*\{:/(?:comment)?\}|\{:[^{}\n]*\}")
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
# <div class="note" markdown="1">: the attribute
_MARKDOWN_ATTRIBUTE = re.compile(r"""\smarkdown[ \t]*=[ \t]*(["']?)(?:1|block)\1(?=[\s/>])""")
_MARKDOWN_OFF = re.compile(r"""\smarkdown[ \t]*=[ \t]*(["']?)0\1(?=[\s/>])""")
# {::options parse_block_html="true" /}: on (or off) for the rest of the post
_BLOCK_HTML_OPTION = re.compile(r""":options\b.*\bparse_block_html=(["'])(true|false)\1""")
# The elements whose content kramdown reads as blocks (its HTML parser's block content model)
_BLOCK_CONTENT = frozenset("""address applet article aside blockquote body dd details div dl
    fieldset figure figcaption footer form header hgroup iframe li main map menu nav noscript
    object section td""".split())
# An opening tag starting a line, and its element's name
_LINE_OPENING_TAG = re.compile(r"^[ \t]*<([A-Za-z][\w-]*)\b[^<>]*>", re.M)
_LINE_CLOSING_TAG = re.compile(r"(</[A-Za-z][\w-]*\s*>)[ \t]*\n")
# The elements kramdown reads inside a paragraph (its HTML_SPAN_ELEMENTS), and a line's first tag
_SPAN_ELEMENTS = frozenset("""a abbr acronym b big bdo br button cite code del dfn em i img
    input ins kbd label mark option q rb rbc rp rt rtc ruby samp select small span strong sub
    sup tt u var""".split())
_FIRST_TAG = re.compile(r"</?([A-Za-z][\w-]*)")
MAX_MARKDOWN_IN_HTML = 4
TOC_MARK = "data-kramdown-toc"  # on the list that stands for the table of contents, until built


def kramdown_plugin(md: MarkdownIt, parse_block_html: bool = False) -> None:
    """Read kramdown's attribute lists, comments, ``{:toc}`` and Markdown inside HTML
    (module docstring); ``parse_block_html``: the site's kramdown option."""
    md.block.ruler.at("html_block", _html_block_unless_span,
                      {"alt": ["paragraph", "reference", "blockquote"]})
    md.block.ruler.before("table", "kramdown_ial", _attribute_line,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.core.ruler.after("block", "kramdown_ial_apply", _apply_attribute_lines)
    md.core.ruler.after("kramdown_ial_apply", "kramdown_markdown_in_html",
                        partial(_markdown_in_html, parse_block_html))
    md.core.ruler.push("kramdown_span_ial", _drop_span_attributes)


def _attribute_line(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A line holding only an attribute list, or a ``{::comment}`` block: a hidden token; a
    ``{::nomarkdown}`` block: the HTML it holds."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False  # indented code
    line = _line(state, start)
    match = _BLOCK_IAL.fullmatch(line)
    if not match and not _NOT_SHOWN.fullmatch(line):
        return False
    option = match and _BLOCK_HTML_OPTION.match(match[1])
    if option and not silent:
        state.env.setdefault("kramdown_block_html_from", []).append((start, option[2] == "true"))
    block = next((kind for kind in (_COMMENT, _NOMARKDOWN) if kind[0].fullmatch(line)), None)
    last = _block_end(state, start, end, block[1]) if block else start
    if silent:
        return True
    if block is _NOMARKDOWN and last > start:
        token = state.push("html_block", "", 0)
        kept = _NOMARKDOWN[1].fullmatch(_line(state, last))["kept"]
        token.content = state.getLines(start + 1, last, state.blkIndent, True) + kept + "\n"
    else:
        token = state.push("kramdown_ial", "", 0)
        token.content = match[1] if match and last == start else ""
        token.hidden = True
    token.map = [start, last + 1]
    state.line = last + 1
    return True


def _html_block_unless_span(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """CommonMark's HTML block, but for a line opening with a span element (``<a name="x"/>``,
    ``<img ...>``): kramdown starts a paragraph there, so the Markdown lines under it are
    Markdown (a heading, an italic caption); as an HTML block they showed as written, to the
    next blank line."""
    tag = _FIRST_TAG.match(_line(state, start))
    if tag and tag[1].lower() in _SPAN_ELEMENTS:
        return False
    return html_block(state, start, end, silent)


def _block_end(state: StateBlock, start: int, end: int, closing: re.Pattern) -> int:
    """The line ``closing`` matches after the opening on line ``start``; ``start`` itself when
    none does (then only that line is dropped, never the rest of the post). Lines already
    searched without a close are not searched again, so a post of unclosed blocks takes linear
    time."""
    unclosed_from = state.env.setdefault("kramdown_unclosed_from", {})
    if start >= unclosed_from.get((closing.pattern, end), end):
        return start
    for number in range(start + 1, end):
        if closing.fullmatch(_line(state, number)):
            return number
    unclosed_from[closing.pattern, end] = start
    return start


def _line(state: StateBlock, number: int) -> str:
    return state.src[state.bMarks[number] + state.tShift[number]:state.eMarks[number]]


def _apply_attribute_lines(state: StateCore) -> None:
    """Each attribute line's id and classes onto the heading right above it, ``{:toc}`` onto
    the list right above it; then the lines are gone."""
    apply_attribute_lines(state, "kramdown_ial", _apply)


def _apply(opening: Token, attributes: str) -> None:
    toc = "toc" in attributes.split()  # {:toc}, Hydejack's {:toc .large-only}
    if opening.type == "heading_open" and not toc:
        set_attributes(opening, attributes)
    elif opening.type in ("bullet_list_open", "ordered_list_open") and toc:
        opening.attrSet(TOC_MARK, "")


def _markdown_in_html(parse_block_html: bool, state: StateCore) -> None:
    """In each HTML block, the elements that hold Markdown (:func:`_markdown_inside`); where
    ``parse_block_html`` is on (the site's option, or a post's ``{::options}`` line above),
    every element kramdown reads blocks in."""
    depth = state.env.get("kramdown_html_depth", 0)
    if depth >= MAX_MARKDOWN_IN_HTML:
        return  # left as written
    switches = [(-1, parse_block_html or state.env.get("kramdown_block_html", False)),
                *state.env.get("kramdown_block_html_from", ())]
    for token in state.tokens:
        if token.type == "html_block" and "<" in token.content:
            block_html = [on for line, on in switches if line < token.map[0]][-1]
            token.content = _markdown_inside(state.md, token.content, depth, block_html)


def _markdown_inside(md: MarkdownIt, html: str, depth: int, block_html: bool) -> str:
    """``html`` with what each element written ``markdown="1"`` (or ``"block"``), or holding
    blocks while ``block_html``, holds up to its closing tag rendered as Markdown, the attribute
    gone; such an element inside another is found too (TeXt's ``markdown="1"`` cells in a
    grid ``<div>``). Nested ones are rendered to :data:`MAX_MARKDOWN_IN_HTML` levels, so a post
    of thousands reads each part a few times."""
    out, done = [], 0
    for opening in _LINE_OPENING_TAG.finditer(html):
        name, attribute = opening[1].lower(), _MARKDOWN_ATTRIBUTE.search(opening[0])
        if opening.start() < done or not attribute and not (
                block_html and name in _BLOCK_CONTENT and not _MARKDOWN_OFF.search(opening[0])):
            continue
        closing = _closing_tag(html, opening.end(), name)
        inner = html[opening.end():closing.start() if closing else len(html)]
        # kramdown reads each HTML element in it on its own; CommonMark would run an HTML block
        # on to the next blank line, Markdown included.
        inner = _LINE_CLOSING_TAG.sub("\\1\n\n", inner)
        inner = md.render(inner, {"kramdown_html_depth": depth + 1,
                                  "kramdown_block_html": block_html})
        tag = opening[0] if not attribute else (
            opening[0][:attribute.start()] + opening[0][attribute.end():])
        out += [html[done:opening.start()], tag, "\n", inner, closing[0] if closing else ""]
        done = closing.end() if closing else len(html)
    return "".join(out) + html[done:] if out else html


def _closing_tag(html: str, start: int, name: str) -> re.Match | None:
    """The tag closing the ``name`` element whose content starts at ``start``, the ones of the
    same name inside it counted; None when it is not closed."""
    depth = 1
    for tag in re.compile(rf"<(/?){re.escape(name)}\b[^<>]*?(/?)>", re.I).finditer(html, start):
        depth += -1 if tag[1] else 0 if tag[2] else 1
        if depth == 0:
            return tag
    return None


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


def table_of_contents(root: lxml.html.HtmlElement, marker: str = "") -> None:
    """The first list marked ``{:toc}`` (or paragraph of ``marker`` alone: Python-Markdown's
    ``[TOC]``) replaced by links to the post's headings, nested by level; any other one dropped
    (a post holds one table of contents: thousands would make an email the square of the
    post's size)."""
    for paragraph in [p for p in root.iter("p") if marker and not len(p)
                      and (p.text or "").strip() == marker]:
        paragraph.tag, paragraph.text = "ul", None
        paragraph.set(TOC_MARK, "")
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
