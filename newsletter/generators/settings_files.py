"""Reading a generator's own settings files: TOML, YAML, JSON, Python literals, JavaScript literals.

Nothing is ever run. A file that cannot be read (missing, not UTF-8, invalid) reads as empty:
the generator's defaults apply, and ``init`` writes placeholders for what it could not learn.
"""

from __future__ import annotations

import ast
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

from newsletter.config import long_number
from newsletter.generators.jsliteral import exported_object, object_at
from newsletter.generators.yaml_loaders import (ALIAS_ALLOWANCE, REPEATED_ANCHORS, MergesTooMany,
                                                Yaml12Loader, load_yaml)
from newsletter.records import record

MAX_SETTINGS_BYTES = 2**20  # a settings file past 1 MB is not a settings file


@record(frozen=True)
class SiteInfo:
    """The blog's title, address, time zone, language and writer, and the file they came from."""

    source: str | None = None
    title: str | None = None
    url: str | None = None
    timezone: str | None = None
    language: str | None = None
    author: tuple[str | None, str | None] = (None, None)  # the writer's name and address


def site_info(source: str | None, title: Any = None, url: Any = None, timezone: Any = None,
              language: Any = None) -> SiteInfo:
    """A SiteInfo of the values that are non-empty strings; no source when it says nothing."""
    values = [value.strip() if isinstance(value, str) and value.strip() else None
              for value in (title, url, timezone, language)]
    return SiteInfo(source if values[0] or values[1] else None, *values)


def under_base(url: Any, base: str) -> Any:
    """The blog's address with the path it is served under (``/works`` of Eleventy's
    ``pathPrefix``), unless the address names that path already."""
    if not isinstance(url, str) or not url.strip() or not base:
        return url
    return url if url.rstrip("/").endswith(base) else url.rstrip("/") + base


def read_text(path: Path) -> str | None:
    """The file's text, or None if it is missing, too large or not UTF-8."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_SETTINGS_BYTES:
            return None
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


def read_data(path: Path, *, yaml_1_2: bool = False) -> dict[str, Any] | None:
    """A TOML, YAML or JSON file (by its extension) as a mapping; None if it is not one.
    ``yaml_1_2``: YAML's booleans are only true and false (Go's and JavaScript's readers)."""
    text = read_text(path)
    return None if text is None else parse_data(text, path.suffix, yaml_1_2=yaml_1_2)


def parse_data(text: str, suffix: str, *, yaml_1_2: bool = False) -> dict[str, Any] | None:
    """``text`` in the format of a file ending in ``suffix`` (``.toml``, ``.yaml``/``.yml``,
    else JSON) as a mapping; None if it is not one."""
    try:
        if suffix == ".toml":
            data = tomllib.loads(text)
        elif suffix in (".yaml", ".yml"):
            data = yaml.load(text, Yaml12Loader) if yaml_1_2 else load_yaml(text)
            if expands_past(data, len(text)):
                return None
        else:
            data = json.loads(text)
    except (ValueError, yaml.YAMLError, RecursionError):  # TOML and JSON errors are ValueErrors
        return None
    return data if isinstance(data, dict) else None


@record(frozen=True)
class YamlProblem:
    """Where and why a text is not valid YAML, and what its writer can do about it."""

    line: int | None  # from 0 in the text read; None when the reader says no place
    problem: str
    hint: str | None


