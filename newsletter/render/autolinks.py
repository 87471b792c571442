"""Bare addresses made links, as GitHub's autolink extension (and Goldmark's linkify) does:
``www.example.com``, ``https://example.com/a``, ``someone@example.com``.

A core rule over the text of each paragraph once it is parsed, in linear time: a match starts
only where an address may (at the start of the text, after a space or one of ``*_~(``), and
ends at a space or ``<``, without trailing punctuation (``?!.,:*_~'"``), an unmatched ``)`` or
an entity-like ``&x;``. Text already inside a link (Markdown's or raw ``<a>``) is left alone.
mdit-py-plugins' own rule scans the paragraph's text back and forth at each ``:``, which takes
time in the square of a paragraph's length: a post of colons would not render.
"""

from __future__ import annotations

import re

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_DOMAIN = r"[\w-]+(?:\.[\w-]+)+"
_ADDRESS = re.compile(
    rf"(?<![^\s*_~(])(?:(?P<url>(?:https?://|www\.){_DOMAIN}[^\s<]*)"
    rf"|(?P<email>(?<![\w.+-])[\w.+-]+@{_DOMAIN}))")
_TRAILING = "?!.,:*_~'\"\u201d\u2019"
_ENTITY = re.compile(r"&\w+;")
_RAW_LINK = re.compile(r"<a[\s>]", re.IGNORECASE)


def autolinks(state: StateCore) -> None:
    """Each bare address in the text of ``state`` made a link (module docstring)."""
    for token in state.tokens:
        if token.type == "inline" and token.children:
            token.children = _linked(token.children)


def _linked(children: list[Token]) -> list[Token]:
    out: list[Token] = []
    depth = 0  # inside a link: its text stays text
    for child in children:
        if child.type == "link_open" or (child.type == "html_inline"
                                         and _RAW_LINK.match(child.content)):
            depth += 1
        elif child.type == "link_close" or (child.type == "html_inline"
                                            and child.content.lower().startswith("</a")):
            depth = max(0, depth - 1)
        if child.type != "text" or depth or not _ADDRESS.search(child.content):
            out.append(child)
            continue
        out.extend(_split(child.content))
    return out


def _split(text: str) -> list[Token]:
    tokens, start = [], 0
    for found in _ADDRESS.finditer(text):
        address = _trimmed(found["url"]) if found["url"] else found["email"]
        if found["email"] and address[-1] in "-_.":
            continue  # GitHub: an address never ends so
        end = found.start() + len(address)
        if found.start() > start:
            tokens.append(_text(text[start:found.start()]))
        href = address if found["email"] is None else "mailto:" + address
        if address.startswith("www."):
            href = "http://" + address
        tokens += [Token("link_open", "a", 1, attrs={"href": href}, markup="autolink",
                         info="auto"),
                   _text(address),
                   Token("link_close", "a", -1, markup="autolink", info="auto")]
        start = end
    tokens.append(_text(text[start:]))
    return tokens


def _trimmed(url: str) -> str:
    """``url`` without what GitHub leaves out of a link at its end."""
    end, unmatched = len(url), url.count(")") - url.count("(")
    while end:
        last = url[end - 1]
        if last in _TRAILING:
            end -= 1
        elif last == ")" and unmatched > 0:
            end, unmatched = end - 1, unmatched - 1
        elif last == ";" and _ENTITY.fullmatch(url, amp := url.rfind("&", 0, end), end):
            end = amp
        else:
            break
    return url[:end]


def _text(content: str) -> Token:
    return Token("text", "", 0, content=content)
