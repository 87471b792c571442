"""A block written in the other direction than the post's, set in its own.

A Hebrew or Arabic paragraph in an English post (a reader's letter, a quotation) was laid out
left to right: its number and its full stop stood at the wrong ends of its line. A paragraph,
heading, list item, cell, term or caption whose own letters are mostly of the other direction
gets ``dir`` of its own; one the post already gives a ``dir`` keeps it. Code is left out of the
count: it reads left to right in every post. A few words of another script inside a sentence
("the word שלום means peace") leave it as it is.

A right-to-left block in a left-to-right post also gets the ``lang`` its letters name, so a
screen reader reads it in a Hebrew or Arabic voice instead of spelling it out in the post's:
Hebrew letters ``he``; Arabic letters ``ar``, or ``fa`` and ``ur`` where letters only Persian or
Urdu write stand among them. A block the post gives a ``lang``, or one inside such a block,
keeps the post's word.
"""

from __future__ import annotations

import unicodedata

import lxml.html

_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "dt", "dd", "figcaption")
_NOT_COUNTED = frozenset({"code", "pre", "kbd", "samp", "ul", "ol", "table", "blockquote"})
_RIGHT_TO_LEFT = frozenset({"R", "AL"})  # Hebrew; Arabic, Persian, Urdu...
_HEBREW = range(0x0590, 0x0600)
# Letters Arabic does not write: Urdu's (ٹ ڈ ڑ ں ہ ھ ے ۓ and its full stop ۔), then Persian's,
# which Urdu writes too.
_URDU_LETTERS = frozenset("\u0679\u0688\u0691\u06ba\u06c1\u06be\u06d2\u06d3\u06d4")
_PERSIAN_LETTERS = frozenset("\u067e\u0686\u0698\u06af\u06a9\u06cc")


def set_block_directions(root: lxml.html.HtmlElement, post_direction: str) -> None:
    """Each block of ``root`` whose letters mostly run against ``post_direction`` gets its own
    ``dir`` (and a right-to-left one in a left-to-right post its ``lang``), in place."""
    for block in root.iter(*_BLOCKS):
        if block.get("dir"):
            continue
        right_to_left, left_to_right = _letters(block)
        if post_direction == "ltr" and right_to_left > left_to_right:
            block.set("dir", "rtl")
            if not block.xpath("ancestor-or-self::*[@lang]"):
                block.set("lang", _right_to_left_language(block.text_content()))
        elif post_direction == "rtl" and left_to_right > right_to_left:
            block.set("dir", "ltr")


def _right_to_left_language(text: str) -> str:
    """The language tag the right-to-left letters of ``text`` name."""
    hebrew = sum(ord(character) in _HEBREW for character in text)
    letters = frozenset(text)
    if hebrew * 2 > sum(unicodedata.bidirectional(c) in _RIGHT_TO_LEFT for c in text):
        return "he"
    if letters & _URDU_LETTERS:
        return "ur"
    return "fa" if letters & _PERSIAN_LETTERS else "ar"


def _letters(block: lxml.html.HtmlElement) -> tuple[int, int]:
    """(right-to-left letters, left-to-right letters) of ``block``'s own words: not its code,
    nor a list or quote inside it, which are blocks of their own."""
    text = [block.text or ""]
    for child in block:
        if isinstance(child.tag, str) and child.tag not in _NOT_COUNTED:
            text.append(child.text_content())
        text.append(child.tail or "")
    kinds = [unicodedata.bidirectional(character) for character in "".join(text)]
    return sum(kind in _RIGHT_TO_LEFT for kind in kinds), kinds.count("L")
