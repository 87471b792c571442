"""Image findings: what the rendered email's ``<img>`` elements show is wrong with them.

This reads the HTML alone (alt text, where ``src`` points, the file type its name says).
Resolving a post's local images (missing file, too large) belongs to rendering; its problems
join these in :func:`image_findings`.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote

from newsletter.check.findings import Finding, Severity, error, warning
from newsletter.check.links import private_problem, relative_problem, scheme_finding, shown_url
from newsletter.check.urls import MALFORMED_HINT, WEB_SCHEMES
from newsletter.errors import ContentError, MissingImageError
from newsletter.render import IMAGE_WARNING_BYTES, is_local, mode_problem
from newsletter.urls import split_url

if TYPE_CHECKING:
    from newsletter.check.context import CheckContext
    from newsletter.check.links import LinkUse

# Formats by file extension (docs/email.md#images): every client shows PNG, JPEG and GIF.
NEWER_FORMATS = {".webp": "a WebP", ".avif": "an AVIF"}  # shown by some clients only
UNSHOWN_FORMATS = {".svg": "an SVG", ".heic": "a HEIC", ".heif": "a HEIF", ".tif": "a TIFF",
                   ".tiff": "a TIFF", ".bmp": "a BMP", ".psd": "a Photoshop", ".pdf": "a PDF"}
# An alt text that is a file's name: what editors and exports fill in when nobody wrote one.
IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg", ".heic",
                              ".heif", ".tif", ".tiff", ".bmp"})
_CAMERA_NAME = re.compile(r"(?:img|dsc[nf]?|pxl|mvimg)[_-]?\d[\w-]*"
                          r"|screen ?shot[ _-]\d{4}-\d\d-\d\d\b.*", re.IGNORECASE)
IMAGE_SCHEMES = WEB_SCHEMES | frozenset({"cid"})  # cid: an image attached to the message itself
_UNLOADABLE = (error, "image-scheme", "{subject} uses {scheme}:, which no email client loads",
               "use the image's https:// address")
# What each scheme problem (check/urls.py: scheme_problem) means for an image.
IMAGE_SCHEME_PROBLEMS = {
    "empty": (error, "image-empty", "an image has no src", "give it the image's address"),
    "malformed": (error, "image-malformed", "{subject} is no valid address ({url})",
                  MALFORMED_HINT),
    "script": _UNLOADABLE,
    "data": (error, "image-data", "{subject} is embedded as a data: URL, which Gmail and Outlook "
             "do not show", "put the image file beside the post, or on the web"),
    "file": (error, "image-local-file", "{subject} is a file on your computer ({url})",
             "readers cannot load it: put it beside the post, or on the web"),
    "unknown": _UNLOADABLE,
}


def image_findings(uses: list[LinkUse], context: CheckContext) -> list[Finding]:
    """What is wrong with each ``<img>`` of the email, and with their weight together."""
    found = []
    for use in uses:
        if use.tag == "img":
            found += _image_problems(use)
    if problem := mode_problem(context.settings, context.email):
        found.append(error("image-mode", context.sources.settings_file.setting_where(
            "images", "mode"), problem.message, problem.hint))
    weight = sum(len(image.data) for image in context.email.images)
    if weight > IMAGE_WARNING_BYTES:
        found.append(warning(
            "image-heavy", context.sources.post.where(1), f"the post's images weigh {weight // 1024} KB; every "
            "reader downloads them with the email", "export smaller files, or fewer"))
    return found


def file_image_findings(problems: list[ContentError]) -> list[Finding]:
    """The post's own image files that could not be used, each where the post names it."""
    return [error("image-missing" if isinstance(problem, MissingImageError) else "image-unusable",
                  problem.where, problem.message, problem.hint) for problem in problems]


def _image_problems(use: LinkUse) -> list[Finding]:
    url, where = use.url, use.where
    problems = []
    if not use.has_alt and use.link:
        problems.append(warning(
            "image-no-alt", where, f"the image {_name(url)} has no alt text, and it is all its "
            f"link shows: screen readers name the link by its address ({shown_url(use.link)})",
            "say where it leads: [![what it shows](...)](...) or alt=\"...\""))
    elif not use.has_alt:
        problems.append(warning(
            "image-no-alt", where, f"the image {_name(url)} has no alt text",
            "describe it: ![what it shows](...) or alt=\"...\"; many clients show the alt text "
            "until the reader allows images"))
    elif alt_is_a_file_name(use.label, url):
        problems.append(warning(
            "image-alt-filename", where, f"the alt text of the image {_name(url)} is a file "
            f"name ({use.label})", "describe what it shows: clients show the alt text until the "
            "reader allows images, and screen readers read it aloud"))
    source_problem = _source_problem(use)
    if source_problem:
        problems.append(source_problem)
        if source_problem.severity is Severity.ERROR:
            return problems  # no client loads it: its format does not matter
    suffix = PurePosixPath(_path(url)).suffix.lower()
    if suffix in UNSHOWN_FORMATS:
        problems.append(error("image-format", where, f"{_name(url)} is "
                              f"{UNSHOWN_FORMATS[suffix]} image, which most email clients do "
                              "not show", "convert it to PNG or JPEG"))
    elif suffix in NEWER_FORMATS and not (use.in_post and is_local(url)):
        # (a file of the site's goes out as the JPEG or PNG it is prepared as)
        problems.append(warning("image-format", where, f"{_name(url)} is "
                                f"{NEWER_FORMATS[suffix]} image, which classic Outlook and some "
                                "other clients do not show", "PNG or JPEG shows everywhere"))
    return problems


def alt_is_a_file_name(alt: str, url: str) -> bool:
    """True for an alt text that names a file rather than describing it: one ending in an image
    extension, a camera's or a screenshot's name, or the image's own file name or stem."""
    alt = alt.strip().lower()
    if PurePosixPath(alt).suffix in IMAGE_EXTENSIONS or _CAMERA_NAME.fullmatch(alt):
        return True
    path = PurePosixPath(unquote(_path(url)).lower())
    return (not any(char.isspace() for char in alt) and alt in (path.name, path.stem)
            and any(char in "-_." or char.isdigit() for char in alt))


def _source_problem(use: LinkUse) -> Finding | None:
    if use.in_post and is_local(use.url):
        return None  # a file of the site: rendering found it (or failed: image-missing)
    subject = f"the image {_name(use.url)}"
    return (scheme_finding(use, subject, IMAGE_SCHEME_PROBLEMS, IMAGE_SCHEMES)
            or relative_problem(use, "image", subject) or private_problem(use, "image", subject))


def _name(url: str) -> str:
    name = PurePosixPath(_path(url)).name if url else ""
    return name or url or "(no source)"


def _path(url: str) -> str:
    parts = split_url(url)
    return parts.path if parts else ""
