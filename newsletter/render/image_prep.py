"""One image file made ready for email with Pillow, once, and cached by its content.

What a prepared file is (docs/images.md#preparing): turned upright by its EXIF orientation,
converted to sRGB, stripped of every piece of metadata (EXIF with the camera's GPS position, XMP,
ICC profiles, comments), no wider than the pixels it needs (twice its display width, for
high-density screens), and re-encoded in a format every mail client shows: JPEG, PNG and GIF
stay what they are; WebP, AVIF and the rest become PNG when they have transparency, else JPEG.
The file is named by the hash of its bytes, so a URL or Content-ID names one content forever.

The cache (``.newsletter/images/``) is keyed by the source's bytes and the width asked for: a
second preview or send reads two small files instead of decoding and encoding again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cached_property
from pathlib import Path

from newsletter.errors import ContentError
from newsletter.records import record

PREPARATION = "2"  # part of every cache key: change it when the preparation changes
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif"}
MAX_SOURCE_BYTES = 50 * 1024 * 1024  # a larger file is not a photo for an email
NAME_DIGITS = 16  # hex digits of the SHA-256 of the prepared bytes in its file name


@record(frozen=True)
class PreparedImage:
    """An image ready to travel in an email, and what the ``<img>`` needs to know of it."""

    name: str  # <sha256 prefix>.<ext>: the file name, the Content-ID and the hosted name
    content_type: str
    width: int
    height: int
    data: bytes

    @cached_property
    def digest(self) -> str:
        """The SHA-256 of the bytes, in hex."""
        return hashlib.sha256(self.data).hexdigest()


def prepare_image(source: Path, max_width: int, cache_dir: Path, where: str) -> PreparedImage:
    """``source`` prepared for email at most ``max_width`` pixels wide (cached in ``cache_dir``)."""
    if source.stat().st_size > MAX_SOURCE_BYTES:
        raise ContentError(f"image {source.name} is larger than {MAX_SOURCE_BYTES >> 20} MB",
                           where=where, hint="export a smaller copy for the post")
    original = source.read_bytes()
    key = hashlib.sha256(f"{PREPARATION}:{max_width}:".encode() + original).hexdigest()[:32]
    cached = _cached(cache_dir, key)
    if cached is not None:
        return cached
    image_format, data, size = _prepare(original, max_width, source.name, where)
    name = f"{hashlib.sha256(data).hexdigest()[:NAME_DIGITS]}.{EXTENSIONS[image_format]}"
    prepared = PreparedImage(name, CONTENT_TYPES[image_format], *size, data)
    _store(cache_dir, key, prepared)
    return prepared


def _prepare(original: bytes, max_width: int, file_name: str, where: str
             ) -> tuple[str, bytes, tuple[int, int]]:
    """(format, bytes, (width, height)) of the prepared image. Pillow is imported here, when
    an image is not in the cache: 13 ms of CPU that a post without new images never needs."""
    from newsletter.render.image_pixels import prepared_pixels

    return prepared_pixels(original, max_width, file_name, where)


def _cached(cache_dir: Path, key: str) -> PreparedImage | None:
    try:
        entry = json.loads((cache_dir / f"{key}.json").read_text(encoding="utf-8"))
        data = (cache_dir / entry["name"]).read_bytes()
        prepared = PreparedImage(entry["name"], entry["type"], entry["width"], entry["height"],
                                 data)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return prepared if prepared.name.startswith(prepared.digest[:NAME_DIGITS]) else None


def _store(cache_dir: Path, key: str, prepared: PreparedImage) -> None:
    """Best effort: a site that cannot be written to still previews, without a cache."""
    entry = {"name": prepared.name, "type": prepared.content_type, "width": prepared.width,
             "height": prepared.height}
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        write_atomically(cache_dir / prepared.name, prepared.data)
        write_atomically(cache_dir / f"{key}.json", json.dumps(entry).encode())
    except OSError:
        pass


def write_atomically(path: Path, data: bytes, shared: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file, so no reader sees half a file;
    ``shared``: readable as a file the folder's mode (the umask) allows, not by its owner alone."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            if shared:
                os.fchmod(out.fileno(), path.parent.stat().st_mode & 0o666)
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise
