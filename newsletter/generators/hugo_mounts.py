"""Hugo's module mounts of the site's own folders (gohugo.io/configuration/module/#mounts).

A mount whose target is below ``content/`` (``source = "blog-posts"``, ``target =
"content/posts"``) puts that folder's pages in that section: ``blog-posts/spores.md`` is the
page ``posts/spores.md``, as Hugo reads it. One whose target is ``static`` or ``assets`` is a
folder the site serves from (``source = "files"``, ``target = "static"``); one below them
(``target = "static/images"``) is served at that path (``/images``). A source outside the
site folder (a theme's, ``../common``) or that is not a folder is not followed. As for Hugo,
mounts below ``content/`` without one of a folder as ``content`` leave ``content/`` unread, and
any mount into ``static`` (or ``assets``) leaves the default ``static/`` (``assets/``) unserved
unless a mount names it again.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any


def _mounts(config: dict[str, Any], *, every: bool = False) -> list[tuple[str, str]]:
    """(source, target) of each mount for the default language (with ``lang`` naming it, or
    none; ``every``: each language's), both without their slashes at the ends."""
    default = str(config.get("defaultcontentlanguage") or "en").lower()
    module = config.get("module")
    mounts = module.get("mounts") if isinstance(module, dict) else None
    return [(str(mount.get("source") or "").strip().strip("/"),
              str(mount.get("target") or "").strip().strip("/"))
            for mount in (mounts if isinstance(mounts, list) else ())
            if isinstance(mount, dict)
            and (every or str(mount.get("lang") or default).lower() == default)]


def _inside(root: Path, source: str) -> Path | None:
    """The folder ``source`` names under ``root``, when it is one and stays inside."""
    if not source or Path(source).is_absolute() or ".." in PurePosixPath(source).parts:
        return None
    folder = root / source
    return folder if folder.is_dir() else None


def content_mounts(root: Path, config: dict[str, Any]) -> dict[PurePosixPath, Path]:
    """{the section path a mount fills (``posts``): the site's folder it reads}."""
    found = {}
    for source, target in _mounts(config):
        parts = PurePosixPath(target).parts
        folder = _inside(root, source)
        if len(parts) > 1 and parts[0] == "content" and folder:
            found[PurePosixPath(*parts[1:])] = folder
    return found


def content_replaced(config: dict[str, Any]) -> bool:
    """True when the mounts name content below ``content/`` but none mounts a folder as
    ``content`` itself: Hugo then reads no ``content/`` (its default mount is left out)."""
    targets = [target for _, target in _mounts(config, every=True)]
    return any(target.startswith("content/") for target in targets) and "content" not in targets


def mounts_below_root(config: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """(the path the site serves it at, the site's folder) of each mount below ``static`` or
    ``assets``: ``source = "images"``, ``target = "static/images"`` is served at /images."""
    found = []
    for source, target in _mounts(config):
        top, _, below = target.partition("/")
        if top in ("static", "assets") and below and source and \
                ".." not in PurePosixPath(source).parts and not Path(source).is_absolute():
            found.append(("/" + below, source))
    return tuple(found)


def replaced_components(config: dict[str, Any]) -> frozenset[str]:
    """Of ``static`` and ``assets``, those some mount targets (at or below them): Hugo then
    drops that component's default folder (``staticDir``, ``assetDir``)."""
    return frozenset(target.partition("/")[0] for _, target in _mounts(config, every=True)
                     if target.partition("/")[0] in ("static", "assets"))


def served_mounts(config: dict[str, Any]) -> tuple[str, ...]:
    """The site's folders mounted as ``static`` or ``assets``: served at the site's root."""
    return tuple(source for source, target in _mounts(config)
                 if target in ("static", "assets") and source
                 and ".." not in PurePosixPath(source).parts)


def mounted_path(path: Path,
                 mounts: dict[PurePosixPath, Path]) -> tuple[PurePosixPath, Path] | None:
    """The page path of ``path`` in its mounted section (``posts/spores.md``), and the mounted
    folder, when ``path`` is under one."""
    for section, folder in mounts.items():
        if folder in path.parents:
            return section / path.relative_to(folder).as_posix(), folder
    return None


def section_folders(parts: tuple[str, ...], content: Path | None,
                    mounts: dict[PurePosixPath, Path]) -> list[Path]:
    """The site's folders of the section path ``parts`` (``("posts",)``): its folder of the
    content (None when mounts leave it out), and its place in a folder mounted at or above it."""
    found = [content.joinpath(*parts)] if content else []
    for section, folder in mounts.items():
        if parts[:len(section.parts)] == section.parts:
            found.append(folder.joinpath(*parts[len(section.parts):]))
    return found
