"""The feature image a post's front matter names, in the shapes real blogs write it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from newsletter.errors import ContentError

# Keys that name a post's feature image, as Gatsby (Lumen: socialImage), Hugo (image, cover),
# Jekyll (image) and Ghost or WordPress exports (feature_image, featured_image) write them;
# the first one present wins.
IMAGE_KEYS = ("socialImage", "image", "cover", "feature_image", "featured_image")
ALT_KEYS = ("image_alt", "socialImageAlt")
# The source in a mapping: Hugo's `cover: {image: ..., alt: ...}`, jekyll-seo-tag's
# `image: {path: ...}`.
SOURCE_KEYS = ("image", "path", "src", "url")


@dataclass(frozen=True)
class PostImage:
    """The feature image of a post, as its front matter names it."""

    src: str  # as written: ./image.jpg, /media/x.jpg or https://...
    alt: str | None  # image_alt, socialImageAlt or the mapping's alt; None: use the title
    where: str  # file:line of the key


class Fields(Protocol):
    """The front-matter reader of :mod:`newsletter.posts`."""

    def where(self, key: str) -> str: ...

    def string(self, key: str) -> str | None: ...


def feature_image(meta: dict[str, Any], fields: Fields) -> PostImage | None:
    """The feature image named by the first of :data:`IMAGE_KEYS` that has a value, if any."""
    key = next((key for key in IMAGE_KEYS if meta.get(key)), None)
    if key is None:
        return None
    value, alt = meta[key], None
    if isinstance(value, dict):
        alt = value.get("alt")
        value = next((value[k] for k in SOURCE_KEYS if value.get(k)), None)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{key} must be an image path or URL", where=fields.where(key),
                           hint=f'write it as {key}: "./image.jpg"')
    alt = alt or next((fields.string(k) for k in ALT_KEYS if meta.get(k)), None)
    alt = " ".join(str(alt).split()) if alt else None
    return PostImage(value.strip(), alt or None, fields.where(key))
