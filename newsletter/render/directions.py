"""A block written in the other direction than the post's, set in its own.

A Hebrew or Arabic paragraph in an English post (a reader's letter, a quotation) was laid out
left to right: its number and its full stop stood at the wrong ends of its line. A paragraph,
heading, list item, cell, term or caption whose own letters are mostly of the other direction
gets ``dir`` of its own; one the post already gives a ``dir`` keeps it. Code is left out of the
count: it reads left to right in every post. A few words of another script inside a sentence
("the word שלום means peace") leave it as it is.
"""

from __future__ import annotations

import unicodedata

import lxml.html

_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "dt", "dd", "figcaption")
_NOT_COUNTED = frozenset({"code", "pre", "kbd", "samp", "ul", "ol", "table", "blockquote"})
_RIGHT_TO_LEFT = frozenset({"R", "AL"})  # Hebrew; Arabic, Persian, Urdu...


def set_block_directions(root: lxml.html.HtmlElement, post_direction: str) -> None:
    """Each block of ``root`` whose letters mostly run against ``post_direction`` gets its own
    ``dir``, in place."""
    for block in root.iter(*_BLOCKS):
        if block.get("dir"):
            continue
        right_to_left, left_to_right = _letters(block)
        if post_direction == "ltr" and right_to_left > left_to_right:
            block.set("dir", "rtl")
        elif post_direction == "rtl" and left_to_right > right_to_left:
            block.set("dir", "ltr")


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
