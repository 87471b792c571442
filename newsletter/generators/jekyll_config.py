"""The settings a Jekyll site is published with: _config.yml, or the files its build names.

``jekyll build --config _config.yml,_config.production.yml`` (in a GitHub Actions workflow,
netlify.toml, a Makefile, package.json's scripts) reads each file in turn, a later one's values
over an earlier one's (Jekyll's Configuration#read_config_files deep-merges them). The published
address is often only in the last: _config.yml keeps http://localhost:4000 for ``jekyll serve``.
"""

from __future__ import annotations

import fnmatch
import html.entities
import re
import tomllib
from pathlib import Path
from typing import Any

from newsletter.config import toml_problem
from newsletter.generators.base import as_list
from newsletter.generators.settings_files import read_data, read_text

# The settings file Jekyll reads without --config: the first of these there
DEFAULT_FILES = ("_config.yml", "_config.yaml", "_config.toml")
# Where a site's build command is written, looked at in this order.
BUILD_FILES = ("netlify.toml", ".github/workflows/*.yml", ".github/workflows/*.yaml",
               "Makefile", "package.json", "Rakefile", "vercel.json", "*.sh", "script/*")
_COMMAND = re.compile(r"\bjekyll\s+(?:build|b)\b([^\n]*)")
_FLAGS = {"--drafts": "show_drafts", "-D": "show_drafts", "--unpublished": "unpublished",
          "--future": "future"}
_BUILD = re.compile(r"""\bjekyll\s+(?:build|b)\b[^\n]*?--config[=\s]+["']?([\w./,-]+)""")


def published_config(root: Path) -> tuple[dict[str, Any], list[str], str]:
    """The site's settings as its build reads them, the files read, and where those came from
    (``_config.yml``, or the files the build names and the file naming them)."""
    default = next((name for name in DEFAULT_FILES if (root / name).is_file()), DEFAULT_FILES[0])
    named, build = _build_config_files(root)
    if not named or named == [default]:
        return {**(read_data(root / default) or {}), **_build_flags(root)}, [default], default
    merged: dict[str, Any] = {}
    for name in named:
        merged = _deep_merge(merged, read_data(root / name) or {})
    return ({**merged, **_build_flags(root)}, named,
            f"{', '.join(named)} (as {build} builds the site)")


def _build_flags(root: Path) -> dict[str, bool]:
    """The settings the first ``jekyll build`` command found turns on: ``--drafts`` (``-D``)
    is ``show_drafts``, ``--unpublished`` and ``--future`` are theirs."""
    for pattern in BUILD_FILES:
        for path in sorted(root.glob(pattern)):
            if found := _COMMAND.search(read_text(path) or ""):
                words = re.split(r"[\s\"';&|]+", found[1])
                return {_FLAGS[word]: True for word in words if word in _FLAGS}
    return {}


def toml_settings_problem(root: Path, name: str) -> tuple[str, str, str | None] | None:
    """(where, what, hint) when the TOML settings file ``name`` under ``root`` is there and is
    not valid TOML: Jekyll stops there. None when it reads or is not there."""
    text = read_text(root / name)
    try:
        tomllib.loads(text or "")
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\s*\(at line (\d+), column \d+\)$", str(error))
        problem, line = (str(error)[:found.start()], int(found[1])) if found else (error, 0)
        message, hint = toml_problem(str(problem), text or "", line)
        return f"{name}:{line}" if line else name, f"{name}: {message}", hint
    except RecursionError:  # tomllib recurses once per level: [[[[... thousands deep
        return name, f"{name} nests too deep to read", None
    except ValueError:  # a number too long for Python to read: Jekyll's Ruby reads it
        return None
    return None


def _build_config_files(root: Path) -> tuple[list[str], str | None]:
    """The settings files the first ``jekyll build --config`` found names (those inside the
    site that exist), and the file it is written in."""
    for pattern in BUILD_FILES:
        for path in sorted(root.glob(pattern)):
            found = _BUILD.search(read_text(path) or "")
            names = [name.removeprefix("./") for name in found[1].split(",")] if found else []
            names = [name for name in names if _inside(root, name)]
            if names:
                return names, path.relative_to(root).as_posix()
    return [], None


def _inside(root: Path, name: str) -> bool:
    path = (root / name).resolve()
    return path.is_file() and path.is_relative_to(root.resolve())


