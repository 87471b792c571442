"""Hugo's leaf bundles: a page file beside an ``index.md`` is one of that bundle's resources,
not a page of its own (gohugo.io/content-management/page-bundles)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


def bundle_of(path: Path, content: Path) -> Path | None:
    """The leaf bundle's index.md (or a translation's index.fr.md) that ``path`` is a resource
    of, if it is one."""
    if path.stem.partition(".")[0] in ("index", "_index"):
        return None
    folder = path.parent
    while folder != content and content in folder.parents:
        found = _bundle_indexes(folder, folder.stat().st_mtime_ns)
        if found:
            return found[0]
        folder = folder.parent
    return None


@lru_cache(maxsize=64)
def _bundle_indexes(folder: Path, stamp: int) -> tuple[Path, ...]:
    """``folder``'s index.*md and index.*markdown files when its mtime was ``stamp``: read
    once, not once a post (a section of 5,000 posts: 50 million names, 30 s)."""
    return tuple(sorted(folder.glob("index.*md")) + sorted(folder.glob("index.*markdown")))
