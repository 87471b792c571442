"""A post rendered once into an Email: Markdown fragment, templates, inlined CSS, text part."""

from newsletter.render.email import (
    CLIP_WARNING_BYTES,
    RECIPIENT_FIELDS,
    Email,
    encoded_html_size,
    render_post,
)
from newsletter.render.notice import CONFIRM, WELCOME, has_notice, notice_templates, render_notice

__all__ = ["CLIP_WARNING_BYTES", "CONFIRM", "RECIPIENT_FIELDS", "WELCOME", "Email",
           "encoded_html_size", "has_notice", "notice_templates", "render_notice", "render_post"]
