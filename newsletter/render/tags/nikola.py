"""Nikola's own shortcodes (getnikola.com/handbook.html#built-in-shortcodes) that Hugo's do
not cover: ``thumbnail``, a picture whose content is its caption."""

from __future__ import annotations

from newsletter.render.tags import hugo
from newsletter.render.tags.syntax import Tag


def thumbnail(tag: Tag, caption: str) -> str:
    """``{{% thumbnail "/images/x.png" alt="..." title="..." %}}caption{{% /thumbnail %}}``:
    the picture (the whole one, which the page's small copy opens) as Hugo's ``figure`` shows
    it, its caption (Markdown, expanded) under it. Raises TagProblem for a picture that is no
    file or web address."""
    picture = hugo.figure(tag, None).markdown
    return "\n\n" + "\n\n".join(part for part in (picture, caption.strip()) if part) + "\n\n"
