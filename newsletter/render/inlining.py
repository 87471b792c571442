"""The email's CSS inlined into style attributes (premailer), kept between processes.

premailer, with cssutils and cssselect, is most of a render's CPU: 40 ms to import, and 80 ms
to inline a process's first email (cssutils compiles its grammar then). What it makes depends
only on the HTML it is given, the options below and the libraries' versions, so a render keeps
its answer under their hash in the site's state folder (``.newsletter/inlined/``; a site on
PostgreSQL keeps nothing on the host): a later process rendering the same post with the same
templates and settings (`check`, then `send`; `send --due` every quarter of an hour; `preview`)
reads it back without importing premailer. A cache: when it cannot be read or written,
premailer runs.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from newsletter.render.image_prep import write_atomically

# The HTML attributes premailer would derive from CSS (its "basic attributes").
PRESENTATIONAL_ATTRIBUTES = ("width", "height", "bgcolor", "align", "valign")
PREMAILER_OPTIONS = {
    "keep_style_tags": False,
    "allow_network": False,
    "disable_validation": True,
    "cssutils_logging_level": logging.CRITICAL,  # else cssutils logs every vendor property
    # premailer copies CSS width, height, background-color and text-align into HTML
    # attributes on whatever element the rule styles: height="auto" on images, bgcolor on
    # <pre>, width and align on the button's <a>, all invalid there. The templates write the
    # attributes the tables and cells need themselves (docs/email.md#css-inlining).
    "disable_basic_attributes": list(PRESENTATIONAL_ATTRIBUTES),
    # premailer's own pass validates every image's style with cssutils, whose validation
    # patterns take 40 ms to compile in each process: align_floating_images does it.
    "align_floating_images": False,
}
# What premailer's answer depends on besides the HTML (a library's version among them).
LIBRARIES = ("premailer", "cssutils", "cssselect", "lxml")
KEPT = 32  # answers kept; the oldest go first
STALE_TEMPORARY = 3600  # seconds: a temporary file this old is no process's any more
_EXACT = "surrogatepass"  # every str to bytes and back as it was

_IMAGE_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_VOID_END_TAGS = re.compile(r"</(?:wbr|source|track)>")
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"', re.IGNORECASE)
_FLOAT = re.compile(r"(?:^|;)\s*float\s*:\s*(left|right)\b", re.IGNORECASE)


def inline_css(html: str, cache_dir: Path | None = None) -> str:
    """Inline the document's CSS into style attributes; with ``cache_dir``, premailer's answer
    is kept there for the next process (and taken from there when it is).

    The template puts the ``@media`` rules in ``<style data-premailer="ignore">``, which premailer
    leaves as written (with their ``!important``): serialising them through cssutils took most
    of the render time.
    """
    inlined = _premailer(html) if cache_dir is None else _kept(html, cache_dir)
    return align_floating_images(without_void_end_tags(inlined))


def without_void_end_tags(html: str) -> str:
    """``html`` as lxml wrote it, without the end tags of void elements its HTML 4 table does not
    know (``</wbr>``, and ``</source>``, ``</track>`` of a video), which validators flag."""
    return _VOID_END_TAGS.sub("", html)


def align_floating_images(html: str) -> str:
    """``align="left"`` or ``"right"`` on each image its style floats and that has no align
    yet: Outlook ignores CSS floats but honours the attribute."""
    if "float" not in html:
        return html

    def aligned(tag: re.Match) -> str:
        style = _STYLE_ATTRIBUTE.search(tag[0])
        sides = _FLOAT.findall(style[1]) if style else []
        if not sides or re.search(r"\salign=", tag[0], re.IGNORECASE):
            return tag[0]
        return f'{tag[0][:4]} align="{sides[-1].lower()}"{tag[0][4:]}'

    return _IMAGE_TAG.sub(aligned, html)


def _premailer(html: str) -> str:
    return _premailer_class()(html, **PREMAILER_OPTIONS).transform(pretty_print=False)


@lru_cache(maxsize=1)
def _premailer_class() -> type:
    """Premailer turning each style sheet into rules once a process: every email has the
    templates' sheet, whose rules took half the render of each post `check` and `preview`
    go through (60 ms a post, four minutes of a blog of 5,000)."""
    from premailer import Premailer  # 40 ms of imports: only when no kept answer will do

    class SheetsOnce(Premailer):
        def _parse_style_rules(self, css_body, ruleset_index):
            rules, leftover = _style_rules(css_body, ruleset_index)
            return list(rules), list(leftover)  # premailer's own lists, as each call made them

    return SheetsOnce


@lru_cache(maxsize=16)
def _style_rules(css_body: str, ruleset_index: int) -> tuple[list, list]:
    """Premailer's rules and left-over rules of one style sheet, under PREMAILER_OPTIONS."""
    from premailer import Premailer

    return Premailer("", **PREMAILER_OPTIONS)._parse_style_rules(css_body, ruleset_index)


def _kept(html: str, cache_dir: Path) -> str:
    salt = _salt()
    if salt is None:
        return _premailer(html)
    digest = hashlib.sha256(salt + html.encode("utf-8", _EXACT)).hexdigest()[:32]
    path = cache_dir / f"{digest}.html"
    kept = _read_whole(path)
    if kept is not None:
        return kept
    inlined = _premailer(html)
    try:  # best effort: a site that cannot be written to still renders, without a cache
        cache_dir.mkdir(parents=True, exist_ok=True)
        body = inlined.encode("utf-8", _EXACT)
        write_atomically(path, _digest(body) + b"\n" + body)
        for old in sorted(cache_dir.glob("*.html"), key=lambda p: p.stat().st_mtime)[:-KEPT]:
            old.unlink()
        stale = time.time() - STALE_TEMPORARY
        for left in cache_dir.glob(".*.tmp"):  # by a process killed while it wrote
            if left.stat().st_mtime < stale:
                left.unlink()
    except OSError:
        pass
    return inlined


def _read_whole(path: Path) -> str | None:
    """The answer kept at ``path``, or None when there is none or it is not whole: its first
    line is the digest of the rest, so a file cut or emptied (a crash before the disk had it,
    a full disk, a hand) is inlined afresh and never reaches a reader."""
    try:
        digest, _, body = path.read_bytes().partition(b"\n")
    except OSError:
        return None
    return body.decode("utf-8", _EXACT) if digest == _digest(body) else None


def _digest(body: bytes) -> bytes:
    return hashlib.sha256(body).hexdigest().encode()


@lru_cache(maxsize=1)
def _salt() -> bytes | None:
    """The options and the libraries' versions, which premailer's answer depends on too (None:
    a version is unknown, so nothing is kept)."""
    try:
        versions = [f"{name} {metadata.version(name)}" for name in LIBRARIES]
    except metadata.PackageNotFoundError:
        return None
    return repr((sorted(PREMAILER_OPTIONS.items()), versions)).encode() + b"\0"
