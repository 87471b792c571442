"""The email as readers' clients show it, for the preview: each element no mail client runs
(an ``<iframe>``, a form and its controls, an ``<object>``: :data:`newsletter.check.NEVER_RUN`)
is a marked gap. Shown as written, the preview's frames loaded a map or a form that readers
never get, while `check` refused the post for it; opened from disk, email.html loaded them with
nothing around it. ``message.eml`` stays the message exactly as it would be sent.
"""

from __future__ import annotations

import re

import lxml.html

from newsletter.check import NEVER_RUN

_NEVER_RUN_TAG = re.compile(r"<(?:%s)\b" % "|".join(NEVER_RUN), re.IGNORECASE)
_MARK_STYLE = ("display:inline-block;border:2px dashed #b00020;padding:4px 8px;"
               "color:#b00020;background:#fff;font:14px/1.4 sans-serif")


def as_clients_show(html: str) -> str:
    """``html`` with each element mail clients drop replaced by a mark saying so."""
    if not _NEVER_RUN_TAG.search(html):
        return html  # the usual email: as it is, byte for byte
    document = lxml.html.document_fromstring(html)
    marked: set = set()
    for element in list(document.iter(*NEVER_RUN)):
        if any(ancestor in marked for ancestor in element.iterancestors()):
            continue  # inside a form already marked
        marked.add(element)
        mark = lxml.html.Element("span", style=_MARK_STYLE)
        mark.text = f"<{element.tag}> dropped here: mail clients remove it"
        mark.tail = element.tail
        element.getparent().replace(element, mark)
    return lxml.html.tostring(document.getroottree(), encoding="unicode", doctype=_doctype(html))


def _doctype(html: str) -> str:
    found = re.match(r"\s*(<!doctype[^>]*>)", html, re.IGNORECASE)
    return found[1] if found else ""
