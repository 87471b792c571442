"""The feature image a post's front matter names, in the shapes real blogs write it."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Protocol
from urllib.parse import urlsplit

from newsletter.errors import ContentError
from newsletter.records import record

# Keys that name a post's feature image (front matter keys are read in lower case), as Gatsby
# (Lumen: socialImage), Hugo themes (images: [...], cover.image, featured_image, LoveIt's and
# FixIt's featuredImage, else their featuredImagePreview, Mainroad's thumbnail, Beautiful
# Hugo's share_img, Clarity's shareImage after its featureImage), Jekyll (image, image.path,
# HPSTR's image.feature under /images/; Beautiful Jekyll's share-img, cover-img and thumbnail-img
# (Beautiful Hugo's bigimg: [{src, desc}], the first of those its header cycles); Minimal Mistakes'
# header.overlay_image, header.image and header.teaser; Type on Strap's feature-img before its
# thumbnail; Sleek's featured-img, a name in /assets/img/posts/; Flexible Jekyll's img;
# TeXt's cover, else
# article_header.image.src or .background_image.src), Astro (heroImage; the Cactus theme's
# coverImage.src; AstroPaper's ogImage), Zola's tabi (extra.social_media_card), Nikola
# (previewimage), Hexo's Fluid (index_img, its post cards' picture), Ghost or WordPress
# exports (feature_image), Gatsby's tutorial blog (hero_image, with hero_image_alt), Zola's
# linkita (extra.cover.image), kita (extra.cover_image), apollo (extra.local_image, else
# extra.remote_image) and duckquill (extra.banner, a file beside the post) write them; the
# first one present wins.
IMAGE_KEYS = ("socialimage", "share-img", "share_img", "image", "images", "cover", "heroimage",
              "coverimage", "featured_image", "feature_image", "featureimage", "featuredimage",
              "feature-img", "featured-img", "cover-img", "bigimg", "header", "thumbnail",
              "thumbnail-img", "shareimage", "ogimage",
              "social_media_card", "previewimage", "index_img", "article_header", "img",
              "featuredimagepreview", "hero_image", "cover_image", "local_image",
              "remote_image", "banner")
# Keys other themes also use for something else (Minimal Mistakes' header: {overlay_color: ...},
# a theme's thumbnail: true): passed over when they hold no image.
_LOOSE_KEYS = ("header", "thumbnail", "article_header", "img", "banner")
# Loose keys other themes also give words (a banner: "Now with RSS"): an image only where the
# value names a file (an extension) or an address.
_FILE_ONLY_KEYS = ("banner",)
_FILE_OR_ADDRESS = re.compile(r"\.[A-Za-z0-9]{2,5}$|^https?://", re.IGNORECASE)
# The image's alt text where themes write it beside the key: Clarity's featureImageAlt, Congo's
# featureAlt (else coverAlt, thumbnailAlt), also for the bundle's *feature* file it shows;
# Eleventy Excellent's alt beside its image.
ALT_KEYS = ("image_alt", "socialimagealt", "heroimagealt", "hero_image_alt", "featureimagealt",
            "featurealt", "cover_alt", "coveralt", "thumbnailalt", "alt")
# The source in a mapping: Hugo's `cover: {image: ..., alt: ...}`, jekyll-seo-tag's
# `image: {path: ...}`, Minimal Mistakes' `header: {overlay_image: ..., teaser: ...}`, TeXt's
# `article_header: {image: {src: ...}}` (a mapping in the mapping).
SOURCE_KEYS = ("image", "path", "src", "url", "overlay_image", "teaser", "background_image")


@record(frozen=True)
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


def feature_image(meta: dict[str, Any], fields: Fields,
                  site: dict[str, Any] | None = None) -> PostImage | None:
    """The feature image named by the first of :data:`IMAGE_KEYS` that has a value, if any; a
    bare file name is one of the folder the site's ``urlimg`` names (Feeling Responsive's
    themes write ``{{ site.urlimg }}{{ page.header.image }}``)."""
    image = _named_image(meta, fields)
    folder = (site or {}).get("urlimg")
    if image is None or "/" in image.src or not isinstance(folder, str) or not folder.strip():
        return image
    if urlsplit(folder).netloc == urlsplit(str((site or {}).get("url") or "")).netloc:
        folder = urlsplit(folder).path  # the site's own address: its file, found in the site
    return replace(image, src=folder.strip().rstrip("/") + "/" + image.src)


def _named_image(meta: dict[str, Any], fields: Fields) -> PostImage | None:
    for key in (key for key in IMAGE_KEYS if meta.get(key)):
        value, alt = _source(key, meta[key])
        if value is None or (key in _LOOSE_KEYS and not isinstance(value, str)):
            continue  # cover: {image: "", hidden: true}, as theme archetypes leave it
        if key in _FILE_ONLY_KEYS and not _FILE_OR_ADDRESS.search(value.strip()):
            continue
        if not isinstance(value, str) or not value.strip():
            name = fields.name(key)
            raise ContentError(f"{name} must be an image path or URL", where=fields.where(key),
                               hint=f'write it as {name}: "./image.jpg"')
        return PostImage(value.strip(), _one_line(alt) or image_alt(meta, fields),
                         fields.where(key))
    return None


def image_alt(meta: dict[str, Any], fields: Fields) -> str | None:
    """The alt text the first of :data:`ALT_KEYS` gives the feature image, if any."""
    return _one_line(next((fields.string(k) for k in ALT_KEYS if meta.get(k)), None))


def _one_line(alt: Any) -> str | None:
    return (" ".join(str(alt).split()) or None) if alt else None


def _source(key: str, value: Any) -> tuple[Any, Any]:
    """The image source a key's value names, and the alt text written with it."""
    if key in ("images", "cover-img", "bigimg") and isinstance(value, list) and value:
        value = value[0]  # Hugo's: the first is the page's image; Beautiful Jekyll's rotate
    if key == "featured-img" and isinstance(value, str) and not {"/", "."} & set(value):
        return f"/assets/img/posts/{value.strip()}.jpg", None  # Sleek's: a name, its JPEG
    if not isinstance(value, dict):
        return value, None
    value = {str(name).lower(): item for name, item in value.items()}
    source = next((value[k] for k in SOURCE_KEYS if value.get(k)), None)
    if isinstance(source, dict):  # TeXt's article_header.image.src
        source = next((source[k] for k in SOURCE_KEYS if source.get(k)), None)
    feature = value.get("feature")
    if source is None and isinstance(feature, str) and feature.strip():  # HPSTR's, So Simple 1's:
        feature = feature.strip()  # a file of /images/, or an address
        return feature if "//" in feature or feature.startswith("/") else f"/images/{feature}", None
    if source is None and key == "cover-img" and len(value) == 1:
        return next(iter(value.items()))  # Beautiful Jekyll's ["/img/x.jpg" : "caption"]
    # Minimal Mistakes' image_description; Beautiful Hugo's desc
    return source, value.get("alt") or value.get("image_description") or value.get("desc")

