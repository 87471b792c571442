"""How much work a post may ask of its Markdown renderer: a post is hostile input.

Python-Markdown reads the rest of a paragraph from each ``[``, ``(``, backtick or ``*`` that
nothing closes, and rebuilds the paragraph after each match, so 200 KB of ``[a](`` took
minutes. Its inline pass gets CPU time of the rendering thread (a loaded machine does not
shorten it) in proportion to the post (:data:`INLINE_SECONDS`, :data:`INLINE_SECONDS_PER_MB`):
3 s for 100 KB, 21 s for 1 MB. Real posts take a few hundredths of that, a paragraph of a
megabyte of dense links and code about half. Its earlier passes are weighed before they start,
as the work is known from the text: ``<`` that open HTML tags never closed (Python's
HTML parser reads on to the next ``>``), code fences nothing closes, blocks of many reference
definitions or definition lines. markdown-it reads linearly but for its smart quotes, weighed
as a paragraph's length times its quotes. Past a limit the post is refused in one line naming
its line, so `send`, `check` and `preview` answer within seconds. A reStructuredText post
gets the same CPU time for docutils' whole reading of it (:func:`render_seconds`).

What a post makes is weighed too: a reference definition or an abbreviation repeats its text at
each use, so a few kilobytes may ask for gigabytes of HTML. Past :data:`MAX_HTML_CHARS` the post
is refused before its HTML is written out, as no email that large can be sent.
"""

from __future__ import annotations

import bisect
import copy
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from markdown.treeprocessors import Treeprocessor

from newsletter.errors import ContentError
from newsletter.render.rst_errors import RestructuredTextError

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from markdown import Markdown
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

    from newsletter.posts import Post

INLINE_SECONDS = 1.0
INLINE_SECONDS_PER_MB = 20.0
# Characters read x openers, for the passes weighed before they start. Python-Markdown's
# scans take about 10^-8 s a character: a tenth of a second at the limit.
MAX_SCAN_WORK = 10_000_000
# Length x quotes of a paragraph: markdown-it's smart quotes take about 2 x 10^-10 s for each.
MAX_QUOTES_WORK = 1_000_000_000
QUOTES = "'\""
# The most HTML a post's Markdown may make: twice the largest post file, twenty times what Gmail
# shows unclipped (102 KB), so a post refused here could never be sent. An 80 KB post repeating
# a 20 KB address made 100 MB: two minutes and 1.6 GB of memory to check.
MAX_HTML_CHARS = 2_000_000
_TAG_CHARS = 10  # about what an element's tags add to its text and attributes: <p></p>
_TAG_START = re.compile(r"<[A-Za-z/!?]")
_FOOTNOTE = re.compile(r"\[\^")
_FENCE = re.compile(r"^(`{3,}|~{3,})(.*)$", re.MULTILINE)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# Lines Python-Markdown reads again with the rest of their block: a reference definition, a
# definition (": ...").
_BLOCK_LINE = re.compile(r"^ {0,3}(?:\[[^\[\]\n]*\]:|:[ \t])", re.MULTILINE)
_SNIPPET = 40
_SPLIT_HINT = "split it with blank lines, or put text meant as it is in a code block"


class CostlyMarkdownError(ContentError):
    """A text of a post whose rendering would take minutes (module docstring)."""

    def __init__(self, message: str, snippet: str, hint: str = _SPLIT_HINT):
        self.snippet = snippet.strip()[:_SNIPPET]
        super().__init__(message + " (the time grows with the square of its size)", hint=hint)

    def located(self, where: str, post: Post) -> CostlyMarkdownError:
        """The same error, naming the file and line of the post it starts on."""
        offset = post.body.find(self.snippet) if self.snippet else -1
        line = f":{post.body_line + post.body.count(chr(10), 0, offset)}" if offset >= 0 else ""
        located = copy.copy(self)
        located.where = where + line
        return located


