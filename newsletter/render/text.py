"""The text/plain part, written from the same body fragment as the HTML part.

Conventions (docs/email.md#text-part): links become ``text <url>``, images ``[Image: alt]`` (none
for ``role="presentation"``), struck-out text ``~~text~~``, headings are underlined, lists keep
their markers, quotes get ``> ``, code is indented, a definition is indented under its term,
a layout table's cells (``role="presentation"``) are blocks one after another,
paragraphs and headings wrap at 72 columns (URLs are never broken). Widths are columns as a
monospaced font shows them (two a Chinese character), and a line may break between two Chinese
or Japanese characters, which have no spaces between words.
"""

from __future__ import annotations

import copy
import re
import unicodedata

import lxml.html

from newsletter.render.blocks import is_layout

WIDTH = 72
_SPACES = re.compile(r"[ \t\r\f\v\n]+")
_INLINE_LINE_BREAK = "\x00"  # stands for <br> until whitespace has been collapsed
# Stands after an image until the text is laid out: where a word follows with nothing between
# (a caption, `![x](y)*caption*`), the line breaks there, else "[Image: x]caption" runs
# together; where a space or a line break follows (apollo's picture and name, a caption on the
# next line of the source), or closing punctuation, it is nothing.
_AFTER_IMAGE = "\x01"
_IMAGE_THEN_WORD = re.compile(_AFTER_IMAGE + r"(?=[^\s" + _INLINE_LINE_BREAK + _AFTER_IMAGE
                              + r".,;:!?)\]}»”’、。，．：；！？）」』】])")
# Japanese and Chinese punctuation that never starts a line (closing marks, small kana, the long
# vowel mark) or never ends one (opening marks): the line breaks next to its neighbour instead.
_NO_LINE_START = frozenset("、。，．,.・：；？！ー〜）」』】〕〉》〙〗’”ゝゞヽヾぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")
_NO_LINE_END = frozenset("（「『【〔〈《〘〖‘“")
# One emoji written with several characters: a zero-width joiner between two (👨‍👩‍👧), a skin
# tone after one (👍🏽).
_JOINER, _SKIN_TONES = "\u200d", range(0x1F3FB, 0x1F400)
# No character below U+1100 is wide. (Not a pattern: re compiles [\u1100-\U0010ffff] into a
# 65,536-entry table, 54 million instructions of every process that imports this module.)
_FIRST_MAYBE_WIDE = "\u1100"
# What a link's words may leave off its address and still be it: the scheme, "www.", a
# trailing "/" ("example.com" for https://www.example.com/, an address for its mailto:).
_ADDRESS_DRESSING = re.compile(r"^(?:(?:https?://)?www\.|https?://|mailto:)|/$", re.IGNORECASE)
_STRUCK = frozenset({"del", "s", "strike"})  # struck-out text keeps GitHub's ~~ around it
_BLOCK_TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "pre", "hr", "table",
    "div", "section", "article", "figure", "figcaption", "dl", "dt", "dd", "header", "footer",
    "details", "summary", "aside",
})


def fragment_to_text(root: lxml.html.HtmlElement) -> str:
    """The fragment as plain text: blocks separated by blank lines."""
    return "\n\n".join(_blocks(root, WIDTH))


def _blocks(container: lxml.html.HtmlElement, width: int) -> list[str]:
    """Text blocks for the children of ``container``; loose inline content becomes a paragraph."""
    blocks: list[str] = []
    run: list[str] = [container.text or ""]

    def close_run() -> None:
        paragraph = _wrap("".join(run), width)
        if paragraph:
            blocks.append(paragraph)
        run.clear()

    for child in container:
        if isinstance(child.tag, str) and child.tag in _BLOCK_TAGS:
            close_run()
            block = _block(child, width)
            if block:
                blocks.append(block)
        else:
            run.append(_inline(child))
        run.append(child.tail or "")
    close_run()
    return blocks


