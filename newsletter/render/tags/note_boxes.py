"""The note boxes and quotes themes ship, as Markdown quotes an email shows whatever its
dialect (docs/template-tags.md): their content is Markdown, expanded like the rest of the post,
then quoted whole."""

from __future__ import annotations

import html
import re

from newsletter.render.tags.html import url_in_markdown, web_url
from newsletter.render.tags.syntax import Tag

_ALERT_KINDS = frozenset({"info", "success", "warning", "danger", "tip", "note", "caution"})


def callout(tag: Tag, content: str) -> str:
    """The note boxes themes ship: Blowfish's, Congo's and Docsy's ``alert``, Relearn's and
    Hugo Coder's ``notice``, FixIt's and LoveIt's ``admonition``, Hextra's ``callout``, Hugo
    Book's ``hint``, Hugo Blox's ``callout warning``, Tranquilpeak's ``alert info``: a quote
    (Markdown's, which every dialect reads) headed by the box's title, else its kind (note,
    tip, warning), then its content."""
    positional = tag.name in ("notice", "admonition", "hint", "callout") or \
        tag.get("type", 0) in _ALERT_KINDS  # Tranquilpeak's alert info (Blowfish's: an icon)
    kind = tag.get("type") or tag.get("style") or tag.get("context") or (
        tag.get("type", 0) if positional else None)  # Doks's callout: context="danger"
    title = tag.get("title") or (tag.get("title", 1) if tag.name != "hint" else None)
    label = html.escape(" ".join((title or (kind or "note").replace("-", " ").replace(
        "_", " ").capitalize()).split()), quote=False)  # Markdown, never HTML of its own
    body = content.strip("\n").split("\n") if content.strip() else []
    return _quoted(body if body and _opens_with(body[0], label) else [f"**{label}**", "", *body])


def quotation(tag: Tag, content: str) -> str:
    """Stack's ``quote``: its content as a quote, then "― author, source", the source linked
    to its ``url``."""
    author, source = tag.get("author"), tag.get("source")
    cite = html.escape(" ".join(source.split()), quote=False) if source else ""
    url = web_url(tag.get("url") or "", mail=True) if cite and tag.get("url") else None
    cite = f"[{cite}]({url_in_markdown(url)})" if url else cite
    cite = ", ".join(part for part in (html.escape(" ".join((author or "").split()),
                                                   quote=False), cite) if part)
    body = content.strip("\n").split("\n") if content.strip() else []
    return _quoted([*body, *(["", f"\u2015 {cite}"] if cite else [])])


def _quoted(lines: list[str]) -> str:
    """``lines`` as a Markdown quote (which every dialect reads). A line's own end is kept: two
    spaces there are a line break (Hugo Book's "**Info**  ")."""
    return "\n\n" + "\n".join(f"> {line}" if line.strip() else ">" for line in lines) + "\n\n"


def _opens_with(line: str, label: str) -> bool:
    """Whether a note box's content starts with its label in bold (Hugo Book's hints do, the
    box showing no label of its own): the label is not said twice."""
    bold = re.match(r"\s*(\*\*|__)(.+?)\1", line)
    return bool(bold) and bold.group(2).strip().rstrip(":").casefold() == label.casefold()
