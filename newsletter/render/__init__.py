"""A post rendered once into an Email: Markdown fragment, templates, inlined CSS, text part."""

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
from newsletter.render.markdown import URL_ATTRIBUTES, email_url, markdown_fragment

__all__ = ["CLIP_WARNING_BYTES", "GMAIL_CLIP_BYTES", "HTML_TEMPLATE", "PLACEHOLDERS",
           "RECIPIENT_FIELDS",
           "STYLESHEET", "TEXT_TEMPLATE", "URL_ATTRIBUTES", "Email", "email_url",
           "encoded_html_size", "markdown_fragment", "render_post"]
