"""The feature image a post's front matter names, in the shapes real blogs write it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from newsletter.errors import ContentError

# Keys that name a post's feature image (front matter keys are read in lower case), as Gatsby
# (Lumen: socialImage), Hugo themes (images: [...], cover.image, featured_image), Jekyll (image,
# image.path), Astro (heroImage; the Cactus theme's coverImage.src; AstroPaper's ogImage), Zola's
# tabi (extra.social_media_card) and Ghost or WordPress exports (feature_image) write them; the
# first one present wins.
IMAGE_KEYS = ("socialimage", "image", "images", "cover", "heroimage", "coverimage",
              "featured_image", "feature_image", "featureimage", "ogimage", "social_media_card")
ALT_KEYS = ("image_alt", "socialimagealt", "heroimagealt", "cover_alt")
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

    def name(self, key: str) -> str: ...

    def string(self, key: str) -> str | None: ...


def feature_image(meta: dict[str, Any], fields: Fields) -> PostImage | None:
    """The feature image named by the first of :data:`IMAGE_KEYS` that has a value, if any."""
    key = next((key for key in IMAGE_KEYS if meta.get(key)), None)
    if key is None:
        return None
    value, alt = meta[key], None
    if key == "images" and isinstance(value, list):  # Hugo's: the first is the page's image
        value = value[0]
    if isinstance(value, dict):
        value = {str(name).lower(): item for name, item in value.items()}
        alt = value.get("alt")
        value = next((value[k] for k in SOURCE_KEYS if value.get(k)), None)
        if value is None:  # cover: {image: "", hidden: true}, as theme archetypes leave it
            return None
    if not isinstance(value, str) or not value.strip():
        name = fields.name(key)
        raise ContentError(f"{name} must be an image path or URL", where=fields.where(key),
                           hint=f'write it as {name}: "./image.jpg"')
    alt = alt or next((fields.string(k) for k in ALT_KEYS if meta.get(k)), None)
    alt = " ".join(str(alt).split()) if alt else None
    return PostImage(value.strip(), alt or None, fields.where(key))
