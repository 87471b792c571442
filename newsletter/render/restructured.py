"""A reStructuredText post (Pelican's and Nikola's ``.rst``) as HTML, by docutils, the library
both generators render it with.

Sections start at ``<h2>`` (the post's title is the email's heading, as Pelican's
``initial_header_level`` has it), code blocks stay plain text (no highlighter's markup), and
``<section>`` and ``<aside>`` (docutils' HTML5) are ``<div>``, which every mail client shows.
Nothing is read from elsewhere: ``include`` and ``raw``'s ``:file:`` and ``:url:`` are turned
off, as a post must not mail a file of the machine. Pelican's and Nikola's own directives are
read as :mod:`newsletter.render.rst_directives` shows them. A mistake docutils calls an error
(an unknown directive: Nikola's ``.. gist::``, a Sphinx extension's) stops the post, naming
its line; its warnings (a title's underline too short) do not, as Pelican builds the page.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

import lxml.html

from newsletter.errors import ContentError
from newsletter.render.rst_directives import register_blog_directives

if TYPE_CHECKING:
    from newsletter.posts import Post

_SETTINGS = {
    "file_insertion_enabled": False, "raw_enabled": True, "doctitle_xform": False,
    "docinfo_xform": False, "initial_header_level": 2, "syntax_highlight": "none",
    "report_level": 5, "halt_level": 3, "embed_stylesheet": False, "section_self_link": False,
    "footnote_references": "superscript", "input_encoding": "unicode",
    "output_encoding": "unicode", "_disable_config": True,
}
_PLUGIN_HINT = ("newsletter reads docutils' own reStructuredText, and Pelican's and Nikola's "
                "code-block, sourcecode, abbr, doc, thumbnail, youtube and vimeo: write this "
                "without another plugin's or Sphinx's directive or role")
_FIX_HINT = "the blog's page shows this error too: fix the line"
_SYSTEM_MESSAGE = re.compile(r"^<string>:(\d*): \((\w+)/\d\) (.*?)\s*$", re.MULTILINE)


class RestructuredTextError(ContentError):
    """What docutils could not read, at a line of the post's body."""

    def __init__(self, message: str, line: int, hint: str):
        self.line = line
        super().__init__(message, hint=hint)

    def located(self, where: str, post: Post) -> RestructuredTextError:
        located = RestructuredTextError(self.message, self.line, self.hint or "")
        located.where = f"{where}:{post.body_line + self.line - 1}"
        return located


def restructured_html(source: str) -> str:
    """``source``, reStructuredText, as an HTML fragment."""
    from docutils.core import publish_parts  # tens of ms to import: only for such posts
    from docutils.utils import SystemMessage

    register_blog_directives()
    try:
        parts = publish_parts(source, writer_name="html5", settings_overrides={
            **_SETTINGS, "warning_stream": io.StringIO()})
    except RecursionError:  # thousands of nested blocks: no post nests so
        raise RestructuredTextError("reStructuredText nested too deeply to be read", 1,
                                    "write it with fewer blocks inside blocks") from None
    except SystemMessage as error:
        found = _SYSTEM_MESSAGE.search(str(error))
        line = int(found[1]) if found and found[1] else 1
        what = found[3].rstrip(".") if found else str(error)
        raise RestructuredTextError(
            f"reStructuredText {found[2].lower() if found else 'error'}: {what}", line,
            _PLUGIN_HINT if what.startswith("Unknown") else _FIX_HINT) from None
    root = lxml.html.fragment_fromstring(parts["fragment"], create_parent="div")
    for block in root.iter("section", "aside"):
        block.tag = "div"
    for item in root.xpath("//*[contains(concat(' ', @class, ' '), ' simple ')]/li"):
        if len(item) == 1 and item[0].tag == "p" and not (item.text or "").strip():
            item[0].drop_tag()  # a list of one-line items: no gap between them
    return lxml.html.tostring(root, encoding="unicode")[len("<div>"):-len("</div>")]
