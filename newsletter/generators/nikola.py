"""Nikola: settings in conf.py, posts where its ``POSTS`` globs say (``posts/*.md``).

As getnikola.com/handbook describes it: a Markdown post opens with its metadata as
``.. key: value`` lines in an HTML comment (``.. title:``, ``.. slug:``, ``.. date: 2024-05-01
09:00:00 UTC``), or in a ``.meta`` file beside it (``nikola new_post`` with ``ONE_FILE_POSTS =
False``; the older ones hold its title, slug, date, tags, link and description one a line, without
the dots); ``.. status: draft`` (or the tag ``draft``) is a draft, ``private`` a page. Its
address is the ``POSTS`` entry's folder and the slug, ``/blog/slug/`` with ``PRETTY_URLS``
(``slug.html`` without). ``PAGES`` files are pages. reStructuredText posts (``.rst``, and
``.txt``, reST in Nikola) are listed as not read. Only literal assignments of conf.py are read.
"""

from __future__ import annotations

import re

from pathlib import Path, PurePosixPath
from typing import Any, Callable

from newsletter.generators.base import Entry, Generator, Source, as_list, join_url, path_id
from newsletter.generators.nikola_galleries import gallery_address
from newsletter.generators.python_markdown import python_markdown_options
from newsletter.generators.settings_files import (SiteInfo, python_settings,
                                                  read_text, site_info)
from newsletter.generators.slugs import pelican_slug

DEFAULT_POSTS = (("posts/*.md", "posts", "post.tmpl"),)
DEFAULT_PAGES = (("pages/*.md", "pages", "page.tmpl"),)
_META_LINES = ("title", "slug", "date", "tags", "link", "description")  # an old .meta file's


