"""Front matter in every form static site generators write it, split from the post's body.

- YAML between ``---`` lines (every generator); ``---yaml`` too; closed by ``...`` (YAML's
  document end) where the generator reads it so (Jekyll's);
- TOML between ``+++`` lines (Hugo, Zola), read with the standard library's ``tomllib``;
- JSON: an object opening the file (Hugo), or between ``---json`` and ``---`` (Eleventy);
- JavaScript between ``---js`` and ``---`` (Eleventy), where it only declares literal values;
- ``Key: value`` lines up to the first blank line (Pelican's Markdown metadata), when the
  generator reads them;
- YAML closed by a ``---`` line with no opening one (Hexo's), when the generator reads it;
- ``.. key: value`` lines in an HTML comment opening the file (Nikola's), when the generator
  reads them; bare, they open its reStructuredText posts;
- a reStructuredText post's title and field list (Pelican's ``:date:`` lines,
  :mod:`newsletter.posts.rst_metadata`).

Every problem is a ContentError naming the file's line. Keys come back in lower case (Hugo's and
Pelican's are case-insensitive; a key written in lower case wins over another spelling).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from dataclasses import field
from typing import Any

import yaml

from newsletter.config import long_number
from newsletter.errors import ContentError
from newsletter.generators import (REPEATED_ANCHORS, JsLiteralError, MergesTooMany, YamlLoader,
                                   expands_past, load_yaml, parse_declarations, yaml_problem,
                                   yaml_value_problem)
from newsletter.posts.rst_metadata import restructured_metadata
from newsletter.records import record

_OPENING = re.compile(r"(---|\+\+\+)(js|javascript|json|yaml)?[ \t]*$")
_DOTTED = re.compile(r"^\.\.[ \t]+([A-Za-z][\w-]*)[ \t]*:[ \t]*(.*)$")  # Nikola's ".. title: x"
_CLOSING = re.compile(r"-{3,}[ \t]*$")
_KEY_VALUE = re.compile(r"^([A-Za-z][\w-]*)[ \t]*:[ \t]*(.*)$")
_JSON_OPENING = re.compile(r"\{[ \t]*(\"|$)", re.MULTILINE)


@record(frozen=True)
class FrontMatter:
    """A post file split: its front matter (keys in lower case) and its body."""

    meta: dict[str, Any]
    body: str
    body_line: int  # the file line the body starts on
    spelling: dict[str, str] = field(default_factory=dict)  # lower case -> as written


def split_front_matter(text: str, where: str, *, key_value: bool = False,
                       open_ended: bool = False, comment: bool = False,
                       document_end: bool = False, restructured: bool = False) -> FrontMatter:
    """Split ``text`` (a post file at ``where``, reStructuredText if ``restructured``) into
    front matter and body."""
    lines = text.split("\n")
    opening = _OPENING.match(lines[0]) if lines else None
    try:
        if opening:
            return _fenced(lines, opening.group(1), opening.group(2) or "", where, document_end)
        if _JSON_OPENING.match(text):
            return _json_object(text, where)
    except RecursionError:  # [[[[... thousands deep: no real front matter is
        raise ContentError("the front matter is nested too deeply to be read", where=where,
                           hint="write it as plain key: value lines") from None
    if restructured and not (comment and _DOTTED.match(lines[0])):
        meta, spelling, body = restructured_metadata(lines)
        return FrontMatter(meta, body, 1, spelling)
    if key_value and _KEY_VALUE.match(lines[0]):
        return _key_values(lines)
    if comment and (lines[0].strip() == "<!--" or _DOTTED.match(lines[0])):
        return _comment_metadata(lines)
    if open_ended and _KEY_VALUE.match(lines[0]):
        end = next((index for index, line in enumerate(lines) if _CLOSING.match(line)), None)
        if end is not None:
            meta, spelling = _lower(_yaml("\n".join(lines[:end]), where, first_line=1))
            return FrontMatter(meta, "\n".join(lines[end + 1:]), end + 2, spelling)
    return FrontMatter({}, text, 1)


def _fenced(lines: list[str], fence: str, language: str, where: str,
            document_end: bool) -> FrontMatter:
    ends = (re.escape(fence), r"\.\.\.") if document_end and fence == "---" and \
        language in ("", "yaml") else (re.escape(fence),)
    closing = re.compile(f"(?:{'|'.join(ends)})" + r"[ \t]*$")
    end = next((index for index in range(1, len(lines)) if closing.match(lines[index])), None)
    if end is None:
        marks = "dashes: ---" if fence == "---" else "plus signs: +++"
        raise ContentError("the front matter is never closed", where=f"{where}:1",
                           hint=f"end it with a line of three {marks}")
    block = "\n".join(lines[1:end])
    if fence == "+++":
        meta = _toml(block, where)
    elif language in ("js", "javascript"):
        meta = _javascript(block, where)
    elif language == "json":
        meta = _json(block, where, first_line=2)
    else:
        meta = _yaml(block, where)
    meta, spelling = _lower(meta)
    return FrontMatter(meta, "\n".join(lines[end + 1:]), end + 2, spelling)


def _yaml(block: str, where: str, first_line: int = 2) -> dict[str, Any]:
    try:
        data = load_yaml(block)  # RecursionError nested thousands deep
        repeated = expands_past(data, len(block))
    except MergesTooMany:
        repeated = True
    except yaml.YAMLError as error:
        raise _yaml_error(error, block, where, first_line) from None
    except ValueError as error:  # an unquoted 2026-13-45 (a date), or a number too long
        found = yaml_value_problem(error, block)
        if found.line is None:
            raise ContentError(f"front matter holds {found.problem}", where=where) from None
        raise ContentError(found.problem, where=f"{where}:{found.line + first_line}",
                           hint=found.hint) from None
    if repeated:
        raise ContentError("the front matter's aliases (*name) repeat its values too often, or "
                           "hold themselves", where=f"{where}:2", hint=REPEATED_ANCHORS)
    return _as_written(_mapping(data, where, "key: value lines"), block)


# Keys read as text. YAML 1.1 (PyYAML) makes an unquoted No, On, 12:30 or 0x1F a boolean or a
# number, where Hugo, Eleventy, Astro and Gatsby (YAML 1.2) keep the words.
_TEXT_KEYS = frozenset({"title", "subject", "preheader", "description", "summary", "excerpt",
                        "share-description", "subtitle", "cta_text"})


def _as_written(data: dict[str, Any], block: str) -> dict[str, Any]:
    """``data`` with each text key that YAML read as a boolean, number or date back as the
    scalar is written (the block composed again only then: rare)."""
    keys = [key for key, value in data.items() if isinstance(key, str)
            and key.lower() in _TEXT_KEYS and isinstance(value, (bool, int, float, dt.date))]
    if not keys:
        return data
    root = yaml.compose(block, Loader=YamlLoader)  # noqa: S506 (a safe loader)
    written = {key.value: value.value for key, value in root.value
               if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode)}
    # true and false are booleans in YAML 1.2 too (``excerpt: false``: no excerpt)
    return {**data, **{key: written[key] for key in keys
                       if key in written and written[key].lower() not in ("true", "false")}}


def _toml(block: str, where: str) -> dict[str, Any]:
    try:
        return tomllib.loads(block + "\n")
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\(at line (\d+)", str(error))
        line = f":{int(found.group(1)) + 1}" if found else ""
        problem = re.sub(r"\s*\(at line.*\)$", "", str(error))
        raise ContentError(f"front matter is not valid TOML ({problem})", where=f"{where}{line}",
                           hint='quote text values: title = "My post"') from None
    except ValueError as error:  # no syntax error: a number too long to read
        raise _long_number_error(block, where, 2) or error from None


def _json(block: str, where: str, first_line: int) -> dict[str, Any]:
    try:
        data = json.loads(block)
    except json.JSONDecodeError as error:
        raise ContentError(f"front matter is not valid JSON ({error.msg})",
                           where=f"{where}:{first_line + error.lineno - 1}") from None
    except ValueError as error:  # no syntax error: a number too long to read
        raise _long_number_error(block, where, first_line) or error from None
    return _mapping(data, where, "a JSON object")


def _json_object(text: str, where: str) -> FrontMatter:
    """Hugo's JSON front matter: an object at the top of the file, the body after it."""
    try:
        data, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as error:
        raise ContentError(f"front matter is not valid JSON ({error.msg})",
                           where=f"{where}:{error.lineno}") from None
    except ValueError as error:  # no syntax error: a number too long to read
        raise _long_number_error(text, where, 1) or error from None
    rest = text[end:]
    line = text.count("\n", 0, end) + 1
    if rest.startswith("\n"):
        rest, line = rest[1:], line + 1
    meta, spelling = _lower(_mapping(data, where, "a JSON object"))
    return FrontMatter(meta, rest, line, spelling)


