"""Pelican: settings in pelicanconf.py (publishconf.py's over them, as published), articles under
``PATH`` (docs.getpelican.com/en/latest/settings.html).

Markdown articles open with ``Key: value`` lines. Files under ``PAGE_PATHS`` (``pages``) are
pages; ``Status: draft`` is a draft, ``hidden`` and ``skip`` are pages, and an article in another
language than ``DEFAULT_LANG`` is a translation. The date is ``Date``, else the one
``FILENAME_METADATA`` finds in the file name (``PATH_METADATA`` in its path: a slug, a
category, where the metadata names none); the address is ``ARTICLE_URL`` filled with the slug
(``Slug``, else the title slugged), the date, the category and the language.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import string
from pathlib import Path
from typing import Any

from newsletter.generators.base import Entry, Generator, Source, join_url, path_id
from newsletter.generators.python_markdown import python_markdown_options
from newsletter.generators.settings_files import (SiteInfo, python_settings,
                                                  site_info)
from newsletter.generators.slugs import pelican_slug

_DEFAULT_FILENAME_METADATA = r"(?P<date>\d{4}-\d{2}-\d{2}).*"


class Pelican(Generator):
    name = "pelican"
    label = "Pelican"
    restructured_extensions = (".rst",)
    extensions = (".md", ".markdown", ".mkd", ".mdown", *restructured_extensions)
    unread_extensions = tuple(sorted(set(Generator.unread_extensions) -
                                     set(restructured_extensions)))
    key_value_front_matter = True

    def __init__(self, root: Path, evidence: str | None = None):
        super().__init__(root, evidence)
        self.config: dict[str, Any] = python_settings(root / "pelicanconf.py")
        self.config.update(self._published_settings(root))

    @staticmethod
    def _published_settings(root: Path) -> dict[str, Any]:
        """publishconf.py's settings, which the published build uses over pelicanconf.py's
        (``make publish``, ``invoke publish`` and Pelican's GitHub Pages workflow run ``pelican
        -s publishconf.py``): its ``ARTICLE_URL`` is the articles' address, not the one
        ``pelican`` builds on the writer's computer. An empty ``SITEURL`` there is passed over."""
        published = python_settings(root / "publishconf.py")
        if not (isinstance(published.get("SITEURL"), str) and published["SITEURL"]):
            published.pop("SITEURL", None)
        return published

    @classmethod
    def found(cls, root: Path) -> str | None:
        return "pelicanconf.py" if (root / "pelicanconf.py").is_file() else None

    def info(self) -> SiteInfo:
        config = self.config
        return site_info("pelicanconf.py", config.get("SITENAME"), config.get("SITEURL"),
                         config.get("TIMEZONE"), config.get("DEFAULT_LANG"))

    @property
    def content_root(self) -> Path:
        """``PATH``; unset (or "."), ``content/`` as the quickstart's Makefile passes it, unless
        ``ARTICLE_PATHS`` are folders of the site's own and not of ``content/`` (Pelican's
        default ``PATH`` is the folder it runs in)."""
        folder = self.config.get("PATH")
        if isinstance(folder, str) and folder.strip(" ./"):
            return self.root / folder.strip("/")
        content = self.root / "content"
        written = self.config.get("ARTICLE_PATHS")
        articles = [str(path).strip("/") for path in written if str(path).strip("/")] \
            if isinstance(written, (list, tuple)) else []
        if articles and all((self.root / path).is_dir() and not (content / path).is_dir()
                            for path in articles):
            return self.root
        return content if content.is_dir() else self.root

    @property
    def values(self) -> dict[str, Any]:
        return self.config

    def markdown_options(self) -> dict[str, Any]:
        """What the ``MARKDOWN`` setting's extensions (its ``extension_configs``, and any
        ``extensions`` list) turn on; Pelican's default (codehilite, extra, meta) extra's
        Markdown in ``<div markdown>``: no [TOC], straight quotes."""
        written = self.config.get("MARKDOWN")
        written = written if isinstance(written, dict) else {"extensions": ["extra"]}
        configs, listed = written.get("extension_configs"), written.get("extensions")
        return python_markdown_options([*(configs if isinstance(configs, dict) else ()),
                                        *(listed if isinstance(listed, (list, tuple)) else ())])

    def post_dirs(self) -> tuple[tuple[str, ...], str]:
        content = self.content_root.relative_to(self.root).as_posix()
        content = "" if content == "." else content
        paths = self.config.get("ARTICLE_PATHS") or [""]
        dirs = tuple(join_url(content, str(path)).strip("/") or "." for path in paths)
        return dirs, "Pelican's PATH and ARTICLE_PATHS"

    def page_dirs(self) -> tuple[str, ...]:
        return (self.content_root.relative_to(self.root).as_posix() or ".",)

    def static_dirs(self) -> tuple[str, ...]:
        return (self.content_root.relative_to(self.root).as_posix() or ".",)

    def internal_link(self, kind: str, name: str, post_file: Path, post_path: str) -> str | None:
        """docs.getpelican.com/en/latest/content.html#linking-to-internal-content: a file
        ``{static}`` names (from the post's folder, or from ``PATH`` with a leading ``/``) is at
        its path under ``PATH``, one ``{attach}`` names beside the post's page; ``{tag}``,
        ``{category}`` and ``{author}`` are ``TAG_URL``, ``CATEGORY_URL`` and ``AUTHOR_URL`` with
        the name slugged, ``{index}`` the blog's home page."""
        if kind in ("tag", "category", "author") and name.strip():
            pattern = self.config.get(f"{kind.upper()}_URL")
            pattern = pattern if isinstance(pattern, str) else f"{kind}/{{slug}}.html"
            try:
                return join_url(pattern.format(slug=pelican_slug(name)))
            except (KeyError, IndexError, ValueError, AttributeError):
                return None
        if kind == "index":
            index = self.config.get("INDEX_SAVE_AS")
            return join_url(index if isinstance(index, str) else "index.html")
        if kind not in ("static", "attach") or not name.strip("/"):
            return None
        content = self.content_root.resolve()
        file = (content / name.lstrip("/") if name.startswith("/")
                else post_file.parent / name).resolve()
        if content not in file.parents or not file.is_file():
            return None
        if kind == "static":
            return join_url(file.relative_to(content).as_posix())
        beside = Path(os.path.relpath(file, post_file.parent.resolve())).as_posix()
        return join_url(post_path.rpartition("/")[0], beside)

    def entry(self, source: Source) -> Entry:
        fields, meta, relative = source.fields, source.meta, source.relative
        from_path = self._path_metadata(source)
        date = fields.date("date") if meta.get("date") else self._file_date(source, from_path)
        status = str(meta.get("status") or self._default_status or "published")
        page = self._page_reason(source, status.lower())
        address = self._address(source, date, from_path, page=self._in_page_paths(source))
        return Entry(id=path_id(relative), path=address, date=date, page=page,
                     draft=status.lower() == "draft")

    @property
    def _default_status(self) -> Any:
        """DEFAULT_METADATA's status (``{'status': 'draft'}``: an article is a draft until it
        says ``Status: published``)."""
        defaults = self.config.get("DEFAULT_METADATA")
        if not isinstance(defaults, dict):
            return None
        return next((value for key, value in defaults.items()
                     if str(key).lower() == "status"), None)

    def _in_page_paths(self, source: Source) -> bool:
        pages = [str(path).strip("/") for path in self.config.get("PAGE_PATHS") or ["pages"]]
        relative = source.relative.as_posix()
        return any(relative.startswith(folder + "/") for folder in pages if folder)

    def _page_reason(self, source: Source, status: str) -> str | None:
        if self._in_page_paths(source):
            return "in PAGE_PATHS: a Pelican page"
        if status in ("hidden", "skip"):
            return f"status: {status}"
        language = str(source.meta.get("lang") or "").lower()
        default = str(self.config.get("DEFAULT_LANG") or "en").lower()
        if (language and language != default) or source.meta.get("translation") in (True, "true"):
            return f"a translation ({language or 'translation: true'})"
        return None

    def _path_metadata(self, source: Source) -> dict[str, str]:
        """What ``FILENAME_METADATA`` finds in the file's name and ``PATH_METADATA`` in its path
        under ``PATH`` (``date``, ``slug``, ``category``...): the values a post has unless its
        own metadata says otherwise, as Pelican's ``parse_path_metadata`` reads them."""
        found: dict[str, str] = {}
        for setting, default, text in (
                ("FILENAME_METADATA", _DEFAULT_FILENAME_METADATA, source.path.stem),
                ("PATH_METADATA", "", source.relative.as_posix())):
            pattern = self.config.get(setting, default)
            try:
                match = re.match(pattern, text) if isinstance(pattern, str) and pattern else None
            except re.error:
                match = None
            for key, value in (match.groupdict() if match else {}).items():
                if value is not None and value.strip():
                    found.setdefault(key.lower(), value.strip())
        return found

    def _file_date(self, source: Source, from_path: dict[str, str]) -> dt.datetime | None:
        if from_path.get("date"):
            try:
                return source.midnight(dt.date.fromisoformat(from_path["date"]))
            except ValueError:
                return None
        if self.config.get("DEFAULT_DATE") == "fs":
            return dt.datetime.fromtimestamp(source.path.stat().st_mtime, dt.timezone.utc)
        return None

    def _address(self, source: Source, date: dt.datetime | None, from_path: dict[str, str], *,
                 page: bool) -> str:
        meta = {**from_path, **source.meta}
        written = meta.get("url")
        if isinstance(written, str) and written.strip():
            return join_url(written)
        slug = str(meta.get("slug") or "")
        if not slug:
            by_name = self.config.get("SLUGIFY_SOURCE") == "basename"
            slug = pelican_slug(source.path.stem if by_name else str(meta.get("title") or ""))
        parts = source.relative.parts
        use_folder = self.config.get("USE_FOLDER_AS_CATEGORY", True) and len(parts) > 1
        category = meta.get("category") or (parts[-2] if use_folder else None) or \
            self.config.get("DEFAULT_CATEGORY", "misc")
        values = {"slug": slug, "date": date or dt.datetime.min,
                  "category": pelican_slug(str(category)),
                  "lang": str(meta.get("lang") or self.config.get("DEFAULT_LANG") or "en"),
                  "author": pelican_slug(str(meta.get("author") or ""))}
        default = "pages/{slug}.html" if page else "{slug}.html"
        pattern = self.config.get("PAGE_URL" if page else "ARTICLE_URL")
        pattern = pattern if isinstance(pattern, str) else default
        try:
            path = string.Formatter().vformat(pattern, (), values)
        except (KeyError, IndexError, ValueError, AttributeError):
            path = default.format(slug=slug)
        return join_url(path)
