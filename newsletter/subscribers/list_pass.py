"""What a send must know before its first reader: who the files suppress and which keys repeat.

Suppression wins whatever the order of a reader's copies, and a reader listed twice gets one
message, so :func:`newsletter.subscribers.reading.stream_active` cannot yield anyone before it
knows both. Finding them means parsing every record of the list (0.23 s of CPU for 100,000
readers, docs/performance.md), before the first request could leave. The answer depends only on
the files' contents, and both sets are small (a list's suppressed rows; repeated keys and the
few keys sharing a RepeatFilter slot with an earlier one), so it is kept in
``.newsletter/list_pass.json`` under the version of the files it was read from: the next send of
unchanged files starts streaming at once. Unsubscribes recorded since come from the journal, read
afresh each time; any write of a file gives it a new inode, size or mtime, so a kept answer is
never used for other contents.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable, TextIO

from newsletter.subscribers.folder import ListFolder, file_version
from newsletter.subscribers.rows import MAILED, RepeatFilter, row_key

logger = logging.getLogger(__name__)

PASS_FILE = "list_pass.json"  # in the site's state folder (.newsletter/)
Cells = Callable[[], Iterable[tuple[object, object, str, str]]]  # (source, record, email, status)


def opened_signature(opened: list[tuple[Path, TextIO]]) -> list[list]:
    """The version of the files as opened: what this read will see, whatever happens to the
    paths since (a write replaces a file; the open handle keeps the old one): a
    :func:`~newsletter.subscribers.folder.file_version` each, as a list (kept as JSON)."""
    return [list(file_version(path.name, os.fstat(handle.fileno()))) for path, handle in opened]


def suppressed_and_repeated(folder: ListFolder, opened: list[tuple[Path, TextIO]],
                            cells: Cells) -> tuple[set[str], set[str]]:
    """(keys the files suppress, keys that may occur more than once) of the opened files: kept
    from an earlier read of the same files, else read from ``cells()`` and kept.

    The second set holds every key occurring twice or more (and a few that only share a
    filter slot), so whoever de-duplicates compares only those exactly.
    """
    signature = opened_signature(opened)
    path = Path(folder.state_dir) / PASS_FILE
    kept = _read(path, signature)
    if kept is not None:
        return kept
    listed: set[str] = set()
    repeats: set[str] = set()
    seen_before = RepeatFilter().add_seen_before
    for _, _, email, status in cells():
        if key := row_key(email):
            if status not in MAILED:  # suppresses(status)
                listed.add(key)
            elif seen_before(key):  # its slot was taken: by an earlier copy, or by chance
                repeats.add(key)
    _write(path, {"signature": signature, "listed": sorted(listed), "repeats": sorted(repeats)})
    return listed, repeats


def _read(path: Path, signature: list[list]) -> tuple[set[str], set[str]] | None:
    """The kept answer for ``signature``; None when there is none (or it is unreadable)."""
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(kept, dict) or kept.get("signature") != signature:
        return None
    listed, repeats = kept.get("listed"), kept.get("repeats")
    if not (_strings(listed) and _strings(repeats)):
        return None
    return set(listed), set(repeats)


def _strings(value) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _write(path: Path, kept: dict) -> None:
    """Keep ``kept`` for the next read; a folder that cannot take it only costs that read."""
    temporary = None
    try:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent,
                                         prefix=f".{path.name}.", delete=False) as out:
            temporary = Path(out.name)
            json.dump(kept, out)
        os.replace(temporary, path)
    except OSError as error:
        logger.debug("the list's pass is not kept: %s", error)
        if temporary is not None:
            temporary.unlink(missing_ok=True)

