"""A post rendered once into an Email: Markdown fragment, templates, inlined CSS, text part, and
its own image files, prepared and placed."""

from newsletter.render.anchors import HEADINGS, all_ids, github_slug, local_ids
from newsletter.render.email import (
    CLIP_WARNING_BYTES,
    GMAIL_CLIP_BYTES,
    PLACEHOLDERS,
    RECIPIENT_FIELDS,
    Email,
    cta_url,
    encoded_html_size,
    render_post,
    title_words,
)
from newsletter.render.css_colours import TRANSPARENT, Colour, parse_colour
from newsletter.render.dialects import Dialect, markdown_dialect
from newsletter.render.effort import TEXT_REFUSALS
from newsletter.render.image_files import is_local
from newsletter.render.image_prep import write_atomically
from newsletter.render.images import (
    IMAGE_WARNING_BYTES,
    EmailImage,
    FoundImage,
    mode_problem,
    post_images,
)
from newsletter.render.markdown import (
    URL_ATTRIBUTES,
    PAGE_TAGS,
    email_url,
    is_event_handler,
    markdown_fragment,
    raw_html_lines,
)
from newsletter.render.notice import CONFIRM, WELCOME, has_notice, notice_templates, render_notice
from newsletter.render.template_files import HTML_TEMPLATE, STYLESHEET, TEXT_TEMPLATE
from newsletter.render.text import columns

__all__ = ["CLIP_WARNING_BYTES", "CONFIRM", "GMAIL_CLIP_BYTES", "HEADINGS", "HTML_TEMPLATE",
           "IMAGE_WARNING_BYTES", "PAGE_TAGS", "PLACEHOLDERS", "RECIPIENT_FIELDS", "STYLESHEET",
           "TEXT_REFUSALS", "TEXT_TEMPLATE", "TRANSPARENT", "URL_ATTRIBUTES", "WELCOME", "Colour",
           "Dialect", "Email",
           "EmailImage", "FoundImage", "all_ids", "columns", "cta_url", "email_url", "encoded_html_size", "github_slug",
           "has_notice", "is_event_handler", "is_local", "local_ids", "markdown_dialect",
           "markdown_fragment", "mode_problem", "notice_templates", "parse_colour", "post_images",
           "raw_html_lines", "render_notice", "render_post", "title_words", "write_atomically"]
