"""Astro's i18n routing (docs.astro.build/en/guides/internationalization): a collection with a
folder per locale (``blog/en/``, ``blog/fr/``), each locale's pages in its own folder of
``src/pages`` (``src/pages/fr/blog/[...slug].astro``), the default locale's at the root unless
``routing: { prefixDefaultLocale: true }``: ``blog/fr/oyat.md`` is ``/fr/blog/oyat/``,
``blog/en/marram.md`` is ``/blog/marram/``. A locale may be an object, ``{ path: "spanish",
codes: [...] }``, its folder and address being its ``path``. A post of another locale than
the default is a translation: a page, never mailed."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from newsletter.generators.settings_files import js_object


def locale_folders(config_text: str) -> dict[str, str]:
    """{folder: address prefix} for each locale of ``astro.config.*``'s ``i18n`` ({} without
    it): ``/fr``, and "" for the default locale unless it is prefixed too."""
    i18n = js_object(config_text, "i18n", skip_code=True)
    locales: list[Any] = i18n.get("locales") if isinstance(i18n.get("locales"), list) else []
    default = i18n.get("defaultLocale")
    routing = i18n.get("routing") if isinstance(i18n.get("routing"), dict) else {}
    prefixed = routing.get("prefixDefaultLocale") is True
    names = [locale if isinstance(locale, str) else locale.get("path")
             for locale in locales if isinstance(locale, (str, dict))]
    folders = {name: "" if name == default and not prefixed else "/" + name
               for name in names if isinstance(name, str) and name.strip("/")}
    return folders


def default_locale(config_text: str) -> str | None:
    """``i18n``'s ``defaultLocale``: the language the blog's newsletter is in; the others'
    posts are translations, never mailed (as Pelican's, Hugo's and Zola's)."""
    found = js_object(config_text, "i18n", skip_code=True).get("defaultLocale")
    return found if isinstance(found, str) else None


def locale_of(in_collection: PurePosixPath, folders: dict[str, str]) -> str | None:
    """The locale whose folder the entry is in (its first one), if any."""
    first = in_collection.parts[0] if len(in_collection.parts) > 1 else None
    return first if first in folders else None
