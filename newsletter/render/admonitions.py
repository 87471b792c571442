"""The Python-Markdown extensions MkDocs (Material) blogs turn on beyond Python-Markdown's own,
loaded only for the blogs whose settings turn them on:

- admonitions, read as Python-Markdown's admonition extension reads them (``!!! note "Title"``
  over an indented block), and pymdownx.details' collapsible ones (``??? note``, open with
  ``???+``), which an email shows open (``Dialect.admonitions``);
- pymdownx.tabbed's tabs (``=== "Label"`` over an indented block), one after another under their
  labels, as other generators' tabs are shown (``Dialect.tabs``);
- md_in_html's Markdown inside an HTML block marked ``markdown`` (Material's ``<div class="grid
  cards" markdown>``), also part of Python-Markdown's ``extra`` (``Dialect.parse_block_html``);
- pymdownx.emoji's codes: ``:tada:`` the emoji (render/emoji_codes.py), Material's icons
  (``:material-leaf:``, ``:fontawesome-brands-github:``, ``:octicons-...:``, ``:simple-...:``),
  pictures of the site's icon fonts, left out (``Dialect.emoji``).
"""

from __future__ import annotations

import re

import markdown
from markdown.extensions.admonition import AdmonitionExtension, AdmonitionProcessor
from markdown.extensions.md_in_html import MarkdownInHtmlExtension
from markdown.inlinepatterns import InlineProcessor

from newsletter.render.blocks import TAB
from newsletter.render.dialects import Dialect

_OPENING = re.compile(r'(?:^|\n)(?:!!!|\?\?\?\+?) ?([\w\-]+(?: +[\w\-]+)*)(?: +"(.*?)")? *'
                      r'(?:\n|$)')
_ICON_SETS = ("material-", "fontawesome-", "octicons-", "simple-")
_TAB_OPENING = re.compile(r'(?:^|\n)===[!+]{0,2} +"(.*?)" *(?:\n|$)')


def site_extensions(dialect: Dialect) -> list[markdown.Extension]:
    """The extensions ``dialect`` turns on of the ones above, with fenced code inside admonitions
    and tabs (render/nested_fences.py) and pymdownx's marks (render/pymdown_marks.py)."""
    from newsletter.render.arithmatex import Arithmatex
    from newsletter.render.nested_fences import NestedFences
    from newsletter.render.pymdown_marks import Marks

    return [extension for extension, on in (
        (Admonitions(), dialect.admonitions), (Tabs(), dialect.tabs),
        (NestedFences(), dialect.nested_fences and (dialect.admonitions or dialect.tabs)),
        (MarkdownInHtmlExtension(), dialect.parse_block_html), (Emoji(), dialect.emoji),
        (Marks(dialect.extras), bool(dialect.extras)), (Arithmatex(), dialect.arithmatex)) if on]


class _Processor(AdmonitionProcessor):
    RE = _OPENING
    MARKERS = ("!!!", "???")

    def test(self, parent, block: str) -> bool:
        # the markers first: the regular expression is slow on long blocks, tested again and again
        if any(marker in block for marker in self.MARKERS) and self.RE.search(block):
            return True
        return self.parse_content(parent, block)[0] is not None


class _TabProcessor(_Processor):
    """A tab: a ``<div class="tabbed">`` opening with its label, as an admonition with its
    title."""

    RE = _TAB_OPENING
    MARKERS = ("===",)
    CLASSNAME = TAB
    CLASSNAME_TITLE = TAB + "-label"

    def get_class_and_title(self, match: re.Match[str]) -> tuple[str, str | None]:
        return "", match.group(1) or None


class Admonitions(AdmonitionExtension):
    """The admonition extension, its opening line ``!!!`` or ``???``."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's name)
        md.registerExtension(self)
        md.parser.blockprocessors.register(_Processor(md.parser), "admonition", 105)


class Tabs(markdown.Extension):
    """pymdownx.tabbed's ``=== "Label"`` blocks."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's name)
        md.registerExtension(self)
        md.parser.blockprocessors.register(_TabProcessor(md.parser), "tabbed", 104)


class _EmojiProcessor(InlineProcessor):
    def handleMatch(self, match: re.Match[str], data: str):  # noqa: N802 (Markdown's name)
        from newsletter.render.emoji_codes import emoji_of

        code = match.group(1)
        shown = "" if code.startswith(_ICON_SETS) else emoji_of(code)
        return (None, None, None) if shown is None else (shown, match.start(0), match.end(0))


class Emoji(markdown.Extension):
    """pymdownx.emoji's ``:code:``: the emoji, or nothing for an icon."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's name)
        md.registerExtension(self)
        md.inlinePatterns.register(_EmojiProcessor(r":([a-z0-9_+-]{1,60}):", md), "emoji", 65)
