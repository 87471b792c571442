"""The colours a post writes, kept readable in both schemes (docs/email.md#dark-mode).

- A code block a highlighter coloured (a ``style="color:..."`` on it or inside it: Hugo's and
  Pygments' inline styles, a block pasted from an editor) gets the class ``own-colours`` and
  its own colour declarations ``!important``: its colours were chosen for its own background,
  so dark mode leaves both as they are (one without a background of its own keeps the light
  code background, ``email.css``) instead of putting its light-theme colours on a dark block.
- A box the post gave a background of its own (``<p style="background-color:#fcf9e8">``, as
  WordPress writes a coloured block, a ``<div>`` note) gets the class ``own-colours`` too: its
  colours ``!important``, and the text inside the colour it was written for, in dark mode too
  (the dark scheme's light text on its light background was 1.1:1), and never the stylesheet's
  on a box the post darkened.
- Black or dark grey text outside such a box (``color:#000000``, which text pasted from a word
  processor or a shared document carries on every span) is the page's text colour, written
  out: the declaration goes, and the text takes the email's colour in each scheme. In dark
  mode it was black on the dark card (1.2:1). Coloured text stays as written.
"""

from __future__ import annotations

import re

import lxml.html

from newsletter.render.css_colours import parse_colour

# A style declaration that sets a text or background colour.
_COLOUR = re.compile(r"(?:^|;)\s*(?:color|background(?:-color)?)\s*:", re.IGNORECASE)
# A background the style gives (a pasted document's "background-color: transparent" is none).
_BACKGROUND = re.compile(r"(?:^|;)\s*background(?:-color)?\s*:(?!\s*(?:transparent|none|inherit|"
                         r"initial|unset|revert)\s*(?:!important\s*)?(?:;|$))", re.IGNORECASE)
_TEXT_COLOUR = re.compile(r"\s*color\s*:\s*([^;!]+?)\s*(?:!important\s*)?$", re.IGNORECASE)
# Black and dark greys: no channel over 0x60, and the three within 0x18 of each other.
_DARK, _GREY_SPREAD = 0x60, 0x18
_OWN_COLOURS = "own-colours"
# What the stylesheet gives a background of its own: it keeps its colours inside a box too.
_OWN_BACKGROUNDS = frozenset({"pre", "code", "th", "mark", "kbd", "img"})


def keep_post_colours(root: lxml.html.HtmlElement) -> None:
    """Code blocks' and boxes' own colours kept, pasted black text given the email's, in place."""
    for element in root.iterdescendants():
        if isinstance(element.tag, str) and element.get("style"):
            _drop_page_text_colour(element)
    for block in root.iter("pre"):
        _keep_own_colours(block)
    for box in root.iterdescendants():
        if (isinstance(box.tag, str) and _BACKGROUND.search(box.get("style") or "")
                and box.tag not in _OWN_BACKGROUNDS and not any(box.iterancestors("pre"))):
            _keep_own_background(box)


def _drop_page_text_colour(element: lxml.html.HtmlElement) -> None:
    """``element``'s black or dark grey text colour dropped, outside boxes and code."""
    if any(_BACKGROUND.search(holder.get("style") or "") or holder.tag in _OWN_BACKGROUNDS
           for holder in (element, *element.iterancestors())):
        return
    declarations = element.get("style").split(";")
    kept = [declaration for declaration in declarations if not _page_text(declaration)]
    if len(kept) < len(declarations) and "".join(kept).strip():
        element.set("style", ";".join(kept).strip())
    elif len(kept) < len(declarations):
        del element.attrib["style"]


def _page_text(declaration: str) -> bool:
    match = _TEXT_COLOUR.fullmatch(declaration)
    channels = parse_colour(match[1]) if match else None
    return isinstance(channels, tuple) and max(channels) <= _DARK and \
        max(channels) - min(channels) <= _GREY_SPREAD


def _keep_own_colours(block: lxml.html.HtmlElement) -> None:
    """A code block coloured by a highlighter keeps its colours (``own-colours``)."""
    if not any(_COLOUR.search(element.get("style") or "") for element in block.iter()
               if isinstance(element.tag, str)):
        return
    _important_colours(block)


def _keep_own_background(box: lxml.html.HtmlElement) -> None:
    """The text inside ``box`` takes its colour (``own-colours``: the light scheme's text, or
    its own) rather than each element's colour from the stylesheet, in either scheme."""
    _important_colours(box)
    for element in box.iterdescendants():
        style = element.get("style") or ""
        if (isinstance(element.tag, str) and element.tag not in _OWN_BACKGROUNDS
                and not _COLOUR.search(style) and not any(element.iterancestors(*_OWN_BACKGROUNDS))):
            element.set("style", f"color:inherit !important; {style}".strip())


def _important_colours(element: lxml.html.HtmlElement) -> None:
    """``element`` marked ``own-colours``, its colour declarations ``!important``: they beat
    the dark scheme's."""
    element.set("class", " ".join(filter(None, [element.get("class"), _OWN_COLOURS])))
    declarations = [declaration for declaration in (element.get("style") or "").split(";")
                    if declaration.strip()]
    if declarations:
        element.set("style", "; ".join(
            declaration if not _COLOUR.match(declaration) or "!important" in declaration.lower()
            else f"{declaration.strip()} !important" for declaration in declarations))
