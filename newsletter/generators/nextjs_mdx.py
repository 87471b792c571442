"""Next.js blogs in MDX beyond the blog-starter: a posts folder a dynamic route reads
(maxleiter.com, leerob's: ``posts/*.mdx`` at ``/blog/[slug]``), or each post its own route
(rauchg's ``app/(post)/2020/vercel/page.mdx``, ``pages/blog/hello.mdx``): ``nextjs_routes``.

Found by ``next`` in package.json or a next.config.* file. A post's title, date and
description are its front matter's, else its ``export const metadata = {...}``'s, else the
entry of ``posts.json`` with its name as ``id`` (rauchg's); the blog's are the root layout's
``metadata``. ``date`` or
``publishedAt`` dates it; ``draft: true`` or ``published: false`` keeps it back. Addresses take
``trailingSlash`` from next.config.*; its ``basePath`` is the blog's base path. Images are in
``public/``. Nothing is run.
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath
from typing import Any, Callable

from newsletter.generators.base import Entry, Generator, Source, join_url, path_id, url_path
from newsletter.generators.jsliteral import object_at
from newsletter.generators.nextjs_routes import (APP_FOLDERS, PAGES_FOLDERS, app_route,
                                                 dynamic_route, is_blog_route, mdx_routes,
                                                 post_folders, route_segments)
from newsletter.generators.settings_files import (SiteInfo, depends_on, first_file, first_text,
                                                  js_boolean, js_string, read_text, remark_math,
                                                  site_info, under_base, without_js_comments)

CONFIG_FILES = tuple(f"next.config.{ext}" for ext in ("js", "mjs", "ts", "cjs", "mts"))
_LISTS = ("posts.json", "app/posts.json", "src/app/posts.json")  # rauchg's, imported by its code
_METADATA = re.compile(r"\bexport\s+const\s+metadata(?:\s*:\s*[\w.]+)?\s*=\s*(?=\{)")
_METADATA_BASE = re.compile(r"""metadataBase\s*:\s*new\s+URL\(\s*(["'`])(https?://[^"'`\s]+)\1""")
# What a post's metadata may say for newsletter; a title written { absolute: ... } is left
_METADATA_KEYS = ("title", "description", "summary", "date", "publishedat", "draft",
                  "published", "slug")


class NextMdx(Generator):
    name = "nextjs-mdx"
    label = "Next.js (MDX)"
    markdown = "remark"
    extensions = (".mdx", ".md")

    def __init__(self, root: Path, evidence: str | None = None):
        super().__init__(root, evidence)
        self.config_text = first_text(root, CONFIG_FILES)
        self.dirs: tuple[str, ...] = ()
        self._routes: dict[str, tuple[str, bool] | None] = {}
        self._listed: dict[str, dict[str, Any]] | None = None  # posts.json's, read once

    @classmethod
    def found(cls, root: Path) -> str | None:
        config = first_file(root, *CONFIG_FILES)
        if config:
            return config.name
        return "package.json" if depends_on(root, "next") else None

    def info(self) -> SiteInfo:
        """The root layout's ``export const metadata``: ``title`` (or its ``default``) and
        ``metadataBase: new URL('...')`` (else ``openGraph.url``)."""
        found = first_file(self.root, *(f"{app}/layout.{ext}" for app in APP_FOLDERS
                                        for ext in ("tsx", "jsx", "js", "ts")))
        text = (read_text(found) or "") if found else ""
        metadata = exported_metadata(text)
        title = metadata.get("title")
        title = title.get("default") if isinstance(title, dict) else title
        base = _METADATA_BASE.search(text)
        graph = metadata.get("openGraph") if isinstance(metadata.get("openGraph"), dict) else {}
        url = base[2] if base else graph.get("url")
        source = found.relative_to(self.root).as_posix() if found and (title or url) else None
        return site_info(source, title, under_base(url, self.base_path), None, None)

    def markdown_options(self) -> dict[str, Any]:
        return {"smart_punctuation": False} | remark_math(self.root)

    @property
    def content_root(self) -> Path:
        return self.root

    @property
    def base_path(self) -> str:
        return url_path(js_string(self.config_text, "basePath"))

    def post_dirs(self) -> tuple[tuple[str, ...], str]:
        routes, folders = mdx_routes(self.root), post_folders(self.root)
        if routes or folders:
            return tuple(routes + folders), "the Next.js MDX routes and posts folders found"
        return ("posts",), ("none of posts/, content/blog/, data/blog/, app/**/page.mdx... "
                            "found: set [posts] dirs to your posts folder, and slug in a post "
                            "whose address is not its route's folder and file name")

    def configure(self, post_dirs: tuple[str, ...]) -> None:
        self.dirs = post_dirs

    def static_dirs(self) -> tuple[str, ...]:
        return ("public",)

    @property
    def listed(self) -> dict[str, dict[str, Any]]:
        """posts.json's entries by id, read once."""
        if self._listed is None:
            self._listed = _listed(self.root)
        return self._listed

    def listing(self, relative: PurePosixPath) -> dict[str, Any] | None:
        """posts.json's entry for the post file: a file's by its name, a page.mdx's by its
        folder's at /<id> or /<year>/<id> (rauchg's; /ja/2020/x is a translation, unlisted)."""
        route = app_route(relative.as_posix())
        if route is None:
            return self.listed.get(relative.stem)
        if len(route) == 1 or len(route) == 2 and route[0].isdigit():
            return self.listed.get(route[-1])
        return None

    def inherited(self, path: Path,
                  front_matter_of: Callable[[Path], dict[str, Any]]) -> dict[str, Any]:
        """``export const metadata = {...}``'s fields, over posts.json's entry for the post."""
        listed = self.listing(PurePosixPath(path.relative_to(self.root).as_posix())) or {}
        text = (read_text(path) or "") if path.suffix.lower() == ".mdx" else ""
        exported = exported_metadata(text) if "metadata" in text else {}
        return {key: value for key, value in {**listed, **_lower(exported)}.items()
                if key in _METADATA_KEYS and isinstance(value, (str, int, float))}

    def entry(self, source: Source) -> Entry:
        fields, relative = source.fields, source.relative
        published = source.meta.get("published")  # false: a draft; else maybe its date
        date = fields.date("date") or fields.date("publishedat") or \
            (fields.date("published") if not isinstance(published, bool) else None)
        draft = fields.boolean("draft", default=False) or published is False
        address, page = self._address(relative, (fields.string("slug") or "").strip("/"))
        if page is None and self.listed and app_route(relative.as_posix()) is not None \
                and self.listing(relative) is None:
            page = "not listed in posts.json, the blog's list of posts"
        post_id = path_id(PurePosixPath(address.lstrip("/"))) if address else path_id(relative)
        if address and js_boolean(self.config_text, "trailingSlash"):
            address = address.rstrip("/") + "/"
        title = relative.parent.name if page and relative.stem == "page" else None
        return Entry(id=post_id, path=address, date=date, draft=draft, page=page, title=title)

    def _address(self, relative: PurePosixPath, slug: str) -> tuple[str | None, str | None]:
        """(the post's address, why it is a page instead) from the route that serves it."""
        text = relative.as_posix()
        folder = max((d.strip("/") for d in self.dirs if text.startswith(d.strip("/") + "/")),
                     key=len, default=relative.parent.as_posix())
        inside = relative.relative_to(folder) if text.startswith(folder + "/") \
            else PurePosixPath(relative.name)
        if folder in APP_FOLDERS:
            route = join_url(*route_segments(inside.parent.as_posix()))
            if relative.name != "page.mdx":
                return None, "not a route (Next.js serves page.mdx files under app/)"
            return route, None if is_blog_route(list(inside.parts)) else "not under a blog route"
        pages = next((base for base in PAGES_FOLDERS if folder.startswith(base + "/")), None)
        if pages:
            return path_id(relative.relative_to(pages)), None
        if folder not in self._routes:  # one look through app/ and pages/ per folder
            self._routes[folder] = dynamic_route(self.root, folder)
        route = self._routes[folder]
        prefix, catch_all = route if route else ("/" + folder.rsplit("/", 1)[-1], False)
        if route is None and folder == "content":  # the generic reading's address: its path
            prefix, catch_all = "/", True
        name = path_id(inside).strip("/")
        slug = slug or (name if catch_all else name.rsplit("/", 1)[-1])
        return join_url(prefix, slug), None


def exported_metadata(text: str) -> dict[str, Any]:
    """The literal fields of ``export const metadata = {...}`` (``: Metadata`` typed too)."""
    text = without_js_comments(text)
    found = _METADATA.search(text)
    return (object_at(text, found.end(), skip_code=True) or {}) if found else {}


def _lower(value: dict[str, Any]) -> dict[str, Any]:
    return {str(key).lower(): item for key, item in value.items()}


def _listed(root: Path) -> dict[str, dict[str, Any]]:
    """posts.json's entries by id (rauchg's: ``{"posts": [{"id", "date", "title"}]}``; a
    "June 23, 2021" date is read as front matter's)."""
    found = first_file(root, *_LISTS)
    text = read_text(found) if found else None
    try:
        data = json.loads(text) if text else {}
    except (ValueError, RecursionError):
        return {}
    entries = data.get("posts") if isinstance(data, dict) else data
    listed = {}
    for item in entries if isinstance(entries, list) else ():
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            listed[item["id"]] = _lower(item)
    return listed

