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
from itertools import repeat
from pathlib import Path
from typing import Callable, Iterable, TextIO

from newsletter.subscribers.appended import mark
from newsletter.subscribers.folder import ListFolder, file_version
from newsletter.subscribers.repeat_filter import RepeatFilter
from newsletter.subscribers.rows import MAILED, row_key

logger = logging.getLogger(__name__)

PASS_FILE = "list_pass.json"  # in the site's state folder (.newsletter/)
# Raise it whenever which keys a read suppresses changes (2: a row whose status is out of
# place, misplaced.py, suppresses its address).
PASS_FORMAT = 2
# (emails, statuses) of records, a block at a time; the files' problems go to the list given.
Cells = Callable[[list], Iterable[tuple[list[str], list[str]]]]


def opened_signature(opened: list[tuple[Path, TextIO]]) -> list[list]:
    """The version of the files as opened: what this read will see, whatever happens to the
    paths since (a write replaces a file; the open handle keeps the old one): a
    :func:`~newsletter.subscribers.folder.file_version` each, as a list (kept as JSON)."""
    return [list(file_version(path.name, os.fstat(handle.fileno()))) for path, handle in opened]


def suppressed_and_repeated(folder: ListFolder, opened: list[tuple[Path, TextIO]],
                            cells: Cells, kept: dict | None) -> tuple[set[str], set[str]]:
    """(keys the files suppress, keys that may occur more than once) of the opened files: the
    ``kept`` answer (:func:`kept_pass`) when it is of the same files, else read from ``cells``
    and kept.

    The second set holds every key occurring twice or more (and a few that only share a
    filter slot), so whoever de-duplicates compares only those exactly.
    """
    signature = opened_signature(opened)
    if kept is not None and kept["signature"] == signature:
        return kept["listed"], kept["repeats"]
    listed: set[str] = set()
    repeats: set[str] = set()
    problems: list = []
    watch(cells(problems), listed, repeats)
    kept_whole(folder, opened, signature, listed, repeats, problems)
    return listed, repeats


def watch(blocks: Iterable[tuple[list[str], list[str]]], listed: set[str], repeats: set[str]
          ) -> None:
    """Add to ``listed`` the keys the (emails, statuses) of ``blocks`` suppress and to
    ``repeats`` the keys that may occur more than once (see :func:`suppressed_and_repeated`)."""
    repeat_filter = RepeatFilter()
    for emails, statuses in blocks:
        keys = row_keys(emails)
        if set(statuses).issubset(MAILED):  # the usual block: nobody suppressed
            mailed = list(filter(None, keys))
        else:
            mailed = []
            for key, status in zip(keys, statuses):
                if key:
                    if status not in MAILED:  # suppresses(status)
                        listed.add(key)
                    else:
                        mailed.append(key)
        # Their slot was taken: by an earlier copy, or by chance.
        repeats.update(repeat_filter.add_all(mailed))


def row_keys(emails: list[str]) -> list[str | None]:
    """:func:`row_key` of each of ``emails``: in a few C calls when each takes its fast path
    (stripped, plain ASCII with an "@" and no "xn--": the address lowered), else one by one."""
    stripped = list(map(str.strip, emails))
    joined = "\n".join(stripped)  # ASCII before lowering: "\u212a".lower() is "k"
    if (stripped and joined.isascii() and "xn--" not in (lowered := joined.lower())
            and joined.count("\n") == len(stripped) - 1  # no line break within one
            and all(map(str.__contains__, stripped, repeat("@")))):
        return lowered.split("\n")
    return list(map(row_key, emails))


def kept_whole(folder: ListFolder, opened: list[tuple[Path, TextIO]], signature: list[list],
               listed: set[str], repeats: set[str], problems: list) -> None:
    """Keep the answer of a whole pass over the ``opened`` files (``problems``: what their
    records could not be read for; with any, the last file is not marked)."""
    # The last file as it ends, for a send after rows were appended to it (appended.py).
    last = mark(*opened[-1]) if opened and not problems else None
    keep_pass(folder, signature, listed, repeats, last)


def kept_pass(folder: ListFolder) -> dict | None:
    """The kept answer, whatever files it was read from: signature, listed and repeats (sets),
    and the last file's mark (or None); None when there is none (or it is unreadable)."""
    try:
        kept = json.loads((Path(folder.state_dir) / PASS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(kept, dict) or kept.get("format") != PASS_FORMAT:
        return None
    listed, repeats, last = kept.get("listed"), kept.get("repeats"), kept.get("mark")
    if not (_strings(listed) and _strings(repeats) and isinstance(kept.get("signature"), list)):
        return None
    marked = isinstance(last, dict) and isinstance(last.get("name"), str) and all(
        isinstance(last.get(name), int) for name in ("size", "lines"))
    return {"signature": kept["signature"], "listed": set(listed), "repeats": set(repeats),
            "mark": last if marked and isinstance(last.get("digest"), str) else None}


def keep_pass(folder: ListFolder, signature: list[list], listed: set[str], repeats: set[str],
              last: dict | None) -> None:
    """Keep the answer for the files of ``signature`` (``last``: the last one's mark)."""
    _write(Path(folder.state_dir) / PASS_FILE, {
        "format": PASS_FORMAT, "signature": signature, "listed": sorted(listed), "repeats": sorted(repeats),
        "mark": last})


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

