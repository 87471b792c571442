"""Gatsby: Markdown files of a ``gatsby-source-filesystem`` folder (``content/blog`` in
gatsby-starter-blog, ``content/posts`` in Lumen).

Addresses: what the blog's own code pages a post at (:mod:`gatsby_routes`); where it says
nothing, a ``slug`` in the front matter (Lumen) is the address, ending in a slash unless
``trailingSlash`` is ``never``, ``ignore`` or ``legacy``; otherwise Gatsby's
``createFilePath``: the file's path in its source folder, ``index`` standing for its folder,
``/hello-world/``. ``template: page`` is a page (Lumen), ``draft: true`` a draft.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from pathlib import Path, PurePosixPath
from typing import Any

from newsletter.errors import ContentError
from newsletter.generators.base import Entry, Generator, Source, join_url, path_id, url_path
from newsletter.generators.gatsby_routes import PostRoute, post_route
from newsletter.generators.gatsby_theme_blog import ThemeBlog, theme_blog
from newsletter.generators.settings_files import (
    SiteInfo,
    depends_on,
    first_file,
    first_text,
    js_object,
    js_string,
    read_data,
    read_text,
    remark_math,
    site_info,
    under_base,
)
from newsletter.generators.slugs import ascii_slug

CONFIG_FILES = tuple(f"gatsby-config.{ext}" for ext in ("js", "ts", "mjs", "cjs"))
# Where a build passes Gatsby --prefix-paths (or sets PREFIX_PATHS), without which Gatsby
# ignores pathPrefix (gatsbyjs.com/docs/how-to/previews-deploys-hosting/path-prefix/)
_BUILD_FILES = ("package.json", "netlify.toml", "vercel.json", ".gitlab-ci.yml",
                ".github/workflows/*.yml", ".github/workflows/*.yaml")
_SOURCE_PATH = re.compile(r"""path\s*:\s*(?:`\$\{__dirname\}/|path\.(?:resolve|join)\(\s*"""
                          r"""(?:__dirname\s*,\s*)?["'`]|["'`])\.?/?([^"'`$)]+)""")


class Gatsby(Generator):
    name = "gatsby"
    label = "Gatsby"
    markdown = "remark"
    extensions = (".md", ".mdx")

    def __init__(self, root: Path, evidence: str | None = None):
        super().__init__(root, evidence)
        self.config_text = first_text(root, CONFIG_FILES)
        self.lumen = read_data(root / "content" / "config.json") or {}

    @classmethod
    def found(cls, root: Path) -> str | None:
        config = first_file(root, *CONFIG_FILES)
        if config:
            return config.name
        if (root / "content" / "config.json").is_file() and (root / "content" / "posts").is_dir():
            return "content/config.json"  # Lumen keeps its settings there
        return "package.json" if depends_on(root, "gatsby") else None

    def markdown_options(self) -> dict[str, Any]:
        return remark_math(self.root)

    def info(self) -> SiteInfo:
        if self.lumen.get("title") or self.lumen.get("url") or self.lumen.get("siteUrl"):
            return site_info("content/config.json", self.lumen.get("title"),
                             under_base(self.lumen.get("siteUrl") or self.lumen.get("url"),
                                        self.base_path))
        metadata = js_object(self.config_text, "siteMetadata", skip_code=True)
        # siteTitle: @lekoarts/gatsby-theme-minimal-blog's (its navigation has titles too)
        title = metadata.get("title") or metadata.get("siteTitle") or \
            js_string(self.config_text, "siteTitle") or js_string(self.config_text, "title")
        url = metadata.get("siteUrl") or metadata.get("url") or js_string(self.config_text,
                                                                          "siteUrl")
        return site_info(self.evidence, title, under_base(url, self.base_path))

    @functools.cached_property
    def _theme_blog(self) -> ThemeBlog | None:
        return theme_blog(self.config_text)

    @property
    def sources(self) -> list[Path]:
        """The folders gatsby-source-filesystem reads, as gatsby-config names them (and
        gatsby-theme-blog's contentPath, which the theme reads)."""
        found = [self.root / path.strip("/") for path in _SOURCE_PATH.findall(self.config_text)]
        if self._theme_blog:
            found.append(self.root / self._theme_blog.content_path)
        return [folder for folder in found if folder.is_dir()] or [self.root / "content"]

    @property
    def content_root(self) -> Path:
        return min(self.sources, key=lambda folder: len(folder.parts))

    @property
    def base_path(self) -> str:
        """``pathPrefix``, where the build passes ``--prefix-paths``: else Gatsby builds the
        site for the root of its address."""
        prefix = self.lumen.get("pathPrefix") or js_string(self.config_text, "pathPrefix")
        return url_path(prefix) if self._prefixes_paths else ""

    @functools.cached_property
    def _prefixes_paths(self) -> bool:
        return any("--prefix-paths" in text or "PREFIX_PATHS" in text
                   for pattern in _BUILD_FILES for path in sorted(self.root.glob(pattern))
                   if (text := read_text(path)))

    def post_dirs(self) -> tuple[tuple[str, ...], str]:
        if self._theme_blog and (self.root / self._theme_blog.content_path).is_dir():
            return (self._theme_blog.content_path,), "gatsby-theme-blog's contentPath"
        candidates = []
        for source in self.sources:
            candidates += [source / name for name in ("posts", "blog")] + [source]
        for folder in candidates:
            if folder.is_dir() and folder.name in ("posts", "blog"):
                return (folder.relative_to(self.root).as_posix(),), f"the {folder.name} folder"
        folder = self.sources[0]
        return (folder.relative_to(self.root).as_posix(),), "gatsby-source-filesystem"

    def page_dirs(self) -> tuple[str, ...]:
        return tuple(folder.relative_to(self.root).as_posix() for folder in self.sources)

    @functools.cached_property
    def _route(self) -> PostRoute | None:
        return post_route(self.root)

    def entry(self, source: Source) -> Entry:
        generic = super().entry(source)
        route, fields = self._route, source.fields
        theme = self._theme_blog
        if theme and (self.root / theme.content_path) in source.path.parents:
            in_content = PurePosixPath(
                source.path.relative_to(self.root / theme.content_path).as_posix())
            return dataclasses.replace(generic, path=theme.address(fields.string("slug"),
                                                                   in_content))
        value = "slug" if route is None or route.slug_first else route.value
        written = (fields.string(value) or "").strip().strip("/") if value != "file" else ""
        if value != "file" and not written and route is not None and not route.slug_first:
            raise ContentError(f"the post has no {value}:, which {route.source} makes its "
                               "address",
                               where=fields.where("title"),
                               hint=f'write it in the front matter: {value}: "/my-post/"')
        if written:
            if route is not None and route.slugged:
                written = "/".join(ascii_slug(part) for part in written.split("/"))
            path = join_url(route.folder if route else "", written)
            # Gatsby 5's trailingSlash is "always" unless set: the page is the value's folder
            if js_string(self.config_text, "trailingSlash") not in ("never", "ignore", "legacy"):
                path = path.rstrip("/") + "/"
            return dataclasses.replace(generic, path=path)
        source_root = max((folder for folder in self.sources
                           if folder in source.path.parents), key=lambda f: len(f.parts),
                          default=self.content_root)
        relative = source.path.relative_to(source_root)
        path = join_url(route.folder if route else "", path_id(relative.with_suffix("")),
                        "/")  # createFilePath
        return Entry(id=generic.id, path=path, date=generic.date, page=generic.page,
                     draft=generic.draft)
