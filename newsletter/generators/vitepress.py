"""VitePress blogs: every Markdown file of the source folder is a page, the posts being those of
a ``posts/`` (or ``blog/``, ``articles/``) folder, as VitePress blog themes and
``createContentLoader('posts/*.md')`` list them (vitepress.dev/guide/routing).

The source folder is the one holding ``.vitepress/`` (``docs/`` when the site runs as
``vitepress dev docs``), or its ``srcDir``. A file's address is its path, ``.html`` added unless
``cleanUrls: true``, ``index.md`` standing for its folder, under ``base``; ``srcExclude``'s
files are not published: drafts. The title is
``title``, else the ``# heading`` opening the post; ``date`` is the date and ``draft: true`` a
draft. Images: beside the post, then ``public/``. Nothing of the config is run.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from newsletter.generators.base import (
    Entry,
    Generator,
    Source,
    folder_setting,
    join_url,
    path_id,
    url_path,
)
from newsletter.generators.globs import glob_matches
from newsletter.generators.settings_files import (
    SiteInfo,
    first_text,
    js_boolean,
    js_object,
    js_string,
    site_info,
)

CONFIG_NAMES = tuple(f"config.{ext}" for ext in ("mts", "ts", "mjs", "js", "cjs"))
POST_FOLDERS = ("posts", "blog", "articles")
_SRC_EXCLUDE = re.compile(r"\bsrcExclude\s*:\s*(?:[^\[?,]+\?\s*)?\[([^\]]*)\]")
_STRING = re.compile(r"""["'`]([^"'`\n]+)["'`]""")


class VitePress(Generator):
    name = "vitepress"
    label = "VitePress"
    markdown = "markdown-it"
    title_from_heading = True

    def __init__(self, root: Path, evidence: str | None = None):
        super().__init__(root, evidence)
        self.home = _home(root) or root  # the folder holding .vitepress/
        self.config_text = first_text(self.home / ".vitepress", CONFIG_NAMES)

    @classmethod
    def found(cls, root: Path) -> str | None:
        home = _home(root)
        if home is None:
            return None
        config = next(home / ".vitepress" / name for name in CONFIG_NAMES
                      if (home / ".vitepress" / name).is_file())
        return config.relative_to(root).as_posix()

    @property
    def excluded(self) -> list[str]:
        """``srcExclude``'s globs: files VitePress does not build. Of ``isProd ? [...] : [...]``,
        the first list, the published site's."""
        found = _SRC_EXCLUDE.search(self.config_text)
        return [match[1] for match in _STRING.finditer(found.group(1))] if found else []

    def info(self) -> SiteInfo:
        hostname = js_object(self.config_text, "sitemap", skip_code=True).get("hostname")
        url = hostname.rstrip("/") if isinstance(hostname, str) else None
        if url and not url.endswith(self.base_path):  # the hostname may hold base already
            url += self.base_path
        return site_info(self.evidence, js_string(self.config_text, "title"), url, None,
                         js_string(self.config_text, "lang"))

    def markdown_options(self) -> dict[str, Any]:
        # VitePress turns markdown-it's linkify on, and writes [[toc]]'s table of contents
        return {"autolinks": True, "toc_marker": "[[toc]]"}

    @property
    def content_root(self) -> Path:
        return self.home / folder_setting(js_string(self.config_text, "srcDir"), ".")

    def prefixes_root_links(self) -> bool:
        """VitePress puts ``base`` before a Markdown link from the root."""
        return True

    def links_pages_by_path(self) -> bool:
        """VitePress reads ``./pruning`` as the page ``pruning.md`` beside the post."""
        return True

    @property
    def base_path(self) -> str:
        return url_path(js_string(self.config_text, "base"))

    def post_dirs(self) -> tuple[tuple[str, ...], str]:
        source = self.content_root
        folder = next((source / name for name in POST_FOLDERS if (source / name).is_dir()),
                      source / POST_FOLDERS[0])
        return (folder.relative_to(self.root).as_posix(),), f"the {folder.name} folder"

    def page_dirs(self) -> tuple[str, ...]:
        return (self.content_root.relative_to(self.root).as_posix(),)

    def static_dirs(self) -> tuple[str, ...]:
        return ((self.content_root / "public").relative_to(self.root).as_posix(),)

    def entry(self, source: Source) -> Entry:
        fields, post_id = source.fields, path_id(source.relative)
        clean = js_boolean(self.config_text, "cleanUrls") is True
        stem = source.relative.with_suffix("")
        if stem.name == "index":
            address = join_url(stem.parent.as_posix().strip("."), "/")
        else:
            address = join_url(stem.as_posix() + ("" if clean else ".html"))
        if stem.name == "index" and stem.parent.name in ("", *POST_FOLDERS):
            return Entry(id=post_id, path=address, page="index.md: the list of posts")
        unbuilt = any(glob_matches(pattern, source.relative.as_posix())
                      for pattern in self.excluded)  # srcExclude: not published (yet)
        return Entry(id=post_id, path=address, date=fields.date("date"),
                     draft=unbuilt or fields.boolean("draft", default=False))


def _home(root: Path) -> Path | None:
    """The folder holding ``.vitepress/`` with a config: the site's, or its ``docs/``."""
    return next((base for base in (root, root / "docs") for name in CONFIG_NAMES
                 if (base / ".vitepress" / name).is_file()), None)
