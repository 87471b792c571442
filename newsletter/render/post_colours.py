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
  mode it was black on the dark card (1.2:1).
- Coloured text inside a box of one colour (``<span style="color:#fff; background:#ff0">``)
  is mixed with black or white until it reads on that colour, 4.5:1: white on yellow was 1.1:1.
- Coloured text outside a box (``<span style="color:red">``, ``<font color="#999">``) keeps its
  colour where it reads on the card, 4.5:1 or more. Where it does not, it is mixed with black
  (light card) or white (dark card) until it does: in light mode in its own style, in dark mode
  by a class ``dark-ink-RRGGBB`` that :func:`dark_ink_rules` gives its colour. Red was 3.9:1 on
  the light card and 3.8:1 on the dark one.
"""

from __future__ import annotations

import re

import lxml.html

from newsletter.render.css_colours import contrast, hex_colour, parse_colour, readable_on

# A style declaration that sets a text or background colour.
_COLOUR = re.compile(r"(?:^|;)\s*(?:color|background(?:-color)?)\s*:", re.IGNORECASE)
# A background the style gives (a pasted document's "background-color: transparent" is none).
_BACKGROUND = re.compile(r"(?:^|;)\s*background(?:-color)?\s*:(?!\s*(?:transparent|none|inherit|"
                         r"initial|unset|revert)\s*(?:!important\s*)?(?:;|$))", re.IGNORECASE)
_BACKGROUND_VALUE = re.compile(r"(?:^|;)\s*background(?:-color)?\s*:\s*([^;!]+?)\s*"
                               r"(?:!important\s*)?(?=;|$)", re.IGNORECASE)
_TEXT_COLOUR = re.compile(r"\s*color\s*:\s*([^;!]+?)\s*(?:!important\s*)?$", re.IGNORECASE)
# Black and dark greys: no channel over 0x60, and the three within 0x18 of each other.
_DARK, _GREY_SPREAD = 0x60, 0x18
_OWN_COLOURS = "own-colours"
# What the stylesheet gives a background of its own: it keeps its colours inside a box too.
_OWN_BACKGROUNDS = frozenset({"pre", "code", "th", "mark", "kbd", "img"})
# The card text sits on in each scheme (email.css: .container) and the contrast it needs.
LIGHT_CARD, DARK_CARD, READABLE = (253, 252, 250), (38, 37, 34), 4.5
_CARD_ITSELF = 1.05  # a contrast under which text is coloured like the card (or box), not faint
_DARK_INK = "dark-ink-"
_DARK_INK_CLASS = re.compile(r"\bdark-ink-([0-9a-f]{6})\b")


def keep_post_colours(root: lxml.html.HtmlElement) -> None:
    """Code blocks' and boxes' own colours kept, pasted black text given the email's, in place."""
    for element in root.iterdescendants():
        if isinstance(element.tag, str) and element.get("style") and not _in_a_box(element):
            _drop_page_text_colour(element)
    for element in root.iterdescendants():
        if isinstance(element.tag, str) and (element.get("style") or element.tag == "font"):
            _readable_on_the_cards(element)
    for block in root.iter("pre"):
        _keep_own_colours(block)
    for box in root.iterdescendants():
        if (isinstance(box.tag, str) and _BACKGROUND.search(box.get("style") or "")
                and box.tag not in _OWN_BACKGROUNDS and not any(box.iterancestors("pre"))):
            _keep_own_background(box)


def dark_ink_rules(html: str) -> str:
    """The dark scheme's colour of each ``dark-ink-RRGGBB`` class ``html`` uses, as an
    ``@media`` block ("" when none)."""
    rules = "".join(f".content .{_DARK_INK}{ink}{{color:#{ink}!important;}}"
                    for ink in sorted(set(_DARK_INK_CLASS.findall(html))))
    return f"@media (prefers-color-scheme:dark){{{rules}\n}}" if rules else ""


def _in_a_box(element: lxml.html.HtmlElement) -> bool:
    """Whether ``element`` is, or is inside, a box with a background of its own or code."""
    return any(_BACKGROUND.search(holder.get("style") or "") or holder.tag in _OWN_BACKGROUNDS
               for holder in (element, *element.iterancestors()))


def _drop_page_text_colour(element: lxml.html.HtmlElement) -> None:
    """``element``'s black or dark grey text colour dropped."""
    declarations = element.get("style").split(";")
    kept = [declaration for declaration in declarations if not _page_text(declaration)]
    if len(kept) < len(declarations) and "".join(kept).strip():
        element.set("style", ";".join(kept).strip())
    elif len(kept) < len(declarations):
        del element.attrib["style"]


def _readable_on_the_cards(element: lxml.html.HtmlElement) -> None:
    """``element``'s own text colour (its style's, a ``<font color>``) made to read on the
    light card, and given a dark-scheme twin that reads on the dark one."""
    declarations = (element.get("style") or "").split(";")
    found = [(index, match) for index, declaration in enumerate(declarations)
             if (match := _TEXT_COLOUR.fullmatch(declaration))]
    written = found[-1][1][1] if found else element.get("color") if element.tag == "font" else None
    colour = parse_colour(written) if written else None
    if not isinstance(colour, tuple):
        return
    if _in_a_box(element):
        _readable_in_its_box(element, declarations, found, colour)
        return
    if contrast(colour, LIGHT_CARD) < _CARD_ITSELF:
        return  # the card's own colour: text hidden, which check's spam-hidden-text names
    light = readable_on(colour, LIGHT_CARD, READABLE)
    if light != colour and found:
        index, match = found[-1]
        declarations[index] = declarations[index].replace(match[1], hex_colour(light))
        element.set("style", ";".join(declarations))
    elif light != colour:
        element.set("color", hex_colour(light))
    if contrast(light, DARK_CARD) < READABLE:  # the original where it reads, else lighter
        ink = _DARK_INK + hex_colour(readable_on(colour, DARK_CARD, READABLE))[1:]
        element.set("class", " ".join(filter(None, [element.get("class"), ink])))


def _readable_in_its_box(element: lxml.html.HtmlElement, declarations: list[str], found: list,
                         colour: tuple) -> None:
    """``element``'s own text colour made to read on the background of the box it is in
    (``<span style="color:#fff; background:#ff0">``: 1.1:1), where that is one colour; the box
    keeps both in either scheme, so one answer serves both."""
    background = _box_background(element)
    if background is None or not _CARD_ITSELF <= contrast(colour, background) < READABLE:
        return  # as it is: it reads, or is coloured like its box (hidden: check's to report)
    readable = hex_colour(readable_on(colour, background, READABLE))
    if found:
        index, match = found[-1]
        declarations[index] = declarations[index].replace(match[1], readable)
        element.set("style", ";".join(declarations))
    else:
        element.set("color", readable)


def _box_background(element: lxml.html.HtmlElement) -> tuple | None:
    """The colour of the background ``element`` is drawn on, from its own style or the
    nearest box's; None where that is code's, an image, a gradient or another colour than one."""
    for holder in (element, *element.iterancestors()):
        if holder.tag in _OWN_BACKGROUNDS:
            return None
        style = holder.get("style") or ""
        written = [match[1] for match in _BACKGROUND_VALUE.finditer(style)]
        if _BACKGROUND.search(style) and written:
            colour = parse_colour(written[-1])
            return colour if isinstance(colour, tuple) else None
    return None


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
