"""HTML a post carries that email clients never run: an ``<iframe>`` (a map, a code playground;
YouTube's and Vimeo's players are links to the video in the email, ``render/players.py``), a
``<script>``, a form. Gmail, Outlook and Apple Mail drop them, so the reader sees a gap where
the blog shows them: an error, at the element's line. Not
for a script that shows nothing (a data block, such as a recipe's or an article's
``application/ld+json``; blogdown's ``header-attrs.js``), nor for the script of a post embedded from X, Instagram, Bluesky or
Mastodon, which follows the quote that readers without it see. ``<video>``
and ``<audio>`` play in Apple Mail only (elsewhere their fallback content shows): a warning. An
inline ``<svg>`` shows there only too, with nothing in its place elsewhere: an error, as an SVG
image is. So is
a ``<style>``, which the email leaves out (its rules would restyle the whole email).

The email also leaves out what would act on the whole page it is shown in (``<base>``, ``<meta>``,
``<link>``: a warning) and every event handler attribute (``onerror="..."``: an error, as a
script is; a guest post may carry one). A ``javascript:`` URL in another attribute than the ones
the link check reads (``<area href>``, SVG's ``xlink:href``, a ``srcset``, CSS ``url()``) is an
error too.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from newsletter.check.findings import Finding, error, warning
from newsletter.check.urls import SCRIPT_SCHEMES, scheme_of
from newsletter.render import PAGE_TAGS, URL_ATTRIBUTES, is_event_handler

if TYPE_CHECKING:
    from newsletter.check.context import CheckContext

NEVER_RUN = ("iframe", "script", "embed", "object", "form", "input", "select", "textarea",
             "button")
SOME_CLIENTS = ("video", "audio")
DRAWING = "svg"  # inline SVG: Apple Mail draws it, Gmail and classic Outlook drop it
LEFT_OUT = "style"
# Attributes that hold a URL a browser may follow or load (HTML, SVG's href and xlink:href).
_URL_NAMES = frozenset({"href", "src", "action", "formaction", "background", "poster", "data",
                        "cite", "longdesc", "lowsrc", "dynsrc", "codebase", "ping", "usemap"})
_CSS_SCRIPT = re.compile(r"url\(\s*['\"]?\s*(?:java|vb)script:|expression\s*\(", re.IGNORECASE)


def embed_findings(context: CheckContext) -> list[Finding]:
    """One finding per such element of the post, where the post writes it."""
    return [*_element_findings(context), *_left_out_findings(context)]


def _element_findings(context: CheckContext) -> list[Finding]:
    source, found = context.sources.post, []
    cursor = source.start
    for element in context.fragment.iter(*NEVER_RUN, *SOME_CLIENTS, LEFT_OUT, DRAWING):
        tag = element.tag
        written = _written(tag, element.get("src"), source.text, cursor)
        if written:
            cursor = written.end()
        if tag == "script" and not _leaves_a_gap(element):
            continue
        where = source.where(source.line_at(written.start()) if written else None)
        src = (element.get("src") or element.get("data") or "").strip()
        article = "an" if tag[0] in "aeio" else "a"
        if tag == LEFT_OUT:
            found.append(warning("html-style", where, "a <style> is left out of the email: "
                                 "its rules would restyle the whole email, layout included",
                                 "give the elements the post styles a style attribute instead"))
            continue
        if tag == DRAWING:
            found.append(error("html-svg", where, "an <svg> drawn in the post shows in Apple "
                               "Mail only; Gmail and Outlook leave a gap",
                               "export it as a PNG image, with alt text"))
            continue
        if tag in SOME_CLIENTS:
            found.append(warning("html-media", where, f"{article} <{tag}> plays in Apple Mail "
                                 "only; other clients show what it holds instead",
                                 "link to the file or page instead, with a still image"))
            continue
        shown = f"{article} <{tag}>" + (f" ({src[:80]})" if src else "")
        found.append(error("html-embed", where, f"{shown} is removed by every email client: "
                           "readers would see a gap", "link to what it shows instead"))
    return found


def _written(tag: str, src: str | None, text: str, cursor: int) -> re.Match | None:
    """Where the post writes the element from ``cursor`` on: the tag with its ``src`` (the
    email shows a video player the post writes before it as a link), else the next such tag."""
    generic = re.compile(rf"<{tag}\b", re.IGNORECASE)
    if src:
        for written_src in dict.fromkeys((src, html.escape(src, quote=False))):
            found = re.compile(rf"<{tag}\b[^>]*?{re.escape(written_src)}", re.IGNORECASE).search(
                text, cursor)
            if found:
                return found
    return generic.search(text, cursor)


def _leaves_a_gap(script) -> bool:
    """Whether a ``<script>`` shows something on the blog that the email would lack: not a data
    block (a type that is not JavaScript, HTML's rule), nor an embed's script after its quote,
    nor X's widget script after the link it turns into a timeline or a button (``<a
    class="twitter-timeline" href="...">``, ``twitter-grid``...): readers get the link; nor the
    script R Markdown puts atop every blogdown post, header-attrs.js, which only moves the
    attributes of its headings."""
    kind = (script.get("type") or "").split(";")[0].strip().lower()
    runs = kind in ("", "module") or "javascript" in kind or "ecmascript" in kind
    if (script.get("src") or "").rstrip().endswith("/header-attrs.js"):
        return False
    before = script.getprevious()
    widget_link = before is not None and before.tag == "a" and bool(before.get("href")) and any(
        name.startswith("twitter-") for name in (before.get("class") or "").split())
    return runs and not (before is not None and before.tag == "blockquote" or widget_link)


def _left_out_findings(context: CheckContext) -> list[Finding]:
    """Each page-level tag the post writes, and each attribute that runs a script (an event
    handler, a script URL anywhere but <a href> and <img src>, which the link check reads),
    at its line."""
    source, found = context.sources.post, []
    cursor = source.start
    for element in context.fragment.iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        scripts = [name for name, value in element.attrib.items()
                   if is_event_handler(name) or _holds_script_url(element.tag, name, value)]
        if element.tag not in PAGE_TAGS and not scripts:
            continue
        attribute = rf"[^<>]*?\b{re.escape(scripts[0])}\s*=" if scripts else ""
        written = re.compile(rf"<{element.tag}\b{attribute}", re.IGNORECASE).search(
            source.text, cursor)
        if written:
            cursor = written.end()
        where = source.where(source.line_at(written.start()) if written else None)
        if element.tag in PAGE_TAGS:
            found.append(warning("html-page-tag", where, f"a <{element.tag}> is left out of the "
                                 "email: it would act on the whole page the email is shown in",
                                 "remove it from the post"))
        for name in scripts:
            found.append(error("html-script-attribute", where,
                               f"<{element.tag} {name}=...> runs a script; email clients remove "
                               "it, and spam filters distrust it", "remove the attribute"))
    return found


def _holds_script_url(tag: str, name: str, value: str) -> bool:
    """Whether attribute ``name`` of a ``tag`` leads to a script: a javascript: URL, in a
    srcset's candidates, or in CSS's url() (and IE's expression())."""
    name = name.lower()
    if URL_ATTRIBUTES.get(tag) == name:
        return False  # the link check's: link-javascript
    if name == "style":
        return bool(_CSS_SCRIPT.search(value))
    if name == "srcset":
        return any(scheme_of(candidate.split()[0]) in SCRIPT_SCHEMES
                   for candidate in value.split(",") if candidate.split())
    return name.rpartition(":")[2] in _URL_NAMES and scheme_of(value) in SCRIPT_SCHEMES