def _block(element: lxml.html.HtmlElement, width: int) -> str:
    tag = element.tag
    if tag == "p":
        return _wrap(_inline_children(element), width)
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return underlined(_one_line(_inline_children(element)), "=" if tag == "h1" else "-", width)
    if tag in ("ul", "ol"):
        return _list(element, width)
    if tag == "dl":
        return _definitions(element, width)
    if tag == "blockquote":
        inner = "\n\n".join(_blocks(element, width - 2))
        return "\n".join(f"> {line}" if line else ">" for line in inner.splitlines())
    if tag == "pre":
        return "\n".join(f"    {line}" for line in _preformatted(element).rstrip("\n").splitlines())
    if tag == "hr":
        return "* * *"
    if tag == "table" and is_layout(element):
        return "\n\n".join(block for cell in _cells(element) for block in _blocks(cell, width))
    if tag == "table":
        return _table(element)
    return "\n\n".join(_blocks(element, width))


def underlined(text: str, mark: str = "=", width: int = WIDTH) -> str:
    """``text`` wrapped at ``width`` columns over a line of ``mark`` as wide as its widest line
    (a title's, a heading's: a 120-character title and its underline overflowed a terminal)."""
    lines = wrapped(text, width) or [""]
    return "\n".join([*lines, mark * max(columns(line) for line in lines)])


def columns(text: str) -> int:
    """The columns ``text`` takes in a terminal or a monospaced font: two for each wide
    character (Chinese, Japanese, Korean, most emoji), none for a combining mark or joiner."""
    return len(text) if text.isascii() else sum(_columns(char) for char in text)