class OversizedHtmlError(ContentError):
    """A post whose HTML would be past :data:`MAX_HTML_CHARS` (module docstring), or whose
    template tags put more than that into it (at ``line`` of its file)."""

    def __init__(self, message: str, hint: str, line: int | None = None):
        self.line = line
        super().__init__(message, hint=hint)

    def located(self, where: str, post: Post) -> OversizedHtmlError:
        """The same error, naming the post's file (and line)."""
        located = copy.copy(self)
        located.where = where if self.line is None else f"{where}:{self.line}"
        return located


def check_html_size(chars: int, source: str) -> None:
    """Refuse the post whose Markdown ``source`` makes ``chars`` characters of HTML, if past
    :data:`MAX_HTML_CHARS`."""
    if chars > MAX_HTML_CHARS:
        raise OversizedHtmlError(
            f"the post makes {chars / 1_000_000:.1f} MB of HTML from {size_text(len(source))} "
            "of text (a link, image or abbreviation repeats a long text at each use); an email "
            f"over {size_text(MAX_HTML_CHARS)} can never be sent",
            hint="shorten the post, and write a long address once rather than in every link")


def check_placed_size(placed: int, this_one: int, line: int) -> None:
    """Refuse the post whose template tags have put ``placed`` characters into it, past
    :data:`MAX_HTML_CHARS`, at the ``line`` of the tag that put ``this_one``."""
    if placed > MAX_HTML_CHARS:
        raise OversizedHtmlError(
            f"the post's template tags put over {size_text(MAX_HTML_CHARS)} into it, this one "
            f"{size_text(this_one)}; an email that long can never be sent",
            "put a long file or text into the post once, or link to it", line)


def size_text(chars: int) -> str:
    """``chars`` as people read a size: ``500 characters``, ``24 KB``, ``10.0 MB``."""
    if chars < 1000:
        return f"{chars} characters"
    return f"{chars / 1000:.0f} KB" if chars < 1_000_000 else f"{chars / 1_000_000:.1f} MB"


class HtmlSizeCheck(Treeprocessor):
    """Python-Markdown's last tree step: the post refused if its tree is past
    :data:`MAX_HTML_CHARS`, before it is written out."""

    PRIORITY = -1  # after every other (the inline pass is 20, unescaping 0)

    def __init__(self, md: Markdown, source: str):
        super().__init__(md)
        self.source = source

    def run(self, root: Element) -> None:
        check_html_size(_tree_chars(root), self.source)


def _tree_chars(root: Element) -> int:
    """About the characters Python-Markdown's tree ``root`` is written out in, counted without
    writing it."""
    return sum(_TAG_CHARS + len(element.text or "") + len(element.tail or "")
               + sum(len(name) + len(value) + 4 for name, value in element.attrib.items())
               for element in root.iter())


def tokens_chars(tokens: list[Token]) -> int:
    """About the characters markdown-it's ``tokens`` are rendered in (an inline token's
    children, not its text as written)."""
    return sum(tokens_chars(token.children) if token.children else
               _TAG_CHARS + len(token.content)
               + sum(len(name) + len(str(value)) + 4 for name, value in token.attrs.items())
               for token in tokens)


def render_seconds(source: str) -> float:
    """The CPU time rendering ``source`` may take: Python-Markdown's inline pass, or docutils'
    whole reading of a reStructuredText post (:mod:`newsletter.render.restructured`)."""
    return INLINE_SECONDS + INLINE_SECONDS_PER_MB * len(source) / 1_000_000


