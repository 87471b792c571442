"""Shortcodes that mark a few words as an HTML element does, shown whole (docs/template-tags.md):
Hinode's ``{{< kbd "Ctrl" >}}``, ``H{{< sub "2" >}}O``, ``mc{{< sup 2 >}}``,
``{{< mark >}}words{{< /mark >}}``, ``{{< ins >}}`` and ``{{< abbr "CSS" >}}``. The email left
the ones without content out ("Press + to copy", "HO") and the others' marking."""

from __future__ import annotations

from newsletter.render.tags.html import inline_markdown
from newsletter.render.tags.syntax import Tag

ELEMENTS = frozenset({"kbd", "sub", "sup", "mark", "ins", "abbr"})


def words(tag: Tag) -> str:
    """The words a shortcode is given to mark (``title``, ``text``, ``key`` or its first
    value: an ``abbr`` shows its key, the long form being a tooltip), or "" when it marks its
    content."""
    return tag.get("title", 0) or tag.get("text") or tag.get("key") or ""


def element(tag: Tag, content: str) -> str:
    """The element around ``content`` (expanded Markdown, on one line so it stays in its
    sentence), else around its words (Markdown too, as Hinode renders them); nothing when it
    has neither."""
    inner = " ".join(content.split()) or inline_markdown(words(tag))[0]
    return f"<{tag.name}>{inner}</{tag.name}>" if inner else ""
