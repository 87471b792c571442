"""MkDocs with Material's blog plugin: settings in mkdocs.yml, posts in ``docs/blog/posts``.

As squidfunk.github.io/mkdocs-material/plugins/blog describes it: the plugin (``- blog`` or
``- material/blog`` under ``plugins``) reads ``{docs_dir}/{blog_dir}/{post_dir}``; a post's
``date`` is a date or a map whose ``created`` is its date; ``draft: true`` is a draft (unless
the plugin's own ``draft: true`` builds drafts); the title
is ``title``, else the ``# heading`` opening the post; the address is ``post_url_format``
(``{date}/{slug}``, the date as ``post_url_date_format`` says, ``yyyy/MM/dd``) under the blog
folder, the slug being ``slug`` or the title slugged as Python-Markdown's toc does. Every other
Markdown file of ``docs_dir`` is a page. mkdocs.yml's ``!!python/name:`` and ``!ENV`` tags are
read as nothing: nothing is run.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from newsletter.generators.base import (
    Entry,
    Generator,
    Source,
    as_list,
    folder_setting,
    join_url,
    path_id,
)
from newsletter.generators.python_markdown import python_markdown_options
from newsletter.generators.settings_files import (
    SiteInfo,
    expands_past,
    first_file,
    read_text,
    site_info,
)
from newsletter.generators.slugs import pelican_slug
from newsletter.generators.yaml_loaders import PythonYamlLoader

CONFIG_FILES = ("mkdocs.yml", "mkdocs.yaml")
_BLOG_PLUGINS = ("blog", "material/blog")
# Babel's date pattern letters post_url_date_format is written in, longest first
_DATE_PATTERN = re.compile(r"yyyy|yy|MMMM|MMM|MM|M|dd|d")
_DATE_CODES = {"yyyy": "%Y", "yy": "%y", "MMMM": "%B", "MMM": "%b", "MM": "%m", "dd": "%d"}


class _TagTolerantLoader(PythonYamlLoader):
    """YAML with every tag it does not know (``!!python/name:...``, ``!ENV``) read as None."""


_TagTolerantLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_TagTolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/",
                                         lambda loader, suffix, node: None)


class MkDocs(Generator):
    name = "mkdocs"
    label = "MkDocs"
    title_from_heading = True
    excerpt_marker = "<!-- more -->"  # its themes' (and feeds') summary ends there

    def __init__(self, root: Path, evidence: str | None = None):
        super().__init__(root, evidence)
        self.config = _settings(first_file(root, *CONFIG_FILES))
        self.blog = _blog_options(self.config.get("plugins"))

    @classmethod
    def found(cls, root: Path) -> str | None:
        """mkdocs.yml, when it lists the blog plugin: without it MkDocs makes no blog, only a
        project's documentation (which a blog of another kind may keep beside its posts)."""
        config = first_file(root, *CONFIG_FILES)
        if config is None or _blog_options(_settings(config).get("plugins")) is None:
            return None
        return config.name

    def info(self) -> SiteInfo:
        theme = self.config.get("theme")
        language = theme.get("language") if isinstance(theme, dict) else None
        return site_info(self.evidence, self.config.get("site_name"),
                         self.config.get("site_url"), None, language)

    def markdown_options(self) -> dict[str, Any]:
        """What ``markdown_extensions`` turns on (admonitions, ``!!! note``, and pymdownx.details'
        ``??? note``; smarty's quotes, straight without it); ``[TOC]``, as MkDocs always has the
        toc extension."""
        listed = self.config.get("markdown_extensions")
        names = [name for item in listed if isinstance(item, (str, dict))
                 for name in ([item] if isinstance(item, str) else item)] \
            if isinstance(listed, list) else []
        return python_markdown_options([*names, "toc"])  # MkDocs's toc

    @property
    def _docs(self) -> str:
        folder = self.config.get("docs_dir")
        return folder_setting(folder, "docs")

    @property
    def _blog_dir(self) -> str:
        folder = self.blog.get("blog_dir") if self.blog is not None else None
        return folder.strip("/") if isinstance(folder, str) else "blog"

    @property
    def _post_dir(self) -> str:
        folder = (self.blog or {}).get("post_dir")
        folder = folder if isinstance(folder, str) and folder.strip("/") else "{blog}/posts"
        return folder.replace("{blog}", self._blog_dir).strip("/").removeprefix("./")

    @property
    def content_root(self) -> Path:
        return self.root / self._docs

    @property
    def base_path(self) -> str:
        url = self.config.get("site_url")
        path = re.sub(r"^[a-z]+://[^/]*", "", url) if isinstance(url, str) else ""
        return "/" + path.strip("/") if path.strip("/") else ""

    @property
    def _directory_urls(self) -> bool:
        """``use_directory_urls`` (default true): ``about.md`` is ``/about/``, else
        ``/about.html``."""
        return self.config.get("use_directory_urls") is not False

    def post_dirs(self) -> tuple[tuple[str, ...], str]:
        folder = join_url(self._docs, self._post_dir).strip("/")
        if self.blog is None:
            return (folder,), "the blog plugin's folder, though mkdocs.yml lists no blog plugin"
        return (folder,), "the blog plugin's post_dir"

    def page_dirs(self) -> tuple[str, ...]:
        return (self._docs,)

    def static_dirs(self) -> tuple[str, ...]:
        return (self._docs,)  # MkDocs copies docs_dir's other files as they are

    def entry(self, source: Source) -> Entry:
        fields, post_id = source.fields, path_id(source.relative)
        posts = self.content_root / self._post_dir
        if posts not in source.path.parents:
            return Entry(id=post_id, path=_page_address(source.relative, self._directory_urls),
                         page="outside the blog's posts folder: a page")
        title = fields.string("title") or source.heading or ""
        slug = (fields.string("slug") or "").strip() or pelican_slug(title)
        date = fields.date("date")
        values = {"slug": slug, "file": source.path.stem,
                  "categories": "/".join(pelican_slug(name) for name in
                                         as_list(source.meta.get("categories"))[:1]),
                  "date": _format_date(date, self.blog.get("post_url_date_format")
                                       if self.blog else None) if date else ""}
        url_format = (self.blog or {}).get("post_url_format")
        url_format = url_format if isinstance(url_format, str) and url_format.strip() \
            else "{date}/{slug}"
        path = re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), url_format)
        path = join_url(self._blog_dir.strip("."), path)
        path += "/" if self._directory_urls else ".html"
        # the plugin's draft: true builds the drafts too: on the blog, so mailed like any post
        built = (self.blog or {}).get("draft") is True
        return Entry(id=post_id, path=path, date=date,
                     draft=fields.boolean("draft", default=False) and not built)


