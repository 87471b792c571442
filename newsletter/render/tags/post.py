"""A post's tags expanded against its site: the one place rendering and checking get them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsletter.render.dialects import markdown_dialect
from newsletter.render.tags.context import default_tag_context
from newsletter.render.tags.expand import expand_tags
from newsletter.render.tags.expansion import Expansion

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.posts import Post


def expand_post(settings: Settings, post: Post) -> Expansion:
    """``post``'s Markdown with its template tags expanded, and the ones that could not be."""
    return expand_tags(post.body, default_tag_context(settings, post), post.body_line,
                       markdown_dialect(settings, post))
