"""Hugo's leaf bundles: a page file beside an ``index.md`` is one of that bundle's resources,
not a page of its own (gohugo.io/content-management/page-bundles)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".bmp", ".tif", ".tiff")


def bundle_of(path: Path, content: Path) -> Path | None:
    """The leaf bundle's index.md (or a translation's index.fr.md) that ``path`` is a resource
    of, if it is one."""
    if path.stem.partition(".")[0] in ("index", "_index"):
        return None
    folder = path.parent
    while folder != content and content in folder.parents:
        found = [path for path in files_named(folder, "index.*")
                 if path.suffix in (".md", ".markdown", ".mdown")]
        if found:
            return found[0]
        folder = folder.parent
    return None


def featured_file(index: Path) -> str | None:
    """The feature image of the bundle whose page is ``index``, by Hugo's convention where the
    front matter names no ``images`` (its get-page-images partial, which themes' Open Graph
    and cards use): the first image file named ``*feature*``, else ``*cover*`` or
    ``*thumbnail*``, in any case."""
    if index.stem.partition(".")[0] != "index":
        return None
    names = [path.name for path in files_named(index.parent, "*")
             if path.suffix.lower() in _IMAGE_SUFFIXES]
    for words in (("feature",), ("cover", "thumbnail")):
        found = next((name for name in names if any(word in name.lower() for word in words)),
                     None)
        if found:
            return "./" + found
    return None


def files_named(folder: Path, pattern: str) -> tuple[Path, ...]:
    """``folder``'s files matching ``pattern``, sorted; each folder read once while its entries
    stay the same (its mtime), not once a post: a section of 5,000 posts was 50 million
    names, 40 s."""
    return _files_at(folder, folder.stat().st_mtime_ns, pattern)


@lru_cache(maxsize=256)
def _files_at(folder: Path, stamp: int, pattern: str) -> tuple[Path, ...]:
    return tuple(sorted(folder.glob(pattern)))