def _settings(path: Path | None) -> dict[str, Any]:
    """mkdocs.yml as a mapping, its Python and environment tags read as None; {} if unread."""
    text = read_text(path) if path else None
    if text is None:
        return {}
    try:
        data = yaml.load(text, Loader=_TagTolerantLoader)  # noqa: S506 (SafeLoader's subclass)
    except (yaml.YAMLError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) and not expands_past(data, len(text)) else {}


def _blog_options(plugins: Any) -> dict[str, Any] | None:
    """The options of the blog plugin ``plugins`` lists ({} without any); None if none."""
    for plugin in plugins if isinstance(plugins, list) else [plugins]:  # or {blog: {...}}
        if isinstance(plugin, str) and plugin in _BLOG_PLUGINS:
            return {}
        if isinstance(plugin, dict):
            for name in _BLOG_PLUGINS:
                if name in plugin:
                    return plugin[name] if isinstance(plugin[name], dict) else {}
    return None


def _format_date(date, pattern: Any) -> str:
    """``date`` in Babel's ``pattern`` (post_url_date_format, default ``yyyy/MM/dd``)."""
    pattern = pattern if isinstance(pattern, str) and pattern.strip() else "yyyy/MM/dd"
    return _DATE_PATTERN.sub(lambda m: str(getattr(date, "month" if m.group() == "M" else "day"))
                             if m.group() in ("M", "d") else date.strftime(_DATE_CODES[m.group()]),
                             pattern)


def _page_address(relative, directory_urls: bool) -> str:
    """A page's address: ``about.md`` is ``/about/`` with MkDocs's directory URLs, else
    ``/about.html``; ``blog/index.md`` is ``/blog/``, or ``/blog/index.html``."""
    stem = relative.with_suffix("")
    if stem.name == "README":
        stem = stem.with_name("index")
    if not directory_urls:
        return join_url(stem.as_posix() + ".html")
    if stem.name == "index":
        return join_url(stem.parent.as_posix().strip("."), "/")
    return join_url(stem.as_posix(), "/")
