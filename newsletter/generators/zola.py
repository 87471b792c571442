"""Zola: settings in config.toml, posts in the sections of ``content/`` (getzola.org/documentation).

A folder with ``_index.md`` is a section (``content/`` itself is the root one); the post
sections are those sorted by date (``sort_by = "date"`` or ``"update_date"``), else the one
with the most dated pages. A page is in its folder's section, and in the one above while a
section is ``transparent``. A page's date is its ``date``, else a date at the start of its
file name; its address is ``path`` if set, else its folders and its ``slug`` (else its file
name, or its folder's for an ``index.md``), slugged as Zola does (``[slugify] paths``,
``paths_keep_dates``). ``draft = true`` is a draft; ``render = false``, pages in no section
and the sections' own ``_index.md`` are pages. Custom keys live under ``[extra]``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from newsletter.generators.base import (Entry, Generator, Source, dated_name, join_url,
                                        path_id)
from newsletter.generators.settings_files import (SiteInfo, parse_data, read_data, read_text,
                                                   site_info)
from newsletter.generators.slugs import ascii_slug


class Zola(Generator):
    name = "zola"
    label = "Zola"
    markdown = "pulldown-cmark"
    # A section's and a page bundle's other files are published beside them (asset
    # colocation): content/til/shot.png is /til/shot.png.
    publishes_content_files = True
    excerpt_marker = "<!-- more -->"  # its themes' (and feeds') summary ends there

    def __init__(self, root: Path, evidence: str | None = None):
        super().__init__(root, evidence)
        self.config = read_data(root / (evidence or "config.toml")) or {}
        self.post_sections: tuple[Path, ...] = ()

    @classmethod
    def found(cls, root: Path) -> str | None:
        for name in ("zola.toml", "config.toml"):
            data = read_data(root / name)
            if data and "base_url" in data:
                return name
        return None

    def info(self) -> SiteInfo:
        return site_info(self.evidence, self.config.get("title"), self.config.get("base_url"),
                         None, self.config.get("default_language"))

    @property
    def values(self) -> dict[str, Any]:
        return self.config

    def markdown_options(self) -> dict[str, Any]:
        """``[markdown] smart_punctuation = true``: pulldown-cmark's curly quotes, dashes and
        ellipses; ``render_emoji = true``: ``:tada:`` is the emoji. Both off unless the settings
        turn them on (zola.org configuration)."""
        markdown = self.config.get("markdown")
        markdown = markdown if isinstance(markdown, dict) else {}
        return {"smart_punctuation": markdown.get("smart_punctuation") is True,
                "emoji": markdown.get("render_emoji") is True}

    def post_dirs(self) -> tuple[tuple[str, ...], str]:
        sections = _sections(self.content_root)
        dated = [section for section in sections if _sorted_by_date(section)]
        if dated:
            return tuple(self._relative(section) for section in dated), 'sort_by = "date"'
        counts = {section: _dated_pages(section, sections) for section in sections}
        best = max(counts, key=lambda section: counts[section], default=None)
        if best is not None and counts[best]:
            return (self._relative(best),), "the section with the most dated pages"
        return ("content",), "the content folder"

    def page_dirs(self) -> tuple[str, ...]:
        return (self._relative(self.content_root),)

    def configure(self, post_dirs: tuple[str, ...]) -> None:
        self.post_sections = tuple(self.root / pattern.strip("/") for pattern in post_dirs
                                   if not any(char in pattern for char in "*?["))

    def entry(self, source: Source) -> Entry:
        fields, relative, path = source.fields, source.relative, source.path
        stem = relative.stem
        named = stem if stem != "index" else path.parent.name
        file_date, name = dated_name(named, _DATED_NAME)
        if self._slugify.get("paths_keep_dates") is True:
            name = named
        date = fields.date("date") or (source.midnight(file_date) if file_date else None)
        return Entry(id=path_id(relative), path=self._address(source, name or stem),
                     date=date, page=self._page_reason(source),
                     draft=fields.boolean("draft", default=False))

    def _page_reason(self, source: Source) -> str | None:
        path, meta = source.path, source.meta
        if path.stem == "_index":
            return "a section's own page (_index.md)"
        if "." in path.stem and self.config.get("languages"):
            return f"a translation ({path.stem.rpartition('.')[2]})"
        if meta.get("render") is False:
            return "render = false: Zola publishes no page for it"
        if path.stem != "index" and (path.parent / "index.md").is_file():
            return "a file beside a page's index.md"
        sections = _sections_of(path, self.content_root)
        if not sections:
            return "in no section: its folder has no _index.md, so Zola lists it nowhere"
        if self.post_sections and not set(sections) & set(self.post_sections):
            return f"outside the post sections ({self._relative(sections[0])})"
        return None

    def _address(self, source: Source, name: str) -> str:
        meta = source.meta
        written = meta.get("path")
        if isinstance(written, str) and written.strip("/"):
            return join_url(written, "/")
        # The folders as written (Zola slugs the page's own name only), then the slug.
        parts = _page_folder(source.path, self.content_root).relative_to(self.content_root).parts
        if source.path.stem == "_index":
            return join_url(*parts, "/")
        slug = meta.get("slug")
        slug = _slugify_path(str(slug) if slug not in (None, "") else name,
                             self._slugify.get("paths"))
        return join_url(*parts, slug, "/")

    @property
    def _slugify(self) -> dict[str, Any]:
        """``[slugify]`` of the settings: ``paths`` ("on", "safe", "off"), ``paths_keep_dates``."""
        table = self.config.get("slugify")
        return table if isinstance(table, dict) else {}

    def _relative(self, folder: Path) -> str:
        return folder.relative_to(self.root).as_posix()


# getzola.org, content/page: a date opening a file's name, then (a space and) "_" or "-"
# before the page's name: "2024-01-05-snowline", "2021-01-23 -hello new world".
_DATED_NAME = re.compile(r"(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:\s?[_-](.+))?")


def _slugify_path(text: str, strategy: object) -> str:
    """A page's slug as Zola makes it: "on" (the default) slugs it; "safe" only drops what a
    file name cannot hold and trailing spaces and dots; "off" keeps it."""
    if strategy == "off":
        return text
    if strategy == "safe":
        return re.sub(r'[<>:"/\\|?*]', "", text.rstrip(" ."))
    return ascii_slug(text)


def _sections(content: Path) -> list[Path]:
    """Every section folder: content/ and each folder below it with an _index.md."""
    found = [content] if content.is_dir() else []
    found += sorted(index.parent for index in content.rglob("_index.md") if index.parent != content)
    return found


def _page_folder(path: Path, content: Path) -> Path:
    """The folder a page is in, as Zola sees it: a bundle's ``index.md`` is in the one above."""
    bundle = path.stem.split(".")[0] == "index" and path.parent != content
    return path.parent.parent if bundle else path.parent


