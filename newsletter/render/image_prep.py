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
import io
import json
import os
import tempfile
import warnings
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from PIL import Image, ImageCms, ImageOps, ImageSequence, UnidentifiedImageError

from newsletter.errors import ContentError

PREPARATION = "1"  # part of every cache key: change it when the preparation changes
# Formats Pillow may open. Everything else (EPS through Ghostscript, PSD, ...) is refused
# before a decoder sees it.
READABLE = ("JPEG", "PNG", "GIF", "WEBP", "AVIF", "BMP", "TIFF")
KEPT = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "GIF"}  # formats every mail client shows
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif"}
MAX_SOURCE_BYTES = 50 * 1024 * 1024  # a larger file is not a photo for an email
MAX_PIXELS = 100_000_000  # decoding more would take gigabytes of memory
JPEG_QUALITY = 85
NAME_DIGITS = 16  # hex digits of the SHA-256 of the prepared bytes in its file name
# Formats Pillow cannot read that writers try, with what to do instead.
UNSUPPORTED = {
    (b"<svg", b"<?xml"): "SVG is not shown by Gmail or Outlook; export it as PNG",
    (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"): "HEIC photos cannot be read here; "
                                                          "export it as JPEG",
}


@dataclass(frozen=True)
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
    """(format, bytes, (width, height)) of the prepared image."""
    with warnings.catch_warnings():
        # Pillow only warns about an image just over its own pixel limit: refuse it all the same.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(original), formats=READABLE)
            if image.width * image.height > MAX_PIXELS:
                raise Image.DecompressionBombError("too many pixels")
            target = KEPT.get(image.format)
            if target == "GIF":  # every frame is decoded: count them all
                if image.n_frames * image.width * image.height > MAX_PIXELS:
                    raise Image.DecompressionBombError("too many pixels in its frames")
                return "GIF", *_gif(image, max_width)
            image.draft("RGB", (max_width, max_width))  # JPEG: decode at a fraction of the size
            image = _upright_srgb(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ContentError(f"image {file_name} has too many pixels to prepare", where=where,
                               hint="export a smaller copy for the post") from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as error:
            raise ContentError(f"image {file_name} cannot be read ({_why(error)})",
                               where=where, hint=_hint(original)) from None
    image = _narrower(image, max_width)
    if target is None:  # WebP, AVIF, BMP, TIFF: not every client shows them
        target = "PNG" if image.mode in ("RGBA", "LA") else "JPEG"
    return target, _encode(image, target), image.size


def _upright_srgb(image: Image.Image) -> Image.Image:
    """The pixels turned by their EXIF orientation, in sRGB, in a mode JPEG or PNG can hold."""
    profile = image.info.get("icc_profile")
    image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            image = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"),
                                              outputMode=image.mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: keep the pixels as they are
    return image


def _narrower(image: Image.Image, max_width: int) -> Image.Image:
    if image.width <= max_width:
        return image
    height = max(1, round(image.height * max_width / image.width))
    return image.resize((max_width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def _pixels(image: Image.Image) -> Image.Image:
    """The pixels alone: a fresh image carries no ``info`` (EXIF, XMP, ICC, comments)."""
    return Image.frombytes(image.mode, image.size, image.tobytes())


def _encode(image: Image.Image, image_format: str) -> bytes:
    clean = _pixels(image)
    out = io.BytesIO()
    if image_format == "JPEG":
        clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    else:
        clean.save(out, "PNG", optimize=True)
    return out.getvalue()


def _gif(image: Image.Image, max_width: int) -> tuple[bytes, tuple[int, int]]:
    """A GIF's frames (animation kept), narrowed, without comments or extensions."""
    durations, frames = [], []
    for frame in ImageSequence.Iterator(image):
        durations.append(frame.info.get("duration", 100))
        frames.append(_pixels(_narrower(frame.convert("RGBA"), max_width)))
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=len(frames) > 1, append_images=frames[1:],
               duration=durations if len(frames) > 1 else durations[0],
               loop=image.info.get("loop", 0), disposal=2)
    return out.getvalue(), frames[0].size


def _why(error: Exception) -> str:
    if isinstance(error, UnidentifiedImageError):
        return "not a JPEG, PNG, GIF, WebP or AVIF file"
    return f"the file is damaged: {error}" if str(error) else "the file is damaged"


def _hint(original: bytes) -> str:
    head = original[:256].lstrip().lower()
    for signatures, advice in UNSUPPORTED.items():
        if any(signature in head for signature in signatures):
            return advice
    return "export it again as JPEG or PNG"


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


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, so no reader sees half a file."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise
