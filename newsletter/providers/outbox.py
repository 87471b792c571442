"""The default provider: one .eml file per message in the site's outbox folder, no mail account.

``<site>/<provider.directory>/<last slug segment>/<address>.eml``; test sends (``send --to``) go
to a ``test-sends/`` folder beside them. A file is never overwritten: a second message to the same
reader becomes ``<address>.dup2.eml``, so a duplicate send is visible on disk, not hidden.

A batch is written whole or not at all: when the disk fills up (or the folder turns out
read-only) part way, the files this batch already wrote are taken back and the batch raises
NotSentError, so its readers stay pending for the next run, none in doubt, no partial file
left behind.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from urllib.parse import quote

from newsletter.errors import ConfigError, InDoubtError, NotSentError
from newsletter.message import Message
from newsletter.posts import folder_name, short_name
from newsletter.providers.base import Provider, Result
from newsletter.providers.declaration import Declaration
from newsletter.providers.outbox_lookup import LOOKUP

TEST_FOLDER = "test-sends"
MAX_NAME = 200  # bytes; file names stop at 255
DIGEST = 16  # hex digits of the digest that ends a name cut short


def post_folder_name(post_id: str) -> str:
    """The outbox folder of a post: the last segment of its slug (never ``..``)."""
    return folder_name(short_name(post_id) or "post")


def file_stem(address: str) -> str:
    """A file name for an address: percent-encoded, so two addresses never share one. A name
    too long is cut (never inside an escape) and ends in a digest of the whole address: two
    long ones alike in their first 200 characters would share it."""
    stem = quote(address, safe="@.+-_")
    if len(stem) <= MAX_NAME:
        return stem
    cut = stem[:MAX_NAME - DIGEST - 1]
    if "%" in cut[-2:]:
        cut = cut[:cut.rindex("%")]
    return f"{cut}~{hashlib.sha256(address.encode()).hexdigest()[:DIGEST]}"


def _sync_folder(folder: str) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class OutboxProvider(Provider):
    """Writes each message to an .eml file (atomically: temp file, sync, link into place)."""

    name = "outbox"
    max_batch = 100

    def __init__(self, settings):
        super().__init__(settings)
        self.directory = settings.root / settings.provider.directory
        for folder in (self.directory, *self.directory.parents):  # found before any claim
            if folder.exists() and not folder.is_dir():
                raise ConfigError(
                    f"provider.directory: {os.path.relpath(folder, settings.root)} is a file, "
                    "where the outbox needs a folder", where="newsletter.toml",
                    hint="move it away, or set provider.directory to another folder")

    def describe(self) -> str:
        return f"outbox (writes .eml files under {self.settings.provider.directory}/, sends no mail)"

    def folder(self, post_id: str, test: bool = False) -> Path:
        """Where the messages of ``post_id`` are written."""
        folder = self.directory / post_folder_name(post_id)
        return folder / TEST_FOLDER if test else folder

    def send_batch(self, messages: list[Message]) -> list[Result]:
        folders: dict[tuple[str, bool], tuple[str, str]] = {}  # -> (absolute, site-relative)
        results = []
        written: list[str] = []
        try:
            for message in messages:
                key = (message.post_id, message.test)
                if key not in folders:
                    folder = self.folder(*key)
                    folder.mkdir(parents=True, exist_ok=True)
                    folders[key] = (str(folder),
                                    folder.relative_to(self.settings.root).as_posix())
                absolute, relative = folders[key]
                name = self._write(message, absolute)
                written.append(os.path.join(absolute, name))
                # The result's message id is the file, relative to the site.
                results.append(Result.sent(f"{relative}/{name}"))
            # One fsync of the folder per batch makes the new names durable before the ledger
            # records these messages as sent (the file contents were synced one by one).
            for absolute, _ in folders.values():
                _sync_folder(absolute)
        except OSError as error:  # a full disk, a read-only folder: nothing of it is kept
            where = os.path.relpath(error.filename, self.settings.root) if error.filename else ""
            in_the_way = isinstance(error, (FileExistsError, NotADirectoryError))  # at mkdir
            problem = (f"the outbox could not write {where or 'a message'} "
                       f"({'a file, where it needs a folder' if in_the_way else error.strerror})")
            try:
                for path in written:
                    os.unlink(path)
            except OSError as stuck:  # what it wrote may stay: never claim it was not sent
                raise InDoubtError(f"{problem}, nor take back the messages of this batch it "
                                   f"wrote ({stuck.strerror})") from None
            kept = (f"none of this batch's {len(messages)} messages was kept"
                    if len(messages) > 1 else "the message was not kept")
            raise NotSentError(f"{problem}: {kept}", hint=("move that file away" if in_the_way else "free some "
                               "space (or make the outbox writable)") + " and send again: they "
                               "are pending") from None
        return results

    def _write(self, message: Message, folder: str) -> str:
        """Write one message into ``folder``; returns the file name used."""
        # Plain strings, not pathlib: pathlib interns every path part, which would keep one
        # string per reader alive for the whole run.
        stem = file_stem(message.to_address)
        temp = os.path.join(folder, f".{stem}.{os.getpid()}-{threading.get_ident()}.tmp")
        try:
            with open(temp, "wb") as handle:
                handle.write(message.as_bytes())
                handle.flush()
                # fdatasync: the contents and size of a new file, without its timestamps.
                os.fdatasync(handle.fileno())
        except OSError as error:  # no partial file stays; the error names the message's file
            if os.path.exists(temp):
                os.unlink(temp)
            raise OSError(error.errno, error.strerror, os.path.join(folder, f"{stem}.eml")) \
                from None
        try:
            # link, not replace: it fails if the name is taken instead of overwriting a message
            # a reader already got.
            copy = 1
            while True:
                name = f"{stem}.eml" if copy == 1 else f"{stem}.dup{copy}.eml"
                target = os.path.join(folder, name)
                try:
                    os.link(temp, target)
                    break
                except FileExistsError:
                    copy += 1
        finally:
            os.unlink(temp)
        return name


DECLARATION = Declaration(
    OutboxProvider,
    settings=("directory",),
    lookup=LOOKUP,  # its folder: reconcile settles readers a killed run left in doubt
)
