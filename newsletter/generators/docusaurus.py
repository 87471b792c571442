"""Docusaurus: the blog plugin's folder (``blog/``), as docusaurus.io/docs/blog describes it and
its ``parseBlogFileName`` reads it.

A file or folder named ``YYYY-MM-DD-slug`` (``2024-03-09-slug.md``, ``2024-03-09-slug/index.md``,
``2024/03/09/slug.md``) gives the date (in UTC) and the address ``/blog/2024/03/09/slug``; a
``slug`` in the front matter replaces that part. ``draft: true`` is a draft, ``unlisted: true``
a page nobody is led to (never mailed); files and folders whose names start with ``_`` are
partials. Without ``title``, the ``# heading`` opening the post is its title (and is left out of
the body, as Docusaurus does). Settings from ``docusaurus.config.*``: ``url``, ``baseUrl``,
``trailingSlash``, and every blog instance's ``{path, routeBasePath}``: the classic preset's
``blog`` (unless ``blog: false``) and each ``@docusaurus/plugin-content-blog`` entry of
``plugins`` (a second blog, ``id: 'notes'``); nothing is run.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path, PurePath, PurePosixPath
from typing import Any

from newsletter.generators.base import (
    Entry,
    Generator,
    Source,
    folder_setting,
    join_url,
    path_id,
    url_path,
)
from newsletter.generators.jsliteral import object_at
from newsletter.generators.settings_files import (
    SiteInfo,
    depends_on,
    first_file,
    first_text,
    js_boolean,
    js_object,
    js_string,
    remark_math,
    site_info,
    without_js_comments,
)

CONFIG_FILES = tuple(f"docusaurus.config.{ext}" for ext in ("js", "ts", "mjs", "cjs", "mts"))
# plugins: [['@docusaurus/plugin-content-blog', {id: 'news', path: 'news', ...}]]
_BLOG_PLUGIN = re.compile(r"""(["'`])@docusaurus/plugin-content-blog\1\s*,\s*(?=\{)""")
_DATED = re.compile(r"^(?P<folder>.*)(?P<date>\d{4}[-/]\d{1,2}[-/]\d{1,2})[-/]?(?P<text>.*?)"
                    r"(?:/index)?$")


class Docusaurus(Generator):
    name = "docusaurus"
    label = "Docusaurus"
    markdown = "remark"
    extensions = (".md", ".mdx")
    title_from_heading = True

    def __init__(self, root: Path, evidence: str | None = None):
        super().__init__(root, evidence)
        self.config_text = first_text(root, CONFIG_FILES)
        self.blogs: list[dict[str, Any]] = _blog_options(self.config_text)

    @classmethod
    def found(cls, root: Path) -> str | None:
        config = first_file(root, *CONFIG_FILES)
        if config:
            return config.name
        return "package.json" if depends_on(root, "@docusaurus/core") else None

    def info(self) -> SiteInfo:
        url = js_string(self.config_text, "url")  # the template's example: init leaves it out
        if url and self.base_path:
            url = url.rstrip("/") + self.base_path
        return site_info(self.evidence, js_string(self.config_text, "title"), url)

    def markdown_options(self) -> dict[str, Any]:
        return {"smart_punctuation": False} | remark_math(self.root)  # no smartypants

    def reads_as_mdx(self, path: PurePath) -> bool:
        """Docusaurus reads ``.md`` files as MDX too, unless its settings say
        ``markdown: { format: 'detect' }`` (or ``'md'``): CommonMark for ``.md``."""
        if path.suffix.lower() == ".md":
            return js_string(self.config_text, "format") not in ("detect", "md")
        return super().reads_as_mdx(path)

    @property
    def _folders(self) -> list[str]:
        return [folder_setting(blog.get("path"), "blog") for blog in self.blogs]

    @property
    def content_root(self) -> Path:
        """The first blog's folder (its posts' ids are relative to it; another blog's are
        relative to the site, ``/notes/...``, so that no two blogs' ids meet)."""
        return self.root / self._folders[0]

    def prefixes_root_links(self) -> bool:
        """Docusaurus's ``Link`` puts ``baseUrl`` before a Markdown link from the root."""
        return True

    @property
    def base_path(self) -> str:
        base = js_string(self.config_text, "baseUrl")
        return url_path(base)

    def post_dirs(self) -> tuple[tuple[str, ...], str]:
        folders = tuple(dict.fromkeys(self._folders))
        if len(folders) == 1:
            return folders, "the blog plugin's folder"
        return folders, f"the folders of its {len(folders)} blogs"

    def _blog_of(self, path: Path) -> tuple[dict[str, Any], PurePosixPath]:
        """The blog instance whose folder holds ``path`` (the deepest), and the path in it."""
        held = [(blog, self.root / folder) for blog, folder in zip(self.blogs, self._folders)
                if (self.root / folder) in path.parents]
        if not held:
            return self.blogs[0], PurePosixPath(path.name)
        blog, folder = max(held, key=lambda pair: len(pair[1].parts))
        return blog, PurePosixPath(path.relative_to(folder).as_posix())

    def page_dirs(self) -> tuple[str, ...]:
        return ("src/pages",)

    def entry(self, source: Source) -> Entry:
        fields, relative = source.fields, source.relative
        pages = self.root / "src" / "pages"
        if source.path.is_relative_to(pages):
            page_id = path_id(PurePosixPath(source.path.relative_to(pages).as_posix()))
            return Entry(id=page_id, path=join_url(page_id), page="a page of src/pages")
        post_id = path_id(relative)
        blog, relative = self._blog_of(source.path)
        if any(part.startswith("_") for part in relative.parts):
            return Entry(id=post_id, path=None, page="a partial (_name): not a blog post")
        stem = relative.with_suffix("").as_posix()
        found = _DATED.match(stem)
        if found:
            slug = f"/{found['date'].replace('-', '/')}/{found['folder']}{found['text']}"
        else:
            slug = "/" + re.sub(r"/index$", "", stem)
        slug = (fields.string("slug") or "").strip() or slug
        date = fields.date("date") or _file_date(found, source.path)
        route = blog.get("routeBasePath")
        route = route if isinstance(route, str) else "blog"
        address = join_url(route, slug)
        if js_boolean(self.config_text, "trailingSlash") and not address.endswith("/"):
            address += "/"
        page = "unlisted: true" if fields.boolean("unlisted", default=False) else None
        return Entry(id=post_id, path=address, date=date, page=page,
                     draft=fields.boolean("draft", default=False))


def _blog_options(config: str) -> list[dict[str, Any]]:
    """The options of each blog instance (docusaurus.io/docs/blog#multiple-blogs): the classic
    preset's ``blog: {...}`` (its defaults where the preset says nothing of it, none with
    ``blog: false``), then those of every blog plugin ``plugins`` lists; at least one."""
    code = without_js_comments(config)
    plugins = [object_at(code, found.end(), skip_code=True) or {}
               for found in _BLOG_PLUGIN.finditer(code)]
    preset = js_object(config, "blog", skip_code=True)
    classic = re.search(r"""["'`](?:@docusaurus/preset-)?classic["'`]""", code)
    if preset or not plugins or classic and js_boolean(config, "blog") is not False:
        return [preset, *plugins]
    return plugins


def _file_date(found: re.Match | None, path: Path) -> dt.datetime:
    """The date of the file's name, at midnight UTC as Docusaurus reads it, else its time."""
    if found:
        year, month, day = (int(part) for part in re.split(r"[-/]", found["date"]))
        try:
            return dt.datetime(year, month, day, tzinfo=dt.timezone.utc)
        except ValueError:
            pass
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc)
