"""Reading one template tag: Hugo shortcodes (``{{< name params >}}``, ``{{% ... %}}``), Liquid
tags (``{% name args %}``) and Liquid output (``{{ expression }}``).

A tag is read from its opening delimiter to the first closing one; another opening delimiter
before it means the tag is not closed (``{{< a {{< b >}}``), so every character is read once.
"""

from __future__ import annotations

import re
from dataclasses import field

from newsletter.records import record

MAX_TAG_CHARS = 4000  # a tag's own text, parameters included; a longer one is refused
# Opening delimiter -> (kind, closing delimiter), longest first.
DELIMITERS = (
    ("{{/*", "hugo-comment", "*/}}"),
    ("{{<", "shortcode", ">}}"),
    ("{{%", "shortcode", "%}}"),
    ("{%", "liquid", "%}"),
    ("{{", "output", "}}"),
)
_NAME = re.compile(r"\s*(/?)\s*([A-Za-z0-9_][\w./-]*)")
# One shortcode parameter: name=value or a value; "quoted" (backslash escapes), `raw`, or bare.
_PARAMETER = re.compile(r"""\s*(?:([A-Za-z_][\w-]*)\s*=\s*)?"""
                        r"""(?:"((?:[^"\\]|\\.)*)"|`([^`]*)`|([^\s"`]+))""", re.DOTALL)
_ONLY_SPACE = re.compile(r"\s*\Z")
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_LIQUID = re.compile(r"\s*([A-Za-z_]\w*)\s*(.*)", re.DOTALL)
_MARKDOC_CLOSING = re.compile(r"\s*/([A-Za-z_]\w*)\s*()")  # Markdoc's {% /tweet %}: {% endtweet %}


class TagProblem(Exception):
    """A tag that cannot be turned into email: what is wrong, and what to do."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


@record(frozen=True)
class Tag:
    """One tag as written: ``text[start:end]`` of the post."""

    kind: str  # "shortcode", "liquid", "output" or "hugo-comment"
    opener: str  # the opening delimiter: "{{<", "{{%", "{%", "{{", "{{/*"
    source: str  # the tag's whole text
    start: int
    end: int
    name: str = ""  # shortcode or Liquid tag name; "" for output
    closing: bool = False  # {{< /name >}}
    self_closing: bool = False  # {{< name />}}
    positional: tuple[str, ...] = ()
    named: dict[str, str] = field(default_factory=dict)
    body: str = ""  # a Liquid tag's arguments, an output's expression

    def get(self, name: str, position: int | None = None) -> str | None:
        """A shortcode parameter by name, else by position (Hugo's ``.Get``)."""
        if name in self.named:
            return self.named[name]
        if position is not None and position < len(self.positional):
            return self.positional[position]
        return None

    def quoted(self) -> str:
        """The tag's text on one line, cut for a message."""
        return _cut(self.source)


def read_tag(opener: str, kind: str, text: str, start: int, close: int, closer: str) -> Tag:
    """The tag from ``start`` (its opener) to ``close`` (where its closing delimiter begins)."""
    end = close + len(closer)
    inner, source = text[start + len(opener):close], text[start:end]
    if kind == "shortcode":
        return _shortcode(opener, source, start, end, inner)
    if kind in ("liquid", "output"):
        inner = inner.removeprefix("-").removesuffix("-")  # whitespace control: {%- ... -%}
        if kind == "output":
            return Tag(kind, opener, source, start, end, body=inner.strip())
        found = _LIQUID.fullmatch(inner) or _MARKDOC_CLOSING.fullmatch(inner)
        if not found:
            raise TagProblem(f"{_cut(source)} names no Liquid tag", "remove it, or put it in code")
        body = found[2].strip()  # Markdoc's self-closing {% youtube id="..." /%}: the tag alone
        name = found[1] if found.re is _LIQUID else "end" + found[1]
        return Tag(kind, opener, source, start, end, name=name,
                   body=body[:-1].rstrip() if body.endswith("/") else body)
    return Tag(kind, opener, source, start, end)


def _shortcode(opener: str, source: str, start: int, end: int, inner: str) -> Tag:
    self_closing = inner.rstrip().endswith("/")
    if self_closing:
        inner = inner.rstrip()[:-1]
    found = _NAME.match(inner)
    if not found:
        raise TagProblem(f"{_cut(source)} names no shortcode", "remove it, or put it in code")
    positional, named, pos = [], {}, found.end()
    while not _ONLY_SPACE.match(inner, pos):
        parameter = _PARAMETER.match(inner, pos)
        if not parameter:
            raise TagProblem(f"the parameters of {_cut(source)} cannot be read (a quote left "
                             "open?)", 'quote values with "double quotes"')
        value = (_ESCAPE.sub(r"\1", parameter[2]) if parameter[2] is not None
                 else parameter[3] if parameter[3] is not None else parameter[4])
        if parameter[1]:
            named[parameter[1]] = value
        else:
            positional.append(value)
        pos = parameter.end()
    return Tag("shortcode", opener, source, start, end, name=found[2].lower(),
               closing=bool(found[1]), self_closing=self_closing, positional=tuple(positional),
               named=named)


def _cut(text: str, limit: int = 80) -> str:
    """``text`` on one line, cut for a message."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"
