"""A post rendered once into an Email: Markdown fragment, templates, inlined CSS, text part."""

from newsletter.render.email import (
    CLIP_WARNING_BYTES,
    RECIPIENT_FIELDS,
    Email,
    encoded_html_size,
    render_post,
)

__all__ = ["CLIP_WARNING_BYTES", "RECIPIENT_FIELDS", "Email", "encoded_html_size", "render_post"]
