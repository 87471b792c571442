"""Template tags in a post's Markdown (Hugo shortcodes, Jekyll Liquid) turned into Markdown and
HTML an email can carry, before the Markdown is rendered; what cannot be is reported."""

from newsletter.render.tags.context import TagContext, default_tag_context, page_values
from newsletter.render.tags.expand import expand_tags
from newsletter.render.tags.expansion import Expansion, TemplateProblem
from newsletter.render.tags.post import expand_post

__all__ = ["Expansion", "TagContext", "TemplateProblem", "default_tag_context",
           "expand_post", "expand_tags", "page_values"]
