"""jekyll-polyglot's languages: which posts are translations of the default language's."""

from __future__ import annotations

from typing import Any


def translation(config: dict[str, Any], lang: Any, inside: tuple[str, ...]) -> str | None:
    """The language of a post in another of jekyll-polyglot's ``languages`` (in _config.yml,
    ``config``) than its ``default_lang``: its ``lang``, else (with ``lang_from_path: true``)
    the first or second folder of its path in ``_posts`` (``inside``) naming one; None for the
    default language's posts."""
    languages = config.get("languages")
    default = config.get("default_lang")
    if not isinstance(languages, list) or not isinstance(default, str):
        return None
    if lang in (None, "") and config.get("lang_from_path") is True:
        lang = next((part for part in inside[:-1][:2] if part in languages), None)
    return str(lang) if lang in languages and lang != default else None