def _sections_of(path: Path, content: Path) -> list[Path]:
    """The sections listing the page at ``path``: the one of its folder (none when the folder
    has no ``_index.md``: an orphan page), then, while a section is ``transparent``, the one
    above it, as Zola passes such a section's pages up (posts kept in year folders)."""
    found, folder = [], _page_folder(path, content)
    while folder == content or (folder / "_index.md").is_file():
        found.append(folder)
        if folder == content or _front_matter(folder / "_index.md").get("transparent") is not True:
            return found
        folder = folder.parent
    return found


def _front_matter(path: Path) -> dict[str, Any]:
    """A section's or page's front matter: TOML between ``+++`` lines, or YAML between ``---``
    lines (Zola reads both, YAML as serde_yaml: 1.2's booleans)."""
    text = (read_text(path) or "").lstrip()
    for fence, suffix in (("+++", ".toml"), ("---", ".yaml")):
        end = text.find(f"\n{fence}", 3) if text.startswith(fence) else -1
        if end > 0:
            return parse_data(text[3:end], suffix, yaml_1_2=True) or {}
    return {}


def _sorted_by_date(section: Path) -> bool:
    return _front_matter(section / "_index.md").get("sort_by") in ("date", "update_date")


def _dated_pages(section: Path, sections: list[Path]) -> int:
    count = 0
    for path in section.rglob("*.md"):
        if path.stem == "_index" or section not in _sections_of(path, sections[0]):
            continue
        if "date" in _front_matter(path) or dated_name(path.stem, _DATED_NAME)[0]:
            count += 1
    return count