def _deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def excluded(config: dict[str, Any], relative: str) -> bool:
    """Whether ``exclude`` names the file at ``relative`` (from the site's folder): itself, a
    folder it is in, or a glob matching either."""
    parts = relative.split("/")
    paths = ["/".join(parts[:end]) for end in range(1, len(parts) + 1)]
    return any(fnmatch.fnmatchcase(path, str(name).strip("/"))
               for name in as_list(config.get("exclude")) for path in paths)


def serves(config: dict[str, Any], relative: str) -> bool:
    """Whether Jekyll copies the file or folder at ``relative`` into the built site: not when it
    or a folder it is in is named with ``_``, ``.``, ``#`` or ``~`` (_config.yml, _includes/),
    unless ``include`` names it, nor when ``exclude`` does."""
    included = [str(name).strip("/") for name in as_list(config.get("include"))]
    hidden = [part for part in relative.split("/") if part.startswith(("_", ".", "#", "~"))]
    if any(not any(fnmatch.fnmatchcase(part, name) for name in included) for part in hidden):
        return False
    return not excluded(config, relative)


def smart_quotes(value: Any) -> str:
    """kramdown's ``smart_quotes`` (``lsquo,rsquo,ldquo,rdquo``, its default; entity names or
    code points, a list or one string) as the quotes markdown-it writes, in its order: double
    opening and closing, single opening and closing; "" when unset or not four quotes."""
    names = value if isinstance(value, list) else str(value or "").split(",")
    quotes = []
    for name in (str(name).strip() for name in names):
        if name.isdigit() and 0 < int(name) < 0x110000:
            quotes.append(chr(int(name)))
        elif (character := html.entities.html5.get(name + ";")) and len(character) == 1:
            quotes.append(character)
    return "".join(quotes[2:] + quotes[:2]) if len(quotes) == 4 and len(names) == 4 else ""


# _config.yml's `markdown:` naming a CommonMark converter: jekyll-commonmark ("CommonMark"),
# jekyll-commonmark-ghpages ("CommonMarkGhPages"; GitHub Pages reads "GFM" as that one).
_COMMONMARK_CONVERTERS = {"commonmark", "commonmarkghpages", "gfm"}


def commonmark_converter(config: dict[str, Any]) -> str | None:
    """The CommonMark converter _config.yml's ``markdown`` names, in lower case; None for
    kramdown."""
    name = str(config.get("markdown") or "").strip().lower()
    return name if name in _COMMONMARK_CONVERTERS else None


def markdown_options(config: dict[str, Any]) -> dict[str, Any]:
    """Jekyll's Markdown options: for kramdown, its ``parse_block_html`` (Markdown inside
    ``<div>``), ``smart_quotes`` (the four quotes it writes) and ``hard_wrap`` (a line's end a
    line break); for a CommonMark converter, its ``commonmark:`` options and extensions: smart
    punctuation with SMART, bare addresses linked with ``autolink`` (on by default only for
    GitHub's flavour, as jekyll-commonmark-ghpages sets it). With the jemoji plugin listed
    (in ``plugins``, or ``gems`` before Jekyll 3.5), ``:ocean:`` is the emoji."""
    converter = commonmark_converter(config)
    plugins = as_list(config.get("plugins")) + as_list(config.get("gems"))
    emoji = {"emoji": "jemoji" in plugins}
    if converter is None:
        kramdown = config.get("kramdown")
        kramdown = kramdown if isinstance(kramdown, dict) else {}
        return {**emoji, "parse_block_html": kramdown.get("parse_block_html") is True,
                "quotes": smart_quotes(kramdown.get("smart_quotes")),
                "hard_wraps": kramdown.get("hard_wrap") is True and  # GFM input's option
                str(kramdown.get("input") or "GFM").lower() == "gfm"}
    settings = config.get("commonmark")
    settings = settings if isinstance(settings, dict) else {}
    options = {str(name).upper() for name in as_list(settings.get("options"))}
    extensions = settings.get("extensions")
    autolinks = (converter != "commonmark" if extensions is None
                 else "autolink" in {str(name).lower() for name in as_list(extensions)})
    return {**emoji, "smart_punctuation": "SMART" in options, "autolinks": autolinks}
