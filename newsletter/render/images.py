"""A post's own images in its email: found, prepared once, and pointed at where readers get them.

Every ``<img>`` of the body (Markdown or raw HTML) whose ``src`` is not a URL, and the feature
image of the front matter, is resolved to a file (:mod:`newsletter.render.image_files`),
prepared (:mod:`newsletter.render.image_prep`) and given the ``src``, ``width`` and ``height``
readers need. Where the ``src`` points depends on ``[images] mode`` (docs/images.md#delivery):

- ``hosted``: ``[images] url`` + the content-hashed name; the file is written to
  ``[images] publish_dir``, which the writer deploys with the blog;
- ``inline`` (and while no mode is set, for the preview): ``cid:<name>``, a part of the message.

:func:`post_images` is the same search without rendering an email, for a preflight check.
"""

from __future__ import annotations

import base64
import bisect
import re
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import lxml.html

from newsletter.config import Settings
from newsletter.errors import ConfigError, ContentError, MissingImageError
from newsletter.posts import Post, site_relative
from newsletter.records import record
from newsletter.render.image_files import is_local, resolve_image, served_from
from newsletter.render.image_prep import PreparedImage, prepare_image, write_atomically
from newsletter.render.image_widths import MAX_IMAGE_WIDTH, display_width
from newsletter.render.markdown import post_fragment
from newsletter.render.tags import expand_post
from newsletter.render.tags.html import inline_markdown

if TYPE_CHECKING:
    from newsletter.render.email import Email

DENSITY = 2  # pixels prepared per CSS pixel shown: sharp on high-density screens
# Past this much image data per message, a warning: every reader downloads it (docs/images.md).
IMAGE_WARNING_BYTES = 1024 * 1024
# Where blog themes keep the picture a post's front matter names by its file name alone
THEME_IMAGE_FOLDERS = ("assets/img", "assets/images", "images", "img")


@record(frozen=True)
class EmailImage:
    """One prepared image as the email carries it."""

    prepared: PreparedImage
    src: str  # what the email's HTML says: cid:<name>, or [images] url + name

    @property
    def name(self) -> str:
        return self.prepared.name

    @property
    def content_type(self) -> str:
        return self.prepared.content_type

    @property
    def data(self) -> bytes:
        return self.prepared.data

    @property
    def inline(self) -> bool:
        """True when the image travels inside each message, as a ``cid:`` part."""
        return self.src.startswith("cid:")

    @cached_property
    def base64(self) -> str:
        """The bytes in base64, as JSON APIs take attachments (encoded once per post)."""
        return base64.b64encode(self.data).decode("ascii")


@record(frozen=True)
class FeatureImage:
    """The front matter's image at the top of the email, for the template."""

    src: str
    width: int
    height: int | None  # None for a remote image, whose size is unknown
    alt: str
    href: str  # the post's web page


@record(frozen=True)
class FoundImage:
    """One local image reference of a post, and the file it led to (or why it did not)."""

    src: str  # as written
    where: str  # file:line
    shown_width: int  # CSS pixels in the email
    path: Path | None  # the file it names
    prepared: PreparedImage | None
    problem: ContentError | None
    remote: str | None = None  # where the theme serves a file the site does not keep


def post_images(settings: Settings, post: Post) -> list[FoundImage]:
    """Every local image of ``post`` (body, then feature image), prepared or with its problem."""
    fragment = post_fragment(settings, post, expand_post(settings, post).markdown)
    found = [image for _, image in _body_images(settings, post, fragment)]
    feature = _local_feature(settings, post)
    return found + ([feature] if feature else [])


def mode_problem(settings: Settings, email: Email) -> ConfigError | None:
    """Why the post's own images cannot be sent yet: ``[images] mode`` is not set."""
    if not email.images or settings.images.mode is not None:
        return None
    count = len(email.images)
    return ConfigError(
        f"{email.post_id} has {count} image{'s' if count > 1 else ''} of its own but "
        "[images] mode is not set",
        where="newsletter.toml",
        hint='set mode = "inline" under [images] to send them inside each message, or '
             'mode = "hosted" with url = "..." to load them from the blog once its '
             "publish_dir is deployed",
    )


