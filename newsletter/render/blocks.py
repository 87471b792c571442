"""Markdown blocks shaped for an email: task lists, tables, boxes, alerts and long addresses.
(The colours a post writes are :mod:`newsletter.render.post_colours`'.)

- A list item starting ``[ ]`` or ``[x]`` (GitHub's task lists) shows a ballot box, named for
  screen readers; ``<input type="checkbox">``, what blogs render, is dropped by most clients.
- A table sits in a ``<div class="table-scroll" tabindex="0">``: where a client honours
  ``overflow-x``, a table too wide for the screen scrolls inside it instead of widening the
  email, and a reader without a mouse or touch screen can focus it to scroll it with the arrow
  keys (a table of text only holds nothing else to focus). A table the post marks as layout
  (``role="presentation"``, a picture beside its words) gets the class ``layout``: no grid,
  no cell padding (``email.css``), and the text part reads its cells as blocks. A table the post
  makes wider than the column (``<table width="800">``) is ``width="100%"``: classic Outlook,
  which reads the attribute and scrolls nothing, made the whole email that wide. A data table's
  cell of a sentence or more is at least 10em wide: in a table wider than a phone each column
  shrank to its longest word, and a description ran down a column one word wide.
- A paragraph holding a block (a link around a ``<div>`` on a line of its own, which Markdown
  wraps in ``<p>``) is a ``<div>``: a mail client's parser closed the ``<p>`` at the block,
  leaving an empty link and its words unlinked.
- A box the post sets wider than a phone (``<div style="width:700px">``, an Instagram embed's
  ``min-width:326px``) is ``max-width:100%`` and loses its minimum width: it widened the email
  on a phone, with or without the ``<style>`` block. Images, videos and tables have their own
  rules. Its words wrap: ``white-space:nowrap`` on a line of 25 characters or more (a theme
  shortcode's) is ``normal``, and ``pre`` is ``pre-wrap``, which keeps its line breaks (a poem);
  a ``<pre>`` the post writes ``white-space:pre`` wraps as Markdown's code blocks do (it
  scrolled, and a reader on a keyboard could not reach it). Grid columns the post sizes in
  pixels (``grid-template-columns: 300px 300px``) go: its cells stack, as in the clients that
  read no grid.
- A quote that opens with an alert's marker (GitHub's ``> [!NOTE]``, Obsidian's ``> [!tip] A
  title``, which Hugo, Astro and Obsidian blogs show as a note box) opens with its label in bold
  instead, ``**Note:**``, as a container directive does (``render/tags/directives.py``).
- An admonition (Python-Markdown's ``!!! note "A title"``, which MkDocs sites turn on) is a
  quote opening with its title in bold, ``**A title:**``, as an alert is.
- A tab (pymdownx.tabbed's ``=== "Label"``) opens with its label in bold, a paragraph of its
  own.
- A footnote's way back, ``↩``, is followed by U+FE0E, which asks for the character's text
  form: iOS and macOS Mail otherwise draw it as a blue emoji key (kramdown and markdown-it add
  it for the same reason). It is named by its title for screen readers ("Jump back to footnote
  1 in the text", not the arrow's name), and a footnote's mark "Footnote 1", not "1".
- A long word without spaces outside code (a URL written out) gets ``<wbr>`` break points after
  each ``/`` and before ``. ? & = # _ ~``, so it wraps where a reader expects, in a table cell
  too, and in clients that ignore ``overflow-wrap``.
"""

from __future__ import annotations

import re

import lxml.html

from newsletter.render.image_widths import MAX_IMAGE_WIDTH
from newsletter.render.post_colours import keep_post_colours