def _javascript(block: str, where: str) -> dict[str, Any]:
    try:
        return parse_declarations(block)
    except JsLiteralError as error:
        raise ContentError(
            f"the JavaScript front matter does more than declare values ({error.message})",
            where=f"{where}:{error.line + 1}",
            hint='newsletter reads only literals there, e.g. const title = "My post"; '
                 "move anything computed into a data file") from None


def _key_values(lines: list[str]) -> FrontMatter:
    """Pelican's ``Key: value`` lines; an indented line continues the value above it."""
    meta: dict[str, Any] = {}
    spelling: dict[str, str] = {}
    key = None
    index = 0
    for index, line in enumerate(lines):
        if not line.strip():
            break
        match = _KEY_VALUE.match(line)
        if match:
            key = match.group(1).lower()
            meta[key], spelling[key] = match.group(2).strip(), match.group(1)
        elif key and line[:1] in (" ", "\t"):
            meta[key] = (meta[key] + " " + line.strip()).strip()
        else:
            break
    else:
        index = len(lines)
    return FrontMatter(meta, "\n".join(lines[index:]), index + 1, spelling)


def _comment_metadata(lines: list[str]) -> FrontMatter:
    """Nikola's ``.. key: value`` lines inside the ``<!-- ... -->`` opening the file, or
    opening it bare, up to the first blank line."""
    if lines[0].strip() == "<!--":
        first, closing = 1, "-->"
    else:
        first, closing = 0, ""
    end = next((index for index in range(first, len(lines))
                if lines[index].strip() == closing), None)
    if end is None:
        if closing:
            return FrontMatter({}, "\n".join(lines), 1)
        end = len(lines)
    meta: dict[str, Any] = {}
    spelling: dict[str, str] = {}
    for line in lines[first:end]:
        match = _DOTTED.match(line)
        if match and match.group(2).strip():
            key = match.group(1).lower()
            meta[key], spelling[key] = match.group(2).strip(), match.group(1)
    return FrontMatter(meta, "\n".join(lines[end + 1:]), end + 2, spelling)


def _mapping(data: Any, where: str, shape: str) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ContentError(f"the front matter must be {shape}, not a {type(data).__name__}",
                           where=where)
    return data


def _lower(meta: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Keys in lower case, and how each was written; a key already written in lower case wins
    over another spelling."""
    lowered: dict[str, Any] = {}
    spelling: dict[str, str] = {}
    for key, value in meta.items():
        name = str(key).lower()
        if name not in lowered or str(key) == name:
            lowered[name], spelling[name] = value, str(key)
    return lowered, spelling


def _yaml_error(error: yaml.YAMLError, block: str, where: str,
                first_line: int) -> ContentError:
    found = yaml_problem(error, block)
    if found.line is None:
        return ContentError(f"front matter is not valid YAML ({found.problem})", where=where)
    return ContentError(f"front matter is not valid YAML ({found.problem})",
                        where=f"{where}:{found.line + first_line}", hint=found.hint)


def _long_number_error(block: str, where: str, first_line: int) -> ContentError | None:
    """A number in ``block`` (front matter from the file's ``first_line``) too long for Python
    to read, as an error at its line; None when there is none."""
    found = long_number(block)
    return found and ContentError(found[1], where=f"{where}:{found[0] + first_line - 1}",
                                  hint=found[2])
