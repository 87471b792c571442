"""A post's tags expanded against its site: the one place rendering and checking get them."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from newsletter.posts import site_relative
from newsletter.render.dialects import markdown_dialect
from newsletter.render.effort import located_in
from newsletter.render.tags import directives
from newsletter.render.tags.context import default_tag_context
from newsletter.render.tags.expand import expand_tags
from newsletter.render.tags.expansion import Expansion

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.posts import Post


def expand_post(settings: Settings, post: Post) -> Expansion:
    """``post``'s Markdown with its template tags expanded, and the ones that could not be."""
    dialect = markdown_dialect(settings, post)
    body, problems = directives.rewrite(post.body, post.body_line, dialect)
    if post.template_tags:
        with located_in(site_relative(settings, post.path), post):
            expansion = expand_tags(body, default_tag_context(settings, post), post.body_line,
                                    dialect)
    else:  # Jekyll 4's render_with_liquid: false: what looks like a tag is the post's text
        expansion = Expansion(body, (), ())
    if not problems:
        return expansion
    return replace(expansion, problems=tuple(sorted((*expansion.problems, *problems),
                                                    key=lambda problem: problem.line)))
