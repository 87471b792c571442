"""What `newsletter init` can learn about a blog from its generator's own settings.

Gatsby (Lumen keeps them in ``content/config.json``; other starters in ``gatsby-config`` as
``siteMetadata``), Hugo (``hugo.toml``, ``config.toml``, ``.yaml`` and ``.json`` too) and Jekyll
(``_config.yml``). Unreadable or unexpected files are skipped: init then writes placeholders.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml


@dataclass(frozen=True)
class SiteInfo:
    """The blog's title, address, time zone and language, and the file they came from."""

    source: str | None = None
    title: str | None = None
    url: str | None = None
    timezone: str | None = None
    language: str | None = None


# In gatsby-config.js/ts: `title: "..."` and `siteUrl: "..."` (or `url:`) inside siteMetadata.
_JS_STRING = r"""\s*:\s*(["'`])((?:(?!\1).)*)\1"""
_SITE_METADATA = re.compile(r"siteMetadata\s*:\s*\{(.*?)\}", re.DOTALL)


def read_site_info(root: Path) -> SiteInfo:
    """The first generator settings file under ``root`` that says something useful."""
    for name, read in _READERS:
        path = root / name
        if not path.is_file():
            continue
        try:
            info = read(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError, tomllib.TOMLDecodeError):
            continue
        if info.title or info.url:
            return SiteInfo(name, *(_clean(value) for value in (
                info.title, info.url, info.timezone, info.language)))
    return SiteInfo()


def _clean(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _gatsby_json(text: str) -> SiteInfo:
    data = json.loads(text)
    return SiteInfo(title=data.get("title"), url=data.get("siteUrl") or data.get("url"))


def _gatsby_js(text: str) -> SiteInfo:
    block = _SITE_METADATA.search(text)
    if not block:
        return SiteInfo()
    found = {key: match.group(2) for key in ("title", "siteUrl", "url")
             if (match := re.search(rf"\b{key}{_JS_STRING}", block.group(1)))}
    return SiteInfo(title=found.get("title"), url=found.get("siteUrl") or found.get("url"))


def _hugo(data: dict) -> SiteInfo:
    params = data.get("params") if isinstance(data.get("params"), dict) else {}
    return SiteInfo(title=data.get("title") or params.get("title"), url=data.get("baseURL"),
                    timezone=data.get("timeZone"), language=data.get("languageCode"))


def _jekyll(text: str) -> SiteInfo:
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        return SiteInfo()
    url = data.get("url")
    if isinstance(url, str) and isinstance(data.get("baseurl"), str):
        url = url.rstrip("/") + "/" + data["baseurl"].strip("/")
    return SiteInfo(title=data.get("title"), url=url, timezone=data.get("timezone"),
                    language=data.get("lang"))


def _mapping(load: Callable[[str], Any]) -> Callable[[str], SiteInfo]:
    def read(text: str) -> SiteInfo:
        data = load(text)
        return _hugo(data) if isinstance(data, dict) else SiteInfo()
    return read


_READERS: tuple[tuple[str, Callable[[str], SiteInfo]], ...] = (
    ("content/config.json", _gatsby_json),
    *((f"gatsby-config.{ext}", _gatsby_js) for ext in ("js", "ts", "mjs")),
    *((f"{name}.toml", _mapping(tomllib.loads)) for name in ("hugo", "config")),
    *((f"{name}.{ext}", _mapping(yaml.safe_load)) for name in ("hugo", "config")
      for ext in ("yaml", "yml")),
    *((f"{name}.json", _mapping(json.loads)) for name in ("hugo", "config")),
    ("_config.yml", _jekyll),
)
