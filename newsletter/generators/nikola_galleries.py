"""Nikola's ``link://gallery/name`` (getnikola.com/path-handlers.html): the page its galleries
plugin writes for the folder ``name`` of a ``GALLERY_FOLDERS`` source (``{"galleries":
"galleries"}``), found by its path there (``trips/london``) or, when only one has it, by its own
name (``london``); published at the destination's path, ``/galleries/trips/london/``
(``.../index.html`` when ``STRIP_INDEXES`` is off)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

from newsletter.generators.base import join_url

DEFAULT_FOLDERS = {"galleries": "galleries"}


def gallery_address(root: Path, config: dict[str, Any], name: str) -> str | None:
    """The site path of the gallery ``name``; None when no gallery folder, or more than one
    (Nikola's build stops there), has it."""
    name = name.strip("/")
    parts = PurePosixPath(name).parts
    if not name or ".." in parts or any(char in name for char in "*?["):  # a name, no glob
        return None
    folders = config.get("GALLERY_FOLDERS")
    folders = folders if isinstance(folders, dict) else DEFAULT_FOLDERS
    proper, improper = [], []
    for source, destination in folders.items():
        base = root / str(source).strip("/")
        if not isinstance(destination, str) or not base.is_dir():
            continue
        if (base / name).is_dir():
            proper.append(join_url(destination, name))
        elif len(parts) == 1:
            improper += [join_url(destination, found.relative_to(base).as_posix())
                         for found in sorted(base.rglob(name)) if found.is_dir()]
    found = proper[:1] or (improper if len(improper) == 1 else [])
    if not found:
        return None
    index = config.get("INDEX_FILE") if isinstance(config.get("INDEX_FILE"), str) else "index.html"
    return join_url(found[0], "/") if config.get("STRIP_INDEXES", True) is not False \
        else join_url(found[0], index)
