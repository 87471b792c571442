"""Jekyll: settings in _config.yml, posts in ``_posts`` named ``YYYY-MM-DD-title.md``.

As jekyllrb.com/docs/posts and /docs/permalinks describe: the date and the slug come from the
file name (a ``date`` in the front matter wins), the title from the slug when there is none,
``_drafts`` holds drafts, ``published: false`` keeps a post unpublished (unless the build shows
them: ``show_drafts``, ``unpublished``), files outside ``_posts`` are pages; a post in another
language than jekyll-polyglot's ``default_lang`` is a translation. Addresses follow
``permalink`` (a built-in style or placeholders, site-wide, for the posts collection, in front
matter defaults, or per post) under ``baseurl``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path, PurePosixPath
from typing import Any

from newsletter.generators.base import Entry, Source, as_list, dated_name, join_url
from newsletter.generators.jekyll_config import excluded
from newsletter.generators.jekyll_folders import post_folders
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
from newsletter.generators.jekyll_site import JekyllSite
from newsletter.generators.slugs import jekyll_slug, titleize

# What Jekyll's EntryFilter passes over in a collection's folder: a path from it, or a file
# name, starting with one of these (_posts/_old/2024-01-01-x.md is not built).
_SKIPPED = ("_", ".", "#", "~")
# Jekyll's Document::DATE_FILENAME_MATCHER: a hyphen after the date (2024-11-17_notes.md and
# 2024-11-17.md are not read as posts)
_DATED = re.compile(r"^(\d{4})-(\d\d?)-(\d\d?)-(.*)$")


class Jekyll(JekyllSite):
    name = "jekyll"
    label = "Jekyll"
    # HTML posts (jekyll-import's from WordPress, the earliest Jekyll blogs'): their HTML, its
    # Liquid run, is the email's; Textile's are named as not read
    html_extensions = (".html", ".htm")
    styles = STYLES  # the permalink styles a site's ``permalink`` may name
    default_style = "date"
    dated_names_only = True  # a _posts file without YYYY-MM-DD- in its name is no post
    yaml_document_end = True  # Jekyll's front matter may end with YAML's ... line
    blog_collections: frozenset[str] = frozenset()  # collection folders read as posts

    def post_dirs(self) -> tuple[tuple[str, ...], str]:
        found = tuple(folder.relative_to(self.root).as_posix()
                      for folder in post_folders(self.content_root)
                      if not self._excluded(folder))  # TeXt's exclude: [/docs] and docs/_posts
        prefix = self.content_root.relative_to(self.root).as_posix().strip(".") + "/"
        if found:
            return found, self._why_posts
        collections = self.config.get("collections")
        names = sorted(map(str, collections)) if isinstance(collections, dict) else []
        output = tuple(f"{prefix}_{name}".lstrip("/") for name in names
                       if self._outputs(name) and (self.content_root / f"_{name}").is_dir())
        if output:
            return output, "no _posts: the collections _config.yml outputs"
        return (f"{prefix}_posts".lstrip("/"),), self._why_posts

    @property
    def _why_posts(self) -> str:
        drafts = "posts (the build shows drafts)" if self.builds("show_drafts") else "drafts"
        return f"{self.label}'s _posts, and _drafts as {drafts}"

    def page_dirs(self) -> tuple[str, ...]:
        return (self._built_folder,)

    @property
    def extensions(self) -> tuple[str, ...]:  # type: ignore[override]
        return (*super().extensions, *self.html_extensions)

    def is_page_file(self, path: Path) -> bool:
        """A Markdown file with front matter outside ``_`` folders (unless _config.yml's
        ``include`` names them) and its ``exclude``: what Jekyll renders as a page (an HTML
        one is the site's own template: a list, a layout's page)."""
        if self.site_root not in path.parents or self.reads_html(path):
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
        file_date, slug = dated_name(stem, _DATED)
        draft = (folder == "_drafts" and not self.builds("show_drafts")) or (
            fields.meta.get("published") is False and not self.builds("unpublished"))
        if folder == "_posts" and file_date is None and self.dated_names_only:
            return Entry(id="/" + stem, path=None,
                         page="not a post: Jekyll reads only _posts files named "
                              "YYYY-MM-DD-title.md")
        if collection != "posts" and not self._outputs(collection):
            return Entry(id=join_url(collection, stem), path=None,
                         page=f"collection {collection} is not output: true in _config.yml")
        written_date = fields.date("date")
        date = written_date or (source.midnight(file_date) if file_date else None)
        if date is None and folder == "_drafts" and not draft:  # built: dated by its file's time
            date = dt.datetime.fromtimestamp(source.path.stat().st_mtime, dt.timezone.utc)
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
                     title=titleize(slug), early=self.builds("future"))

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
