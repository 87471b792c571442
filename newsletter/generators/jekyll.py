"""Jekyll: settings in _config.yml, posts in ``_posts`` named ``YYYY-MM-DD-title.md``.

As jekyllrb.com/docs/posts and /docs/permalinks describe: the date and the slug come from the
file name (a ``date`` in the front matter wins), the title from the slug when there is none,
``_drafts`` holds drafts, ``published: false`` keeps a post unpublished, files outside ``_posts``
are pages. Addresses follow ``permalink`` (a built-in style or placeholders, site-wide, for the
posts collection, in front matter defaults, or per post) under ``baseurl``.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
import re
from pathlib import Path
from typing import Any

from newsletter.generators.base import (
    Entry,
    Generator,
    Source,
    as_list,
    dated_name,
    join_url,
    url_path,
)
from newsletter.generators.settings_files import SiteInfo, read_data, site_info
from newsletter.generators.slugs import jekyll_slug, titleize

STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_PLACEHOLDER = re.compile(r":([a-z_]+)")
_DATE_CODES = {"year": "%Y", "short_year": "%y", "month": "%m", "short_month": "%b",
               "long_month": "%B", "day": "%d", "y_day": "%j", "w_year": "%G", "week": "%V",
               "w_day": "%u", "short_day": "%a", "long_day": "%A", "hour": "%H",
               "minute": "%M", "second": "%S"}
_MARKDOWN = (".markdown", ".mkdown", ".mkdn", ".mkd", ".md")
_NOT_SOURCES = {"_site", "node_modules", "vendor", "_includes", "_layouts", "_sass", "_data"}
# _config.yml's `markdown:` naming a CommonMark converter: jekyll-commonmark ("CommonMark"),
# jekyll-commonmark-ghpages ("CommonMarkGhPages"; GitHub Pages reads "GFM" as that one).
_COMMONMARK_CONVERTERS = {"commonmark", "commonmarkghpages", "gfm"}


class Jekyll(Generator):
    name = "jekyll"
    label = "Jekyll"
    unread_extensions = (*Generator.unread_extensions, ".html", ".htm")  # HTML posts
    markdown = "kramdown"
    styles = STYLES  # the permalink styles a site's ``permalink`` may name
    default_style = "date"
    dated_names_only = True  # a _posts file without YYYY-MM-DD- in its name is no post

    def __init__(self, root: Path, evidence: str | None = None):
        super().__init__(root, evidence)
        self.config = read_data(root / "_config.yml") or read_data(root / "_config.yaml") or {}

    @classmethod
    def found(cls, root: Path) -> str | None:
        for name in ("_config.yml", "_config.yaml", "_posts"):
            if (root / name).exists():
                return name
        return None

    @property
    def markdown(self) -> str:  # type: ignore[override]
        """kramdown (Jekyll's default), or CommonMark where _config.yml's ``markdown`` names a
        CommonMark converter plugin."""
        return "commonmark" if self._commonmark_converter() else "kramdown"

    def markdown_options(self) -> dict[str, bool]:
        """For a CommonMark converter, its ``commonmark:`` options and extensions: smart
        punctuation with SMART, bare addresses linked with ``autolink`` (on by default only
        for GitHub's flavour, as jekyll-commonmark-ghpages sets it)."""
        converter = self._commonmark_converter()
        if converter is None:
            return {}
        settings = self.config.get("commonmark")
        settings = settings if isinstance(settings, dict) else {}
        options = {str(name).upper() for name in as_list(settings.get("options"))}
        extensions = settings.get("extensions")
        autolinks = (converter != "commonmark" if extensions is None
                     else "autolink" in {str(name).lower() for name in as_list(extensions)})
        return {"smart_punctuation": "SMART" in options, "autolinks": autolinks}

    def _commonmark_converter(self) -> str | None:
        name = self.config.get("markdown")
        name = name.strip().lower() if isinstance(name, str) else ""
        return name if name in _COMMONMARK_CONVERTERS else None

    @property
    def extensions(self) -> tuple[str, ...]:  # type: ignore[override]
        configured = self.config.get("markdown_ext")
        if isinstance(configured, str) and configured.strip():
            return tuple(f".{ext.strip().lstrip('.')}" for ext in configured.split(","))
        return _MARKDOWN

    def info(self) -> SiteInfo:
        config = self.config
        url = config.get("url")
        if isinstance(url, str) and isinstance(config.get("baseurl"), str):
            url = url.rstrip("/") + "/" + config["baseurl"].strip("/")
        return site_info("_config.yml", config.get("title"), url, config.get("timezone"),
                         config.get("lang"))

    @property
    def content_root(self) -> Path:
        return self.root / self._collections_dir

    @property
    def base_path(self) -> str:
        return url_path(self.config.get("baseurl"))

    def post_dirs(self) -> tuple[tuple[str, ...], str]:
        found = tuple(folder.relative_to(self.root).as_posix()
                      for folder in _post_folders(self.content_root))
        prefix = f"{self._collections_dir}/" if self._collections_dir else ""
        return found or (f"{prefix}_posts",), f"{self.label}'s _posts, and _drafts as drafts"

    def page_dirs(self) -> tuple[str, ...]:
        return (".",)

    def is_page_file(self, path: Path) -> bool:
        """A Markdown file with front matter outside ``_`` folders (unless _config.yml's
        ``include`` names them) and its ``exclude``: what Jekyll renders as a page."""
        relative = path.relative_to(self.root).as_posix()
        included = [str(name).strip("/") for name in as_list(self.config.get("include"))]
        parts = relative.split("/")
        if any(part.startswith("_") for part in parts[:-1]) and not any(
                relative.startswith(name + "/") for name in included):
            return False
        excluded = [str(name).strip("/") for name in as_list(self.config.get("exclude"))]
        if any(relative == name or relative.startswith(name + "/") for name in excluded):
            return False
        try:
            with path.open("rb") as handle:
                return handle.read(3) == b"---"
        except OSError:
            return False

    def publishes(self, names: tuple[str, ...]) -> list[str]:
        """Jekyll copies every file and folder of the site but those its ``exclude`` names (globs
        too) and those whose names start with ``_`` or ``.``."""
        excluded = [str(name).strip("/") for name in as_list(self.config.get("exclude"))]
        return [name for name in names if not name.startswith(("_", ".")) and not any(
            fnmatch.fnmatchcase(name.strip("/"), pattern) for pattern in excluded)]

    def static_dirs(self) -> tuple[str, ...]:
        return (".",)  # Jekyll copies every other file to the same path under the site

    def entry(self, source: Source) -> Entry:
        fields, parts = source.fields, source.relative.parts
        folder = next((name for name in ("_posts", "_drafts") if name in parts), None)
        if folder is None:
            return Entry(id="/" + source.relative.with_suffix("").as_posix(),
                         path=_page_address(source), page="outside _posts: a Jekyll page")
        stem = source.relative.stem
        file_date, slug = dated_name(stem)
        draft = folder == "_drafts" or fields.meta.get("published") is False
        if folder == "_posts" and file_date is None and self.dated_names_only:
            return Entry(id="/" + stem, path=None,
                         page="not a post: Jekyll reads only _posts files named "
                              "YYYY-MM-DD-title.md")
        date = fields.date("date") or (source.midnight(file_date) if file_date else None)
        above = list(parts[:parts.index(folder)])  # blog/_posts: the category "blog"
        categories = above + _categories(fields.meta.get("categories"))
        categories += as_list(fields.meta.get("category"))
        when = date or dt.datetime.fromtimestamp(source.path.stat().st_mtime, dt.timezone.utc)
        written_slug = fields.string("slug")
        address = self._address(source, slug, written_slug, categories, when)
        return Entry(id=join_url(*above, stem), path=address,
                     date=date, draft=draft, title=titleize(slug))

    def _address(self, source: Source, slug: str, written_slug: str | None,
                 categories: list[str], date: dt.datetime) -> str:
        template = self._permalink(source)
        name = written_slug or slug
        values = {"title": jekyll_slug(name, pretty=True, cased=True),
                  "slug": jekyll_slug(name), "name": jekyll_slug(source.relative.stem),
                  "categories": "/".join(dict.fromkeys(c.lower() for c in categories)),
                  "output_ext": ".html", "collection": "posts",
                  "i_month": str(date.month), "i_day": str(date.day)}

        def replace(match: re.Match) -> str:
            key = match.group(1)
            if key in values:
                return values[key]
            if key in _DATE_CODES:
                return date.strftime(_DATE_CODES[key])
            return match.group(0)

        return join_url(_PLACEHOLDER.sub(replace, template))

    def _permalink(self, source: Source) -> str:
        written = source.meta.get("permalink")  # styles are not read in front matter
        if isinstance(written, str) and written.strip():
            return written.strip()
        collections = self.config.get("collections")
        posts = collections.get("posts") if isinstance(collections, dict) else None
        defaults = _default_permalink(self.config, source.relative.as_posix())
        for value in (defaults, posts.get("permalink") if isinstance(posts, dict) else None,
                      self.config.get("permalink"), self.default_style):
            if isinstance(value, str) and value.strip():
                return self.styles.get(value.strip(), value.strip())
        return self.styles[self.default_style]

    @property
    def _collections_dir(self) -> str:
        folder = self.config.get("collections_dir")
        return folder.strip("/") if isinstance(folder, str) and folder.strip("/") else ""


def _post_folders(root: Path) -> list[Path]:
    """Every ``_posts`` and ``_drafts`` folder (``news/_posts`` too), not in the built site,
    installed packages or hidden folders."""
    found = []
    for folder, subfolders, _ in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders
                               if not name.startswith(".") and name not in _NOT_SOURCES)
        for name in ("_posts", "_drafts"):
            if name in subfolders:
                found.append(Path(folder) / name)
                subfolders.remove(name)
    return found


def _page_address(source: Source) -> str:
    """A Jekyll page's address: its ``permalink``, else its path with ``.html``."""
    written = source.meta.get("permalink")
    if isinstance(written, str) and written.strip():
        return join_url(written.strip())
    stem = source.relative.with_suffix("")
    if stem.name == "index":
        return join_url(stem.parent.as_posix().strip("."), "/")
    return join_url(stem.as_posix() + ".html")


def _categories(value: Any) -> list[str]:
    """Front matter ``categories``: a list, or words separated by spaces."""
    if isinstance(value, str):
        return value.split()
    return as_list(value)


def _default_permalink(config: dict[str, Any], path: str) -> str | None:
    """A ``permalink`` from _config.yml's front matter ``defaults`` whose scope covers posts."""
    defaults = config.get("defaults")
    found = None
    for rule in defaults if isinstance(defaults, list) else []:
        if not isinstance(rule, dict) or not isinstance(rule.get("values"), dict):
            continue
        scope = rule.get("scope") if isinstance(rule.get("scope"), dict) else {}
        kind, where = scope.get("type"), str(scope.get("path") or "")
        if kind not in (None, "", "posts") or not path.startswith(where.strip("/")):
            continue
        permalink = rule["values"].get("permalink")
        if isinstance(permalink, str):
            found = permalink  # later, more specific rules win
    return found

