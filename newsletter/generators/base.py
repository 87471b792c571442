"""What every generator tells the posts loader, and the generic reading of a ``content/`` folder.

A :class:`Generator` is built from a blog's folder: it reads the generator's own settings once
and then answers, for each post file, an :class:`Entry`: the post's id (the ledger's key), its
address, its date, and whether it is a page or a draft. :class:`Generator` itself is the generic
reading, today's ``content/`` folder: Lumen-style ``template``, ``slug`` and ``draft`` keys.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path, PurePath, PurePosixPath
from typing import Any, Callable, ClassVar, Mapping, Protocol

from newsletter.generators.settings_files import SiteInfo
from newsletter.records import record


class Fields(Protocol):
    """Front matter as the posts loader reads it (keys are lower case)."""

    meta: dict[str, Any]

    def where(self, key: str) -> str: ...

    def string(self, key: str) -> str | None: ...

    def boolean(self, key: str, *, default: bool) -> bool: ...

    def date(self, key: str) -> dt.datetime | None: ...


@record(frozen=True)
class Source:
    """One post file as the generator sees it."""

    path: Path
    relative: PurePosixPath  # to the generator's content root (ids and default addresses)
    fields: Fields
    midnight: Callable[[dt.date], dt.datetime]  # a date at 00:00 in site.timezone
    heading: str | None = None  # the "# heading" opening the body, where it is the title

    @property
    def meta(self) -> dict[str, Any]:
        return self.fields.meta


@record(frozen=True)
class Entry:
    """What the generator makes of one file."""

    id: str  # "/posts/what-matters": the ledger's key, stable when the post's date changes
    path: str | None  # the address under the site URL, "/posts/what-matters/"; None: none
    date: dt.datetime | None = None
    page: str | None = None  # why it is a page (never emailed), e.g. "section list (_index.md)"
    draft: bool = False
    expires: dt.datetime | None = None  # Hugo expiryDate: unpublished from then on
    early: bool = False  # built before its date (Jekyll's future: true): published already
    title: str | None = None  # the title when the front matter has none (Jekyll: from the name)
    media_subpath: str | None = None  # of the post's relative images (Hexo's asset folder)
    image: str | None = None  # a feature image by the generator's convention where the front
    # matter names none ("./featured.jpg" of a Hugo bundle), relative to the post's file


class Generator:
    """The generic reading of ``content/``, and what every generator has."""

    name: ClassVar[str] = "none"
    label: ClassVar[str] = "Blog"
    # The Markdown renderer the generator uses, whose dialect newsletter renders posts in
    # (newsletter.render.dialects): Pelican and the generic reading keep Python-Markdown.
    markdown: ClassVar[str] = "python-markdown"
    extensions: ClassVar[tuple[str, ...]] = (".md",)
    # Posts it builds from other markups, which newsletter lists as not read (docs/generators.md)
    unread_extensions: ClassVar[tuple[str, ...]] = (".rst", ".adoc", ".asciidoc", ".org",
                                                    ".ipynb", ".textile", ".qmd")
    # Posts written in reStructuredText it reads too (Pelican's .rst, Nikola's .rst and .txt):
    # their metadata is the document's title and field list, or Nikola's ".. title:" lines
    restructured_extensions: ClassVar[tuple[str, ...]] = ()
    # Posts written as HTML with template tags it reads too (Eleventy's .html, .njk, .liquid):
    # their body is the email's HTML, its tags expanded as in Markdown posts
    html_extensions: ClassVar[tuple[str, ...]] = ()
    # Front matter in "Key: value" lines (Pelican's Markdown metadata)
    key_value_front_matter: ClassVar[bool] = False
    # Other files of the content folder are published at their path there (Hugo's posts/x.png)
    publishes_content_files: ClassVar[bool] = False
    # Without a title in the front matter, the "# heading" opening the body is the title, and
    # is left out of the body (Docusaurus, MkDocs)
    title_from_heading: ClassVar[bool] = False
    # YAML front matter closed by a --- line without an opening one (Hexo's)
    open_front_matter: ClassVar[bool] = False
    # YAML front matter closed by a ... line (YAML's document end), as Jekyll reads it
    yaml_document_end: ClassVar[bool] = False
    # ".. key: value" lines in the <!-- --> comment opening the file (Nikola's)
    comment_front_matter: ClassVar[bool] = False
    excerpt_marker: ClassVar[str | None] = None  # Hexo's, Zola's, Material's <!-- more -->

    def __init__(self, root: Path, evidence: str | None = None):
        self.root = root
        self.evidence = evidence  # the file that showed which generator builds the blog
        self.config: dict[str, Any] = {}

    @classmethod
    def found(cls, root: Path) -> str | None:
        """The file under ``root`` that shows this generator builds the blog, if any."""
        return None

    def info(self) -> SiteInfo:
        """The blog's title, address, time zone and language, as its settings say them."""
        return SiteInfo()

    def settings_problem(self) -> tuple[str, str, str | None] | None:
        """(where, what, hint) when the generator's settings file is there but holds no
        settings it can read: the generator would not build the blog."""
        return None

    def settings_warnings(self) -> list[tuple[str, str, str | None]]:
        """(where, what, hint) for each setting the generator builds the blog with otherwise
        than the writer meant (Jekyll's misspelt ``timezone``: it builds in UTC)."""
        return []

    @property
    def settings_file(self) -> str:
        """The generator's settings file, where the writer changes what it builds."""
        return self.evidence or ""

    def media_base(self) -> str | None:
        """The address a theme serves a post's images from instead of the site (Chirpy's
        ``cdn``), where a file the post names as a path is when the site does not keep it."""
        return None

    def markdown_options(self) -> dict[str, Any]:
        """How the site's settings change its renderer's defaults (``Dialect`` fields)."""
        return {}

    def excerpt_separator(self, meta: dict[str, Any]) -> str | None:
        """What ends the excerpt of a post with front matter ``meta`` (``excerpt_marker``), where
        the blog describes a post without a description by its excerpt; None where it does not."""
        return self.excerpt_marker

    def reads_as_mdx(self, path: PurePath) -> bool:
        """Whether the generator reads the post file at ``path`` as MDX (its imports, JSX and
        ``{expressions}`` the site's code): an ``.mdx`` file."""
        return path.suffix.lower() == ".mdx"

    def reads_restructured(self, path: PurePath) -> bool:
        """Whether the post file at ``path`` is reStructuredText to the generator."""
        return path.suffix.lower() in self.restructured_extensions

    def reads_html(self, path: PurePath) -> bool:
        """Whether the post file at ``path`` is HTML with template tags to the generator."""
        return path.suffix.lower() in self.html_extensions

    def builds_unread(self, path: Path) -> bool:
        """Whether the file at ``path``, in one of ``unread_extensions``, is a post the
        generator builds (named as not read), rather than code or data beside the posts."""
        return True

    def runs_erb(self, front_matter: Mapping[str, Any]) -> bool:
        """Whether the generator runs the post with this (lower-cased) front matter through
        ERB, whose ``<% %>`` tags are Ruby the site runs."""
        return False

    def ignore_file(self) -> str | None:
        """The file listing what the generator must not build, when it builds the site's root
        folder, where init writes newsletter's templates (Eleventy's .eleventyignore)."""
        return None

    def publishes(self, names: tuple[str, ...]) -> list[str]:
        """Which of ``names`` (files and folders at the site's root) the generator copies into
        the built site as they are."""
        return []

    def post_dirs(self) -> tuple[tuple[str, ...], str]:
        """The folders (globs under the site) holding the posts, and why those."""
        return ("content",), "the default"

    def page_dirs(self) -> tuple[str, ...]:
        """Folders of the site's pages: read to list them as pages, never mailed."""
        return ()

    def is_page_file(self, path: Path) -> bool:
        """Whether a file of :meth:`page_dirs` is one of the site's pages."""
        return True

    def inherited(self, path: Path,
                  front_matter_of: Callable[[Path], dict[str, Any]]) -> dict[str, Any]:
        """Front matter the post file ``path`` takes from elsewhere unless it sets it itself
        (Hugo's ``cascade``); ``front_matter_of`` reads another file's."""
        return {}

    def section_address(self, folder: Path) -> str | None:
        """The address of the list page the generator makes for ``folder`` of its content
        when no file of the folder is that page (Hugo's sections); None where it makes none."""
        return None

    def link_stem(self, path: Path) -> str | None:
        """The name a tag links the page file ``path`` by (its stem: Hugo's ``index.en.md`` is
        ``index``); None for a translation, named only by its own file."""
        return path.stem

    def files_beside(self, path: Path, page: str) -> str | None:
        """Where the files beside the post at ``path`` (served at ``page``) are published, for
        the post to name one: a bundle's (``index.md``) page's own address; else None."""
        return page.rstrip("/") + "/" if path.stem == "index" and page.strip("/") else None

    def template_data(self, front_matter: Mapping[str, Any]) -> dict[str, Any]:
        """The values a post's template tags name without ``site.`` or ``page.`` (Eleventy's
        data cascade: ``{{ title }}``, ``{{ metadata.url }}``); none elsewhere."""
        return {}

    def prefixes_root_links(self) -> bool:
        """Whether a link written from the site's root (``/docs/intro``) is published under the
        base path (Docusaurus's, VitePress's, Eleventy's with its HTML base plugin)."""
        return False

    def links_pages_by_path(self) -> bool:
        """Whether a relative link without an extension names a page by its file's path from
        the post's folder (VitePress's ``[x](./getting-started)``), not an address."""
        return False

    def internal_link(self, kind: str, name: str, post_file: Path, post_path: str) -> str | None:
        """The path from the site's root of a link written ``{kind}name`` (Pelican's
        ``{static}``, ``{tag}``...) in ``post_file``, published at ``post_path``; else None."""
        return None

    def static_dirs(self) -> tuple[str, ...]:
        """Folders the blog serves at its root, where a ``/x.jpg`` image is."""
        return ("static",)

    def folders_served_below(self) -> tuple[tuple[str, str], ...]:
        """(path, folder) of the site's folders the blog serves below its root, where a
        ``/images/x.jpg`` is ``pics/x.jpg`` (Hugo's mount of ``pics`` as ``static/images``)."""
        return ()

    def serves(self, path: str) -> bool:
        """Whether the file at ``path`` of a static folder is published as it is."""
        return True

    @property
    def content_root(self) -> Path:
        """The folder post ids are relative to."""
        return self.root / "content"

    @property
    def base_path(self) -> str:
        """The path the blog is served under ("/blog" for https://host/blog/), or ""."""
        return ""

    @property
    def values(self) -> dict[str, Any]:
        """The generator's site-wide values (Jekyll's ``site.*``), for template tags."""
        return self.config

    def configure(self, post_dirs: tuple[str, ...]) -> None:
        """Learn which folders hold posts (from [posts] dirs) before files are read."""

    def entry(self, source: Source) -> Entry:
        """The generic reading: ``slug`` (else the path) is the id and the address;
        ``template`` other than post is a page. A folder's post (posts/x/index.md) is built as
        posts/x/index.html, served at /posts/x/: its files' links start from the folder."""
        fields = source.fields
        slug = address = path_id(source.relative)
        if source.relative.stem in ("index", "_index") and slug != "/":
            address = slug + "/"
        written = (fields.string("slug") or "").strip().strip("/")
        if written:
            slug = address = "/" + written
        template = fields.string("template") or "post"
        return Entry(id=slug, path=address, date=fields.date("date"),
                     page=None if template == "post" else f"template: {template}",
                     draft=fields.boolean("draft", default=False))


