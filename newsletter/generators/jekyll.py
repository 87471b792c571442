"""Jekyll: settings in _config.yml, posts in ``_posts`` named ``YYYY-MM-DD-title.md``.

As jekyllrb.com/docs/posts and /docs/permalinks describe: the date and the slug come from the
file name (a ``date`` in the front matter wins), the title from the slug when there is none,
``_drafts`` holds drafts, ``published: false`` keeps a post unpublished, files outside ``_posts``
are pages; a post in another language than jekyll-polyglot's ``default_lang`` is a
translation. Addresses follow ``permalink`` (a built-in style or placeholders, site-wide, for the
posts collection, in front matter defaults, or per post) under ``baseurl``.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsletter.generators.base import (
    Entry,
    Generator,
    Source,
    as_list,
    dated_name,
    folder_setting,
    join_url,
)
from newsletter.generators.jekyll_config import (DEFAULT_FILES, commonmark_converter, excluded,
                                                 markdown_options, published_config, serves,
                                                 toml_settings_problem)
from newsletter.generators.jekyll_folders import DataFolder, post_folders
from newsletter.generators.jekyll_polyglot import i18n_language, translation
from newsletter.generators.jekyll_permalinks import (
    STYLES,
    categories_of,
    default_values,
    expand,
    page_address,
    permalink_ending,
    permalink_template,
)
from newsletter.generators.github_pages import base_path, published_url
from newsletter.generators.settings_files import SiteInfo, site_info, yaml_settings_problem
from newsletter.generators.slugs import jekyll_slug, titleize

# What Jekyll's EntryFilter passes over in a collection's folder: a path from it, or a file
# name, starting with one of these (_posts/_old/2024-01-01-x.md is not built).
_SKIPPED = ("_", ".", "#", "~")
_MARKDOWN = (".markdown", ".mkdown", ".mkdn", ".mkd", ".md")


class Jekyll(Generator):
    name = "jekyll"
    label = "Jekyll"
    unread_extensions = (*Generator.unread_extensions, ".html", ".htm")  # HTML posts
    markdown = "kramdown"
    styles = STYLES  # the permalink styles a site's ``permalink`` may name
    default_style = "date"
    dated_names_only = True  # a _posts file without YYYY-MM-DD- in its name is no post
    default_source = ""  # the folder built where the settings name no source: the site's

    def __init__(self, root: Path, evidence: str | None = None):
        super().__init__(root, evidence)
        self.config, self.config_files, self.config_source = published_config(root)
        self.blog_collections: frozenset[str] = frozenset()  # collection folders read as posts

    @classmethod
    def found(cls, root: Path) -> str | None:
        for name in (*DEFAULT_FILES, "_posts"):
            if (root / name).exists():
                return name
        return None

    def settings_problem(self) -> tuple[str, str, str | None] | None:
        """_config.yml (or .yaml, .toml, or a file the build names) when it does not read (as
        YAML, or TOML for .toml): Jekyll stops there, and every address, excerpt and markup
        setting would be guessed without it."""
        return next(filter(None, (
            (toml_settings_problem if name.endswith(".toml") else yaml_settings_problem)(
                self.root, name) for name in self.config_files)), None)

    def media_base(self) -> str | None:
        cdn = self.config.get("cdn") or self.config.get("img_cdn")  # Chirpy's (img_cdn before 6)
        return cdn.strip().rstrip("/") if isinstance(cdn, str) and "//" in cdn else None

    @property
    def markdown(self) -> str:  # type: ignore[override]
        """kramdown (Jekyll's default), or CommonMark where _config.yml's ``markdown`` names a
        CommonMark converter plugin."""
        return "commonmark" if commonmark_converter(self.config) else "kramdown"

    def markdown_options(self) -> dict[str, Any]:
        return markdown_options(self.config)

    def excerpt_separator(self, meta: dict[str, Any]) -> str | None:
        """jekyll-seo-tag and jekyll-feed describe a post without a description by its excerpt:
        the text before its ``excerpt_separator``, else _config.yml's, else a blank line."""
        return next((value for value in (meta.get("excerpt_separator"), self.config.get(
            "excerpt_separator")) if isinstance(value, str)), "\n\n")

    @property
    def extensions(self) -> tuple[str, ...]:  # type: ignore[override]
        configured = self.config.get("markdown_ext")
        if isinstance(configured, str) and configured.strip():
            return tuple(f".{ext.strip().lstrip('.')}" for ext in configured.split(","))
        return _MARKDOWN

    def info(self) -> SiteInfo:
        config = self.config
        url, found = published_url(self.root, config, self.config_source)
        title = config.get("title")
        if not (isinstance(title, str) and title.strip()):
            title = config.get("name")  # Jekyll Now's; jekyll-seo-tag reads it without a title
        # `lang` (jekyll-seo-tag's), Minimal Mistakes' `locale`, Polyglot's `default_lang`,
        # jekyll-multiple-languages-plugin's first `languages`
        named = (*map(config.get, ("lang", "locale", "default_lang")),
                 *as_list(config.get("languages"))[:1])
        language = next((value for value in named if isinstance(value, str) and value.strip()), "")
        return site_info(found, title, url, config.get("timezone"), language)

    @property
    def values(self) -> dict[str, Any]:
        """_config.yml's values, ``data``: the files of its ``data_dir`` (``_data``), and
        ``time``: now, as the build's time is when the email is made."""
        folder = self.config.get("data_dir")
        folder = folder.strip("/") if isinstance(folder, str) and folder.strip("/") else "_data"
        return {"time": dt.datetime.now(dt.UTC).replace(microsecond=0), **self.config,
                "data": DataFolder(self.site_root / folder, self.root)}

    @cached_property
    def site_root(self) -> Path:
        """The folder Jekyll builds (its settings stay beside): ``source`` (``src``), else the
        default, else the site's own; one outside the site or missing is never read."""
        return next((folder for folder in (self.root / folder_setting(name, self.default_source)
                                           for name in (self.config.get("source"), None))
                     if folder.is_dir() and folder.resolve().is_relative_to(self.root.resolve())),
                    self.root)

    @property
    def content_root(self) -> Path:
        return self.site_root / self._collections_dir

    @property
    def base_path(self) -> str:
        return base_path(self.config)

    def post_dirs(self) -> tuple[tuple[str, ...], str]:
        found = tuple(folder.relative_to(self.root).as_posix()
                      for folder in post_folders(self.content_root)
                      if not self._excluded(folder))  # TeXt's exclude: [/docs] and docs/_posts
        prefix = self.content_root.relative_to(self.root).as_posix().strip(".") + "/"
        if found:
            return found, f"{self.label}'s _posts, and _drafts as drafts"
        collections = self.config.get("collections")
        names = sorted(map(str, collections)) if isinstance(collections, dict) else []
        output = tuple(f"{prefix}_{name}".lstrip("/") for name in names
                       if self._outputs(name) and (self.content_root / f"_{name}").is_dir())
        if output:
            return output, "no _posts: the collections _config.yml outputs"
        return (f"{prefix}_posts".lstrip("/"),), f"{self.label}'s _posts, and _drafts as drafts"

    def page_dirs(self) -> tuple[str, ...]:
        return (self._built_folder,)

    def is_page_file(self, path: Path) -> bool:
        """A Markdown file with front matter outside ``_`` folders (unless _config.yml's
        ``include`` names them) and its ``exclude``: what Jekyll renders as a page."""
        if self.site_root not in path.parents:
            return False
        relative = path.relative_to(self.site_root).as_posix()
        included = [str(name).strip("/") for name in as_list(self.config.get("include"))]
        parts = relative.split("/")
        if any(part.startswith("_") for part in parts[:-1]) and not any(
                relative.startswith(name + "/") for name in included):
            return False
        if excluded(self.config, relative):
            return False
        try:
            with path.open("rb") as handle:
                return handle.read(3) == b"---"
        except OSError:
            return False

    def _excluded(self, path: Path) -> bool:
        """Whether _config.yml's ``exclude`` (paths from the folder Jekyll builds) names the
        file or folder at ``path``."""
        return self.site_root in path.parents and excluded(
            self.config, path.relative_to(self.site_root).as_posix())

    def publishes(self, names: tuple[str, ...]) -> list[str]:
        if self.site_root != self.root:
            return []  # Jekyll builds only its source folder, not the files beside it
        return [name for name in names if serves(self.config, name.strip("/"))]

    def serves(self, path: str) -> bool:
        return serves(self.config, path)

    def static_dirs(self) -> tuple[str, ...]:
        return (self._built_folder,)  # Jekyll copies every other file to the same path

    @property
    def _built_folder(self) -> str:
        return self.site_root.relative_to(self.root).as_posix()

    def files_beside(self, path: Path, page: str) -> str | None:
        """jekyll-postfiles (Klise's): a post in a folder of its own in ``_posts`` has the
        other files there published in its page's folder (``/x/`` for ``/x/``, ``/2024/05/``
        for ``/2024/05/x.html``)."""
        if path.parent.name in ("_posts", "_drafts") or not {"_posts", "_drafts"} & set(
                path.parent.parts):
            return super().files_beside(path, page)
        return page if page.endswith("/") else page.rpartition("/")[0] + "/"

    def configure(self, post_dirs: tuple[str, ...]) -> None:
        self.blog_collections = frozenset(pattern.strip("/").rpartition("/")[2]
                                          for pattern in post_dirs)

    def entry(self, source: Source) -> Entry:
        fields, parts = source.fields, source.relative.parts
        folder = next((name for name in ("_posts", "_drafts") if name in parts), None)
        folder = folder or self._collection_folder(parts)
        if folder is None:
            page = PurePosixPath(source.path.relative_to(self.site_root).as_posix()) if \
                self.site_root in source.path.parents else source.relative
            return Entry(id="/" + page.with_suffix("").as_posix(),
                         path=page_address(page, source.meta.get("permalink"),
                                           permalink_ending(self.config, self.styles,
                                                            self.default_style)),
                         page="outside _posts: a Jekyll page")
        collection = "posts" if folder in ("_posts", "_drafts") else folder[1:]
        stem = source.relative.stem
        if parts[parts.index(folder) + 1].startswith(_SKIPPED) or parts[-1].startswith(_SKIPPED):
            return Entry(id=join_url(*parts[parts.index(folder) + 1:-1], stem), path=None,
                         page=f"Jekyll skips a name in {folder} starting with _ . # or ~")
        file_date, slug = dated_name(stem)
        draft = folder == "_drafts" or fields.meta.get("published") is False
        if folder == "_posts" and file_date is None and self.dated_names_only:
            return Entry(id="/" + stem, path=None,
                         page="not a post: Jekyll reads only _posts files named "
                              "YYYY-MM-DD-title.md")
        if collection != "posts" and not self._outputs(collection):
            return Entry(id=join_url(collection, stem), path=None,
                         page=f"collection {collection} is not output: true in _config.yml")
        written_date = fields.date("date")
        date = written_date or (source.midnight(file_date) if file_date else None)
        if collection == "posts":
            above = list(parts[:parts.index(folder)])  # blog/_posts: the category "blog"
            categories = above[2:] if i18n_language(self.config, above) else above[:]
        else:
            above, categories = [collection], []
        if self._excluded(source.path):
            return Entry(id=join_url(*above, stem), path=None,
                         page="excluded by _config.yml's exclude: Jekyll does not build it")
        categories += categories_of(fields.meta.get("categories"))
        categories += as_list(fields.meta.get("category"))
        when = date or dt.datetime.fromtimestamp(source.path.stat().st_mtime, dt.timezone.utc)
        # A date written with an offset is on Jekyll's clock in the address; one without is read
        # in the site's zone (its zone object, as source.midnight gives it) and is as written.
        if written_date and written_date.tzinfo is not source.midnight(when.date()).tzinfo:
            when = written_date.astimezone(self._zone)
        name = fields.string("slug") or slug
        inside = "/".join(parts[parts.index(folder) + 1:])
        values = {"title": jekyll_slug(name, pretty=True, cased=True),
                  "slug": jekyll_slug(name), "name": jekyll_slug(stem),
                  "categories": "/".join(dict.fromkeys(c.lower() for c in categories)),
                  "slugified_categories": "/".join(dict.fromkeys(
                      slug for slug in map(jekyll_slug, categories) if slug)),
                  "output_ext": ".html", "collection": collection,
                  "path": inside[:len(inside) - len(source.relative.suffix)]}
        template = permalink_template(self.config, collection, source.relative.as_posix(),
                                      source.meta.get("permalink"), self.styles,
                                      self.default_style)
        address = expand(template, values, when)
        if collection != "posts" and folder not in self.blog_collections:
            return Entry(id=join_url(*above, stem), path=address,
                         page=f"in the collection {collection}, not a post folder")
        language = translation(self.config, fields.meta.get("lang"),
                               parts[parts.index(folder) + 1:], above)
        if language:  # built into /fr/, the French site's copy; its id apart from the post's
            languaged = above if language in above else [language, *above]  # _posts/fr/x: /fr/x
            return Entry(id=join_url(*languaged, stem), path=join_url(language, address), date=date,
                         draft=draft, title=titleize(slug), page=f"a translation ({language}); "
                         "newsletter mails the default language")
        return Entry(id=join_url(*above, stem), path=address, date=date, draft=draft,
                     title=titleize(slug))

    def inherited(self, path: Path, front_matter_of: Any) -> dict[str, Any]:
        """What _config.yml's front matter ``defaults`` give the file (``published: false`` for
        a folder, Minimal Mistakes' default ``header.teaser``); its ``permalink`` is read with
        the address (a style such as ``pretty`` is one there, not in a post's front matter)."""
        try:
            relative = path.relative_to(self.content_root)
        except ValueError:
            return {}
        parts = relative.parts
        collection = "posts" if {"_posts", "_drafts"} & set(parts) else (
            (self._collection_folder(parts) or "_pages")[1:])
        values = default_values(self.config, collection, relative.as_posix())
        values.pop("permalink", None)
        return values

    def _collection_folder(self, parts: tuple[str, ...]) -> str | None:
        """The folder of a collection of _config.yml's ``collections`` the file is in."""
        collections = self.config.get("collections")
        names = {f"_{name}" for name in collections} if isinstance(
            collections, (dict, list)) else set()
        return parts[0] if len(parts) > 1 and parts[0] in names else None

    def _outputs(self, collection: str) -> bool:
        """Whether Jekyll makes a page of each document of ``collection`` (``output: true``)."""
        collections = self.config.get("collections")
        settings = collections.get(collection) if isinstance(collections, dict) else None
        return isinstance(settings, dict) and settings.get("output") is True

    @property
    def _zone(self) -> dt.tzinfo:
        """The zone Jekyll builds in, whose day a front matter ``date`` is in the address: its
        ``timezone``, else UTC, as GitHub Pages and CI machines build (Jekyll converts a
        ``2024-08-08 22:44:26 -0700`` to it: /2024/08/09/ there)."""
        name = self.config.get("timezone")
        try:
            return ZoneInfo(name.strip()) if isinstance(name, str) and name.strip() else dt.UTC
        except (ZoneInfoNotFoundError, ValueError):
            return dt.UTC

    @property
    def _collections_dir(self) -> str:
        folder = self.config.get("collections_dir")
        return folder.strip("/") if isinstance(folder, str) and folder.strip("/") else ""

