"""`reconcile` for the outbox: its folder is its log (docs/reconcile.md#the-outbox).

A run killed between writing a batch's files and recording them leaves its readers in doubt.
The post's folder tells: a reader's .eml file there -> sent (the file is the message id);
none -> never written, pending. A file is linked under its name only once its whole content is
synced, and it counts only when it is whole (it ends with its closing MIME boundary) and its
Message-ID is the one newsletter gives this post and reader. A file that names a reader under
another Message-ID (a post whose slug ends alike shares the folder, or NEWSLETTER_SECRET
changed since the send) proves nothing: the lookup fails, and who it could not find stays in
doubt rather than risk a second copy.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from email import policy
from email.parser import BytesHeaderParser
from typing import TYPE_CHECKING, Iterator

from newsletter.addresses import address_key
from newsletter.message import reader_message_id, signing_secret
from newsletter.providers.lookup import InDoubtBatch, Lookup, LookupFailed

if TYPE_CHECKING:
    from newsletter.providers.outbox import OutboxProvider

HEAD = 16 * 1024  # bytes read for the headers: ours take one or two thousand
_BOUNDARY = re.compile(rb'boundary="([^"]+)"')
_PARSER = BytesHeaderParser(policy=policy.SMTP)


def lookup_files(provider: OutboxProvider, post_id: str, batches: list[InDoubtBatch],
                 now: dt.datetime) -> Iterator[tuple[str, str]]:
    """(reader, site-relative file) for each whole message of ``post_id`` in its folder."""
    settings = provider.settings
    folder = provider.folder(post_id)
    relative = folder.relative_to(settings.root).as_posix()
    secret, domain = signing_secret(settings).encode(), settings.email.sender_domain
    found, unsure = set(), set()
    try:
        entries = os.scandir(folder)
    except FileNotFoundError:
        return  # nothing was ever written for this post
    except OSError as error:
        raise _unreadable(error, settings.root, relative) from None
    try:
        with entries:
            for entry in entries:
                if entry.name.startswith(".") or not entry.name.endswith(".eml"):
                    continue  # a temp file a killed run left: never linked, never a message
                reader, message_id = _read(entry.path)
                if reader and message_id == reader_message_id(secret, post_id, reader, domain):
                    found.add(reader)
                    yield reader, f"{relative}/{entry.name}"
                elif reader:
                    unsure.add(reader)
    except OSError as error:  # a file unreadable, or gone meanwhile: the search is not whole
        raise _unreadable(error, settings.root, relative) from None
    if unsure - found:
        raise LookupFailed(f"{len(unsure - found)} files in {relative}/ bear another Message-ID "
                           "(another post's? NEWSLETTER_SECRET changed?): check them")


def _unreadable(error: OSError, root, relative: str) -> LookupFailed:
    where = os.path.relpath(error.filename, root) if error.filename else relative
    return LookupFailed(f"the outbox could not read {where} ({error.strerror})")


def _read(path: str) -> tuple[str | None, str | None]:
    """(reader key, Message-ID) of a whole message file; (None, None) for anything else."""
    with open(path, "rb") as handle:
        head = handle.read(HEAD)
        headers, blank, _ = head.partition(b"\r\n\r\n")
        boundary = _BOUNDARY.search(headers)
        if not blank or not boundary:
            return None, None
        tail = b"--" + boundary.group(1) + b"--\r\n"
        handle.seek(0, os.SEEK_END)
        if handle.tell() < len(tail):
            return None, None
        handle.seek(-len(tail), os.SEEK_END)
        if handle.read() != tail:
            return None, None  # cut short: not a message anyone got
    parsed = _PARSER.parsebytes(headers + b"\r\n\r\n")
    try:
        addresses = parsed["To"].addresses if parsed["To"] else ()
    except (TypeError, ValueError, AttributeError):
        addresses = ()
    if len(addresses) != 1:
        return None, None
    return address_key(addresses[0].addr_spec), str(parsed["Message-ID"] or "")


# The folder keeps every message until someone deletes it, and a file is there as soon as it
# is linked: no retention to outlive, no indexing delay to wait for.
LOOKUP = Lookup(lookup_files, retention=dt.timedelta.max, settle=dt.timedelta(0))