def yaml_problem(error: yaml.YAMLError, text: str) -> YamlProblem:
    """``error``, raised reading ``text``, as its writer reads it: a tab is the usual cause."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    if mark is None:
        return YamlProblem(None, problem, None)
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    return YamlProblem(mark.line, problem, "indent with spaces: YAML does not allow tabs"
                       if "\t" in line else
                       'quote values that contain ": " or start with a special character')


_DATE_LIKE = re.compile(r"\d{4}-\d\d?-\d\d?")


def yaml_value_problem(error: ValueError, text: str) -> YamlProblem:
    """Where and why PyYAML raised ``error`` (no YAMLError) reading ``text``: a whole number too
    long for Python to read, or an unquoted date that is no real date (2026-02-30)."""
    if found := long_number(text):
        return YamlProblem(found[0] - 1, found[1], found[2])
    for number, line in enumerate(text.splitlines()):
        key, colon, value = line.partition(":")
        if colon and _DATE_LIKE.match(value.strip()):
            try:
                yaml.safe_load(value)
            except ValueError:
                return YamlProblem(number, f"{key.strip()}: {value.strip()} is not a real date "
                                           f"({error})",
                                   'write it as "2024-05-01T09:00:00Z" or 2024-05-01')
    return YamlProblem(None, f"an impossible date ({error})", None)


def yaml_settings_problem(root: Path, name: str) -> tuple[str, str, str | None] | None:
    """(where, what, hint) when the YAML settings file ``name`` under ``root`` is there and
    holds no settings: not valid YAML, or not ``key: value`` lines. None when it reads, is
    empty or is not there."""
    text = read_text(root / name)
    if text is None:
        return None
    try:
        data = load_yaml(text)
    except MergesTooMany:
        return name, f"{name}'s aliases (*name) repeat its values too often", REPEATED_ANCHORS
    except yaml.YAMLError as error:
        found = yaml_problem(error, text)
        where = name if found.line is None else f"{name}:{found.line + 1}"
        return where, f"{name} is not valid YAML ({found.problem})", found.hint
    except RecursionError:
        return name, f"{name} nests too deep to read", None
    except ValueError as error:  # an unquoted 2026-02-30, a number too long to read
        found = yaml_value_problem(error, text)
        return (name if found.line is None else f"{name}:{found.line + 1}",
                f"{name} does not read ({found.problem})", found.hint)
    if data is None or isinstance(data, dict):
        return None
    return name, f"{name} holds no settings (not key: value lines)", "write it as key: value lines"


def expands_past(data: Any, characters: int) -> bool:
    """True if YAML ``data`` read from ``characters`` of text, each alias counted wherever it
    is used, holds more values than the text could write out (ALIAS_ALLOWANCE spare); it stops
    counting there (an alias holding itself never ends)."""
    budget, stack = characters + ALIAS_ALLOWANCE, [data]
    while stack:
        budget -= 1
        if budget < 0:
            return True
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def first_file(root: Path, *names: str) -> Path | None:
    """The first of ``names`` that is a file under ``root``."""
    return next((root / name for name in names if (root / name).is_file()), None)


def first_text(root: Path, names: tuple[str, ...]) -> str:
    """The text of the first of ``names`` under ``root`` (a JavaScript settings file), or ""."""
    found = first_file(root, *names)
    return (read_text(found) if found else None) or ""


def lower_keys(value: Any) -> Any:
    """Mapping keys in lower case, at every depth (Hugo's settings are case-insensitive)."""
    if isinstance(value, dict):
        return {str(key).lower(): lower_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [lower_keys(item) for item in value]
    return value


def python_settings(path: Path) -> dict[str, Any]:
    """``NAME = <literal>`` assignments of a Python settings file (Pelican's), never run."""
    text = read_text(path)
    if text is None:
        return {}
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    values: dict[str, Any] = {}
    for node in tree.body:
        if not isinstance(node, ast.Assign):
            continue
        try:
            value = ast.literal_eval(node.value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            continue
        for target in node.targets:
            if isinstance(target, ast.Name):
                values[target.id] = value
    return values


def js_settings(path: Path) -> dict[str, Any]:
    """The exported object literal of a JavaScript settings or data file, or {}."""
    text = read_text(path)
    return (exported_object(text) or {}) if text else {}


def js_object(text: str, name: str, *, skip_code: bool = False) -> dict[str, Any]:
    """The object literal following ``name:`` or ``name =`` in JavaScript text, or {} (with
    ``skip_code``: its properties that are code left out)."""
    text = without_js_comments(text)
    match = re.search(rf"\b{re.escape(name)}\s*[:=]\s*(?=\{{)", text)
    return (object_at(text, match.end(), skip_code=skip_code) or {}) if match else {}


def js_string(text: str, name: str) -> str | None:
    """The literal string value of the first ``name: "..."`` (or ``name = '...'``) in ``text``,
    not in a comment."""
    match = re.search(rf"""\b{re.escape(name)}\s*[:=]\s*(["'`])([^"'`\n$]*)\1""",
                      without_js_comments(text))
    return match.group(2) if match else None


def js_boolean(text: str, name: str) -> bool | None:
    """The literal ``true`` or ``false`` of the first ``name: ...`` in ``text``, not in a
    comment."""
    match = re.search(rf"\b{re.escape(name)}\s*:\s*(true|false)\b", without_js_comments(text))
    return match.group(1) == "true" if match else None


# A line that is a // comment, or a /* */ comment (both left out), or a JavaScript string
# (kept as it is: a glob in a string, "blog/**/*.mdx", opens no comment).
_STRING_OR_COMMENT = re.compile(r"(?m:^[ \t]*//[^\n]*)|/\*.*?\*/|"
                                r"""("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)""",
                                re.DOTALL)


def without_js_comments(text: str) -> str:
    """JavaScript without its ``/* */`` blocks and its lines that are ``//`` comments
    (``// site: 'https://example.com'`` is a setting left out, not one made); strings kept
    whole."""
    return _STRING_OR_COMMENT.sub(lambda match: match.group(1) or "", text)


def remark_math(root: Path) -> dict[str, Any]:
    """The math delimiters of a remark site whose package.json has remark-math (or Gatsby's
    gatsby-remark-katex, which reads math the same way): ``$$...$$`` and ``$...$``, as the
    options of the email's Markdown dialect; none without it (a ``$`` is a dollar)."""
    if depends_on(root, "remark-math") or depends_on(root, "gatsby-remark-katex"):
        return {"math_blocks": (("$$", "$$"),), "math_inline": (("$", "$"),)}
    return {}


def depends_on(root: Path, package: str) -> bool:
    """True when package.json lists ``package`` among its (dev) dependencies."""
    text = read_text(root / "package.json")
    try:
        data = json.loads(text) if text else {}
    except (ValueError, RecursionError):  # not JSON, or [[[[... thousands deep
        return False
    if not isinstance(data, dict):
        return False
    return any(isinstance(data.get(key), dict) and package in data[key]
               for key in ("dependencies", "devDependencies"))
