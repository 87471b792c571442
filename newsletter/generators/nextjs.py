"""Next.js's blog-starter (github.com/vercel/next.js/tree/canary/examples/blog-starter): posts
in ``_posts/*.md`` at the site's root, read by its own code with gray-matter.

It shares the ``_posts`` folder with Jekyll but not its rules: a post is any ``.md`` there
(no date in its name), its ``date`` is the front matter's, and its address is the starter's
``/posts/[slug]`` route (or the dynamic route whose code names ``_posts``, ``/blog/[slug]``),
the slug being the file's name. ``coverImage`` and the post's images
are in ``public/``. Found by ``next`` in ``package.json`` beside ``_posts`` and no
``_config.yml``.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

from newsletter.generators.base import Entry, Generator, Source, join_url, path_id
from newsletter.generators.nextjs_routes import dynamic_route
from newsletter.generators.settings_files import depends_on, first_file


class NextBlogStarter(Generator):
    name = "nextjs"
    label = "Next.js (blog-starter)"
    markdown = "remark"

    @classmethod
    def found(cls, root: Path) -> str | None:
        if (root / "_posts").is_dir() and not first_file(root, "_config.yml", "_config.yaml") \
                and depends_on(root, "next"):
            return "package.json"
        return None

    def markdown_options(self) -> dict[str, Any]:
        return {"smart_punctuation": False, "autolinks": False}  # remark-html, no plugins

    @property
    def content_root(self) -> Path:
        return self.root / "_posts"

    def post_dirs(self) -> tuple[tuple[str, ...], str]:
        return ("_posts",), "the starter's _posts"

    def static_dirs(self) -> tuple[str, ...]:
        return ("public",)

    @cached_property
    def _route_prefix(self) -> str:
        """The starter's ``/posts``, unless the dynamic route whose code names ``_posts`` is
        another (``app/blog/[slug]/page.tsx``: ``/blog``)."""
        route = dynamic_route(self.root, "_posts", named_only=True)
        return route[0] if route else "/posts"

    def entry(self, source: Source) -> Entry:
        fields, post_id = source.fields, path_id(source.relative)
        return Entry(id=post_id, path=join_url(self._route_prefix, post_id),
                     date=fields.date("date"), draft=fields.boolean("draft", default=False))
