"""A post rendered once into an Email: Markdown fragment, templates, inlined CSS, text part, and
its own image files, prepared and placed."""

from newsletter.render.email import (
    CLIP_WARNING_BYTES,
    GMAIL_CLIP_BYTES,
    HTML_TEMPLATE,
    PLACEHOLDERS,
    RECIPIENT_FIELDS,
    STYLESHEET,
    TEXT_TEMPLATE,
    Email,
    encoded_html_size,
    render_post,
)
from newsletter.render.image_files import is_local
from newsletter.render.images import (
    IMAGE_WARNING_BYTES,
    EmailImage,
    FoundImage,
    mode_problem,
    post_images,
)
from newsletter.render.markdown import URL_ATTRIBUTES, email_url, markdown_fragment

__all__ = ["CLIP_WARNING_BYTES", "GMAIL_CLIP_BYTES", "HTML_TEMPLATE", "IMAGE_WARNING_BYTES",
           "PLACEHOLDERS", "RECIPIENT_FIELDS", "STYLESHEET", "TEXT_TEMPLATE", "URL_ATTRIBUTES",
           "Email", "EmailImage", "FoundImage", "email_url", "encoded_html_size", "is_local",
           "markdown_fragment", "mode_problem", "post_images", "render_post"]
