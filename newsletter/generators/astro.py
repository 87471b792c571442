"""Astro: posts are the entries of a content collection
(docs.astro.build/en/guides/content-collections).

The collection's folder comes from ``src/content.config.ts`` (a ``glob()`` loader's ``base``)
or, in older sites, ``src/content/<name>/``; ``blog`` (or ``posts``) is the one newsletter reads
by default. An entry's id is its path in the collection, each part slugged as Astro does
(github-slugger), or its ``slug``; its address is the dynamic route that renders the collection
(``src/pages/blog/[...slug].astro``: ``/blog/<id>/``, ``/blog/<id>.html`` where ``build.format``
is "file") under ``site`` and ``base``.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any

from newsletter.errors import ContentError
from newsletter.generators.base import (Entry, Generator, Source, first_of, join_url,
                                        path_id, url_path)
from newsletter.generators.astro_i18n import default_locale, locale_folders, locale_of
from newsletter.generators.astrowind import SETTINGS, AstroWind, astrowind
from newsletter.generators.globs import glob_regex
from newsletter.generators.settings_files import (
    SiteInfo,
    depends_on,
    first_file,
    first_text,
    js_boolean,
    js_object,
    js_string,
    read_text,
    remark_math,
    site_info,
    without_js_comments,
)
from newsletter.generators.slugs import github_slug

CONFIG_FILES = tuple(f"astro.config.{ext}" for ext in ("mjs", "js", "ts", "mts", "cjs"))
COLLECTION_FILES = ("src/content.config.ts", "src/content.config.js", "src/content.config.mjs",
                    "src/content.config.mts", "src/content/config.ts", "src/content/config.js",
                    "src/content/config.mjs")
CONSTANT_FILES = ("src/consts.ts", "src/consts.js", "src/config.ts", "src/config.js",
                  "src/site.config.ts", "src/site.config.js")  # the last Astro Cactus's
_MEMBER = re.compile(r"\bsite\s*:\s*[A-Za-z_$][\w$]*\.([A-Za-z_$][\w$]*)")  # siteConfig.url
_GLOB_CALL = re.compile(r"\bglob\(\s*\{(.*?)\}\s*\)", re.DOTALL)
_BASE = re.compile(r"""base\s*:\s*["'`](?:\./)?([^"'`]+)["'`]""")
_QUOTED_TEXT = r"""["'`]([^"'`]+)["'`]"""
_QUOTED = re.compile(_QUOTED_TEXT)
# pattern: "**/*.md", or pattern: ["**/*.md", "!**/drafts/**"]
_PATTERN = re.compile(
    rf"""\bpattern\s*:\s*({_QUOTED_TEXT}|\[(?:\s*{_QUOTED_TEXT}\s*,?)*\s*\])""")
_ROUTE = re.compile(r"^\[(?:\.\.\.)?(slug|id)\]\.(astro|md|mdx|ts|js)$")
_ROUTE_FOLDER = re.compile(r"^\[(?:\.\.\.)?(slug|id)\]$")
_PARAMETER = re.compile(r"\[\w+\]")  # [lang] of src/pages/[lang]/blog/[...slug].astro
_CONSTANT = re.compile(r"\$\{\s*([A-Za-z_$][\w$]*)\s*\}")


class Astro(Generator):
    name = "astro"
    label = "Astro"
    markdown = "remark"
    extensions = (".md", ".mdx", ".markdown", ".mdoc")  # .mdoc: @astrojs/markdoc's

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
        # AstroPaper its name and address in src/config.ts: SITE = { website: ..., title: ... };
        # Astro Cactus in src/site.config.ts, which astro.config.ts names: site: siteConfig.url;
        # Astro Micro its name in src/consts.ts: SITE = { TITLE: ... }
        found = first_file(self.root, *CONSTANT_FILES)
        constants = (read_text(found) or "") if found else ""
        url = js_string(self.config_text, "site")
        source = self.evidence if url or not found else found.relative_to(self.root).as_posix()
        member = _MEMBER.search(without_js_comments(self.config_text))
        url = url or (member and js_string(constants, member[1])) or js_string(constants, "website")
        base = self.base_path
        if url and base:
            url = url.rstrip("/") + base
        title = first_string(constants, "SITE_TITLE", "title", "TITLE")
        if self._astrowind and self._astrowind.site:  # src/config.yaml: site.name, site.site
            source, title = SETTINGS, self._astrowind.name
            url = self._astrowind.site.rstrip("/") + self._astrowind.base
        if not title and self._starlight_blog:  # starlightBlog({ title }), else starlight's
            title = js_string(self.config_text, "title")
        return site_info(source, title, url, language=first_string(constants, "lang", "LANG"))

    @cached_property
    def _astrowind(self) -> AstroWind | None:
        return astrowind(self.root)

    @property
    def base_path(self) -> str:
        base = js_string(self.config_text, "base")
        return url_path(base)

    @property
    def collection(self) -> Path:
        """The folder of the posts collection."""
        configured = list(self._loaders)
        content = self.root / "src" / "content"
        folders = sorted(folder for folder in content.iterdir() if folder.is_dir()) \
            if content.is_dir() else []
        pages = self.root / "src" / "pages"  # before content collections: Markdown pages
        markdown_pages = [pages / name for name in ("blog", "posts", "post")  # not a route's alone
                          if any(path.suffix in self.extensions
                                 for path in (pages / name).rglob("*"))]
        # the collections the site names come first, then src/content's, then Markdown pages
        for group in (configured, folders, markdown_pages):
            group = [folder for folder in group if folder.is_dir()]
            for name in ("blog", "posts", "post", "articles"):
                for folder in group:
                    if folder.name == name:
                        return folder
            if group:
                return group[0]
        return content / "blog"

    @cached_property
    def _loaders(self) -> dict[Path, list[str]]:
        """The folders the content config's ``glob()`` loaders read (their ``base``), each with
        the ``pattern`` choosing its files (``**/[^_]*.md``: none named ``_x``)."""
        config = first_file(self.root, *COLLECTION_FILES)
        text = (read_text(config) or "") if config else ""
        loaders: dict[Path, list[str]] = {}
        # a base: outside a glob({...}) call (its options built elsewhere): no pattern known
        for call in _GLOB_CALL.findall(text) or [found[0] for found in _BASE.finditer(text)]:
            base = _BASE.search(call)
            if base:  # `./${BLOG_PATH}` (AstroPaper) names a constant of the same file
                folder = _CONSTANT.sub(lambda name: js_string(text, name[1]) or name[0], base[1])
                pattern = _PATTERN.search(call)
                loaders[self.root / folder.strip("/").removeprefix("./")] = \
                    _QUOTED.findall(pattern[1]) if pattern else []
        return loaders

    def _outside_collection(self, relative: PurePosixPath) -> bool:
        """Whether the collection leaves the file out: its loader's pattern does not match it
        (a leading ``!`` excludes), or, without one, a part of its path begins with ``_``
        (the collections of src/content before loaders)."""
        inside = relative.relative_to(relative.parts[0]).as_posix()
        patterns = self._loaders.get(self.collection)
        if not patterns:
            return patterns is None and any(part.startswith("_") for part in relative.parts)
        chosen = [pattern for pattern in patterns if not pattern.startswith("!")]
        left_out = [pattern[1:] for pattern in patterns if pattern.startswith("!")]
        return not any(glob_regex(pattern.removeprefix("./")).fullmatch(inside)
                       for pattern in chosen) \
            or any(glob_regex(pattern.removeprefix("./")).fullmatch(inside) for pattern in left_out)

    @property
    def content_root(self) -> Path:
        return self.collection.parent

    def post_dirs(self) -> tuple[tuple[str, ...], str]:
        folder = self.collection
        if self._starlight_blog and folder.name == "docs":
            blog = folder / self._starlight_blog
            return (blog.relative_to(self.root).as_posix(),), "the starlight-blog plugin"
        return (folder.relative_to(self.root).as_posix(),), f"the {folder.name} collection"

    def page_dirs(self) -> tuple[str, ...]:
        return ("src/pages", "src/content/docs") if self._starlight_blog else ("src/pages",)

    @cached_property
    def _starlight_blog(self) -> str | None:
        """The folder of Starlight's docs the starlight-blog plugin makes the blog of: its
        ``prefix``, by default ``blog``; None without the plugin."""
        settings = without_js_comments(self.config_text)
        call = re.search(r"\bstarlightBlog\(\s*(\{[^()]*\})?", settings)
        if not call:
            return None
        prefix = js_string(call[1] or "", "prefix")
        return (prefix or "blog").strip("/") or "blog"

    def static_dirs(self) -> tuple[str, ...]:
        return ("public",)

    def entry(self, source: Source) -> Entry:
        fields, relative = source.fields, source.relative
        dates = {key: value for key, value in source.meta.items() if not isinstance(value, bool)}
        key = first_of(dates, "pubdate", "pubdatetime", "date", "publishdate", "published")
        date = fields.date(key) if key else None
        pages, translation = self.root / "src" / "pages", None
        if pages in source.path.parents:  # a Markdown page: its path under src/pages
            path = PurePosixPath(source.path.relative_to(pages).as_posix())
            entry_id = _entry_id(path, None)
            entry_id, address = "/" + entry_id, join_url(entry_id)
        elif self._outside_collection(relative):
            return Entry(id=path_id(relative), path=None,
                         page="not in the collection (its loader's pattern, or a _name)")
        else:
            in_collection = relative.relative_to(relative.parts[0])
            entry_id = _entry_id(in_collection, fields.string("slug"))
            if self._astrowind:  # the permalink of its src/config.yaml, its own route's
                return Entry(id=f"/{relative.parts[0]}/{entry_id}", date=date,
                             path=self._astrowind.address(entry_id, date,
                                                          fields.string("category")),
                             draft=fields.boolean("draft", default=False))
            route = self._route()
            address = _filled_route(route, self._address_in_route(in_collection, entry_id))
            folders = locale_folders(self.config_text)
            locale = locale_of(in_collection, folders)
            if locale and locale != default_locale(self.config_text):
                translation = f"a translation ({locale}; i18n's defaultLocale is " \
                              f"{default_locale(self.config_text)})"
            if locale and not _PARAMETER.search(route):
                # a page folder per locale: the locale's prefix, then the route, then the id
                # within the locale's folder
                in_locale = in_collection.relative_to(locale)
                address = join_url(folders[locale], route, self._address_in_route(
                    in_locale, _entry_id(in_locale, fields.string("slug"))))
            if unfilled := _PARAMETER.search(address):
                raise ContentError(
                    f"src/pages{route} takes {unfilled[0]} from the folder of the post in its "
                    "collection, and it is in none", where=fields.where("title"),
                    hint=f"move it into a folder named for its {unfilled[0][1:-1]}, as the "
                    "other posts are")
            entry_id = "/" + relative.parts[0] + "/" + entry_id
        address = self._page_address(address, source.path.stem)
        return Entry(id=entry_id, path=address, date=date, page=translation,
                     draft=fields.boolean("draft", default=False))

    def _page_address(self, address: str, stem: str) -> str:
        """docs.astro.build/en/reference/configuration-reference: ``build.format`` "file" builds
        /blog/x.html ("preserve" too, but for an index file); else a folder, /blog/x/, written
        without its slash where ``trailingSlash`` is "never"."""
        build_format = js_object(self.config_text, "build", skip_code=True).get("format")
        if address.strip("/") and (build_format == "file"
                                   or (build_format == "preserve" and stem != "index")):
            return address.rstrip("/") + ".html"
        if js_string(self.config_text, "trailingSlash") == "never":
            return address
        return address.rstrip("/") + "/"

    @cached_property
    def _hides_underscored_folders(self) -> bool:
        get_path = read_text(self.root / "src" / "utils" / "getPath.ts") or ""
        return re.search(r"""startsWith\(\s*["'`]_["'`]\s*\)""", get_path) is not None

    def _address_in_route(self, in_collection: PurePosixPath, entry_id: str) -> str:
        """The entry's address under its route: its id, or, where the site's getPath() leaves
        out the folders named ``_x`` (AstroPaper's src/utils/getPath.ts), the other folders of
        its file and the last part of its id (``_releases/v5.md`` is ``/posts/v5/``)."""
        if not self._hides_underscored_folders:
            return entry_id
        folders = [github_slug(part) for part in in_collection.parent.parts
                   if not part.startswith("_")]
        return "/".join([*folders, entry_id.rsplit("/", 1)[-1]])

    @staticmethod
    def _gets(folder: Path, name: str) -> bool:
        """Whether the route in ``folder`` gets the collection ``name``: getCollection("post")."""
        return re.search(rf"""getCollection\(\s*["'`]{re.escape(name)}["'`]""",
                         _route_text(folder)) is not None

    def _route(self) -> str:
        """The folder under src/pages of the route that renders the collection's entries."""
        pages = self.root / "src" / "pages"
        # [...slug].astro, or [...slug]/index.astro (AstroPaper): the folder holding it
        routes = [path.parent for path in pages.rglob("[[]*") if _ROUTE.match(path.name)
                  or (_ROUTE_FOLDER.match(path.name) and any(path.glob("index.*")))] \
            if pages.is_dir() else []
        name = self.collection.name
        # the route named for the collection (posts/ for post), else one that gets it by name
        routes.sort(key=lambda folder: (folder.name not in (name, name + "s"),
                                        not self._gets(folder, name), len(folder.parts)))
        if routes:
            return "/" + routes[0].relative_to(pages).as_posix().strip(".")
        # Starlight's own route renders its docs at the root: blog/x.md is /blog/x/
        return "/" if self._starlight_blog and name == "docs" else "/" + name


def _filled_route(route: str, in_route: str) -> str:
    """The address of an entry under a route with parameters before its slug
    (``/[lang]/blog/[...slug]``, docs.astro.build's i18n recipe): each takes the next folder of
    the entry's id, as ``const [lang, ...slug] = post.id.split("/")`` gives them
    (``en/marram`` is ``/en/blog/marram/``)."""
    parts = in_route.split("/")
    filled = []
    for segment in route.split("/"):
        if _PARAMETER.fullmatch(segment) and len(parts) > 1:
            segment = parts.pop(0)
        filled.append(segment)
    return join_url(*filled, *parts)


def _route_text(folder: Path) -> str:
    return "".join(read_text(path) or "" for path in [*folder.glob("[[]*"), *folder.glob(
        "[[]*/index.*")] if path.is_file())


def first_string(text: str, *names: str) -> str | None:
    """The literal string of the first of ``names`` that ``text`` sets."""
    return next(filter(None, (js_string(text, name) for name in names)), None)


def _entry_id(relative: PurePosixPath, slug: str | None) -> str:
    if slug and slug.strip("/"):
        return slug.strip("/")
    stem = relative.with_suffix("")
    if stem.name == "index" and len(stem.parts) > 1:
        stem = stem.parent
    return "/".join(github_slug(part) for part in stem.parts)
