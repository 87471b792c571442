"""Previews: a post's email as files on disk, and as pages on a local server."""

from newsletter.preview.files import posts_to_preview, write_preview
from newsletter.preview.pages import write_pages
from newsletter.preview.server import create_server, is_loopback, server_url

__all__ = ["create_server", "is_loopback", "posts_to_preview", "server_url", "write_pages",
           "write_preview"]