def place_images(settings: Settings, post: Post, fragment: lxml.html.HtmlElement
                 ) -> tuple[tuple[EmailImage, ...], FeatureImage | None]:
    """Point every local image of the body at its prepared file; the feature image, if shown.

    Raises one ContentError for the first image that cannot be used, naming how many more
    there are, so nothing is ever sent with an image it could have found broken.
    """
    body = _body_images(settings, post, fragment)
    feature = _local_feature(settings, post) if settings.email.feature_image else None
    if feature and feature.path and any(found.path == feature.path for _, found in body):
        feature = None  # Lumen's socialImage is often the photo the post shows: not twice
    problems = [found.problem for _, found in body if found.problem]
    if feature and feature.problem:
        problems.append(feature.problem)
    if problems:
        raise _first_of(problems)
    images: dict[str, EmailImage] = {}
    for element, found in body:
        # eleventy:ignore, eleventy:widths: the image transform's instructions, which Eleventy
        # takes out of the page
        for attribute in [name for name in element.attrib if name.startswith("eleventy:")]:
            element.attrib.pop(attribute)
        if found.remote:  # a URL: shown as it is, at the column's width
            element.set("src", found.remote)
            element.set("width", str(found.shown_width))
            element.attrib.pop("height", None)
            continue
        image = _delivered(settings, found.prepared, images)
        width, height = _shown_size(found)
        element.set("src", image.src)
        element.set("width", str(width))
        element.set("height", str(height))
        for attribute in ("srcset", "sizes"):  # would name the site's files, not the prepared one
            element.attrib.pop(attribute, None)
    shown = _feature(settings, post, feature, images)
    return tuple(images.values()), shown


def _body_images(settings: Settings, post: Post, fragment: lxml.html.HtmlElement
                 ) -> list[tuple[lxml.html.HtmlElement, FoundImage]]:
    lines = _SourceLines(settings, post)
    found = []
    for element in fragment.iter("img"):
        src = (element.get("src") or "").strip()
        if is_local(src):
            width = display_width(element)
            found.append((element, _find(settings, post, src, lines.where(src), width)))
    return found


def _local_feature(settings: Settings, post: Post) -> FoundImage | None:
    """The front matter's image; one named by its file name alone that is not beside the post
    is in the folder its theme's layout puts before it (Millennial's ``image: cuba.jpg`` is
    ``/assets/img/cuba.jpg``), the first of :data:`THEME_IMAGE_FOLDERS` that has it."""
    if post.image is None or not is_local(post.image.src):
        return None
    src, where = post.image.src, post.image.where
    found = _find(settings, post, src, where, MAX_IMAGE_WIDTH)
    if isinstance(found.problem, MissingImageError) and "/" not in src.strip():
        in_folders = (_find(settings, post, f"/{folder}/{src.strip()}", where, MAX_IMAGE_WIDTH)
                      for folder in THEME_IMAGE_FOLDERS)
        return next((other for other in in_folders if other.problem is None), found)
    return found


def _find(settings: Settings, post: Post, src: str, where: str, width: int) -> FoundImage:
    path = None
    try:
        path = resolve_image(settings, post, src, where)
        prepared = prepare_image(path, width * DENSITY, settings.state_dir / "images", where)
    except MissingImageError as problem:  # on Chirpy's cdn, shown from there
        remote = served_from(post, src)
        return FoundImage(src, where, width, None, None, None if remote else problem, remote)
    except ContentError as problem:
        return FoundImage(src, where, width, path, None, problem)
    return FoundImage(src, where, width, path, prepared, None)


def _shown_size(found: FoundImage) -> tuple[int, int]:
    """The size shown: the width asked for, never more than the prepared pixels (no blur)."""
    prepared = found.prepared
    width = min(found.shown_width, prepared.width)
    return width, max(1, round(prepared.height * width / prepared.width))


def _delivered(settings: Settings, prepared: PreparedImage, done: dict[str, EmailImage]
               ) -> EmailImage:
    """The image as readers get it; the same file used twice travels once."""
    if prepared.name not in done:
        done[prepared.name] = _deliver(settings, prepared)
    return done[prepared.name]


