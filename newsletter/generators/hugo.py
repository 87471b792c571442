"""Hugo: settings in hugo.toml (or config.*, config/_default/), posts in the main sections.

Which files are pages (gohugo.io/content-management): ``_index.md`` is a section's list page, a
leaf bundle's other Markdown files are its resources, ``headless: true`` and ``build`` options
keep a page from being published or listed, and regular pages outside the post sections (the
``mainSections`` setting, else the section with the most dated pages) are the site's pages. Addresses
follow ``url``, ``[permalinks]`` per section, ``slug``, ``uglyURLs`` and Hugo's lower-case paths.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

from newsletter.generators.authors import with_author
from newsletter.generators.base import Entry, Generator, Source, join_url, path_id
from newsletter.generators.hugo_build import build_settings
from newsletter.generators.hugo_bundles import bundle_of, featured_file
from newsletter.generators.hugo_cascade import FrontMatterOf, cascaded
from newsletter.generators.hugo_config import ROOT_NAMES, base_name, ignored_patterns, \
    main_sections, read_config, settings_source, translation_language
from newsletter.generators.hugo_mounts import (content_mounts, content_replaced,
                                                mounted_path, mounts_below_root,
                                                replaced_components, section_folders,
                                                served_mounts)
from newsletter.generators.hugo_dates import hugo_dates
from newsletter.generators.hugo_markup import SUMMARY_DIVIDER, goldmark_options
from newsletter.generators.hugo_pages import page_kind_reason, unbuilt_reason
from newsletter.generators.hugo_permalinks import (expand_permalink, page_directory,
                                                   section_depth, section_pattern, ugly_section)
from newsletter.generators.hugo_sections import likeliest_section, list_page_parts
from newsletter.generators.settings_files import SiteInfo, lower_keys, read_data, site_info
from newsletter.generators.slugs import hugo_urlize
from newsletter.urls import split_url


class Hugo(Generator):
    name = "hugo"
    label = "Hugo"
    markdown = "goldmark"
    publishes_content_files = True
    html_extensions = (".html", ".htm")  # content files (hugofs/files/classifier.go) too
    extensions = (".md", ".markdown", ".mdown", *html_extensions)
    unread_extensions = (*Generator.unread_extensions, ".ad", ".rest", ".pandoc", ".pdc")

    def __init__(self, root: Path, evidence: str | None = None):
        super().__init__(root, evidence)
        self.build, self.build_file = build_settings(root)
        self.config = read_config(root, self.build)
        self.post_sections: tuple[str, ...] = ()
        self.mounts = content_mounts(root, self.config)  # blog-posts/ mounted as posts/
        self.unmounted = content_replaced(self.config)  # content/ is not read then
        self._read: dict[Path, dict[str, Any]] = {}  # _index files' front matter, for cascade

    def markdown_options(self) -> dict[str, Any]:
        return goldmark_options(self.config)

    def excerpt_separator(self, meta: dict[str, Any]) -> str | None:
        """Themes describe a post without a description by its ``.Summary`` (their meta
        description, Hugo's own RSS): the text before ``<!--more-->``, else its first words."""
        return SUMMARY_DIVIDER

    @classmethod
    def found(cls, root: Path) -> str | None:
        for name in ROOT_NAMES:
            if not (root / name).is_file():
                continue
            if name.startswith("hugo."):
                return name
            data = lower_keys(read_data(root / name) or {})
            if "baseurl" in data or "theme" in data or (root / "archetypes").is_dir():
                return name
        if (root / "config" / "_default").is_dir():
            return "config/_default"
        return None

    def info(self) -> SiteInfo:
        """The language is ``languageCode``, else the default language's code (``ar`` of a
        site in Arabic that sets no ``languageCode``: its emails read right to left)."""
        config = self.config
        params = config.get("params") if isinstance(config.get("params"), dict) else {}
        source = settings_source(self.root, self.evidence, self.build, self.build_file)
        return with_author(site_info(source, config.get("title") or params.get("title"),
                                     config.get("baseurl"), config.get("timezone"), config.get(
                                         "languagecode") or config.get("defaultcontentlanguage")),
                           params.get("author") or config.get("author"), params.get("email"))

    @property
    def content_root(self) -> Path:
        """``contentDir``, else the default language's own (``languages.en.contentDir``)."""
        folder = self.config.get("contentdir")
        if isinstance(folder, str) and folder.strip():
            return self.root / folder.strip().strip("/")
        return self._language_dirs().get(self._default_language, self.root / "content")

    @property
    def _default_language(self) -> str:
        return str(self.config.get("defaultcontentlanguage") or "en").lower()

    def _language_dirs(self) -> dict[str, Path]:
        """Each language's own content folder, for sites that keep one per language."""
        languages = self.config.get("languages")
        found = {}
        for code, settings in (languages.items() if isinstance(languages, dict) else ()):
            folder = settings.get("contentdir") if isinstance(settings, dict) else None
            if isinstance(folder, str) and folder.strip().strip("/"):
                found[str(code).lower()] = self.root / folder.strip().strip("/")
        return found

    def _language_prefix(self, code: str | None) -> str:
        """``/fr`` for a page in French: Hugo serves each other language under its code (the
        default one too with ``defaultContentLanguageInSubdir``). Where each language has its
        own ``baseURL``, each is at the root of its own host: ``https://fr.example.com``."""
        code = code or self._default_language
        languages = self.config.get("languages")
        own = languages.get(code) if isinstance(languages, dict) else None
        host = own.get("baseurl") if isinstance(own, dict) else None
        if isinstance(host, str) and "://" in host:
            return "" if code == self._default_language else host.strip().rstrip("/")
        if code == self._default_language and \
                self.config.get("defaultcontentlanguageinsubdir") is not True:
            return ""
        return "/" + code

    @property
    def base_path(self) -> str:
        parts = split_url(url) if isinstance(url := self.config.get("baseurl"), str) else None
        return parts.path.rstrip("/") if parts else ""  # a baseURL no parser takes: none

    def post_dirs(self) -> tuple[tuple[str, ...], str]:
        found = tuple(folder for section in main_sections(self.config)
                      for folder in self._section_dirs(section))
        if found:
            return found, "mainSections"
        content = self.content_root.relative_to(self.root).as_posix()
        likeliest = self._likeliest
        if likeliest:
            return self._section_dirs(likeliest[0]) or (f"{content}/{likeliest[0]}",), likeliest[1]
        return (content,), "no sections: every page of the content folder"

    def _section_dirs(self, section: str) -> tuple[str, ...]:
        """The site's folders of ``section``: its folder of the content, unless mounts leave
        the content folder out, and one mounted there (``blog-posts``)."""
        folders = (None if self.unmounted else self.content_root / section,
                   self.mounts.get(PurePosixPath(section)))
        return tuple(folder.relative_to(self.root).as_posix() for folder in folders
                     if folder and folder.is_dir())

    def page_dirs(self) -> tuple[str, ...]:
        folders = {*([] if self.unmounted else [self.content_root]),
                   *self._language_dirs().values(), *self.mounts.values()}
        return tuple(sorted(folder.relative_to(self.root).as_posix() for folder in folders))

    def inherited(self, path: Path, front_matter_of: FrontMatterOf) -> dict[str, Any]:
        mounted = mounted_path(path, self.mounts)
        if not mounted and self.content_root not in path.parents:
            return {}
        relative = mounted[0] if mounted else PurePosixPath(
            path.relative_to(self.content_root).as_posix())
        content = None if self.unmounted else self.content_root
        build = {"lang": self._default_language,
                 "environment": self.build.get("environment") or "production"}
        return cascaded(relative, lambda parts: section_folders(parts, content, self.mounts),
                        self.config.get("cascade"), build, self._cached(front_matter_of))

    def _cached(self, front_matter_of: FrontMatterOf) -> FrontMatterOf:
        """Each _index file read once however many posts a section has."""
        def read(path: Path) -> dict[str, Any]:
            if path not in self._read:
                self._read[path] = front_matter_of(path)
            return self._read[path]
        return read

    def section_address(self, folder: Path) -> str | None:
        """A top-level folder of the content is a section even without an ``_index.md``: its
        list page is at the folder's path (``{{< ref "/posts" >}}`` is ``/posts/``); so are a
        taxonomy's and its terms' (``{{< ref "/tags/birds" >}}``), which have no folder."""
        parts = list_page_parts(self.content_root, folder, self.config.get("taxonomies"))
        if parts is None:
            return None
        return self._language_prefix(None) + "".join(
            "/" + self._urlize(part) for part in parts) + "/"

    def link_stem(self, path: Path) -> str | None:
        """``post`` for ``post.en.md`` in the default language; None in another language."""
        stem = path.stem
        if translation_language(PurePosixPath(path.name), self.config) or any(
                folder in path.parents for code, folder in self._language_dirs().items()
                if code != self._default_language):
            return None
        code = stem.rpartition(".")[2].lower()
        return stem.rpartition(".")[0] if "." in stem and code == self._default_language \
            else stem

    def prefixes_root_links(self) -> bool:
        """``canonifyURLs`` (and ``relativeURLs``) publish ``/posts/b/`` under baseURL's path."""
        return self.config.get("canonifyurls") is True or self.config.get("relativeurls") is True

    def static_dirs(self) -> tuple[str, ...]:
        """The default static and assets folders (unless a mount replaces them), then the
        mounted ones."""
        static = self.config.get("staticdir") or "static"
        replaced = replaced_components(self.config)
        folders = [] if "static" in replaced else static if isinstance(static, list) else [static]
        assets = [] if "assets" in replaced else [self.config.get("assetdir") or "assets"]
        return tuple(str(folder) for folder in (*folders, *assets, *served_mounts(self.config)))

    def folders_served_below(self) -> tuple[tuple[str, str], ...]:
        return mounts_below_root(self.config)

    def configure(self, post_dirs: tuple[str, ...]) -> None:
        content = self.content_root.relative_to(self.root).as_posix()
        named, whole = [], False
        sources = {folder.relative_to(self.root).as_posix(): section.parts[0]
                   for section, folder in self.mounts.items()}
        for pattern in post_dirs:
            if pattern.strip("/") in sources:
                named.append(sources[pattern.strip("/")])
                continue
            parts = pattern.strip("/").split("/")
            if parts[0] != content:
                continue
            if len(parts) > 1 and not any(char in parts[1] for char in "*?["):
                named.append(parts[1])
            else:
                whole = True
        if whole or not named:
            likeliest = self._likeliest
            named += list(main_sections(self.config) or [likeliest[0] if likeliest else ""])
        self.post_sections = tuple(dict.fromkeys(section for section in named if section))

    def entry(self, source: Source) -> Entry:
        fields, dates = source.fields, hugo_dates(source, self.config)
        language, folder_of = translation_language(source.relative, self.config), ""
        for code, folder in self._language_dirs().items():  # a language's own folder
            if code != self._default_language and folder in source.path.parents:
                language, folder_of = code, "/" + code  # its ids apart from the default's
                source = replace(source, relative=PurePosixPath(
                    source.path.relative_to(folder).as_posix()))
        mounted = mounted_path(source.path, self.mounts)
        if mounted:
            source = replace(source, relative=mounted[0])
        path = self._address(source, dates.date, dates.slug)
        relative = source.relative  # a bundle's index.en.md goes by its folder, as index.md
        if not language and base_name(relative.stem, self.config) == "index":
            relative = relative.with_name("index" + relative.suffix)
        return Entry(id=folder_of + path_id(relative), date=dates.publish,
                     path=path if "://" in path else self._language_prefix(language) + path,
                     page=self._page_reason(source, language),
                     draft=fields.boolean("draft", default=False) and not self._builds("drafts"),
                     expires=None if self._builds("expired") else dates.expiry,
                     early=self._builds("future"), image=featured_file(source.path))

    def _builds(self, kind: str) -> bool:
        """``buildDrafts``, ``buildFuture``, ``buildExpired`` (or ``-D``, ``-F``, ``-E`` in the
        deploy's command): Hugo publishes those pages, so they are posts like the others."""
        return self.config.get(f"build{kind}") is True

    def _page_reason(self, source: Source, language: str | None) -> str | None:
        relative, meta = source.relative, source.meta
        if language and language != self._default_language:
            return f"a translation ({language}); newsletter mails the default language"
        if self.reads_html(source.path) and not source.meta:
            return "an HTML file without front matter: Hugo copies it as it is"
        if relative.stem.partition(".")[0] == "_index":
            return "a section's list page (_index.md)"
        if any(pattern.search(source.path.absolute().as_posix()) for pattern in self._ignored):
            return "matched by ignoreFiles: Hugo does not build it"
        mounted = mounted_path(source.path, self.mounts)
        bundle = bundle_of(source.path, mounted[1] if mounted else self.content_root)
        if bundle:
            return f"a resource of the bundle {bundle.relative_to(self.root).as_posix()}"
        if unbuilt := unbuilt_reason(meta):
            return unbuilt
        if len(relative.parts) < 2:
            return f"a page at the top of {self.content_root.name}/"
        if self.post_sections and relative.parts[0] not in self.post_sections:
            return f"outside the post sections ({', '.join(self.post_sections)})"
        return page_kind_reason(meta, self.post_sections)

    def _address(self, source: Source, date: dt.datetime | None, named: str | None) -> str:
        meta, relative = source.meta, source.relative
        url = meta.get("url")
        if isinstance(url, str) and url.strip():
            return page_directory(join_url(url.strip().replace("\\:", ":")), False, True)
        sections = list(relative.parts[:-1])
        if relative.stem.partition(".")[0] == "_index":  # a section's page: the section's path
            path = join_url(*sections, "/")
            return "/".join(self._urlize(part) for part in path.split("/"))
        basename, folder = base_name(relative.stem, self.config), source.path.parent
        if basename == "index" and sections:
            basename, folder = sections.pop(), folder.parent  # a bundle: its folder's name
        chain = sections[:section_depth(folder, len(sections))]
        slug = meta.get("slug")
        slug = str(slug).strip() if slug not in (None, "") else named
        section = relative.parts[0] if len(relative.parts) > 1 else ""
        pattern = section_pattern(self.config, section)
        path = ""
        if pattern:
            values = {"section": sections[0] if sections else "", "sections": chain,
                      "title": self._urlize(str(meta.get("title") or "")),
                      "slug": self._urlize(slug or str(meta.get("title") or "")),
                      "filename": basename, "contentbasename": basename,
                      "slugorfilename": slug or basename, "slugorcontentbasename": slug or basename}
            path = re.sub(r"/{2,}", "/", expand_permalink(pattern, values, date))
        if not pattern or ":" in path:  # no pattern, or an undated page's date tokens
            path = join_url(*sections, slug or basename)
        path = "/".join(self._urlize(part) if part else "" for part in path.split("/"))
        return page_directory(path, ugly_section(self.config, section))

    def _urlize(self, text: str) -> str:
        """A part of a path as Hugo makes it: lower case unless ``disablePathToLower``, its
        accents dropped with ``removePathAccents`` (crème-brûlée is creme-brulee)."""
        return hugo_urlize(text, lower=not self.config.get("disablepathtolower"),
                           plain=self.config.get("removepathaccents") is True)

    @functools.cached_property
    def _ignored(self) -> tuple[re.Pattern, ...]:
        return ignored_patterns(self.config)

    @functools.cached_property
    def _likeliest(self) -> tuple[str, str] | None:
        """The section of posts where mainSections is not set, and why (its pages read once)."""
        return likeliest_section(None if self.unmounted else self.content_root, {
            section.name: folder for section, folder in self.mounts.items()
            if len(section.parts) == 1})