def path_id(relative: PurePosixPath) -> str:
    """``/posts/x`` for posts/x.md and posts/x/index.md (a folder's post goes by the folder)."""
    path = relative.with_suffix("")
    if path.name in ("index", "_index"):
        path = path.parent
    return "/" + path.as_posix().strip(".")


def first_of(meta: dict[str, Any], *keys: str) -> str | None:
    """The first of ``keys`` that ``meta`` has a value for."""
    return next((key for key in keys if meta.get(key) not in (None, "")), None)


def as_list(value: Any) -> list[str]:
    """A front-matter value that may be one string or a list of them."""
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value if item is not None]
    return [] if value is None else [str(value)]


DATED_NAME = re.compile(r"^(\d{4})-(\d\d?)-(\d\d?)(?:[-_]+|$)(.*)$")


def dated_name(stem: str, pattern: re.Pattern = DATED_NAME) -> tuple[dt.date | None, str]:
    """``2016-05-20-my-post`` → (that date, ``my-post``); (None, stem) without a valid date.
    ``pattern``'s groups are the year, the month, the day and the rest (if any)."""
    match = pattern.match(stem)
    if not match:
        return None, stem
    try:
        day = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None, stem
    return day, match.group(4) or ""


def url_path(value: Any) -> str:
    """A base path setting (``/blog/``, ``blog``) as ``/blog``; "" when it is unset or ``/``."""
    return "/" + value.strip("/") if isinstance(value, str) and value.strip("/") else ""


def folder_setting(value: Any, default: str) -> str:
    """A folder setting (``./src/``, ``src``) as ``src``; ``default`` if unset or the site's."""
    if isinstance(value, str) and value.strip("/. "):
        return value.strip().strip("/").removeprefix("./").strip("/")
    return default


def join_url(*parts: str) -> str:
    """Path parts joined with single slashes, with a leading one; a trailing one kept."""
    text = "/".join(part for part in parts if part)
    trailing = text.endswith("/")
    text = "/" + "/".join(part for part in text.split("/") if part)
    return text + "/" if trailing and text != "/" else text
