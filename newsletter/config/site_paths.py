"""Settings that name a place inside the site: relative to its folder, never above it.

``posts.dirs``, ``posts.exclude`` and ``provider.directory`` are read and written under the
site's folder. An absolute path, a drive letter, ``~`` or ``..`` would reach outside it (and
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


def outbox_problem(directory: str) -> str | None:
    """Why ``provider.directory`` cannot hold the outbox's mail, or None."""
    folder = directory.replace("\\", "/").strip().strip("/")
    if not inside_site(directory) or folder in ("", "."):
        return "must be a folder inside the site, other than the site's own folder"
    if folder.split("/")[0] in OWN_FOLDERS:
        return f"is inside {folder.split('/')[0]}/, newsletter's own folder"
    return None
