"""A post's Markdown as HTML in a CommonMark dialect (markdown-it-py), shaped like
Python-Markdown's so both go through the same steps after (:mod:`newsletter.render.markdown`).

- Raw HTML passes as Python-Markdown passes it, and every link and image keeps the URL the post
  writes (no percent-encoding, ``javascript:`` too): the preflight check judges URLs the same
  way in every dialect, and finds each one in the post's source by what it reads.
- Footnotes get Python-Markdown's markup (``footnote-ref``, ``footnote-backref``,
  ``<div class="footnote">``), which the stylesheet, the text part and the check know.
- ``~~struck~~`` is ``<del>``, as GitHub, Goldmark and remark write it (unless a Hugo site
  turns strikethrough off); Hugo's extras, where the site enables them, ``==mark==``,
  ``++ins++``, ``~sub~`` and ``^sup^`` (:mod:`newsletter.render.extras`), and LoveIt's
  ``[Hugo]^(note)`` and ``[1]/[2]`` (:mod:`newsletter.render.theme_marks`).
- A heading may end with ``{#id .class}`` (Hugo, kramdown, Zola): its id and classes; other
  attributes are dropped, so a post cannot add an ``onclick`` this way.
- ``:tada:`` is the emoji where the site says so (Hugo's ``enableEmoji``,
  :mod:`newsletter.render.emoji_codes`).
- Task list items keep ``[ ]`` and ``[x]`` as text: :mod:`newsletter.render.blocks` makes them
  ballot boxes, as it does for Python-Markdown (email clients drop checkboxes).
"""

from __future__ import annotations

import html
import re
import threading
from functools import partial

from markdown_it import MarkdownIt, rules_block
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from newsletter.render.attribute_lists import block_attributes, heading_attributes
from newsletter.render.autolinks import autolinks
from newsletter.render.cjk import cjk_plugin
from newsletter.render.dialects import Dialect
from newsletter.render.effort import check_html_size, check_quotes_work, tokens_chars
from newsletter.render.emoji_codes import emoji_codes
from newsletter.render.extras import extras_plugin
from newsletter.render.kramdown import kramdown_plugin
from newsletter.render.punctuation import punctuation_plugin
from newsletter.render.latex import math_plugin
from newsletter.render.raw_html import TAG, written_tags
from newsletter.render.theme_marks import theme_marks_plugin

_THREAD = threading.local()
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_MARK = "\ue000"  # a private-use character: an apostrophe between the two rules


def commonmark_html(source: str, dialect: Dialect, written: str | None = None) -> str:
    """``source`` rendered as HTML in ``dialect``. Where the dialect omits raw HTML, the HTML
    ``written`` in the post (its body before template tags) is omitted, not a shortcode's;
    all of it when ``written`` is None."""
    tags = None if written is None or dialect.raw_html else written_tags(written)
    parser, env = _thread_parser(dialect), {"written_tags": tags}
    tokens = parser.parse(source, env)
    check_html_size(tokens_chars(tokens), source)  # before a reference repeats its URL
    return parser.renderer.render(tokens, parser.options, env)


def _raw_html(self, tokens, index, options, env) -> str:
    """A raw HTML token where the dialect omits raw HTML: kept if the post did not write it
    (:mod:`newsletter.render.raw_html`)."""
    content, written = tokens[index].content, env.get("written_tags")
    tags = TAG.findall(content)
    if written is None or not tags or any(tag in written for tag in tags):
        return ""
    return content


def code_block_lines(source: str, dialect: Dialect) -> list[tuple[int, int]]:
    """(first line, line after the last), counted from 0, of each fenced or indented code
    block of ``source`` as ``dialect`` reads it: in a list item too, indented as its text."""
    return [(token.map[0], token.map[1]) for token in _thread_parser(dialect).parse(source)
            if token.type in ("fence", "code_block") and token.map]


def raw_html_lines(source: str, dialect: Dialect) -> list[int]:
    """Lines (from 0) of ``source`` where raw HTML that the post writes itself starts, as
    ``dialect`` reads it (a block, or a paragraph holding an inline tag); a comment (Hugo's
    ``<!--more-->`` too) is none: left out or not, it shows nothing."""
    written, lines = written_tags(source), []
    for token in _thread_parser(dialect).parse(source):
        inline = token.type == "inline" and any(child.type == "html_inline"
                                                 for child in token.children or ())
        if (token.type == "html_block" or inline) and token.map and any(
                tag in written and not tag.startswith("<!--")
                for tag in TAG.findall(token.content)):
            lines.append(token.map[0])
    return lines


def _apostrophes(state: StateCore) -> None:
    """Mark a quote within a word (it's), which markdown-it's smart quotes write as ’ whatever
    its quotes are: kramdown writes the site's closing single quote there."""
    for children in _inline_children(state):
        for index, child in enumerate(children):  # "it", "'", "s": a quote is a token of its own
            if child.type != "text" or "'" not in child.content:
                continue
            near = [children[at].content if 0 <= at < len(children) and
                    children[at].type == "text" else "" for at in (index - 1, index + 1)]
            text = _APOSTROPHE.sub(_MARK, near[0][-1:] + child.content + near[1][:1])
            child.content = text[len(near[0][-1:]):][:len(child.content)]