class InlineBudget:
    """The CPU time one post's Python-Markdown inline pass may still take (module docstring)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.deadline = time.thread_time() + seconds
        self.text = ""  # the text being read, for the error

    @classmethod
    def for_source(cls, source: str) -> InlineBudget:
        return cls(render_seconds(source))

    def check(self) -> None:
        if time.thread_time() > self.deadline:
            raise CostlyMarkdownError(
                f"a paragraph of {len(self.text):,} characters took Python-Markdown over "
                f"{self.seconds:.1f} s of CPU: its unclosed [ ( ` * or < make it too costly "
                "to render", self.text)


def check_quotes_work(state: StateCore) -> None:
    """A markdown-it core rule, run before its smart quotes: each paragraph's quotes within
    the limit."""
    for token in state.tokens:
        if token.type != "inline" or len(token.content) ** 2 <= MAX_QUOTES_WORK:
            continue
        quotes = sum(token.content.count(quote) for quote in QUOTES)
        if len(token.content) * quotes > MAX_QUOTES_WORK:
            raise CostlyMarkdownError(
                f"a paragraph of {len(token.content):,} characters holding {quotes:,} quotes "
                "is too costly to render with smart quotes", token.content)


def check_source_work(source: str) -> None:
    """Refuse ``source`` if Python-Markdown's reading of its raw HTML, code fences, reference
    definitions or definition lists is past the limit (all come before the inline patterns)."""
    # Python's HTML parser, which Python-Markdown reads raw HTML with, reads from each "<"
    # that may open a tag to its ">"; the footnote pattern from each "[^" to its "]".
    _check_scan_work(source, _TAG_START, ">", "'<' that open HTML tags",
                     "end each HTML tag with '>', and write a '<' meant as text as &lt;")
    _check_scan_work(source, _FOOTNOTE, "]", "'[^' that open footnote references",
                     "end each footnote reference with ']', as in [^1]")
    _check_fence_work(source)
    for block in _BLANK_LINE.split(source):
        if len(block) * len(block) > MAX_SCAN_WORK:
            lines = len(_BLOCK_LINE.findall(block))
            if lines * len(block) > MAX_SCAN_WORK:
                raise CostlyMarkdownError(
                    f"a paragraph of {len(block):,} characters holding {lines:,} definitions "
                    "([x]: ... or : ...) is too costly to render", block)


def _check_fence_work(source: str) -> None:
    """Python-Markdown's fenced code reads from each opening fence to the closing one, and to
    the end of the post when none closes it."""
    fences = list(_FENCE.finditer(source))
    closers = [fence.start() for fence in fences if not fence[2].strip()] + [len(source)]
    work = sum(closers[bisect.bisect_right(closers, fence.start())] - fence.start()
               for fence in fences)
    if work > MAX_SCAN_WORK:
        raise CostlyMarkdownError(
            f"{len(fences):,} code fences (``` or ~~~) that no fence closes make the post too "
            "costly to render", fences[0][0],
            "end each code block with a line holding only its fence (```)")


def _check_scan_work(source: str, opener: re.Pattern, closer: str, what: str,
                     hint: str) -> None:
    """Refuse ``source`` if reading from each ``opener`` to the next ``closer`` (to the end of
    the post when none follows) is past the limit."""
    starts = [found.start() for found in opener.finditer(source)]
    if len(starts) * len(source) <= MAX_SCAN_WORK:
        return
    ends = [found.start() for found in re.finditer(re.escape(closer), source)] + [len(source)]
    lengths = [ends[bisect.bisect_left(ends, start)] - start for start in starts]
    if sum(lengths) > MAX_SCAN_WORK:
        far = next(start for start, length in zip(starts, lengths) if length == max(lengths))
        raise CostlyMarkdownError(
            f"{len(starts):,} {what} that end far away or never make the post too costly to "
            "render", source[far:], hint)


# What a post's text as a whole cannot be rendered for: rendering it again (to name its images)
# would take the same time to raise the same.
TEXT_REFUSALS = (CostlyMarkdownError, RestructuredTextError, OversizedHtmlError)


@contextmanager
def located_in(where: str, post: Post) -> Iterator[None]:
    """A :class:`CostlyMarkdownError`, :class:`RestructuredTextError` or
    :class:`OversizedHtmlError` raised inside, naming ``where`` (and its line in ``post``)."""
    try:
        yield
    except TEXT_REFUSALS as error:
        raise error.located(where, post) from None
