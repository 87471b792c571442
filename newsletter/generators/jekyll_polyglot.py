"""Jekyll's language plugins: which posts are translations of the default language's.

jekyll-polyglot: ``languages`` and ``default_lang``, a post's ``lang``.
jekyll-multiple-languages-plugin: ``languages`` (the first the default), each language's posts in
``_i18n/<lang>/_posts``, built under /<lang>/ (the default's at the site's root) with neither
``_i18n`` nor the language among their categories.
"""

from __future__ import annotations

from typing import Any


def translation(config: dict[str, Any], lang: Any, inside: tuple[str, ...],
                above: list[str]) -> str | None:
    """The language of a post in another language than the site's default: for
    jekyll-multiple-languages-plugin, the one of its ``_i18n/<lang>`` folder (``above``: the
    folders above its ``_posts``); for jekyll-polyglot, its ``lang``, else (with
    ``lang_from_path: true``) the first or second folder of its path in ``_posts``
    (``inside``) naming one of the ``languages``. None for the default language's posts."""
    languages = config.get("languages")
    if not isinstance(languages, list) or not languages:
        return None
    folder = i18n_language(config, above)
    if folder is not None:
        return folder if folder != languages[0] else None
    default = config.get("default_lang")
    if not isinstance(default, str):
        return None
    if lang in (None, "") and config.get("lang_from_path") is True:
        lang = next((part for part in inside[:-1][:2] if part in languages), None)
    return str(lang) if lang in languages and lang != default else None


def i18n_language(config: dict[str, Any], above: list[str]) -> str | None:
    """The language of jekyll-multiple-languages-plugin's ``_i18n/<lang>/_posts`` a post is in
    (``above``: the folders above its ``_posts``), one of _config.yml's ``languages``."""
    languages = config.get("languages")
    if isinstance(languages, list) and above[:1] == ["_i18n"] and len(above) > 1 and \
            above[1] in languages:
        return above[1]
    return None
