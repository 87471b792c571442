"""Astro: posts are the entries of a content collection
(docs.astro.build/en/guides/content-collections).

The collection's folder comes from ``src/content.config.ts`` (a ``glob()`` loader's ``base``)
or, in older sites, ``src/content/<name>/``; ``blog`` (or ``posts``) is the one newsletter reads
by default. An entry's id is its path in the collection, each part slugged as Astro does
(github-slugger), or its ``slug``; its address is the dynamic route that renders the collection
(``src/pages/blog/[...slug].astro``: ``/blog/<id>/``) under ``site`` and ``base``.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Any

from newsletter.generators.base import Entry, Generator, Source, first_of, join_url, url_path
from newsletter.generators.settings_files import (
    SiteInfo,
    depends_on,
    first_file,
    first_text,
    js_boolean,
    js_string,
    read_text,
    remark_math,
    site_info,
)
from newsletter.generators.slugs import github_slug

CONFIG_FILES = tuple(f"astro.config.{ext}" for ext in ("mjs", "js", "ts", "mts", "cjs"))
COLLECTION_FILES = ("src/content.config.ts", "src/content.config.js", "src/content.config.mjs",
                    "src/content.config.mts", "src/content/config.ts", "src/content/config.js",
                    "src/content/config.mjs")
CONSTANT_FILES = ("src/consts.ts", "src/consts.js", "src/config.ts", "src/config.js")
_BASE = re.compile(r"""base\s*:\s*["'`](?:\./)?([^"'`]+)["'`]""")
_ROUTE = re.compile(r"^\[(?:\.\.\.)?(slug|id)\]\.(astro|md|mdx|ts|js)$")
_ROUTE_FOLDER = re.compile(r"^\[(?:\.\.\.)?(slug|id)\]$")
_CONSTANT = re.compile(r"\$\{\s*([A-Za-z_$][\w$]*)\s*\}")


class Astro(Generator):
    name = "astro"
    label = "Astro"
    markdown = "remark"
    extensions = (".md", ".mdx", ".markdown")

    def __init__(self, root: Path, evidence: str | None = None):
        super().__init__(root, evidence)
        self.config_text = first_text(root, CONFIG_FILES)

    @classmethod
    def found(cls, root: Path) -> str | None:
        config = first_file(root, *CONFIG_FILES)
        if config:
            return config.name
        return "package.json" if depends_on(root, "astro") else None

    def markdown_options(self) -> dict[str, Any]:
        """``markdown.smartypants`` and ``markdown.gfm`` (bare addresses linked) of the
        settings: both on unless set to ``false`` (docs.astro.build, configuration reference)."""
        options: dict[str, Any] = {
            option: False for option, key in (("smart_punctuation", "smartypants"),
                                              ("autolinks", "gfm"))
            if js_boolean(self.config_text, key) is False}
        return options | remark_math(self.root)

    def info(self) -> SiteInfo:
        # The blog template keeps its name in src/consts.ts: export const SITE_TITLE = '...';
        # AstroPaper its name and address in src/config.ts: SITE = { website: ..., title: ... }
        found = first_file(self.root, *CONSTANT_FILES)
        constants = (read_text(found) or "") if found else ""
        url = js_string(self.config_text, "site")
        source = self.evidence if url or not found else found.relative_to(self.root).as_posix()
        url = url or js_string(constants, "website")
        base = self.base_path
        if url and base:
            url = url.rstrip("/") + base
        title = js_string(constants, "SITE_TITLE") or js_string(constants, "title")
        return site_info(source, title, url)

    @property
    def base_path(self) -> str:
        base = js_string(self.config_text, "base")
        return url_path(base)

    @property
    def collection(self) -> Path:
        """The folder of the posts collection."""
        config = first_file(self.root, *COLLECTION_FILES)
        text = (read_text(config) or "") if config else ""
        # base: `./${BLOG_PATH}` (AstroPaper) names a constant of the same file
        bases = [_CONSTANT.sub(lambda name: js_string(text, name[1]) or name[0], base)
                 for base in _BASE.findall(text)]
        configured = [self.root / base.strip("/").removeprefix("./") for base in bases]
        content = self.root / "src" / "content"
        folders = sorted(folder for folder in content.iterdir() if folder.is_dir()) \
            if content.is_dir() else []
        pages = self.root / "src" / "pages"  # before content collections: Markdown pages
        folders += [pages / name for name in ("blog", "posts", "post")]
        for group in (configured, folders):  # the collections the site names come first
            group = [folder for folder in group if folder.is_dir()]
            for name in ("blog", "posts", "post", "articles"):
                for folder in group:
                    if folder.name == name:
                        return folder
            if group:
                return group[0]
        return content / "blog"

    @property
    def content_root(self) -> Path:
        return self.collection.parent

    def post_dirs(self) -> tuple[tuple[str, ...], str]:
        folder = self.collection
        return (folder.relative_to(self.root).as_posix(),), f"the {folder.name} collection"

    def page_dirs(self) -> tuple[str, ...]:
        return ("src/pages",)

    def static_dirs(self) -> tuple[str, ...]:
        return ("public",)

    def entry(self, source: Source) -> Entry:
        fields, relative = source.fields, source.relative
        dates = {key: value for key, value in source.meta.items() if not isinstance(value, bool)}
        key = first_of(dates, "pubdate", "pubdatetime", "date", "publishdate", "published")
        date = fields.date(key) if key else None
        pages = self.root / "src" / "pages"
        if pages in source.path.parents:  # a Markdown page: its path under src/pages
            path = PurePosixPath(source.path.relative_to(pages).as_posix())
            entry_id = _entry_id(path, None)
            entry_id, address = "/" + entry_id, join_url(entry_id)
        else:
            entry_id = _entry_id(relative.relative_to(relative.parts[0]), fields.string("slug"))
            address = join_url(self._route(), entry_id)
            entry_id = "/" + relative.parts[0] + "/" + entry_id
        if not re.search(r"trailingSlash\s*:\s*['\"]never", self.config_text):
            address = address.rstrip("/") + "/"
        return Entry(id=entry_id, path=address, date=date,
                     draft=fields.boolean("draft", default=False))

    def _route(self) -> str:
        """The folder under src/pages of the route that renders the collection's entries."""
        pages = self.root / "src" / "pages"
        # [...slug].astro, or [...slug]/index.astro (AstroPaper): the folder holding it
        routes = [path.parent for path in pages.rglob("[[]*") if _ROUTE.match(path.name)
                  or (_ROUTE_FOLDER.match(path.name) and any(path.glob("index.*")))] \
            if pages.is_dir() else []
        name = self.collection.name
        routes.sort(key=lambda folder: (folder.name != name, len(folder.parts)))
        if routes:
            return "/" + routes[0].relative_to(pages).as_posix().strip(".")
        return "/" + name


def _entry_id(relative: PurePosixPath, slug: str | None) -> str:
    if slug and slug.strip("/"):
        return slug.strip("/")
    stem = relative.with_suffix("")
    if stem.name == "index" and len(stem.parts) > 1:
        stem = stem.parent
    return "/".join(github_slug(part) for part in stem.parts)
