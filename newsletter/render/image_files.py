"""Where a post's image is on disk: a reference that is not a URL, resolved to a file of the site.

Static site generators serve a post's own images in different ways
(docs/images.md#finding-the-file):
Gatsby's remark image plugins resolve ``./x.jpg``, ``x.jpg`` and ``/x.jpg`` against the post's
own folder, and Gatsby, Hugo and Jekyll-style sites serve their static folders at the site's
root. So a reference is looked up beside the post first, then in each of ``[images]
static_dirs``. A reference that leads outside the site folder, by its path or through a symbolic
link, is refused: a post must never mail a file from elsewhere on the writer's machine.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from newsletter.config import Settings
from newsletter.errors import ContentError, MissingImageError
from newsletter.posts import Post, site_relative


def is_local(src: str) -> bool:
    """True when ``src`` names a file of the site rather than a URL (no scheme, not //host)."""
    src = src.strip()
    return bool(src) and not src.startswith("//") and not urlsplit(src).scheme


def resolve_image(settings: Settings, post: Post, src: str, where: str) -> Path:
    """The file ``src`` names: beside the post, else in a static folder; else a ContentError."""
    relative = unquote(urlsplit(src.strip()).path)  # ?v=2 and #anchors are for browsers
    if not relative.strip("/"):
        raise ContentError(f"image {src!r} names no file", where=where)
    static = [Path(os.path.normpath(settings.root / folder))
              for folder in settings.images.static_dirs]
    # Where an image may be: in the site or a static folder, also once links are followed (a
    # content or static folder may be a link to the blog's own).
    allowed = [settings.root, *static,
               *(folder.resolve() for folder in (settings.content_dir, *static))]
    tried = []
    for base in (post.path.parent, *static):
        candidate = Path(os.path.normpath(base / relative.lstrip("/")))
        if not any(_inside(candidate, folder) for folder in allowed):
            raise ContentError(f"image {src} points outside the site folder", where=where,
                               hint="put the image beside the post or in a static folder")
        if candidate.is_file():
            if not any(_inside(candidate.resolve(), folder) for folder in allowed):
                raise ContentError(f"image {src} is a link to a file outside the site folder",
                                   where=where, hint="copy the image into the site instead")
            return candidate
        tried.append(site_relative(settings, candidate))
    raise MissingImageError(
        f"image {src} not found; looked for {' and '.join(tried)}", where=where,
        hint="put the file there, fix the path, or list its folder in [images] static_dirs",
    )


def _inside(path: Path, root: Path) -> bool:
    try:
        return os.path.commonpath([path, root]) == str(root)
    except ValueError:  # another drive
        return False
