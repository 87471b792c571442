"""What each static site generator does: where it keeps posts, how it names and dates them, which
files are pages, the address it publishes each post at, and the folders it serves at its root.

Hugo, Jekyll, Eleventy, Astro, Zola, Pelican and Gatsby are known (docs/generators.md); a blog
built by none of them is read the generic way, every Markdown file under ``content/``.
"""

from newsletter.generators.base import Entry, Generator, Source
from newsletter.generators.jsliteral import JsLiteralError, parse_declarations
from newsletter.generators.layout import (
    BY_NAME,
    GENERATORS,
    UNREAD_MARKUPS,
    SiteLayout,
    detect,
    site_layout,
)
from newsletter.generators.settings_files import SiteInfo, expands_past

__all__ = ["BY_NAME", "GENERATORS", "Entry", "Generator", "JsLiteralError", "SiteInfo",
           "SiteLayout", "Source", "UNREAD_MARKUPS", "detect", "expands_past", "parse_declarations",
           "site_layout"]
