"""gatsby-theme-blog (and its -core), the official Gatsby blog theme (github.com/gatsbyjs/
themes): its posts are the ``.md`` and ``.mdx`` files of its ``contentPath`` (``content/
posts``), addressed under its ``basePath`` (``/``): a post's ``slug`` from the root when it
starts with a slash, else under ``basePath``; without one, its path in ``contentPath``, as
``createFilePath`` makes it; always with a trailing slash. The options are the theme's entry in
``gatsby-config``'s plugins: ``{ resolve: "gatsby-theme-blog", options: { basePath: "/blog" } }``.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from newsletter.generators.base import join_url, path_id, url_path
from newsletter.generators.settings_files import js_object, without_js_comments
from newsletter.records import record

_THEME = re.compile(r"""(?:\bresolve\s*:\s*)?["'`]gatsby-theme-blog(?:-core)?["'`]""")


@record(frozen=True)
class ThemeBlog:
    """The theme's options, as it defaults them."""

    base_path: str = ""  # "/blog", or "" for the root
    content_path: str = "content/posts"

    def address(self, slug: str | None, in_content: PurePosixPath) -> str:
        """The address of the post at ``in_content`` (its path in ``content_path``)."""
        written = (slug or "").strip()
        if written.startswith("/"):
            path = join_url(written)
        elif written:
            path = join_url(self.base_path, written)
        else:
            path = join_url(self.base_path, path_id(in_content.with_suffix("")))
        return path.rstrip("/") + "/"


def theme_blog(config_text: str) -> ThemeBlog | None:
    """The theme's options where ``gatsby-config`` lists it among its plugins; else None."""
    text = without_js_comments(config_text)
    found = _THEME.search(text)
    if not found:
        return None
    entry = text[found.end():]
    entry = entry[:next((m.start() for m in re.finditer(r"\bresolve\s*:", entry)), len(entry))]
    options = js_object(entry, "options", skip_code=True) if found[0].startswith("resolve") \
        else {}
    content = options.get("contentPath")
    return ThemeBlog(url_path(options.get("basePath")),
                     content.strip().strip("/").removeprefix("./").strip("/")
                     if isinstance(content, str) and content.strip("./ ") else "content/posts")