class Nikola(Generator):
    name = "nikola"
    label = "Nikola"
    restructured_extensions = (".rst", ".txt")  # COMPILERS' "rest", as nikola init writes it
    extensions = (".md", ".mdown", ".markdown", *restructured_extensions)
    unread_extensions = (*sorted(set(Generator.unread_extensions) -
                                 set(restructured_extensions)), ".html")
    comment_front_matter = True

    def __init__(self, root: Path, evidence: str | None = None):
        super().__init__(root, evidence)
        self.config: dict[str, Any] = python_settings(root / "conf.py")

    @classmethod
    def found(cls, root: Path) -> str | None:
        text = read_text(root / "conf.py") or ""
        # nikola init's conf.py names Nikola in its comments; one without them still has
        # BLOG_TITLE beside POSTS, which no other conf.py (Sphinx's) has
        named = "Nikola" in text or re.search(r"^BLOG_TITLE\s*=", text, re.MULTILINE)
        return "conf.py" if named and "POSTS" in text else None

    def info(self) -> SiteInfo:
        config = self.config
        return site_info("conf.py", _in_default_language(config.get("BLOG_TITLE")),
                         config.get("SITE_URL"), config.get("TIMEZONE"),
                         config.get("DEFAULT_LANG"))

    def markdown_options(self) -> dict[str, Any]:
        """What ``MARKDOWN_EXTENSIONS`` turns on; Nikola's default list (fenced_code,
        codehilite, extra, toc) has [TOC] and straight quotes."""
        listed = self.config.get("MARKDOWN_EXTENSIONS")
        return python_markdown_options(listed if isinstance(listed, (list, tuple))
                                       else ["extra", "toc"])

    def internal_link(self, kind: str, name: str, post_file: Path, post_path: str) -> str | None:
        """getnikola.com/path-handlers.html: ``link://tag/name`` is the tag's page under
        ``TAG_PATH`` (``categories``), ``link://category/name`` the category's under
        ``CATEGORY_PATH``, its name after ``CATEGORY_PREFIX`` (``cat_``); a folder with
        ``PRETTY_URLS``, else an ``.html`` file. ``link://gallery/name``: see
        :mod:`newsletter.generators.nikola_galleries`."""
        if kind == "gallery":
            return gallery_address(self.root, self.config, name)
        if kind not in ("tag", "category") or not pelican_slug(name):
            return None
        folder = _in_default_language(self.config.get(f"{kind.upper()}_PATH")) or "categories"
        prefix = self.config.get("CATEGORY_PREFIX", "cat_") if kind == "category" else ""
        page = (prefix if isinstance(prefix, str) else "") + pelican_slug(name)
        pretty = self.config.get("PRETTY_URLS", True) is not False
        return join_url(folder, page, "/") if pretty else join_url(folder, page + ".html")

    @property
    def content_root(self) -> Path:
        return self.root

    def post_dirs(self) -> tuple[tuple[str, ...], str]:
        return self._folders("POSTS") or ("posts",), "conf.py's POSTS"

    def page_dirs(self) -> tuple[str, ...]:
        return self._folders("PAGES")

    def static_dirs(self) -> tuple[str, ...]:
        return ("files", ".")  # FILES_FOLDERS' files/ is served at the root, images/ as itself

    def inherited(self, path: Path, front_matter_of: Callable[[Path], dict[str, Any]]
                  ) -> dict[str, Any]:
        """The metadata of the post's ``.meta`` file, which the post's own overrides."""
        meta_file = path.with_suffix(".meta")
        if not meta_file.is_file():
            return {}
        found = front_matter_of(meta_file)
        if found:
            return found
        lines = (read_text(meta_file) or "").splitlines()[:len(_META_LINES)]
        return {key: line.strip() for key, line in zip(_META_LINES, lines) if line.strip()}

    def entry(self, source: Source) -> Entry:
        fields, post_id = source.fields, path_id(source.relative)
        slug = (fields.string("slug") or "").strip() or \
            pelican_slug(fields.string("title") or "") or source.path.stem
        pretty = self.config.get("PRETTY_URLS", True) is not False
        kind, folder = self._destination(source.relative)
        address = join_url(folder, slug, "/") if pretty else join_url(folder, slug + ".html")
        status = (fields.string("status") or "").strip().lower()
        tags = [tag.strip().lower() for tag in _tags(source.meta.get("tags"))]
        if kind == "PAGES" or status == "private":
            return Entry(id=post_id, path=address,
                         page="one of conf.py's PAGES" if kind == "PAGES" else "status: private")
        return Entry(id=post_id, path=address, date=fields.date("date"),
                     draft=status == "draft" or "draft" in tags)

    def _entries(self, name: str) -> list[tuple[str, str]]:
        """(glob, destination) of conf.py's POSTS or PAGES."""
        value = self.config.get(name)
        entries = value if isinstance(value, (list, tuple)) else \
            DEFAULT_POSTS if name == "POSTS" else DEFAULT_PAGES
        return [(item[0].strip("/"), _in_default_language(item[1]) or "") for item in entries
                if isinstance(item, (list, tuple)) and len(item) >= 2
                and isinstance(item[0], str)]

    def _folders(self, name: str) -> tuple[str, ...]:
        """The folders of POSTS' or PAGES' globs (their other markups listed as not read)."""
        return tuple(dict.fromkeys(PurePosixPath(glob).parent.as_posix()
                                   for glob, _ in self._entries(name)))

    def _destination(self, relative: PurePosixPath) -> tuple[str, str]:
        """Which of POSTS or PAGES holds the file, and the folder it is published in."""
        for kind in ("PAGES", "POSTS"):
            for glob, folder in self._entries(kind):
                if relative.parent == PurePosixPath(glob).parent:
                    return kind, folder
        return "POSTS", "posts"


def _in_default_language(value: Any) -> str | None:
    """A setting that may be one string or a table by language (``{DEFAULT_LANG: ...}``)."""
    if isinstance(value, dict):
        value = next(iter(value.values()), None)
    return value if isinstance(value, str) else None


def _tags(value: Any) -> list[str]:
    """``.. tags: a, b`` (one string) or a list."""
    return value.split(",") if isinstance(value, str) else as_list(value)
