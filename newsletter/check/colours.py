"""Text coloured like its background: invisible to readers, and a classic spam trick.

Spam filters compare each run of text's colour with the background it sits on; SpamAssassin's
HTML_FONT_LOW_CONTRAST fires when the two are the same or nearly so (a brightness-weighted
distance under 12 out of about 191; docs/email.md#preheader). This walks the rendered HTML the
same way: colours from inline styles, ``color`` and ``bgcolor`` attributes, inherited down the
tree. The ``@media`` rules (dark mode) are not inlined and not read.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator

import lxml.html

from newsletter.check.findings import Finding, warning
from newsletter.render import TRANSPARENT, Colour, parse_colour

if TYPE_CHECKING:
    from newsletter.check.context import CheckContext

MIN_DISTANCE = 12.0
_SKIPPED = frozenset({"head", "style", "script", "title"})


def hidden_text_findings(context: CheckContext) -> list[Finding]:
    """One warning per colour pair that hides text."""
    seen: dict[tuple, str] = {}
    document = lxml.html.document_fromstring(context.email.html)
    for text, foreground, background in _runs(document, ("black", (0, 0, 0)), (255, 255, 255)):
        declared, colour = foreground
        if _hidden(colour, background):
            seen.setdefault((declared, background), text)
    return [_finding(context, declared, text) for (declared, _), text in seen.items()]


def _runs(element, foreground: tuple[str, Colour | str], background: Colour
          ) -> Iterator[tuple[str, tuple[str, Colour | str], Colour]]:
    """(text, (declared colour, colour), background) for every run of text under ``element``."""
    if not isinstance(element.tag, str) or element.tag in _SKIPPED:
        return
    style = _declarations(element.get("style") or "")
    declared = style.get("color") or element.get("color")
    colour = parse_colour(declared) if declared else None
    if colour is not None:
        foreground = (declared, colour)
    for value in (style.get("background-color"), style.get("background"), element.get("bgcolor")):
        colour = _first_colour(value)
        if colour is not None and colour != TRANSPARENT:
            background = colour
            break
    if (element.text or "").strip():
        yield element.text.strip(), foreground, background
    for child in element:
        yield from _runs(child, foreground, background)
        if (child.tail or "").strip():
            yield child.tail.strip(), foreground, background


def _hidden(colour: Colour | str, background: Colour) -> bool:
    if colour == TRANSPARENT:
        return True
    red, green, blue = (a - b for a, b in zip(colour, background))
    return ((0.2126 * red) ** 2 + (0.7152 * green) ** 2 + (0.0722 * blue) ** 2) ** 0.5 < MIN_DISTANCE


def _first_colour(value: str | None) -> Colour | str | None:
    for token in re.findall(r"rgba?\([^)]*\)|[^\s,]+", value or ""):
        colour = parse_colour(token)
        if colour is not None:
            return colour
    return None


def _declarations(style: str) -> dict[str, str]:
    pairs = (part.split(":", 1) for part in style.split(";") if ":" in part)
    return {name.strip().lower(): value.strip() for name, value in pairs}


def _finding(context: CheckContext, declared: str, text: str) -> Finding:
    sources = context.sources
    pattern = rf"(?<![\w-])color\s*[:=]\s*[\"']?{re.escape(declared)}"
    where = next((found for source in (sources.post, sources.html_template, sources.stylesheet)
                  if (found := source.where_match(pattern, 0))), sources.html_template.name)
    shown = text if len(text) <= 40 else text[:39] + "\u2026"
    return warning("spam-hidden-text", where,
                   f"text coloured {declared} on a background of nearly the same colour: "
                   f'"{shown}"', "readers cannot see it and spam filters count it as hidden "
                   "text; change the colour, or hide the element with display:none alone")
