"""A post rendered once into an Email: Markdown fragment, templates, inlined CSS, text part, and
its own image files, prepared and placed."""

from newsletter.render.email import (
    CLIP_WARNING_BYTES,
    RECIPIENT_FIELDS,
    Email,
    encoded_html_size,
    render_post,
)
from newsletter.render.images import IMAGE_WARNING_BYTES, EmailImage, FoundImage, post_images

__all__ = ["CLIP_WARNING_BYTES", "IMAGE_WARNING_BYTES", "RECIPIENT_FIELDS", "Email", "EmailImage",
           "FoundImage", "encoded_html_size", "post_images", "render_post"]
