"""The excerpt a blog describes a post by where the front matter gives no description.

Jekyll's jekyll-seo-tag (the page's description, what a shared link shows), jekyll-feed (the
summary) and minima's ``show_excerpts`` take a post's excerpt: its text before the
``excerpt_separator`` (the post's, else _config.yml's, else a blank line: the first paragraph).
The email's preheader, the inbox preview, says the same: without it, the inbox would quote the
title and date again. Inboxes show about a hundred characters of it, so a long excerpt (a post
without its separator is one whole) is cut at a word.
"""

from __future__ import annotations

import re

from newsletter.posts import Post, plain_line
from newsletter.render.dialects import Dialect
from newsletter.render.markdown import markdown_to_fragment

_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")
_FOOTNOTE_MARK = re.compile(r"\[\^[^\]\s]+\]")  # [^1]: its note is past the excerpt
_LINK_DEFINITION = re.compile(r"(?m)^ {0,3}(\[[^\]]+\]):.+$")  # [label]: https://...
_COMMENT_MARKER = re.compile(r"<!-- (\w+) -->")  # Hexo's <!-- more --> (Hugo: <!--more--> only)
EXCERPT_MAX = 200  # characters


def excerpt_text(post: Post, markdown: str, dialect: Dialect) -> str:
    """The plain text of ``post``'s excerpt (``markdown``: its body, template tags expanded),
    where its generator describes posts by one; "" where not, or where it holds no text (an
    image, say)."""
    generator = post.site.generator if post.site else None
    separator = generator.excerpt_separator(post.front_matter) if generator else None
    if not separator:
        return ""
    text = _LEADING_BLANK_LINES.sub("", markdown)
    marker = _COMMENT_MARKER.fullmatch(separator)  # <!-- more --> is <!--more--> too (Hexo's)
    if marker:
        separator = next(iter(re.findall(rf"<!--\s*{marker[1]}\s*-->", text)), separator)
    head, _, tail = text.partition(separator)
    head = _FOOTNOTE_MARK.sub("", head)
    if not head.strip():
        return ""
    # Jekyll gives the excerpt the link definitions past it that it uses ([text][label])
    definitions = [found[0] for found in _LINK_DEFINITION.finditer(tail) if found[1] in head]
    head += "\n\n" + "\n".join(definitions) if definitions else ""
    text = plain_line(markdown_to_fragment(head, post.url, dialect).text_content())
    if len(text) <= EXCERPT_MAX:
        return text
    cut = text[:EXCERPT_MAX].rpartition(" ")[0] or text[:EXCERPT_MAX]
    return cut.rstrip(" ,;:") + "\u2026"
