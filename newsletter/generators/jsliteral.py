"""JavaScript that only declares literal values, read without running it.

Eleventy's JavaScript front matter (``---js``) and data files (``blog.11tydata.js``,
``_data/metadata.js``) and Astro's and Gatsby's settings are JavaScript. Most blogs only write
values there (``const draft = true;``, ``export default { tags: ["posts"] }``); those are read
here. Anything else (a call, a variable, a computed key, ``${}`` in a template string) is a
:class:`JsLiteralError` naming its line: newsletter never guesses what code would compute. A
data file's exported object keeps its literal properties and passes over those that are code.
"""

from __future__ import annotations

import re
from typing import Any

_TOKEN = re.compile(r"""
    (?P<space>\s+|//[^\n]*|/\*.*?\*/)
  | (?P<number>-?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<template>`(?:[^`\\]|\\.)*`)
  | (?P<name>[A-Za-z_$][\w$]*)
  | (?P<punct>\.\.\.|=>|[{}\[\](),:;=.])
  | (?P<operator>[-?!&|+*/%<>~^])  # never a literal's, but code is read past them
""", re.VERBOSE | re.DOTALL)
_KEYWORDS = {"true": True, "false": False, "null": None, "undefined": None}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_DECLARE = ("const", "let", "var")


class JsLiteralError(ValueError):
    """JavaScript that is more than literal values, at ``line`` (1-based) of the text read."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message, self.line = message, line


def parse_declarations(text: str) -> dict[str, Any]:
    """The values of ``const name = <literal>;`` statements (``let``, ``var`` and ``export``
    too), or of a text that is one object literal."""
    parser = _Parser(text)
    if parser.peek() == "{":
        value = parser.value()
        parser.expect_end()
        return value
    values: dict[str, Any] = {}
    while not parser.at_end():
        if parser.peek() == ";":
            parser.take()
            continue
        if parser.peek() == "export":
            parser.take()
        if parser.peek() not in _DECLARE:
            parser.fail("only const, let or var declarations of literal values are read")
        parser.take()
        while True:
            name = parser.name()
            parser.expect("=")
            values[name] = parser.value()
            if parser.peek() != ",":
                break
            parser.take()
        if not parser.at_end():
            parser.expect(";")
    return values


# What a data file exports: an object, or a function returning one (11ty.dev/docs/data-js):
# `() => ({...})`, `() => { return {...} }`, `async function () { return {...}; }`.
_EXPORT = re.compile(r"(?:export\s+default|module\.exports\s*=)\s*")
_FUNCTION = re.compile(r"(?:async\s+)?(?:function\b[\w\s]*\([^)]*\)\s*|(?:\([^)]*\)|\w+)\s*=>\s*)"
                       r"(?:\(\s*(?=\{)|\{)")
_RETURN = re.compile(r"\breturn\s*(?=\{)")


def exported_object(text: str) -> dict[str, Any] | None:
    """The object literal after ``export default`` or ``module.exports =`` in a data or settings
    file (or the one the function exported there returns first), without the properties that
    are more than literals (a function, a computed value: ``eleventyComputed``, ``permalink:
    (data) => ...``); None when there is none, or when even where such a property ends cannot
    be told."""
    match = _EXPORT.search(text)
    if not match:
        return None
    start = match.end()
    function = _FUNCTION.match(text, start)
    if function and function.group().endswith("{"):  # a body: the object it returns
        returned = _RETURN.search(text, function.end())
        start = returned.end() if returned else len(text)
    elif function:  # => ({...})
        start = function.end()
    if not text.startswith("{", start):
        return None
    parser = _Parser(text, start, skip_code=True)
    try:
        value = parser.value()
    except (JsLiteralError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def object_at(text: str, start: int, *, skip_code: bool = False) -> dict[str, Any] | None:
    """The object literal starting at ``text[start]`` (a ``{``), or None if it is not literal
    (with ``skip_code``: its properties that are code left out, as in :func:`exported_object`)."""
    try:
        value = _Parser(text, start, skip_code=skip_code).value()
    except (JsLiteralError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


class _Parser:
    def __init__(self, text: str, start: int = 0, *, skip_code: bool = False):
        self.text, self.skip_code = text, skip_code
        self.tokens: list[tuple[str, str, int]] = []
        position = start
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None:
                self.tokens.append(("other", text[position], position))
                break
            if match.lastgroup != "space":
                self.tokens.append((match.lastgroup, match.group(), position))
            position = match.end()
        self.index = 0

    def at_end(self) -> bool:
        return self.index >= len(self.tokens)

    def peek(self) -> str | None:
        return None if self.at_end() else self.tokens[self.index][1]

    def take(self) -> tuple[str, str, int]:
        if self.at_end():
            self.fail("the JavaScript ends too early")
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expect(self, text: str) -> None:
        if self.peek() != text:
            self.fail(f"expected {text!r}")
        self.take()

    def expect_end(self) -> None:
        if self.peek() == ";":
            self.take()
        if not self.at_end():
            self.fail("only literal values are read")

    def name(self) -> str:
        kind, text, _ = self.take()
        if kind != "name":
            self.index -= 1
            self.fail("expected a name")
        return text

    def fail(self, message: str) -> None:
        position = self.tokens[min(self.index, len(self.tokens) - 1)][2] if self.tokens else 0
        snippet = self.text[position:position + 30].split("\n")[0]
        found = f" at {snippet!r}" if snippet and not self.at_end() else ""
        raise JsLiteralError(message + found, self.text.count("\n", 0, position) + 1)

    def value(self) -> Any:
        kind, text, _ = self.take()
        if kind == "string":
            return _unescape(text[1:-1])
        if kind == "template":
            if "${" in text:
                self.index -= 1
                self.fail("a template string with ${...} is computed, not a literal")
            return _unescape(text[1:-1])
        if kind == "number":
            return _number(text)
        if text == "{":
            return self._object()
        if text == "[":
            return self._array()
        if kind == "name" and text in _KEYWORDS:
            return _KEYWORDS[text]
        if self.skip_code and text == "process" and self._environment_fallback():
            return self.value()
        if text == "new" and self.peek() == "Date":  # new Date("2024-05-01"): the date's text
            self.take()
            self.expect("(")
            kind, text, _ = self.take()
            if kind != "string":
                self.index -= 1
                self.fail("new Date() is read only with a literal date string")
            self.expect(")")
            return _unescape(text[1:-1])
        self.index -= 1
        self.fail("not a literal value")

    def _environment_fallback(self) -> bool:
        """Past ``.env.NAME ||`` (or ``??``) of ``process.env.SITE_URL || "https://..."``,
        whose literal the site has where the variable is unset, as when it is built at home;
        False, with nothing taken, when the code is other."""
        start = self.index
        words = [self.take()[1] if not self.at_end() else "" for _ in range(6)]
        if words[:3] == [".", "env", "."] and words[4] == words[5] and words[4] in ("|", "?") \
                and self.tokens[start + 3][0] == "name":
            return True
        self.index = start
        return False

    def _object(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        while self.peek() != "}":
            kind, key, _ = self.take()
            if kind == "string":
                key = _unescape(key[1:-1])
            elif kind not in ("name", "number"):
                self.index -= 1
                self.fail("not a literal object key")
            if self.skip_code and self.peek() != ":":  # a method: permalink(data) { ... }
                self._skip_property()
                continue
            self.expect(":")
            start = self.index
            try:
                result[key] = self.value()
            except JsLiteralError:
                if not self.skip_code:
                    raise
                self.index = start
                self._skip_property()
                continue
            if self.peek() != "}":
                self.expect(",")
        self.take()
        return result

    def _skip_property(self) -> None:
        """Past the code up to the ``,`` ending the property (or before the object's ``}``)."""
        depth = 0
        while True:
            text = self.peek()
            if text is None or self.tokens[self.index][0] == "other":
                self.fail("the code cannot be read to its end")
            if depth == 0 and text in (",", "}"):
                if text == ",":
                    self.take()
                return
            depth += (text in "([{") - (text in ")]}")
            self.take()

    def _array(self) -> list[Any]:
        result = []
        while self.peek() != "]":
            result.append(self.value())
            if self.peek() != "]":
                self.expect(",")
        self.take()
        return result


def _number(text: str) -> int | float:
    if text.lstrip("-")[:2] in ("0x", "0X"):
        return int(text, 16)
    number = float(text)
    return int(number) if number.is_integer() and not re.search(r"[.eE]", text) else number


def _unescape(body: str) -> str:
    out, index = [], 0
    while index < len(body):
        char = body[index]
        if char != "\\" or index + 1 >= len(body):
            out.append(char)
            index += 1
            continue
        code = body[index + 1]
        if code == "u" and body[index + 2:index + 3] == "{":
            end = body.index("}", index)
            out.append(chr(int(body[index + 3:end], 16)))
            index = end + 1
        elif code in "ux":
            width = 4 if code == "u" else 2
            out.append(chr(int(body[index + 2:index + 2 + width], 16)))
            index += 2 + width
        elif code == "\n":  # a line continuation
            index += 2
        else:
            out.append(_ESCAPES.get(code, code))
            index += 2
    return "".join(out)