TAB = "tabbed"  # the class of pymdownx.tabbed's tab (render/admonitions.py), its label's -label
_TASK = re.compile(r"\[([ xX])\][ \t]+")
_LONG_WORD = re.compile(r"\S{25,}")
_BREAK_POINT = re.compile(r"(?<=[^/]/)(?=[^/])|(?<=.)(?=[.?&=#_~])")
# Code keeps its characters as written; raw HTML's scripts, styles and form fields hold no prose.
# Characters lxml refuses to set in a text (a parsed tree may still hold them): such a text is
# left as it is.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_UNBROKEN = frozenset({"pre", "code", "kbd", "samp", "script", "style", "textarea", "title"})
_LAYOUT_ROLES = frozenset({"presentation", "none"})
# Blocks a <p> cannot hold: a mail client's parser closes the paragraph at one, so a link
# around them (<p><a><div>) is left empty and what it held unlinked.
_NOT_IN_A_PARAGRAPH = ("div", "p", "ul", "ol", "dl", "table", "blockquote", "pre", "figure",
                       "section", "article", "aside", "header", "footer", "h1", "h2", "h3", "h4",
                       "h5", "h6", "hr", "details", "address", "nav", "main", "fieldset")
BOXES = {" ": ("\u2610", "not done"), "x": ("\u2611", "done")}  # ☐ ☑
# A width in pixels (not a max- or min-), and a minimum width other than none.
_PIXEL_WIDTH = re.compile(r"\s*width\s*:\s*[0-9.]+px", re.IGNORECASE)
_MIN_WIDTH = re.compile(r"\s*min-width\s*:\s*(?!0*(?:px)?\s*(?:!important\s*)?$)", re.IGNORECASE)
_MAX_WIDTH = re.compile(r"\s*max-width\s*:", re.IGNORECASE)
# white-space that never wraps, and what wraps in its place.
_UNWRAPPED = re.compile(r"(\bwhite-space\s*:\s*)(nowrap|pre)(\s*(?:!important\s*)?(?:;|$))",
                        re.IGNORECASE)
_WRAPPED = {"nowrap": "normal", "pre": "pre-wrap"}
_UNWRAPPED_LENGTH = 25  # characters: a line this long is wider than some phones' column
# Grid columns of a fixed width in pixels (not ones that fit themselves to the screen).
_FIXED_GRID = re.compile(r"\s*grid-template-columns\s*:(?![^;]*auto-(?:fit|fill))[^;]*[0-9]px",
                         re.IGNORECASE)
# Sized by rules of their own: images and videos (fluid), tables (they scroll).
_SIZED = frozenset({"img", "video", "audio", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
                    "col", "colgroup"})
# A table cell this long (characters) is a sentence, in English or in Japanese (no spaces: it
# broke between any two characters): 10em holds about 23 English ones a line, 10 Japanese.
_SENTENCE, _SENTENCE_WIDTH = 40, "min-width:10em"
_PIXELS = re.compile(r"\s*([0-9]+)(?:\.[0-9]*)?\s*(?:px)?\s*$", re.IGNORECASE)  # width="800"
_BACK, _TEXT_FORM = "\u21a9", "\ufe0e"  # ↩, variation selector 15
# An alert's marker at the start of a quote, with Obsidian's fold sign and title.
# An alert's marker: its kind, Obsidian's fold mark (+, -) or FixIt's ~ (no title), its title.
_ALERT = re.compile(r"\[!([A-Za-z][\w-]{0,30})\]([+~-]?)[ \t]*([^\n]*)")