def _columns(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def wrapped(text: str, width: int) -> list[str]:
    """``text`` (one line, single-spaced) as lines of at most ``width`` columns, broken at spaces
    and between wide characters; a word longer than a line (a URL) stays whole on its own."""
    lines: list[str] = []
    line, line_columns = "", 0
    for separator, piece in _pieces(text):
        added = columns(piece) + (len(separator) if line else 0)
        if line and line_columns + added > width:
            lines.append(line)
            line, line_columns = piece, columns(piece)
        else:
            line, line_columns = (line + separator if line else "") + piece, line_columns + added
    return [*lines, line] if line else lines


def _maybe_wide(word: str) -> bool:
    """True if ``word`` holds a character from U+1100 up, the first that may be wide."""
    return not word.isascii() and max(word) >= _FIRST_MAYBE_WIDE


def _pieces(text: str) -> list[tuple[str, str]]:
    """The unbreakable pieces of ``text``, each with the separator before it (a space, or nothing
    where the line may break between two characters of a word: one of them wide)."""
    pieces: list[tuple[str, str]] = []
    for word in text.split(" "):
        separator, start = " ", 0
        for index in range(1, len(word) if _maybe_wide(word) else 0):
            before, after = word[index - 1], word[index]
            if ((_columns(before) == 2 or _columns(after) == 2) and before not in _NO_LINE_END
                    and after not in _NO_LINE_START and _columns(after) and before != _JOINER
                    and ord(after) not in _SKIN_TONES):
                pieces.append((separator, word[start:index]))
                separator, start = "", index
        if word:
            pieces.append((separator, word[start:]))
    return pieces


def _preformatted(element: lxml.html.HtmlElement) -> str:
    """A ``<pre>``'s text as written, each ``<br>`` a line break (pasted HTML writes them)."""
    if element.find(".//br") is None:
        return element.text_content()
    element = copy.deepcopy(element)
    for line_break in element.iter("br"):
        line_break.tail = "\n" + (line_break.tail or "")
    return element.text_content()


def _list(element: lxml.html.HtmlElement, width: int) -> str:
    """The list's items, each under its marker: a tight list's lines together (a nested list
    right under its item), a loose one's items apart, as its paragraphs are (HTML's rule: a
    loose list's items hold paragraphs)."""
    items = []
    start = element.get("start", "").strip()  # a list the post resumes: "3." after a code block
    first = int(start) if start.lstrip("-").isdigit() else 1
    loose = any(child.tag == "p" for item in element.iterchildren("li") for child in item)
    gap = "\n\n" if loose else "\n"
    for number, item in enumerate(element.iterchildren("li"), start=first):
        marker = f"{number}. " if element.tag == "ol" else "- "
        indent = " " * len(marker)
        body = gap.join(_blocks(item, width - len(marker)))
        lines = body.splitlines() or [""]
        items.append("\n".join([marker + lines[0], *(indent + line if line else "" for line in lines[1:])]))
    return gap.join(items)


def _table(element: lxml.html.HtmlElement) -> str:
    """Each row's cells joined by `` | ``; a header row (of ``<th>`` cells) underlined cell by
    cell, as Markdown writes it, so it reads as the columns' names."""
    lines = []
    for row in element.iter("tr"):
        cells = [_one_line(_inline_children(cell)) for cell in row.iter("th", "td")]
        lines.append(" | ".join(cells))
        if len(lines) == 1 and cells and all(cell.tag == "th" for cell in row.iter("th", "td")):
            lines.append(" | ".join("-" * max(columns(cell), 3) for cell in cells))
    return "\n".join(lines)


def _cells(table: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """``table``'s own cells in reading order (not those of a table inside one)."""
    return [cell for cell in table.iter("td", "th")
            if next(cell.iterancestors("table"), None) is table]


def _definitions(element: lxml.html.HtmlElement, width: int) -> str:
    """Each term on its line, its definitions indented under it, a blank line before the next
    term (as ``man`` pages set them): term and definition read as a pair, not two paragraphs."""
    entries: list[list[str]] = []
    previous = "dd"
    for child in element.iterchildren("dt", "dd"):
        if child.tag == "dt" and previous == "dd" or not entries:
            entries.append([])  # a term after a definition starts the next pair
        previous = child.tag
        if child.tag == "dt":
            entries[-1].append(_wrap(_inline_children(child), width))
        else:
            body = "\n\n".join(_blocks(child, width - 4))
            entries[-1].append("\n".join(f"    {line}" if line else "" for line in body.splitlines()))
    return "\n\n".join("\n".join(entry) for entry in entries)


def _inline_children(element: lxml.html.HtmlElement) -> str:
    parts = [element.text or ""]
    for child in element:
        block = isinstance(child.tag, str) and child.tag in _BLOCK_TAGS  # in a link: words apart
        parts.append(f" {_inline(child)} " if block else _inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _inline(element: lxml.html.HtmlElement) -> str:
    """One inline element (without its tail) as text."""
    if not isinstance(element.tag, str):
        return ""  # comments and processing instructions
    if element.tag == "br":
        return _INLINE_LINE_BREAK
    if element.tag == "img":
        if element.get("role") == "presentation":
            return ""  # decorative, said so: a video's thumbnail beside the words that link it
        alt = (element.get("alt") or "").strip()
        return (f"[Image: {alt}]" if alt else "[Image]") + _AFTER_IMAGE
    label = _inline_children(element)
    if element.tag in _STRUCK and label.strip():
        return f"~~{label}~~"  # else "~~$20~~ $10" would read "$20 $10"
    if element.tag != "a":
        return label
    href = element.get("href", "")
    classes = element.get("class", "").split()
    if "footnote-backref" in classes:
        return ""
    if "footnote-ref" in classes:
        return f"[{label}]"
    if not href or href.startswith("#"):
        return label
    label = _collapse(label).strip()
    if _ADDRESS_DRESSING.sub("", label) == _ADDRESS_DRESSING.sub("", href):
        return f"<{href}>"  # the address twice, "jane@example.com <mailto:jane@example.com>"
    return f"<{href}>" if not label else f"{label} <{href}>"


def _one_line(text: str) -> str:
    """``text`` single-spaced on one line: a ``<br>`` (in a table cell, a heading), or the break
    after an image, is a space."""
    text = _IMAGE_THEN_WORD.sub(" ", text).replace(_AFTER_IMAGE, "")
    return " ".join(text.replace(_INLINE_LINE_BREAK, " ").split())


def _collapse(text: str) -> str:
    return _SPACES.sub(" ", text)


def _wrap(text: str, width: int) -> str:
    text = _IMAGE_THEN_WORD.sub(_INLINE_LINE_BREAK, _collapse(text)).replace(_AFTER_IMAGE, "")
    lines = text.strip().split(_INLINE_LINE_BREAK)
    return "\n".join("\n".join(wrapped(line.strip(), max(width, 20))) for line in lines).strip()
