"""HTML a post carries that email clients never run: an ``<iframe>`` (a YouTube player pasted from
the video's Share button), a ``<script>``, a form. Gmail, Outlook and Apple Mail drop them, so
the reader sees a gap where the blog shows a video: an error, at the element's line. ``<video>``
and ``<audio>`` play in Apple Mail only (elsewhere their fallback content shows): a warning. So is
a ``<style>``, which the email leaves out (its rules would restyle the whole email).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from newsletter.check.findings import Finding, error, warning

if TYPE_CHECKING:
    from newsletter.check.context import CheckContext

NEVER_RUN = ("iframe", "script", "embed", "object", "form", "input", "select", "textarea",
             "button")
SOME_CLIENTS = ("video", "audio")
LEFT_OUT = "style"
_YOUTUBE = re.compile(r"(?:youtube(?:-nocookie)?\.com/embed/|youtu\.be/)([\w-]{6,64})")


def embed_findings(context: CheckContext) -> list[Finding]:
    """One finding per such element of the post, where the post writes it."""
    source, found = context.sources.post, []
    cursor = source.start
    for element in context.fragment.iter(*NEVER_RUN, *SOME_CLIENTS, LEFT_OUT):
        tag = element.tag
        written = re.compile(rf"<{tag}\b", re.IGNORECASE).search(source.text, cursor)
        if written:
            cursor = written.end()
        where = source.where(source.line_at(written.start()) if written else None)
        src = (element.get("src") or element.get("data") or "").strip()
        article = "an" if tag[0] in "aeio" else "a"
        if tag == LEFT_OUT:
            found.append(warning("html-style", where, "a <style> is left out of the email: "
                                 "its rules would restyle the whole email, layout included",
                                 "give the elements the post styles a style attribute instead"))
            continue
        if tag in SOME_CLIENTS:
            found.append(warning("html-media", where, f"{article} <{tag}> plays in Apple Mail "
                                 "only; other clients show what it holds instead",
                                 "link to the file or page instead, with a still image"))
            continue
        video = _YOUTUBE.search(src)
        hint = (f"link its thumbnail to the video instead: [![Watch the video](https://i.ytimg"
                f".com/vi/{video[1]}/hqdefault.jpg)](https://www.youtube.com/watch?v={video[1]})"
                if video else "link to what it shows instead")
        shown = f"{article} <{tag}>" + (f" ({src[:80]})" if src else "")
        found.append(error("html-embed", where, f"{shown} is removed by every email client: "
                           "readers would see a gap", hint))
    return found
