"""What template tags are expanded against: the site's values, its addresses and its posts.

:class:`TagContext` is a plain object. :func:`default_tag_context` builds one for a loaded post
from ``newsletter.toml`` and the site's layout, which the posts loader hangs on every post
(``post.site``, :mod:`newsletter.generators`): the generator's own values (Jekyll's
``_config.yml``, Hugo's ``params``), the base path, and every post's and page's address as the
generator publishes it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping
from urllib.parse import urlsplit

from newsletter.errors import ContentError
from newsletter.posts import read_post
from newsletter.records import record
from newsletter.render.tags.html import IMAGE_FILE
from newsletter.render.tags.syntax import Tag, TagProblem

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.posts import Post

_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|//")  # a scheme, or a host


MAX_INCLUDED_BYTES = 256 * 1024  # a file {% include_relative %} puts into the post
# Pelican's links to its own content but posts (its {filename} is a "file" link), and Nikola's
# link://tag/, link://category/ and link://gallery/
INTERNAL_LINKS = ("static", "attach", "tag", "category", "author", "index",
                  "gallery")


def _no_links(kind: str, target: str) -> str | None:
    return None


def _no_files(name: str) -> str | None:
    return None


def _no_pictures(folder: str) -> list[str]:
    return []


@record(frozen=True)
class TagContext:
    """Everything a post's template tags may name.

    ``site`` holds the site's values as its generator has them (Jekyll's ``_config.yml`` keys,
    Hugo's ``params``), read by ``{{ site.x }}`` and ``{{< param x >}}``; ``page`` the post's
    own (``{{ page.title }}``; ``param`` looks there first). ``site_url`` is where the site is
    published, its ``base_path`` included (``https://example.com/blog`` and ``/blog``).
    ``link_url(kind, target)`` is the published address of the page a tag links to, or None when
    no page matches; ``kind`` is the tag that names it: ``ref`` and ``relref`` (a path under
    ``content/`` or beside the post, ``{{< ref "other.md" >}}``), ``post_url`` (a Jekyll post's
    file name without its ending), ``link`` (a file's path from the site's folder) or ``file``
    (a link to a post's file: ``@/blog/x.md``, ``{filename}/x.md``, ``other.md``), ``page`` (a
    relative link without an extension, VitePress's ``./other``), or one of
    :data:`INTERNAL_LINKS` (Pelican's ``{static}/files/x.pdf``, ``{tag}name``...).
    ``mdx`` says the post is MDX (Astro's and Gatsby's ``.mdx``), whose ``import`` and
    ``export`` lines, JSX components and ``{expressions}`` are the site's code. ``variables``
    are what the post's ``{% assign %}`` and ``{% capture %}`` tags set before the tag read.
    ``read_beside(name)`` is the text of the file ``name`` in the post's folder (Jekyll's
    ``include_relative``), None when there is none in the site. ``read_page(path)`` is the
    body of the page ``path`` names as Hugo's ``GetPage`` finds it (from the content folder,
    else beside the post), without its front matter; None when there is none; ``page_title``
    its title.
    ``unloaded(target)`` is why the post file a link names did not load (its file, line and
    problem), None where it names none: the link's problem says so, not "no post".
    ``pictures(folder)`` are the image files of a folder a gallery names, by name, as the post
    would link them: beside the post (``album/a.jpg``), else in a static folder or the content
    folder (``/images/album/a.jpg``); none when there is no such folder in the site.
    """

    site_url: str
    base_path: str = ""
    site: Mapping[str, Any] = field(default_factory=dict)
    page: Mapping[str, Any] = field(default_factory=dict)
    link_url: Callable[[str, str], str | None] = _no_links
    # why the post file a link names did not load ("source/_posts/x.md:3: ..."), else None
    unloaded: Callable[[str], str | None] = _no_files
    mdx: bool = False  # the post is MDX: its JSX and ESM are the site's code, not the reader's
    erb: bool = False  # the generator runs the post through ERB (Bridgetown): <% %> is Ruby
    zola: bool = False  # Zola's post: {{/* x() */}} shows {{ x() }}, where Hugo's is a comment
    variables: Mapping[str, Any] = field(default_factory=dict)  # assigned in the post so far
    read_beside: Callable[[str], str | None] = _no_files
    read_page: Callable[[str], str | None] = _no_files
    read_site: Callable[[str], str | None] = _no_files  # a file from the content folder, else
    # from the site's (Docsy's readfile "/x"), as read_beside reads one
    page_title: Callable[[str], str | None] = _no_files  # the title of the page read_page reads
    pictures: Callable[[str], list[str]] = _no_pictures

    def unloaded_link(self, tag: Tag, target: str) -> TagProblem | None:
        """The problem of a link to a post file that is there but did not load (its front
        matter broken): the real reason, at that file's line; None where it is not that."""
        problem = self.unloaded(target)
        return TagProblem(f"{tag.quoted()}: the post it links does not load ({problem})",
                          "fix that post, then the link works") if problem else None

    @property
    def origin(self) -> str:
        """``https://example.com``: the site's address without its base path."""
        parts = urlsplit(self.site_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""

    def relative_url(self, path: str) -> str:
        """Jekyll's ``relative_url``: the base path, then ``path`` (always with one slash)."""
        if _ABSOLUTE.match(path):
            return path
        return self.base_path.rstrip("/") + "/" + path.lstrip("/")

    def absolute_url(self, path: str) -> str:
        """Jekyll's ``absolute_url``: the site's address, then the relative URL."""
        return path if _ABSOLUTE.match(path) else self.origin + self.relative_url(path)


def default_tag_context(settings: Settings, post: Post) -> TagContext:
    """A context from ``[site]`` settings, the post, and its site's layout (``post.site``)."""
    site_url = settings.site.url.rstrip("/")
    layout = post.site
    base_path = (layout.base_path if layout is not None else "") or \
        urlsplit(site_url).path.rstrip("/")
    origin = site_url[:len(site_url) - len(base_path)] if site_url.endswith(base_path) and \
        base_path else site_url
    site = {"title": settings.site.title, "language": settings.site.language,
            "timezone": settings.site.timezone, **_generator_values(post),
            "url": origin, "baseurl": base_path}  # emails need the published address
    if layout is not None and layout.generator.name == "jekyll":
        # GitHub Pages' jekyll-github-metadata: site.github.url is the site's address
        github = site.get("github") if isinstance(site.get("github"), dict) else {}
        site["github"] = {**github, "url": site_url}
    return TagContext(site_url=site_url, base_path=base_path, site=site,
                      page=page_values(post, base_path), link_url=_links(post),
                      unloaded=layout.unloaded_problem if layout is not None else _no_files,
                      variables=layout.generator.template_data(post.front_matter)
                      if layout is not None else {}, mdx=post.mdx, erb=post.site is not None and post.site.generator.runs_erb(
                          post.front_matter),
                      zola=layout is not None and layout.generator.name == "zola",
                      read_beside=_beside(settings.root, Path(post.path).parent),
                      read_site=_from_site(settings.root, post),
                      read_page=_page_reader(settings, post),
                      page_title=_page_reader(settings, post, "title"),
                      pictures=_pictures(settings.root, post))


def _page_reader(settings: Settings, post: Post,
                 part: str = "body") -> Callable[[str], str | None]:
    """A reader of the body (or another ``part``: its ``title``) of a page of the site by its
    path (``/_common/note.md``, or ``note`` beside the post): a file of
    :data:`MAX_INCLUDED_BYTES` at most inside the site."""
    layout, root = post.site, settings.root.resolve()

    def read(target: str) -> str | None:
        if layout is None:
            return None
        key, content = target.strip().strip("/"), layout.generator.content_root
        for base in (content,) if target.strip().startswith("/") else (post.path.parent,
                                                                      content):
            for name in (key, f"{key}.md", f"{key}/index.md", f"{key}/_index.md"):
                try:
                    path = (base / name).resolve()
                    if path.is_relative_to(root) and path.is_file() and \
                            path.stat().st_size <= MAX_INCLUDED_BYTES:
                        return getattr(read_post(settings, layout, path, page="included"),
                                       part)
                except (OSError, ValueError, ContentError):
                    continue
        return None

    return read


def _pictures(root: Path, post: Post) -> Callable[[str], list[str]]:
    """A lister of the image files of a folder of the site (:attr:`TagContext.pictures`)."""
    generator = post.site.generator if post.site is not None else None
    published = [root / folder for folder in generator.static_dirs()] + \
        [generator.content_root] if generator is not None else []

    def pictures(folder: str) -> list[str]:
        name = folder.strip().strip("/")
        for base, prefix in ((Path(post.path).parent, ""), *((path, "/") for path in published)):
            try:
                where = (base / name).resolve()
                if name and where.is_relative_to(root.resolve()) and where.is_dir():
                    found = sorted(path.name for path in where.iterdir()
                                   if IMAGE_FILE.search(path.name) and path.is_file())
                    if found:
                        return [f"{prefix}{name}/{file}" for file in found]
            except (OSError, ValueError):
                continue
        return []

    return pictures


def _from_site(root: Path, post: Post) -> Callable[[str], str | None]:
    """A reader of a file named from the content folder, else from the site's folder."""
    folders = [post.site.generator.content_root] if post.site is not None else []
    readers = [_beside(root, folder) for folder in (*folders, root)]
    return lambda name: next(filter(None, (read(name.lstrip("/")) for read in readers)), None)


def _beside(root: Path, folder: Path) -> Callable[[str], str | None]:
    """A reader of the files in the post's ``folder``: only a UTF-8 file inside the site
    (``root``), links followed, of :data:`MAX_INCLUDED_BYTES` at most."""

    def read(name: str) -> str | None:
        try:
            path = (folder / name).resolve()
            if not path.is_relative_to(root.resolve()) or not path.is_file() or \
                    path.stat().st_size > MAX_INCLUDED_BYTES:
                return None
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError, ValueError):
            return None

    return read


def _generator_values(post: Post) -> dict[str, Any]:
    """The generator's site-wide values: Jekyll's ``_config.yml``, Hugo's ``params``."""
    if post.site is None:
        return {}
    values = post.site.values
    if post.site.generator.name == "hugo":
        params = values.get("params")
        return dict(params) if isinstance(params, dict) else {}
    return dict(values)


def _links(post: Post) -> Callable[[str, str], str | None]:
    """Where a ``ref``, ``relref``, ``post_url`` or ``link`` tag of ``post`` points: the
    address of the post or page it names, as the site's generator publishes it."""
    layout = post.site
    if layout is None:
        return _no_links

    def url(kind: str, target: str) -> str | None:
        if kind in INTERNAL_LINKS:
            path = layout.generator.internal_link(kind, target, Path(post.path),
                                                  urlsplit(post.url).path)
            return layout.url(path) if path else None
        if kind == "page":  # VitePress's [x](./pruning): the page of pruning.md
            if not layout.generator.links_pages_by_path():
                return None
            name, folder = target.rstrip("/"), Path(post.path).parent
            return layout.link_url(name + ".md", beside=folder) or \
                layout.link_url(name + "/index.md", beside=folder)
        beside = Path(post.path).parent if kind in ("ref", "relref", "file") else None
        found = layout.link_url(target, beside=beside)
        name = target.strip().strip("\"'").strip("/")
        if found is None and kind == "post_url" and "/" in name:
            # {% post_url /subdir/2024-05-01-name %} names _posts/subdir/2024-05-01-name.md;
            # a subfolder Jekyll does not find it in is only deprecated: the name alone
            names = [f"{folder}/{name}" for folder in layout.dirs] + [name.rpartition("/")[2]]
            found = next(filter(None, map(layout.link_url, names)), None)
        return found

    return url


def page_values(post: Post, base_path: str = "") -> dict[str, Any]:
    """The post's values as ``{{ page.x }}`` reads them: its front matter's, and those the
    generator makes (``url`` without the base path, as Jekyll's ``page.url``) over them."""
    path = urlsplit(post.url).path
    if base_path and path.startswith(base_path + "/"):
        path = path[len(base_path):]
    values: dict[str, Any] = {**post.front_matter, "title": post.title, "url": path or "/",
                              "permalink": post.url, "slug": post.name, "lang": post.language,
                              "tags": list(post.tags)}
    if post.description:
        values["description"] = values["summary"] = post.description
    if isinstance(post.date, dt.datetime):
        values["date"] = post.date.isoformat()
    return values