def _deliver(settings: Settings, prepared: PreparedImage) -> EmailImage:
    images = settings.images
    if images.mode != "hosted":
        return EmailImage(prepared, f"cid:{prepared.name}")
    folder = settings.root / images.publish_dir
    target = folder / prepared.name
    if not target.is_file():  # content-hashed: a file of that name already holds these bytes
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(target, prepared.data)
    return EmailImage(prepared, f"{images.url.rstrip('/')}/{prepared.name}")


def _feature(settings: Settings, post: Post, found: FoundImage | None,
             images: dict[str, EmailImage]) -> FeatureImage | None:
    if not settings.email.feature_image or post.image is None:
        return None
    alt, src = post.image.alt or inline_markdown(post.title)[1], post.image.src  # words, no marks
    if not is_local(src):  # a URL: shown as it is, at the column's width
        return FeatureImage("https:" + src if src.startswith("//") else src, MAX_IMAGE_WIDTH,
                            None, alt, post.url)
    if found is None:  # the body shows this image already
        return None
    if found.remote:
        return FeatureImage(found.remote, MAX_IMAGE_WIDTH, None, alt, post.url)
    image = _delivered(settings, found.prepared, images)
    width, height = _shown_size(found)
    return FeatureImage(image.src, width, height, alt, post.url)


def _first_of(problems: list[ContentError]) -> ContentError:
    first = problems[0]
    if len(problems) == 1:
        return first
    more = ", ".join(problem.where or "?" for problem in problems[1:])
    return ContentError(f"{first.message} (and {len(problems) - 1} more: {more})",
                        where=first.where, hint=first.hint)


class _SourceLines:
    """``file:line`` of each image reference in the post's body, in the order they appear.

    A plain search from the last reference found (they come in the body's order), else from
    the body's start, and the line by bisection: a regular expression and a count of lines
    from the body's start for each reference took eight minutes over a post of 20,000 images.
    """

    def __init__(self, settings: Settings, post: Post):
        self.file = site_relative(settings, Path(post.path))
        self.body, self.first_line = post.body, post.body_line
        self.next_search: dict[str, int] = {}  # a reference used again: after its last place
        self.cursor = 0
        self.line_ends = [found.start() for found in re.finditer("\n", self.body)]

    def where(self, src: str) -> str:
        starts = [self.next_search[src]] if src in self.next_search else [self.cursor, 0]
        at = next((at for start in starts if (at := self._find(src, start)) >= 0), -1)
        if at < 0:
            at = self._after_liquid(src)
        if at < 0:
            at = self._named_alone(src)
        if at < 0:
            return self.file
        self.next_search[src] = self.cursor = at + len(src)
        return f"{self.file}:{self.first_line + bisect.bisect_left(self.line_ends, at)}"

    def _named_alone(self, src: str) -> int:
        """Where the body names the end of ``src``'s path, quoted, as an argument whose folder
        the theme or include adds (apollo's ``character(image="owl.png")``, al-folio's
        ``{% include figure.liquid path="assets/img/9.jpg" %}``), else -1."""
        path = src.partition("?")[0]
        tails = [path[at + 1:] for at, char in enumerate(path) if char == "/"]
        return next((at + 1 for tail in tails if tail for start in (self.cursor, 0)
                     for quote in "\"'"
                     if (at := self.body.find(quote + tail + quote, start)) >= 0), -1)

    def _after_liquid(self, src: str) -> int:
        """Where the body writes the path of ``src`` after a Liquid output (``{{ site.baseurl
        }}/assets/x.png``, which the email has as ``/blog/assets/x.png``), else -1."""
        cuts = [at for at, char in enumerate(src.partition("?")[0]) if char == "/"][:4]
        return next((at for start in (self.cursor, 0) for cut in cuts
                     if (at := self.body.find("}}" + src[cut:], start)) >= 0), -1)

    def _find(self, src: str, start: int) -> int:
        at = self.body.find(src, start) if src else -1
        while at >= 0 and not self._whole(at, at + len(src)):
            at = self.body.find(src, at + 1)
        return at

    def _whole(self, start: int, end: int) -> bool:
        """The reference as a whole: "image.jpg" is not the end of "/media/image.jpg"."""
        return not (start and _in_a_path(self.body[start - 1])
                    or end < len(self.body) and _in_a_path(self.body[end]))


def _in_a_path(char: str) -> bool:
    return char.isalnum() or char in "_./%-"
