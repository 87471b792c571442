"""The folders of a Jekyll site newsletter reads besides its settings: every ``_posts`` and
``_drafts``, and ``_data``, whose files are ``{{ site.data.* }}`` (jekyllrb.com/docs/datafiles)."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from newsletter.generators.settings_files import read_data

NOT_SOURCES = {"_site", "node_modules", "vendor", "_includes", "_layouts", "_sass", "_data"}
_DATA_FILES = (".yml", ".yaml", ".json")
MAX_DATA_BYTES = 1 << 20  # a data file larger than this is not read for a post's value


def post_folders(root: Path) -> list[Path]:
    """Every ``_posts`` and ``_drafts`` folder (``news/_posts`` too), not in the built site,
    installed packages or hidden folders."""
    found = []
    for folder, subfolders, _ in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders
                               if not name.startswith(".") and name not in NOT_SOURCES)
        for name in ("_posts", "_drafts"):
            if name in subfolders:
                found.append(Path(folder) / name)
                subfolders.remove(name)
    return found


class DataFolder(Mapping):
    """``site.data``: each YAML or JSON file of the folder by its name without the ending, a
    folder in it as another; a file is read only when a post names it, and only inside the
    site (``root``), links followed."""

    def __init__(self, folder: Path, root: Path):
        self.folder, self.root = folder, root

    def _names(self) -> dict[str, Path]:
        try:
            paths = sorted(self.folder.iterdir()) if self.folder.is_dir() else []
        except OSError:
            return {}
        return {path.stem if path.is_file() else path.name: path for path in paths
                if not path.name.startswith(".") and self._readable(path)}

    def _readable(self, path: Path) -> bool:
        try:
            if not path.resolve().is_relative_to(self.root.resolve()):
                return False
            return path.is_dir() or path.suffix in _DATA_FILES and path.is_file() and \
                path.stat().st_size <= MAX_DATA_BYTES
        except (OSError, RuntimeError):
            return False

    def __getitem__(self, name: str) -> Any:
        path = self._names()[name]
        return DataFolder(path, self.root) if path.is_dir() else read_data(path)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())
