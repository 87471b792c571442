"""Bridgetown: Jekyll's layout moved under ``src/`` (bridgetownrb.com/docs/posts, /permalinks).

Settings in bridgetown.config.yml (``url``, ``permalink``, ``source``), the title in
``src/_data/site_metadata.yml``. Posts are ``src/_posts`` files, dated by their name or by
``date`` in the front matter (an undated name is a post too); the default permalink style is
``pretty``, ``/:categories/:year/:month/:day/:slug/``. Everything else is read as Jekyll reads it.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any, Mapping

from newsletter.generators.base import (
    Entry,
    Generator,
    Source,
    join_url,
    path_id,
    url_path,
)
from newsletter.generators.jekyll import Jekyll
from newsletter.generators.settings_files import SiteInfo, read_data, site_info

STYLES = {
    "pretty": "/:categories/:year/:month/:day/:slug/",
    "pretty_ext": "/:categories/:year/:month/:day/:slug.html",
    "simple": "/:categories/:slug/",
    "simple_ext": "/:categories/:slug.html",
}


class Bridgetown(Jekyll):
    name = "bridgetown"
    label = "Bridgetown"
    styles = STYLES
    default_style = "pretty"
    dated_names_only = False
    default_source = "src"

    def __init__(self, root: Path, evidence: str | None = None):
        Generator.__init__(self, root, evidence)
        self.config = read_data(root / "bridgetown.config.yml") or {}
        self.config_files = ["bridgetown.config.yml"]  # Bridgetown stops where it does not read

    @classmethod
    def found(cls, root: Path) -> str | None:
        return "bridgetown.config.yml" if (root / "bridgetown.config.yml").is_file() else None

    def info(self) -> SiteInfo:
        metadata = read_data(self.root / self._source / "_data" / "site_metadata.yml") or {}
        url = self.config.get("url")
        if isinstance(url, str) and self.base_path:
            url = url.rstrip("/") + self.base_path
        source = "bridgetown.config.yml" if isinstance(url, str) and url.strip() else \
            f"{self._source}/_data/site_metadata.yml"
        return site_info(source, metadata.get("title"), url,
                         self.config.get("timezone"), self.config.get("lang"))

    def runs_erb(self, front_matter: Mapping[str, Any]) -> bool:
        """ERB is Bridgetown's default engine, Markdown files included; ``template_engine``
        (the post's, else the settings') names another (``liquid``, ``serbea``, ``none``)."""
        engine = front_matter.get("template_engine") or self.config.get("template_engine")
        return str(engine or "erb").strip().lower() == "erb"

    @property
    def _source(self) -> str:
        return self.site_root.relative_to(self.root).as_posix()

    @property
    def base_path(self) -> str:
        return url_path(self.config.get("base_path"))

    def page_dirs(self) -> tuple[str, ...]:
        return (self._source,)

    def is_page_file(self, path: Path) -> bool:
        """A Markdown file of the source folder outside its ``_`` folders (``_pages`` too)."""
        parts = path.relative_to(self.root / self._source).parts
        return all(not part.startswith("_") or part == "_pages" for part in parts[:-1])

    def publishes(self, names: tuple[str, ...]) -> list[str]:
        return []  # Bridgetown builds the source folder, not the site's root

    def static_dirs(self) -> tuple[str, ...]:
        return (self._source,)  # src/images/x.jpg is served as /images/x.jpg

    def entry(self, source: Source) -> Entry:
        parts = source.relative.parts
        if "_posts" in parts or "_drafts" in parts:
            return super().entry(source)
        if parts[:1] == ("_pages",):  # src/_pages/about.md is /about/
            parts = parts[1:]
        return Entry(id=path_id(source.relative), path=join_url(path_id(PurePosixPath(*parts)),
                                                                "/"),
                     page="outside _posts: a Bridgetown page")
