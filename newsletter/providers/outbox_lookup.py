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
from email.parser import HeaderParser
from typing import TYPE_CHECKING, Iterator
from urllib.parse import unquote

from newsletter.addresses import address_key
from newsletter.message import MessageIds, signing_secret
from newsletter.providers.lookup import InDoubtBatch, Lookup, LookupFailed

if TYPE_CHECKING:
    from newsletter.providers.outbox import OutboxProvider

HEAD = 16 * 1024  # bytes read for the headers: ours take one or two thousand
_BOUNDARY = re.compile(rb'boundary="([^"]+)"')
_MESSAGE_ID = re.compile(rb"^Message-ID: (<[^>\r\n]+>)\r$", re.MULTILINE | re.IGNORECASE)
_PARSER = HeaderParser(policy=policy.SMTP)


def lookup_files(provider: OutboxProvider, post_id: str, batches: list[InDoubtBatch],
                 now: dt.datetime) -> Iterator[tuple[str, str]]:
    """(reader, site-relative file) for each whole message of ``post_id`` in its folder."""
    settings = provider.settings
    folder = provider.folder(post_id)
    relative = folder.relative_to(settings.root).as_posix()
    message_ids = MessageIds(signing_secret(settings).encode(), post_id,
                             settings.email.sender_domain)
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
                headers = _whole_headers(entry.path)
                if headers is None:
                    continue
                message_id = _header(headers, _MESSAGE_ID)
                # The file's name is its address, percent-encoded (cut short if very long):
                # the To header is read only when the name's Message-ID is not the file's.
                reader = _named(entry.name)
                if message_id != message_ids.of(reader):
                    reader = _addressee(headers)
                    if not reader or message_id != message_ids.of(reader):
                        if reader:
                            unsure.add(reader)
                        continue
                found.add(reader)
                yield reader, f"{relative}/{entry.name}"
    except OSError as error:  # a file unreadable, or gone meanwhile: the search is not whole
        raise _unreadable(error, settings.root, relative) from None
    if unsure - found:
        raise LookupFailed(f"{len(unsure - found)} files in {relative}/ bear another Message-ID "
                           "(another post's? NEWSLETTER_SECRET changed?): check them")


def _unreadable(error: OSError, root, relative: str) -> LookupFailed:
    where = os.path.relpath(error.filename, root) if error.filename else relative
    return LookupFailed(f"the outbox could not read {where} ({error.strerror})")


def _whole_headers(path: str) -> bytes | None:
    """The header block of a whole message file (it ends with its closing MIME boundary);
    None for anything else."""
    with open(path, "rb") as handle:
        headers, blank, _ = handle.read(HEAD).partition(b"\r\n\r\n")
        boundary = _BOUNDARY.search(headers)
        if not blank or not boundary:
            return None
        tail = b"--" + boundary.group(1) + b"--\r\n"
        if handle.seek(0, os.SEEK_END) < len(tail):
            return None
        handle.seek(-len(tail), os.SEEK_END)
        return headers if handle.read() == tail else None  # cut short: nobody got it


def _header(headers: bytes, pattern: re.Pattern) -> str:
    found = pattern.search(headers)
    return found.group(1).decode("ascii", "replace") if found else ""


def _named(file_name: str) -> str:
    """The reader a file's name gives: ``<address>.eml`` or ``<address>.dup<n>.eml``."""
    stem = file_name.removesuffix(".eml")
    base, _, copy = stem.rpartition(".dup")
    return address_key(unquote(base if base and copy.isdigit() else stem))


def _addressee(headers: bytes) -> str | None:
    """The reader the To header names, if it names one (an internationalised address is
    there as UTF-8: read as bytes, it came back as undecodable surrogates)."""
    parsed = _PARSER.parsestr(headers.decode("utf-8", "replace") + "\r\n\r\n")
    try:
        addresses = parsed["To"].addresses if parsed["To"] else ()
    except (TypeError, ValueError, AttributeError):
        return None
    return address_key(addresses[0].addr_spec) if len(addresses) == 1 else None


# The folder keeps every message until someone deletes it, and a file is there as soon as it
# is linked: no retention to outlive, no indexing delay to wait for.
LOOKUP = Lookup(lookup_files, retention=dt.timedelta.max, settle=dt.timedelta(0))
