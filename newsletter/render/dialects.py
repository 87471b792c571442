"""Which Markdown a post is written in: the dialect of the renderer its blog's generator uses.

Hugo (Goldmark), Gatsby and Astro (remark), Eleventy (markdown-it) and Zola (pulldown-cmark)
read CommonMark with GitHub's extensions, and Jekyll's kramdown (its GFM input) reads lists the
same way: a nested list is indented to its parent's text (two spaces under ``- ``), ``1)``
starts a list, and ``~~a~~`` is struck through. Python-Markdown, which Pelican uses and which
the generic reading of ``content/`` keeps, wants four spaces. So each post is rendered in its
generator's dialect (``Generator.markdown``), unless ``[posts] markdown`` says otherwise
(docs/email.md#markdown-dialects).

Every CommonMark dialect has tables, strikethrough, task lists, footnotes, definition lists and
heading ids written ``## Title {#id}``, as the Python-Markdown one has: a post that uses them
means them. They differ where the generators' defaults differ in what a reader sees: smart
punctuation (Goldmark's typographer, kramdown's smart quotes, Astro's and the Gatsby starters'
smartypants; not Eleventy, not Zola), bare ``www.`` and ``https://`` addresses made links
(Goldmark's linkify, remark-gfm), raw HTML (Goldmark omits the post's own unless the site says
``unsafe = true``; the HTML of a shortcode shows either way), and kramdown's attribute lists and
``{:toc}``, and math (kramdown's ``$$``, Hugo's passthrough delimiters, remark-math's ``$``), shown
as its LaTeX. A table goes on through a row indented four spaces in Goldmark, which builds tables
from a paragraph's lines; GitHub (cmark-gfm), remark and markdown-it end it there, the row
being code. A site's settings change its generator's defaults (``markdown_options``: Hugo's
``[markup.goldmark]``, its ``enableEmoji``), when the post is read in that generator's dialect.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from newsletter.records import record

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.posts import Post


@record(frozen=True)
class Dialect:
    """How one renderer reads Markdown."""

    name: str  # the renderer's, or a [posts] markdown value
    commonmark: bool = True  # False: Python-Markdown
    smart_punctuation: bool = True  # "quotes" -- and ... as typographers set them
    # The four smart quotes (double, then single; markdown-it's order), or "": a string of
    # four, or four strings (Goldmark's French "« " and " »")
    quotes: str | tuple[str, ...] = ""
    autolinks: bool = True  # bare www. and https:// addresses are links (GFM)
    kramdown: bool = False  # {: .class} attribute lists dropped, {:toc} a table of contents
    # Markdown inside <div>, <details>, ...: kramdown's option; Python-Markdown's md_in_html (in
    # <div markdown> only)
    parse_block_html: bool = False
    raw_html: bool = True  # False: the HTML the post writes is omitted (Goldmark's default)
    indented_rows: bool = False  # a table row indented 4 spaces is a row, not code (Goldmark)
    indented_code: bool = True  # False: indented lines are text (MDX has no indented code)
    hard_wraps: bool = False  # True: a line's end in a paragraph is a line break (hardWraps)
    block_attributes: bool = False  # True: a {.class} line after a block styles it (Goldmark's)
    admonitions: bool = False  # Python-Markdown's !!! note "Title" blocks (MkDocs's setting)
    tabs: bool = False  # pymdownx.tabbed's === "Label" blocks (MkDocs Material's)
    nested_fences: bool = False  # pymdownx.superfences: fenced code inside boxes and tabs
    # True: :tada: is the emoji (Hugo's enableEmoji, Zola's render_emoji, MkDocs's pymdownx.emoji)
    emoji: bool = False
    strikethrough: bool = True  # False: ~~a~~ is text (Goldmark's strikethrough = false)
    # Hugo's Goldmark extras the site enables: "mark", "insert", "delete", "subscript",
    # "superscript" (newsletter/render/extras.py)
    extras: frozenset[str] = frozenset()
    # LoveIt's, DoIt's and FixIt's own Markdown the site's theme reads: "ruby", "fraction",
    # "fontawesome" (newsletter/render/theme_marks.py)
    theme_marks: frozenset[str] = frozenset()
    # Goldmark's CJK extension: no space for a line's end between wide characters, and "\ "
    # shows nothing (newsletter/render/cjk.py)
    east_asian_line_breaks: bool = False
    escaped_space: bool = False
    # A paragraph of this alone is the table of contents: Python-Markdown's toc extension's
    # "[TOC]", VitePress's "[[toc]]"
    toc_marker: str = ""
    # Math delimiters, (opening, closing): a block's (or within text), and within text only
    math_blocks: tuple[tuple[str, str], ...] = ()
    math_inline: tuple[tuple[str, str], ...] = ()
    # pymdownx.arithmatex's math, shown as the LaTeX written (Python-Markdown; render/arithmatex.py)
    arithmatex: bool = False
    # Not Markdown: reStructuredText, rendered by docutils (Pelican's and Nikola's .rst posts)
    restructured: bool = False
    # Not Markdown: HTML with template tags (Eleventy's .html, .njk and .liquid posts)
    html: bool = False


PYTHON_MARKDOWN = Dialect("python-markdown", commonmark=False)
RESTRUCTURED_TEXT = Dialect("restructuredtext", commonmark=False, restructured=True)
HTML_TEMPLATE = Dialect("html", commonmark=False, html=True)
DIALECTS = {dialect.name: dialect for dialect in (
    PYTHON_MARKDOWN,
    Dialect("commonmark"),
    Dialect("goldmark", raw_html=False, indented_rows=True),
    Dialect("remark"),
    Dialect("kramdown", autolinks=False, kramdown=True, math_blocks=(("$$", "$$"),)),
    Dialect("markdown-it", smart_punctuation=False, autolinks=False),
    Dialect("pulldown-cmark", smart_punctuation=False, autolinks=False),
)}


def markdown_dialect(settings: Settings, post: Post) -> Dialect:
    """The dialect ``post`` is rendered in: ``[posts] markdown``, else its generator's;
    reStructuredText where its generator reads the file so."""
    generator = post.site.generator if post.site else None
    if generator and generator.reads_restructured(post.path):
        return RESTRUCTURED_TEXT
    if generator and generator.reads_html(post.path):
        return HTML_TEMPLATE
    chosen = settings.posts.markdown or (generator.markdown if generator else "")
    dialect = DIALECTS.get(chosen, PYTHON_MARKDOWN)
    if generator and dialect.name == generator.markdown:  # the site's settings apply
        dialect = replace(dialect, **generator.markdown_options())
    if dialect.commonmark and post.mdx:
        # MDX reads indented lines as text: components' content is indented inside them
        return replace(dialect, indented_code=False)
    return dialect