def shape_blocks(root: lxml.html.HtmlElement) -> None:
    """Task list items, highlighted code, alerts, footnotes' way back, soft breaks and
    scrollable tables, in place."""
    for paragraph in list(root.iter("p")):
        if next(paragraph.iterdescendants(*_NOT_IN_A_PARAGRAPH), None) is not None:
            paragraph.tag = "div"
    for item in root.iter("li"):
        _task_item(item)
    keep_post_colours(root)
    for box in list(root.iter("div")):
        if "admonition" in box.classes:
            _admonition(box)
        elif TAB in box.classes:
            _tab(box)
    for box in root.iterdescendants():
        if isinstance(box.tag, str) and box.tag not in _SIZED and box.get("style"):
            _fit_column(box)
            _wrap_lines(box)
    for quote in root.iter("blockquote"):
        _alert_label(quote)
    for link in root.iter("a"):
        _name_footnote_link(link)
    _soft_breaks(root)
    for table in list(root.iter("table")):
        if is_layout(table):
            table.set("class", " ".join(filter(None, [table.get("class"), "layout"])))
        else:
            _keep_sentences_readable(table)
        pixels = _PIXELS.match(table.get("width") or "")
        if pixels and int(pixels[1]) > MAX_IMAGE_WIDTH:
            table.set("width", "100%")
        parent = table.getparent()
        if parent is None or "table-scroll" in (parent.get("class") or "").split():
            continue
        wrapper = lxml.html.Element("div", {"class": "table-scroll", "tabindex": "0"})
        table.addprevious(wrapper)
        wrapper.tail, table.tail = table.tail, None
        wrapper.append(table)


def is_layout(table: lxml.html.HtmlElement) -> bool:
    """Whether the post says ``table`` lays out its cells rather than holding data."""
    return (table.get("role") or "").strip().lower() in _LAYOUT_ROLES


def _keep_sentences_readable(table: lxml.html.HtmlElement) -> None:
    """A ``min-width`` on each cell of ``table`` holding a sentence or more (a style the post
    gives it, a minimum width too, comes first)."""
    for cell in table.iter("td", "th"):
        words, style = " ".join(cell.text_content().split()), cell.get("style") or ""
        if len(words) >= _SENTENCE and "min-width" not in style:
            cell.set("style", "; ".join(filter(None, [_SENTENCE_WIDTH, style])))


def _name_footnote_link(link: lxml.html.HtmlElement) -> None:
    """A footnote's mark and its way back, named for screen readers by what they do: they
    read the mark "1" and the arrow "leftwards arrow with hook" (the way back's title is only
    its description)."""
    if "footnote-backref" in link.classes:
        if link.text == _BACK:
            link.text = _BACK + _TEXT_FORM
        if link.get("title") and not link.get("aria-label"):
            link.set("aria-label", link.get("title"))
    elif "footnote-ref" in link.classes and (link.text or "").strip().isdigit():
        link.set("aria-label", f"Footnote {link.text.strip()}")


def _task_item(item: lxml.html.HtmlElement) -> None:
    holder = item
    if not (item.text or "").strip() and len(item) and item[0].tag == "p":
        holder = item[0]  # a loose list: the marker opens the item's first paragraph
    match = _TASK.match(holder.text or "")
    if not match:
        return
    glyph, label = BOXES[match[1].lower()]
    box = lxml.html.Element("span", {"class": "task-box", "role": "img", "aria-label": label})
    box.text, box.tail = glyph, " " + holder.text[match.end():]
    holder.text = None
    holder.insert(0, box)
    item.set("class", " ".join(filter(None, [item.get("class"), "task"])))


def _fit_column(box: lxml.html.HtmlElement) -> None:
    """``box`` never wider than the column: a width in pixels capped at 100% (padding inside),
    a minimum width dropped (``min-width`` wins over ``max-width``), grid columns in pixels
    dropped."""
    declarations = [declaration for declaration in box.get("style").split(";")
                    if declaration.strip() and not _FIXED_GRID.match(declaration)]
    if len(declarations) < len([part for part in box.get("style").split(";") if part.strip()]):
        box.set("style", "; ".join(part.strip() for part in declarations))
    fixed = any(_PIXEL_WIDTH.match(declaration) for declaration in declarations)
    if not fixed and not any(_MIN_WIDTH.match(declaration) for declaration in declarations):
        return
    kept = [declaration.strip() for declaration in declarations if not _MIN_WIDTH.match(declaration)
            and not (fixed and _MAX_WIDTH.match(declaration))]
    box.set("style", "; ".join([*kept, *(["max-width:100%", "box-sizing:border-box"] if fixed else [])]))


