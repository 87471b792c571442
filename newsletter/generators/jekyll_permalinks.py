"""Jekyll's permalinks (jekyllrb.com/docs/permalinks): the built-in styles, the template a
document of a collection follows, and its placeholders filled in for one document; a page's
address."""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from pathlib import PurePath
from typing import Any

from newsletter.generators.base import as_list, join_url

STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_PLACEHOLDER = re.compile(r":([a-z_]+)")
_DATE_CODES = {"year": "%Y", "short_year": "%y", "month": "%m", "short_month": "%b",
               "long_month": "%B", "day": "%d", "y_day": "%j", "w_year": "%G", "week": "%V",
               "w_day": "%u", "short_day": "%a", "long_day": "%A", "hour": "%H",
               "minute": "%M", "second": "%S"}


def permalink_template(config: dict[str, Any], collection: str, path: str, written: Any,
                       styles: dict[str, str] = STYLES, default: str = "date") -> str:
    """The template of a document of ``collection`` at ``path``: its own ``permalink``, else
    one of the front matter ``defaults``, of the collection in ``collections``, else for
    posts the site's ``permalink`` (a style or a template) and for other collections
    ``/:collection/:path`` ended as the site's style ends (Jekyll's add_permalink_suffix).
    ``styles`` and ``default``: the generator's own (Bridgetown names other styles)."""
    if isinstance(written, str) and written.strip():
        return written.strip()  # styles are not read in front matter
    collections = config.get("collections")
    settings = collections.get(collection) if isinstance(collections, dict) else None
    site = config.get("permalink")
    site = site.strip() if isinstance(site, str) and site.strip() else default
    for value in (_default_permalink(config, collection, path),
                  settings.get("permalink") if isinstance(settings, dict) else None):
        if isinstance(value, str) and value.strip():
            return styles.get(value.strip(), value.strip())
    if collection == "posts":
        return styles.get(site, site)
    return "/:collection/:path" + permalink_ending(config, styles, default)


def permalink_ending(config: dict[str, Any], styles: dict[str, str] = STYLES,
                     default: str = "date") -> str:
    """How a page's or a collection document's address ends when nothing names its own: ``/``
    where the site's ``permalink`` (a style or a template) ends with one (``pretty``),
    ``:output_ext`` where it ends with that (``date``), else nothing (Jekyll's
    add_permalink_suffix)."""
    site = config.get("permalink")
    site = site.strip() if isinstance(site, str) and site.strip() else default
    ending = styles.get(site, site)
    return "/" if ending.endswith("/") else ":output_ext" if ending.endswith(":output_ext") else ""


def expand(template: str, values: dict[str, str], date: dt.datetime) -> str:
    """``template`` with each placeholder replaced by ``values``, else by ``date``; an unknown
    one stays as written."""

    def replace(match: re.Match) -> str:
        key = match.group(1)
        if key in values:
            return values[key]
        if key in _DATE_CODES:
            return date.strftime(_DATE_CODES[key])
        return match.group(0)

    values = {**values, "i_month": str(date.month), "i_day": str(date.day)}
    return join_url(_PLACEHOLDER.sub(replace, template))


def default_values(config: dict[str, Any], collection: str, path: str) -> dict[str, Any]:
    """The values of _config.yml's front matter ``defaults`` whose scope covers the document
    (at ``path`` in the collections' folder): its type (the collection's name, ``pages``) or
    none, and a path its path is under; later, more specific rules win. Keys in lower case."""
    defaults = config.get("defaults")
    found: dict[str, Any] = {}
    for rule in defaults if isinstance(defaults, list) else []:
        if not isinstance(rule, dict) or not isinstance(rule.get("values"), dict):
            continue
        scope = rule.get("scope") if isinstance(rule.get("scope"), dict) else {}
        if scope.get("type") not in (None, "", collection) or not _in_scope(
                path, str(scope.get("path") or ""), config.get("collections_dir")):
            continue
        found.update({str(key).lower(): value for key, value in rule["values"].items()})
    return found


def _default_permalink(config: dict[str, Any], collection: str, path: str) -> str | None:
    permalink = default_values(config, collection, path).get("permalink")
    return permalink if isinstance(permalink, str) else None


def _in_scope(path: str, scope: str, collections_dir: Any) -> bool:
    """Whether a scope's ``path`` covers the document at ``path``, as Jekyll's front matter
    defaults read it: a folder it is in (whole names: ``blog`` is not ``blog-old``), or a glob,
    written from the site's folder or from ``collections_dir``."""
    scope = scope.strip().strip("/")
    folder = collections_dir.strip("/") if isinstance(collections_dir, str) else ""
    if folder and scope.startswith(folder + "/"):
        scope = scope[len(folder) + 1:]
    if not scope or scope == ".":
        return True
    if "*" in scope:
        return fnmatch.fnmatchcase(path, scope) or fnmatch.fnmatchcase(path, scope + "/*")
    return path == scope or path.startswith(scope + "/")


def page_address(relative: PurePath, written: Any, ending: str) -> str:
    """The address of a Jekyll page at ``relative`` in the site: its ``permalink`` as
    ``written``, else its path ended as the site's permalink style ends (``ending``, from
    :func:`permalink_ending`): ``about.md`` is /about/ with ``pretty``, /about.html with
    ``date``."""
    if isinstance(written, str) and written.strip():
        return join_url(written.strip())
    stem = relative.with_suffix("")
    if stem.name == "index":
        return join_url(stem.parent.as_posix().strip("."), "/")
    return join_url(stem.as_posix() + {"/": "/", ":output_ext": ".html"}.get(ending, ""))


def categories_of(value: Any) -> list[str]:
    """Front matter ``categories``: a list, or words separated by spaces."""
    if isinstance(value, str):
        return value.split()
    return as_list(value)
