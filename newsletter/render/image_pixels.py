"""The pixels of one image made ready for email with Pillow (docs/images.md#preparing).

:mod:`newsletter.render.image_prep` imports this module only for an image its cache does not
hold, so a send or preview of a post whose images are prepared never loads Pillow.
"""

from __future__ import annotations

import io
import struct
import warnings

from PIL import Image, ImageCms, ImageOps, ImageSequence, UnidentifiedImageError

from newsletter.errors import ContentError

# Formats Pillow may open. Everything else (EPS through Ghostscript, PSD, ...) is refused
# before a decoder sees it.
READABLE = ("JPEG", "PNG", "GIF", "WEBP", "AVIF", "BMP", "TIFF")
KEPT = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "GIF"}  # formats every mail client shows
MAX_PIXELS = 100_000_000  # decoding more would take gigabytes of memory
# A GIF of a million 1-pixel frames is 25 MB, and took an hour of CPU to re-encode. Ten
# seconds at 30 frames a second is 300.
MAX_FRAMES = 1000
MAX_JPEG_HEIGHT = 65_500  # libjpeg's limit (a strip 1 pixel wide is within MAX_PIXELS)
JPEG_QUALITY = 85
# What Pillow's decoders raise on a damaged file: a truncated GIF an IndexError, a TIFF whose
# strip offset is a fraction a TypeError, a bad header a struct.error.
DAMAGED = (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, IndexError,
           KeyError, TypeError, struct.error, ZeroDivisionError)
# Formats Pillow cannot read that writers try, with what to do instead.
UNSUPPORTED = {
    (b"<svg", b"<?xml"): "SVG is not shown by Gmail or Outlook; export it as PNG",
    (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"): "HEIC photos cannot be read here; "
                                                          "export it as JPEG",
}


def prepared_pixels(original: bytes, max_width: int, file_name: str, where: str
                    ) -> tuple[str, bytes, tuple[int, int]]:
    """(format, bytes, (width, height)) of the prepared image."""
    with warnings.catch_warnings():
        # Pillow's warnings about a file's odd tags are no line for the writer: the file is
        # prepared or refused. It only warns about an image just over its own pixel limit:
        # refuse that all the same.
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(original), formats=READABLE)
            if image.width * image.height > MAX_PIXELS:
                raise Image.DecompressionBombError("too many pixels")
            target = KEPT.get(image.format)
            if target == "GIF":  # every frame is decoded: count them all
                if _more_frames_than(image, MAX_FRAMES):
                    raise ContentError(f"image {file_name} has more than {MAX_FRAMES:,} frames",
                                       where=where, hint="export a shorter animation")
                if image.n_frames * image.width * image.height > MAX_PIXELS:
                    raise Image.DecompressionBombError("too many pixels in its frames")
                return "GIF", *_gif(image, max_width)
            image.draft("RGB", (max_width, max_width))  # JPEG: decode at a fraction of the size
            image = _upright_srgb(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ContentError(f"image {file_name} has too many pixels to prepare", where=where,
                               hint="export a smaller copy for the post") from None
        except DAMAGED as error:
            raise ContentError(f"image {file_name} cannot be read ({_why(error)})",
                               where=where, hint=_hint(original)) from None
        except OverflowError:  # Pillow adds up the delays of identical frames: 16 bits hold them
            raise ContentError(f"image {file_name} shows one frame for over 655 s, more than a "
                               "GIF can say", where=where,
                               hint="export it again with shorter delays") from None
    image = _narrower(image, max_width)
    if target is None:  # WebP, AVIF, BMP, TIFF: not every client shows them
        target = "PNG" if image.mode in ("RGBA", "LA") else "JPEG"
    if target == "JPEG" and image.height > MAX_JPEG_HEIGHT:
        raise ContentError(f"image {file_name} would be {image.height:,} pixels tall in the "
                           f"email, past the {MAX_JPEG_HEIGHT:,} a JPEG holds", where=where,
                           hint="crop it, or split it into several images")
    return target, _encode(image, target), image.size


def _more_frames_than(image: Image.Image, limit: int) -> bool:
    """Whether ``image`` has a frame past ``limit``, found without reading the frames after it."""
    try:
        image.seek(limit)
    except EOFError:
        return False
    finally:
        image.seek(0)
    return True


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
    """A GIF's frames (animation kept), narrowed, without comments or extensions.

    One without transparency is written as opaque frames each kept under the next, so Pillow
    stores only what changed (a screen recording's few new marks); written with disposal 2,
    every frame whole, a 47 KB recording became 736 KB. A transparent one must clear each frame
    before the next (disposal 2): a pixel turning transparent cannot be written as a change."""
    durations, frames = [], []
    for frame in ImageSequence.Iterator(image):
        durations.append(frame.info.get("duration", 100))
        frames.append(_narrower(frame.convert("RGBA"), max_width))
    transparent = any(frame.getchannel("A").getextrema() != (255, 255) for frame in frames)
    mode, disposal = ("RGBA", 2) if transparent else ("RGB", 1)
    frames = [_pixels(frame.convert(mode)) for frame in frames]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=len(frames) > 1, append_images=frames[1:],
                   duration=durations if len(frames) > 1 else durations[0],
                   loop=image.info.get("loop", 0), disposal=disposal)
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
