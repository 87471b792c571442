"""Next.js blogs whose posts Contentlayer reads (tailwind-nextjs-starter-blog): ``data/blog``.

contentlayer.config.* names the content folder (``contentDirPath: 'data'``) and the posts'
files (``filePathPattern: 'blog/**/*.mdx'``); a post's address is its path there without the
extension (``/blog/nested-route/post``), as the starter's ``app/blog/[...slug]`` route serves
it. ``date`` is the date, ``draft: true`` a draft. The site's title and address are
``data/siteMetadata.js``'s ``title`` and ``siteUrl``; images are in ``public/``. Nothing is run.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from newsletter.generators.base import (Entry, Generator, Source, folder_setting,
                                        path_id)
from newsletter.generators.globs import glob_regex
from newsletter.generators.settings_files import (
    SiteInfo,
    first_file,
    first_text,
    js_object,
    js_string,
    read_text,
    remark_math,
    site_info,
)

CONFIG_FILES = tuple(f"contentlayer.config.{ext}" for ext in ("ts", "js", "mjs", "mts"))


class Contentlayer(Generator):
    name = "contentlayer"
    label = "Next.js (Contentlayer)"
    markdown = "remark"
    extensions = (".mdx", ".md")

    def __init__(self, root: Path, evidence: str | None = None):
        super().__init__(root, evidence)
        self.config_text = first_text(root, CONFIG_FILES)

    @classmethod
    def found(cls, root: Path) -> str | None:
        config = first_file(root, *CONFIG_FILES)
        return config.name if config else None

    def info(self) -> SiteInfo:
        text = read_text(self.root / "data" / "siteMetadata.js") or ""
        metadata = js_object(text, "siteMetadata", skip_code=True)
        return site_info("data/siteMetadata.js", metadata.get("title"),
                         metadata.get("siteUrl"), None, metadata.get("language"))

    def markdown_options(self) -> dict[str, Any]:
        return {"smart_punctuation": False} | remark_math(self.root)  # no smartypants

    @property
    def content_root(self) -> Path:
        return self.root / folder_setting(js_string(self.config_text, "contentDirPath"), "data")

    @property
    def _pattern(self) -> str:
        """The posts' filePathPattern, under the content folder."""
        # read from the text itself: "blog/**/*.mdx" holds what looks like a /* comment */
        found = re.search(r"""filePathPattern\s*:\s*(["'`])([^"'`\n]+)\1""", self.config_text)
        return found.group(2) if found else "blog/**/*.mdx"

    def post_dirs(self) -> tuple[tuple[str, ...], str]:
        pattern = self._pattern
        folder = re.split(r"[*?\[{]", pattern)[0].strip("/") or "."
        path = (self.content_root / folder).relative_to(self.root).as_posix()
        return (path,), f"Contentlayer's filePathPattern {pattern}"

    def static_dirs(self) -> tuple[str, ...]:
        return ("public",)

    def entry(self, source: Source) -> Entry:
        post_id = path_id(source.relative)  # Contentlayer's flattenedPath, the address too
        fields = source.fields
        if not glob_regex(self._pattern.strip("/")).fullmatch(source.relative.as_posix()):
            return Entry(id=post_id, path=None,  # blog/**/*.mdx: an .md file is not built
                         page=f"not matched by Contentlayer's filePathPattern {self._pattern}")
        return Entry(id=post_id, path=post_id, date=fields.date("date"),
                     draft=fields.boolean("draft", default=False))
