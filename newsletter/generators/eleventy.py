"""Eleventy: posts are the templates of the ``posts`` collection, or ``post`` as 11ty.dev's
collection examples name it (11ty.dev/docs/collections). A template joins it by its ``tags``
(front matter, or a directory data file: eleventy-base-blog's ``blog/blog.11tydata.js`` declares
``tags: ["posts"]``), or by a glob the settings make it from (``addCollection("posts", api =>
api.getFilteredByGlob("./src/posts/*.md"))``); other templates are pages, and so are
``permalink: false`` and ``eleventyExcludeFromCollections``; ``draft: true`` is a draft.
Addresses follow 11ty.dev/docs/permalinks: ``subdir/post.md`` is ``/subdir/post/``, an
``index.md`` or a ``post/post.md`` is its folder's, under ``pathPrefix``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path, PurePosixPath
from typing import Any, Mapping

from newsletter.generators.authors import with_author
from newsletter.generators.base import Entry, Generator, Source, as_list, dated_name
from newsletter.generators.eleventy_collections import (COLLECTIONS, feed_collection,
                                                        glob_collection)
from newsletter.generators.eleventy_permalinks import CODE, computed_permalink, permalink_address
from newsletter.generators.globs import glob_regex
from newsletter.generators.git_dates import committed
from newsletter.generators.settings_files import (SiteInfo, depends_on, first_file, first_text,
                                                  js_object, js_settings, js_string, read_data,
                                                  read_text, site_info, under_base,
                                                  without_js_comments)

CONFIG_FILES = ("eleventy.config.js", "eleventy.config.mjs", "eleventy.config.cjs",
                "eleventy.config.ts", ".eleventy.js", ".eleventy.cjs")
# A data file's permalink written as code (permalink(data) {...}, permalink: (data) => ...)
_CODE_PERMALINK = re.compile(r"""(?:\bpermalink|["']permalink["'])\s*[:(]""")
# The template formats the settings build: setTemplateFormats("md,njk"), templateFormats: [...]
_TEMPLATE_FORMATS = re.compile(r"""(?:\.setTemplateFormats\(\s*|\btemplateFormats\s*:\s*)"""
                               r"""(\[[^\]]*\]|(["'`])[^"'`]*\2)""")
_FILE_DATES = ("last modified", "created", "git last modified", "git created")



class Eleventy(Generator):
    name = "eleventy"
    label = "Eleventy"
    markdown = "markdown-it"
    # Templates Eleventy renders to HTML (templateFormats' html, njk, liquid); the others are
    # code newsletter does not run (.11ty.js) or languages of a plugin's, named as not read
    html_extensions = (".html", ".njk", ".liquid")
    extensions = (".md", *html_extensions)
    unread_extensions = (*Generator.unread_extensions, ".js", ".cjs", ".mjs", ".webc", ".hbs",
                         ".mustache", ".ejs", ".haml", ".pug")

    def __init__(self, root: Path, evidence: str | None = None):
        super().__init__(root, evidence)
        self.config_text = first_text(root, CONFIG_FILES)
        formats = _TEMPLATE_FORMATS.search(without_js_comments(self.config_text))
        # setTemplateFormats(["md", "njk"]): the others are not built; None: the defaults
        self.formats = set(re.findall(r"[\w.]+", formats[1])) if formats else None
        if self.formats is not None:
            self.html_extensions = tuple(suffix for suffix in Eleventy.html_extensions
                                         if suffix[1:] in self.formats)
            self.extensions = (".md", *self.html_extensions)
        self._folders: dict[Path, list[tuple[Path, dict[str, Any]]]] = {}

    @classmethod
    def found(cls, root: Path) -> str | None:
        config = first_file(root, *CONFIG_FILES)
        if config:
            return config.name
        return "package.json" if depends_on(root, "@11ty/eleventy") else None

    @property
    def input_dir(self) -> Path:
        folder = self._directory("input")
        if not folder or not folder.strip("./"):
            return self.root
        found = self.root / folder.strip("/")
        return self.root if found.is_file() else found  # an input of one file: its site's

    def _directory(self, name: str) -> str | None:
        """``dir.input`` (or ``data``) of the settings, or Eleventy 3's
        ``eleventyConfig.setInputDirectory("src")`` (``setDataDirectory``)."""
        method = re.search(rf"""\.set{name.capitalize()}Directory\(\s*(["'`])([^"'`\n]+)\1\s*\)""",
                           without_js_comments(self.config_text))
        return method[2] if method else js_string(self.config_text, name)

    @property
    def content_root(self) -> Path:
        return self.input_dir

    @property
    def base_path(self) -> str:
        prefix = js_string(self.config_text, "pathPrefix")
        return "/" + prefix.strip("/") if prefix and prefix.strip("/") else ""

    def template_data(self, front_matter: Mapping[str, Any]) -> dict[str, Any]:
        """The global data file's values under its name, then the post's front matter."""
        source, data = self._metadata()
        return {**({PurePosixPath(source).stem: data} if source else {}), **front_matter}

    def prefixes_root_links(self) -> bool:  # the HTML base plugin, eleventy-base-blog's
        return "HtmlBasePlugin" in without_js_comments(self.config_text)

    @property
    def values(self) -> dict[str, Any]:
        return self._metadata()[1]

    def info(self) -> SiteInfo:
        source, data = self._metadata()
        url = next((data[key] for key in ("url", "baseUrl", "baseURL", "siteUrl", "siteURL")
                    if isinstance(data.get(key), str) and data[key].strip()), None)
        return with_author(site_info(source, data.get("title"), under_base(url, self.base_path),
                                     None, data.get("language")),
                           data.get("author"), data.get("email"))

    def ignore_file(self) -> str | None:
        """Eleventy renders every .html of its input folder as a Liquid template: when that is
        the site's root, newsletter's templates/ too, and the build stops at their Jinja."""
        return ".eleventyignore" if self.input_dir.resolve() == self.root.resolve() else None

    def post_dirs(self) -> tuple[tuple[str, ...], str]:
        name, globs = self._glob_collection
        if globs:
            return globs, f'the "{name}" collection of {self.evidence or "its settings"}'
        tagged = {path.parent: self._collection(as_list(self._data(path).get("tags")))
                  for path in self._data_files()}
        tagged = {folder: name for folder, name in sorted(tagged.items()) if name}
        if tagged:
            names = " and ".join(f'"{name}"' for name in dict.fromkeys(tagged.values()))
            return (tuple(self._relative(folder) for folder in tagged),
                    f"its data files put them in the {names} collection")
        for name in ("posts", "blog"):
            if (self.input_dir / name).is_dir():
                return (self._relative(self.input_dir / name),), f"the {name} folder"
        return (self._relative(self.input_dir),), "the input folder"

    def page_dirs(self) -> tuple[str, ...]:
        return (self._relative(self.input_dir),)

    def is_page_file(self, path: Path) -> bool:
        """Markdown pages only: the input folder's other templates are its layouts, feeds and
        lists (``_includes/``, ``feed.njk``), never a post."""
        return not self.reads_html(path)

    def builds_unread(self, path: Path) -> bool:
        name = path.name.lower()
        kind = name[name.rfind(".11ty.") + 1:] if ".11ty." in name else path.suffix.lower()[1:]
        if kind.startswith("11ty.") and _in_no_collection(path):
            return False  # a list page (blog/index.11ty.js), as real blogs write them: no post
        if self.formats is not None:
            return kind in self.formats
        return path.suffix.lower() not in (".js", ".cjs", ".mjs") or kind.startswith("11ty.")

    def static_dirs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(("public", self._relative(self.input_dir), ".")))

    def entry(self, source: Source) -> Entry:
        fields, relative = source.fields, source.relative
        file_date, _ = dated_name(relative.stem)
        date = self._date(source, file_date)
        permalink = self._permalink(source)
        page = self._page_reason(source, permalink[0] is False)
        address = None if permalink[0] is False else permalink_address(source, permalink, date)
        return Entry(id=_id(relative), path=address, date=date, page=page,
                     draft=fields.boolean("draft", default=False))

    def _page_reason(self, source: Source, unwritten: bool) -> str | None:
        """Why the template is no post (None: it is one)."""
        if unwritten:
            return "permalink: false: Eleventy writes no page for it"
        meta = source.meta
        collection = self._collection(self._tags_of(source.path, meta)) or \
            (self._glob_collection[0] if self._globbed(source.path) else None)
        excluded = meta.get("eleventyexcludefromcollections")
        if "eleventyexcludefromcollections" not in meta:  # the nearest data file's then
            excluded = next((data["eleventyExcludeFromCollections"]
                             for _, data in self._cascade(source.path)
                             if "eleventyExcludeFromCollections" in data), None)
        if excluded is True:
            return "eleventyExcludeFromCollections: true"
        if meta.get("pagination"):
            return "pagination: a list Eleventy makes pages of"
        if collection and collection in as_list(excluded):  # Eleventy 3 names collections
            return f'eleventyExcludeFromCollections: ["{collection}"]'
        return None if collection else 'not in the "posts" or "post" collection (its tags)'

    def _date(self, source: Source, file_date: dt.date | None) -> dt.datetime | None:
        value = source.meta.get("date")
        if isinstance(value, str) and value.strip().lower() in _FILE_DATES:
            kind = value.strip().lower()
            from_git = committed(source.path, first=kind == "git created") \
                if kind.startswith("git ") else None
            if from_git:
                return from_git
            found = source.path.stat()
            # Created is the file's birth time, as Node's fs.stat gives it, where the system
            # keeps one Python can read (macOS, BSD); else, as for Last Modified, its mtime
            when = getattr(found, "st_birthtime", None) if kind.endswith("created") else None
            return dt.datetime.fromtimestamp(when or found.st_mtime, dt.timezone.utc)
        if value is not None:
            return source.fields.date("date")
        return source.midnight(file_date) if file_date else None

    def _collection(self, tags: list[Any]) -> str | None:
        """The post collection among ``tags``: ``posts``, ``post`` or the one the feed lists."""
        feed = self._feed_collection
        return next((name for name in (*COLLECTIONS, feed) if name and name in tags), None)

    @functools.cached_property
    def _feed_collection(self) -> str | None:
        return feed_collection(without_js_comments(self.config_text), self.input_dir)

    @functools.cached_property
    def _glob_collection(self) -> tuple[str | None, tuple[str, ...]]:
        return glob_collection(without_js_comments(self.config_text))

    def _globbed(self, path: Path) -> bool:
        relative = path.relative_to(self.root).as_posix()
        return any(glob_regex(glob).fullmatch(relative) for glob in self._glob_collection[1])

    def _tags_of(self, path: Path, meta: dict[str, Any]) -> list[str]:
        tags = as_list(meta.get("tags"))  # one string is one tag
        return tags + [tag for _, data in self._cascade(path) for tag in as_list(data.get("tags"))]

    def _permalink(self, source: Source) -> tuple[Any, str]:
        """The permalink and where it is written: the front matter's ``eleventyComputed``, its
        own, else the nearest data file's."""
        computed = source.meta.get("eleventycomputed")
        if isinstance(computed, dict) and "permalink" in computed:
            return computed["permalink"], source.fields.where("eleventycomputed")
        if "permalink" in source.meta:
            return source.meta["permalink"], source.fields.where("permalink")
        for path, data in self._cascade(source.path):
            if "permalink" in data:
                return data["permalink"], path.relative_to(self.root).as_posix()
        return None, ""

    def _cascade(self, path: Path) -> list[tuple[Path, dict[str, Any]]]:
        """The data files of the template at ``path``, nearest first: its own
        (``post.11tydata.js``), then its folder's and each folder's above up to the input's."""
        found = self._files_data(path.parent, path.stem, (".11tydata.json", ".11tydata.js",
                                                          ".json"))
        folder = path.parent
        while True:
            if folder not in self._folders:
                self._folders[folder] = self._files_data(folder, folder.name, (
                    ".11tydata.json", ".11tydata.js", ".11tydata.mjs", ".json"))
            found += self._folders[folder]
            if folder == self.input_dir or self.input_dir not in folder.parents:
                return found
            folder = folder.parent

    def _files_data(self, folder: Path, stem: str,
                    suffixes: tuple[str, ...]) -> list[tuple[Path, dict[str, Any]]]:
        pairs = [(folder / f"{stem}{suffix}", self._data(folder / f"{stem}{suffix}"))
                 for suffix in suffixes]
        return [(path, data) for path, data in pairs if data]

    def _data_files(self) -> list[Path]:
        """The directory data files: ``blog/blog.11tydata.js`` (``.mjs``, ``.json``), and
        ``blog/blog.json``."""
        found = []
        for pattern in ("*.11tydata.js", "*.11tydata.mjs", "*.11tydata.json", "*.json"):
            found += [path for path in self.input_dir.rglob(pattern)
                      if "node_modules" not in path.parts and (
                          path.name == f"{path.parent.name}.json" if pattern == "*.json"
                          else path.name.partition(".")[0] == path.parent.name)]
        return found

    @staticmethod
    def _data(path: Path) -> dict[str, Any]:
        if not path.is_file() or path.suffix == ".json":
            return (read_data(path) or {}) if path.is_file() else {}
        data = js_settings(path)
        if "permalink" in data:
            return data
        text = without_js_comments(read_text(path) or "")
        start, end = _computed_span(text)
        if _CODE_PERMALINK.search(text[:start] + text[end:]):  # one template literal reads
            return {**data, "permalink": computed_permalink(text[:start] + text[end:]) or CODE}
        computed = computed_permalink(text[start:end]) if end > start else None
        return {**data, "permalink": computed} if computed is not None else data

    def _metadata(self) -> tuple[str | None, dict[str, Any]]:
        data_dir = self._directory("data") or "_data"
        site = self.root.resolve()
        for folder in (self.input_dir / data_dir, self.root / "_data"):
            if site != folder.resolve() and site not in folder.resolve().parents:
                continue  # outside the site: not the blog's to read
            for name in ("metadata.js", "metadata.mjs", "metadata.cjs", "metadata.json",
                         "site.js", "site.json"):
                path = folder / name
                data = self._data(path)
                if data:
                    return path.resolve().relative_to(self.root.resolve()).as_posix(), data
        return None, {}

    def _relative(self, folder: Path) -> str:
        return folder.relative_to(self.root).as_posix() or "."


def _in_no_collection(path: Path) -> bool:
    """Whether the ``.11ty.js`` template's literal ``data`` keeps it out of every collection:
    ``eleventyExcludeFromCollections: true``, ``permalink: false`` or ``pagination`` (a list)."""
    data = js_object(read_text(path) or "", "data", skip_code=True)
    return data.get("eleventyExcludeFromCollections") is True or data.get("permalink") is False \
        or "pagination" in data


def _computed_span(text: str) -> tuple[int, int]:
    """Where JavaScript ``text``'s ``eleventyComputed: {...}`` starts and ends (0, 0 without
    one)."""
    found = re.search(r"\beleventyComputed\s*:\s*\{", text)
    if not found:
        return 0, 0
    depth, at = 1, found.end()
    while depth and at < len(text):
        depth += (text[at] == "{") - (text[at] == "}")
        at += 1
    return found.start(), at


def _id(relative: PurePosixPath) -> str:
    stem = relative.with_suffix("")
    if stem.name in ("index", stem.parent.name) and len(stem.parts) > 1:
        stem = stem.parent
    return "/" + stem.as_posix()
