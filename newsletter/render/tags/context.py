"""What template tags are expanded against: the site's values, its addresses and its posts.

:class:`TagContext` is a plain object, so whoever knows the site best can build it: today
:func:`default_tag_context` builds one from ``newsletter.toml`` and the loaded posts; a
generator-aware builder (Jekyll's ``_config.yml``, Hugo's ``params`` and permalinks) can pass
richer values without this package knowing the generator.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Callable, Mapping
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.posts import Post

_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|//")  # a scheme, or a host
# File endings a link target may carry: the published address has none of them.
_SOURCE_SUFFIXES = (".md", ".markdown", ".mdown", ".html", ".htm")


def _no_links(kind: str, target: str) -> str | None:
    return None


@dataclass(frozen=True)
class TagContext:
    """Everything a post's template tags may name.

    ``site`` holds the site's values as its generator has them (Jekyll's ``_config.yml`` keys,
    Hugo's ``params``), read by ``{{ site.x }}`` and ``{{< param x >}}``; ``page`` the post's
    own (``{{ page.title }}``; ``param`` looks there first). ``site_url`` is where the site is
    published, its ``base_path`` included (``https://example.com/blog`` and ``/blog``).
    ``link_url(kind, target)`` is the published address of the page a tag links to, or None when
    no page matches; ``kind`` is the tag that names it: ``ref`` and ``relref`` (a path under
    ``content/`` or beside the post, ``{{< ref "other.md" >}}``), ``post_url`` (a Jekyll post's
    file name without its ending) or ``link`` (a file's path from the site's folder).
    """

    site_url: str
    base_path: str = ""
    site: Mapping[str, Any] = field(default_factory=dict)
    page: Mapping[str, Any] = field(default_factory=dict)
    link_url: Callable[[str, str], str | None] = _no_links

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
    """A context from what every site has: ``[site]`` settings, the post, and the loaded posts."""
    site_url = settings.site.url.rstrip("/")
    base_path = urlsplit(site_url).path.rstrip("/")
    origin = site_url[:len(site_url) - len(base_path)] if base_path else site_url
    site = {"url": origin, "baseurl": base_path, "title": settings.site.title,
            "language": settings.site.language, "timezone": settings.site.timezone}
    return TagContext(site_url=site_url, base_path=base_path, site=site,
                      page=page_values(post, base_path),
                      link_url=PostLinks(settings, post).url)


def page_values(post: Post, base_path: str = "") -> dict[str, Any]:
    """The post's values as ``{{ page.x }}`` reads them (``url`` without the base path, as
    Jekyll's ``page.url``)."""
    path = urlsplit(post.url).path
    if base_path and path.startswith(base_path + "/"):
        path = path[len(base_path):]
    values: dict[str, Any] = {"title": post.title, "url": path or "/", "permalink": post.url,
                              "slug": post.name, "lang": post.language, "tags": list(post.tags)}
    if post.description:
        values["description"] = values["summary"] = post.description
    if isinstance(post.date, dt.datetime):
        values["date"] = post.date.isoformat()
    return values


class PostLinks:
    """Links to the site's other pages, found among its loaded posts (read once, when first
    asked: most posts link to none)."""

    def __init__(self, settings: Settings, post: Post):
        self.settings, self.post = settings, post
        self._index: dict[str, list[Post]] | None = None

    def url(self, kind: str, target: str) -> str | None:
        index = self._load()
        keys = [_key(target)]
        if kind in ("ref", "relref") and not target.startswith("/"):
            beside = posixpath.normpath(posixpath.join(self._relative(self.post.path.parent),
                                                       target))
            keys.insert(0, _key(beside))  # Hugo looks beside the page first
        for key in keys:
            found = index.get(key, [])
            if len(found) == 1:
                return found[0].url
        return None

    def _load(self) -> dict[str, list[Post]]:
        if self._index is None:
            from newsletter.posts import load_posts

            posts, _ = load_posts(self.settings)
            self._index = {}
            for post in posts:
                for key in self._keys(post):
                    self._index.setdefault(key, []).append(post)
        return self._index

    def _keys(self, post: Post) -> set[str]:
        """Every name a tag may give the post: its path under the site and under content/,
        its file or folder name, and its slug."""
        site_path = self._relative(post.path, self.settings.root)
        content_path = self._relative(post.path)
        file_name = PurePosixPath(_key(content_path)).name  # a bundle's folder name
        keys = {_key(site_path), _key(content_path), file_name, _key(post.id), _key(post.name)}
        return keys - {""}

    def _relative(self, path: Path, base: Path | None = None) -> str:
        base = base or self.settings.content_dir
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            return path.as_posix()


def _key(target: str) -> str:
    """A link target without what tags may add or leave out: slashes at either end, a file
    ending, a bundle's index file."""
    path = target.strip().strip("/")
    for suffix in _SOURCE_SUFFIXES:
        if path.lower().endswith(suffix):
            path = path[:-len(suffix)]
            break
    head, _, last = path.rpartition("/")
    if last in ("index", "_index"):
        path = head
    return path.lower()
