"""Settings that name a place inside the site: relative to its folder, never above it.

``posts.dirs``, ``posts.exclude``, ``provider.directory`` and the image folders are read and
written under the site's folder. An absolute path, a drive letter, ``~`` or ``..`` would reach outside it (and
the outbox's own messages and lookups name its files relative to the site).
"""

from __future__ import annotations

# newsletter's own folders: the outbox writing into one would mix mail with the list or the state
OWN_FOLDERS = ("subscribers", "templates", ".newsletter", "preview")


def inside_site(pattern: str) -> bool:
    """True if ``pattern`` (a folder or glob) names a place under the site's folder."""
    parts = pattern.replace("\\", "/").split("/")
    return bool(pattern.strip()) and not pattern.startswith(("/", "~")) and ".." not in parts \
        and not (len(pattern) > 1 and pattern[1] == ":")


def folder_problem(folder: str, *, root_ok: bool = False) -> str | None:
    """Why ``folder`` cannot be the folder a setting names, or None. ``root_ok``: the site's
    own folder may be named (a folder the blog serves as it is: Eleventy's ".")."""
    name = folder.replace("\\", "/").strip().strip("/")
    if root_ok and inside_site(folder):
        return None
    if not inside_site(folder) or name in ("", "."):
        return "must be a folder inside the site" + ("" if root_ok else
                                                    ", other than the site's own folder")
    return None


def outbox_problem(directory: str) -> str | None:
    """Why ``provider.directory`` cannot hold the outbox's mail, or None."""
    top = directory.replace("\\", "/").strip().strip("/").split("/")[0]
    if top in OWN_FOLDERS and not folder_problem(directory):
        return f"is inside {top}/, newsletter's own folder"
    return folder_problem(directory)
