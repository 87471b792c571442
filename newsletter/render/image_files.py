"""Where a post's image is on disk: a reference that is not a URL, resolved to a file of the site.

Static site generators serve a post's own images in different ways
(docs/images.md#finding-the-file, docs/generators.md): Gatsby's remark image plugins resolve
``./x.jpg``, ``x.jpg`` and ``/x.jpg`` against the post's own folder, Hugo page bundles keep them
beside ``index.md``, and every generator serves some folders at the site's root (Hugo
``static/`` and ``assets/``, Jekyll the site folder itself, Astro and Eleventy ``public/``). So a
reference is looked up beside the post first, then in each static folder of the site's layout
(``[images] static_dirs``, else the generator's), then in Hugo's content folder, whose other
files Hugo publishes at their path (``/posts/images/x.png``); a path under the blog's base path
(Jekyll's ``baseurl``) is looked up without it too, and Pelican's ``{static}`` and ``{attach}`` prefixes
are read as Pelican does. A reference that leads outside the site folder, by its path or through
a symbolic link, is refused: a post must never mail a file from elsewhere on the writer's
machine. A file the site does not keep is where the theme serves the post's images from, when
it says (:func:`served_from`, Chirpy's ``cdn``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urljoin

from newsletter.config import Settings
from newsletter.errors import ContentError, MissingImageError
from newsletter.posts import Post, site_relative
from newsletter.urls import split_url


def is_local(src: str) -> bool:
    """True when ``src`` names a file of the site rather than a URL (no scheme, not //host)."""
    src = src.strip()
    parts = split_url(src)  # None: a host such as //[ , not a file name
    return bool(src) and not src.startswith("//") and parts is not None and not parts.scheme


# Jekyll's ways of writing a site path: {{ site.baseurl }}/x.jpg, {{ "/x.jpg" | relative_url }}.
_LIQUID_BASE = re.compile(r"^(?:\{\{-?\s*site\.(?:url|baseurl)\s*-?\}\})+")
_LIQUID_URL = re.compile(
    r"""^\{\{-?\s*(["'])(.*?)\1\s*\|\s*(?:relative|absolute)_url\s*-?\}\}(.*)$""")


def resolve_image(settings: Settings, post: Post, src: str, where: str) -> Path:
    """The file ``src`` names: beside the post, else in a static folder; else a ContentError."""
    src = unquote(src.strip())
    if base := _LIQUID_BASE.match(src):
        src = "/" + src[base.end():].lstrip("/")
    if match := _LIQUID_URL.match(src):
        src = "/" + match.group(2).lstrip("/") + match.group(3)
    parts = split_url(src)  # an escaped //[ is no file name either
    relative = unquote(parts.path) if parts else ""  # ?v=2 and #anchors are for browsers
    if not relative.strip("/"):
        raise ContentError(f"image {src!r} names no file", where=where)
    layout = post.site
    static = [Path(os.path.normpath(settings.root / folder))
              for folder in (layout.static_dirs if layout else
                             settings.images.static_dirs or ("static",))]
    content = layout.generator.content_root if layout else settings.root / "content"
    # Where an image may be: in the site or a static folder, also once links are followed (a
    # content or static folder may be a link to the blog's own).
    allowed = [settings.root, *static, *(folder.resolve() for folder in (content, *static))]
    tried = []
    served = [*static, content] if layout and layout.generator.publishes_content_files \
        else static
    below = [(path.rstrip("/") + "/", settings.root / folder)
             for path, folder in layout.generator.folders_served_below()] if layout else []
    for base, name in _places(post, served, relative, layout.base_path if layout else "",
                              below):
        candidate = Path(os.path.normpath(base / name))
        if not any(_inside(candidate, folder) for folder in allowed):
            raise ContentError(f"image {src} points outside the site folder", where=where,
                               hint="put the image beside the post or in a static folder")
        if _is_file(candidate):
            if not any(_inside(candidate.resolve(), folder) for folder in allowed):
                raise ContentError(f"image {src} is a link to a file outside the site folder",
                                   where=where, hint="copy the image into the site instead")
            return candidate
        tried.append(site_relative(settings, candidate))
    raise MissingImageError(
        f"image {src} not found; looked for {' and '.join(tried)}", where=where,
        hint="put the file there, fix the path, or list its folder in [images] static_dirs",
    )


def served_from(post: Post, src: str) -> str | None:
    """The address of an image the site does not keep, where its theme serves the post's
    images from elsewhere: Chirpy's ``cdn``, then the post's ``media_subpath``, then the path
    as written, as its media-url include writes it. None where it does not."""
    base = post.site.generator.media_base() if post.site else None
    if not base or not is_local(src):
        return None
    parts = (post.media_subpath or "", unquote(src.strip()).removeprefix("./"))
    return "/".join([base, *(part.strip("/") for part in parts if part.strip("/"))])


def _places(post: Post, static: list[Path], relative: str, base_path: str,
            below: list[tuple[str, Path]]) -> list[tuple[Path, str]]:
    """(folder, name) pairs where the image may be, in the order they are looked at; ``below``:
    (path, folder) of folders served below the root (``/images/``, ``pics``)."""
    names = [relative]
    for prefix in ("{attach}", "|attach|"):  # Pelican: beside the post
        if relative.startswith(prefix):
            return [(post.path.parent, relative[len(prefix):].lstrip("/"))]
    for prefix in ("{static}", "|static|", "{filename}", "|filename|"):  # Pelican: from content
        if relative.startswith(prefix):
            names = [relative[len(prefix):]]
    if base_path and names[0].startswith(base_path + "/"):  # {{ site.baseurl }}/assets/x.jpg
        names.append(names[0][len(base_path):])
    if post.media_subpath and not relative.startswith("/"):  # Chirpy: media_subpath: /img/x
        names.insert(0, post.media_subpath.rstrip("/") + "/" + relative.removeprefix("./"))
    places = [(base, name.lstrip("/")) for name in names for base in (post.path.parent, *static)]
    places += [(folder, name[len(path):]) for name in names for path, folder in below
               if name.startswith(path)]  # written from the site's root: /images/x.jpg
    page = post.site.generator.files_beside(post.path, _page_path(post)) if post.site else None
    if page and relative.startswith(page):  # a bundle's file (jekyll-postfiles'), by its address
        places.append((post.path.parent, relative[len(page):]))
    if not relative.startswith(("/", "{", "|")):  # as a browser reads it:
        address = urljoin(_page_path(post), relative)  # from the page's address (Astro 1)
        address = address[len(base_path):] if base_path and address.startswith(base_path + "/") \
            else address
        places += [(base, address.lstrip("/")) for base in static]
    return list(dict.fromkeys(places))


def _page_path(post: Post) -> str:
    parts = split_url(post.url)
    return unquote(parts.path) if parts and parts.path else "/"


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file; a name too long for the system is none (pathlib raises)."""
    try:
        return path.is_file()
    except OSError:
        return False


def _inside(path: Path, root: Path) -> bool:
    try:
        return os.path.commonpath([path, root]) == str(root)
    except ValueError:  # another drive
        return False
