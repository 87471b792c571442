"""What a Jekyll site's settings say of the whole site: _config.yml (or the files its build
names), the folder Jekyll builds, its Markdown, address, zone, and what it copies as it is.

:class:`newsletter.generators.jekyll.Jekyll` reads each file of it on top of this.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsletter.generators.authors import with_author
from newsletter.generators.base import Generator, as_list, folder_setting
from newsletter.generators.github_pages import base_path, published_url
from newsletter.generators.jekyll_config import (DEFAULT_FILES, commonmark_converter,
                                                 markdown_options, published_config, serves,
                                                 toml_settings_problem)
from newsletter.generators.jekyll_folders import DataFolder
from newsletter.generators.settings_files import (SiteInfo, read_text, site_info,
                                                  yaml_settings_problem)

_MARKDOWN = (".markdown", ".mkdown", ".mkdn", ".mkd", ".md")


class JekyllSite(Generator):
    """The settings half of the Jekyll generator."""

    default_source = ""  # the folder built where the settings name no source: the site's

    def __init__(self, root: Path, evidence: str | None = None):
        super().__init__(root, evidence)
        self.config, self.config_files, self.config_source = published_config(root)

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

    def settings_warnings(self) -> list[tuple[str, str, str | None]]:
        """A ``timezone`` that names no zone: Jekyll builds in UTC then, without a word, and
        newsletter reads the posts' dates in UTC as it does."""
        name = self.config.get("timezone")
        if not isinstance(name, str) or not name.strip() or self._zone is not dt.UTC:
            return []
        where = next((f"{file}:{line}" for file in reversed(self.config_files)
                      if (line := _key_line(self.root / file, "timezone"))), self.settings_file)
        return [(where, f"timezone {name.strip()!r} is not a time zone: Jekyll builds the blog "
                 "in UTC, and newsletter reads the posts' dates in UTC too",
                 "write a zone of the tz database there, e.g. timezone: Europe/London")]

    @property
    def settings_file(self) -> str:
        return self.config_files[0]

    def builds(self, kind: str) -> bool:
        """Whether the build publishes ``kind`` (``show_drafts``, ``unpublished``, ``future``):
        set true in the settings, or by the build command's ``--drafts``, ``--unpublished``,
        ``--future``."""
        return self.config.get(kind) is True

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
        return with_author(site_info(found, title, url, config.get("timezone"), language),
                           config.get("author"), config.get("email"))

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
        default, else the site's own; one outside the site or missing is never read. A
        ``source`` a build step makes (``.tmp/src``, copied from ``src``: not in the repository)
        is its last folder's name when that folder of the site holds Jekyll's own folders."""
        source = folder_setting(self.config.get("source"), self.default_source)
        copied = self.root / Path(source).name
        candidates = [self.root / source, *([copied] if _jekyll_folder(copied) else []),
                      self.root / self.default_source]
        return next((folder for folder in candidates
                     if folder.is_dir() and folder.resolve().is_relative_to(self.root.resolve())),
                    self.root)

    @property
    def content_root(self) -> Path:
        return self.site_root / self._collections_dir

    @property
    def base_path(self) -> str:
        return base_path(self.config)

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


def _jekyll_folder(folder: Path) -> bool:
    """Whether ``folder`` holds a folder only a Jekyll source has (_posts, _layouts...)."""
    return any((folder / name).is_dir() for name in ("_posts", "_drafts", "_layouts", "_includes"))


def _key_line(path: Path, key: str) -> int | None:
    """The line of ``path`` setting the top-level ``key`` (YAML's ``key:``, TOML's ``key =``)."""
    found = re.search(rf"^{re.escape(key)}[ \t]*[:=]", read_text(path) or "", re.MULTILINE)
    return found and found.string.count("\n", 0, found.start()) + 1