def _wrap_lines(box: lxml.html.HtmlElement) -> None:
    """``box``'s words wrapping, if its style keeps a line of :data:`_UNWRAPPED_LENGTH`
    characters or more on one; a ``<pre>`` wrapping as Markdown's code blocks do, and code
    spans as they are."""
    if (box.tag in _UNBROKEN and box.tag != "pre") or len(box.text_content().strip()) < _UNWRAPPED_LENGTH:
        return
    box.set("style", _UNWRAPPED.sub(
        lambda m: m[1] + ("pre-wrap" if box.tag == "pre" else _WRAPPED[m[2].lower()]) + m[3],
        box.get("style")))


def _alert_label(quote: lxml.html.HtmlElement) -> None:
    first = quote[0] if len(quote) and not (quote.text or "").strip() else None
    match = _ALERT.match(first.text or "") if first is not None and first.tag == "p" else None
    if not match:
        return
    title, rest = match[3].strip(), first.text[match.end():].lstrip()
    alone = not rest and not len(first)  # the marker's paragraph holds nothing else
    if match[2] == "~" and not title:  # FixIt's alert of content only, shown without a title
        first.text = rest
        if alone:
            first.drop_tree()
        return
    label = lxml.html.Element("strong")
    label.text = title or match[1].replace("-", " ").capitalize()
    label.text += "" if alone or label.text[-1] in ".:?!…" else ":"
    label.tail = None if alone else " " + rest
    first.text = None
    first.insert(0, label)


def _admonition(box: lxml.html.HtmlElement) -> None:
    """Python-Markdown's ``<div class="admonition note"><p class="admonition-title">Note</p>
    ...</div>`` as a quote opening with its title in bold."""
    box.tag, box.attrib["class"] = "blockquote", "admonition"
    title = box[0] if len(box) and "admonition-title" in box[0].classes else None
    if title is None:
        return
    label = lxml.html.Element("strong")
    label.text = f"{title.text_content().strip()}:"
    following = title.getnext()
    box.remove(title)
    if following is not None and following.tag == "p":
        label.tail = " " + (following.text or "")
        following.text = None
        following.insert(0, label)
    else:
        paragraph = lxml.html.Element("p")
        paragraph.append(label)
        box.insert(0, paragraph)


def _tab(box: lxml.html.HtmlElement) -> None:
    """pymdownx.tabbed's ``<div class="tabbed"><p class="tabbed-label">Label</p>...</div>``: its
    label in bold, a paragraph of its own, over its content, as other generators' tabs."""
    label = box[0] if len(box) and TAB + "-label" in box[0].classes else None
    if label is not None:
        label.attrib.pop("class")
        strong = lxml.html.Element("strong")
        strong.text, label.text = label.text, None
        label.append(strong)


def _soft_breaks(element: lxml.html.HtmlElement) -> None:
    """``<wbr>`` break points in the long words of ``element`` and of its children's tails."""
    pieces = _pieces(element.text)
    if len(pieces) > 1:
        element.text = pieces[0]
        for index, piece in enumerate(pieces[1:]):
            element.insert(index, _wbr(piece))
    for child in list(element):
        if isinstance(child.tag, str) and child.tag not in _UNBROKEN:
            _soft_breaks(child)
        pieces = _pieces(child.tail)
        if len(pieces) > 1:
            child.tail = pieces[0]
            for piece in reversed(pieces[1:]):
                child.addnext(_wbr(piece))


def _pieces(text: str | None) -> list[str]:
    """``text`` cut at the break points of its long words (one piece when it has none)."""
    if not text or not _LONG_WORD.search(text) or _NOT_XML.search(text):
        return [text or ""]
    cuts = [position for word in _LONG_WORD.finditer(text)
            for position in (word.start() + point.start()
                             for point in _BREAK_POINT.finditer(word[0]))]
    return [text[start:end] for start, end in zip([0, *cuts], [*cuts, len(text)])]


def _wbr(tail: str) -> lxml.html.HtmlElement:
    element = lxml.html.Element("wbr")
    element.tail = tail
    return element