def _written_apostrophes(apostrophe: str, state: StateCore) -> None:
    for children in _inline_children(state):
        for child in children:
            if child.type == "text":
                child.content = child.content.replace(_MARK, apostrophe)


def _inline_children(state: StateCore) -> list[list]:
    return [token.children for token in state.tokens if token.type == "inline" and token.children]


def _thread_parser(dialect: Dialect) -> MarkdownIt:
    parsers = _THREAD.__dict__.setdefault("parsers", {})
    if dialect not in parsers:  # a parser per thread: the preview server renders in several
        parsers[dialect] = _parser(dialect)
    return parsers[dialect]


def _parser(dialect: Dialect) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "typographer": dialect.smart_punctuation,
                                   "breaks": dialect.hard_wraps})
    if dialect.quotes:
        md.options["quotes"] = dialect.quotes
    md.enable(["table", "strikethrough"] if dialect.strikethrough or "delete" in dialect.extras
              else ["table"])
    if not dialect.indented_code:
        md.disable("code")
    if dialect.indented_rows:
        md.block.ruler.at("table", partial(_indented_rows, rules_block.table),
                          {"alt": ["paragraph", "reference"]})
    if dialect.smart_punctuation:
        md.enable(["replacements", "smartquotes"])
        md.use(punctuation_plugin, guillemets=dialect.kramdown)
        md.core.ruler.before("smartquotes", "quotes_work", check_quotes_work)
        if dialect.quotes:  # marked before the smart quotes, written after them
            md.core.ruler.before("smartquotes", "apostrophes", _apostrophes)
            md.core.ruler.after("smartquotes", "apostrophes_written",
                                partial(_written_apostrophes, dialect.quotes[3]))
    md.use(footnote_plugin, inline=False).use(deflist_plugin)
    if dialect.extras:
        md.use(extras_plugin, dialect.extras)
    if dialect.theme_marks:
        md.use(theme_marks_plugin, dialect.theme_marks)
    if dialect.east_asian_line_breaks or dialect.escaped_space:
        md.use(cjk_plugin, dialect.east_asian_line_breaks, dialect.escaped_space)
    if dialect.autolinks:
        md.core.ruler.push("autolinks", autolinks)
    if dialect.emoji:
        md.core.ruler.push("emoji", emoji_codes)
    if dialect.kramdown:
        md.use(kramdown_plugin, dialect.parse_block_html)
    if dialect.math_blocks or dialect.math_inline:
        md.use(math_plugin, dialect.math_blocks, dialect.math_inline)
    md.core.ruler.after("block", "heading_attributes", heading_attributes)
    if dialect.block_attributes:
        md.use(block_attributes)
    md.validateLink = _any_link
    md.normalizeLink = _as_written
    for rule, render in _RENDER_RULES.items():
        md.add_render_rule(rule, render)
    if not dialect.raw_html:
        md.add_render_rule("html_block", _raw_html)
        md.add_render_rule("html_inline", _raw_html)
    return md


def _indented_rows(table, state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's table rule, but a body row indented four spaces or more (holding a ``|``)
    is a row, as Goldmark reads it, not the indented code that ends the table."""
    code_block = state.is_code_block

    def row_is_code(line: int) -> bool:
        if line <= start + 1 or "|" not in state.getLines(line, line + 1, 0, False):
            return code_block(line)
        return False

    state.is_code_block = row_is_code
    try:
        return table(state, start, end, silent)
    finally:
        del state.is_code_block


def _any_link(url: str) -> bool:
    return True


def _as_written(url: str) -> str:
    return url


def _footnote_name(token) -> str:
    """A footnote's name in ids, as Python-Markdown makes them: its label (``[^source]``)."""
    return html.escape(str(token.meta.get("label") or token.meta["id"] + 1), quote=True)


def _reference_id(token) -> str:
    """``fnref:name``, then ``fnref2:name``... for each further reference to one footnote."""
    sub = token.meta.get("subId", 0)
    return f"fnref{sub + 1 if sub > 0 else ''}:{_footnote_name(token)}"


def _footnote_ref(self, tokens, index, options, env) -> str:
    token = tokens[index]
    return (f'<sup id="{_reference_id(token)}"><a class="footnote-ref" '
            f'href="#fn:{_footnote_name(token)}">{token.meta["id"] + 1}</a></sup>')


def _footnote_anchor(self, tokens, index, options, env) -> str:
    token = tokens[index]
    space = "" if token.meta.get("subId", 0) > 0 else "&#160;"
    return (f'{space}<a class="footnote-backref" href="#{_reference_id(token)}" '
            f'title="Jump back to footnote {token.meta["id"] + 1} in the text">&#8617;</a>')


_RENDER_RULES = {
    "footnote_ref": _footnote_ref,
    "footnote_anchor": _footnote_anchor,
    "footnote_block_open": lambda self, tokens, index, options, env:
        '<div class="footnote">\n<hr>\n<ol>\n',
    "footnote_block_close": lambda self, tokens, index, options, env: "</ol>\n</div>\n",
    "footnote_open": lambda self, tokens, index, options, env:
        f'<li id="fn:{_footnote_name(tokens[index])}">\n',
    "s_open": lambda self, tokens, index, options, env: "<del>",
    "s_close": lambda self, tokens, index, options, env: "</del>",
}
