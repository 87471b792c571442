"""Eleventy's addresses (11ty.dev/docs/permalinks): a template's ``permalink``, its
template syntax worked out where newsletter can (``{{ page.fileSlug }}``, ``{{ title | slugify
}}``, Liquid's ``{{ page.date | date: "%Y/%m" }}``), else its path in the input folder."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePosixPath
from typing import Any

from newsletter.errors import ContentError
from newsletter.generators.base import Source, dated_name, join_url
from newsletter.generators.slugs import ascii_slug

# A data file's permalink that is not a literal (permalink(data) { ... }, permalink: (data) =>
# ..., a template literal with ${}): code, which CODE stands for. One in eleventyComputed that
# returns one template literal of the data's values is read as that template; other code there
# (google/eleventy-high-performance-blog's, data.permalink or false for a draft) is passed over.
CODE = object()
# {{ page.fileSlug }}, {{ title | slugify }}, {{ page.date | date: "%Y/%m" }} (Liquid's date
# filter, strftime's codes), a front matter value ({{ sub | slugify }}), the first value there
# is of several ({{ slug or page.fileSlug }}): the permalink templates newsletter works out.
_TEMPLATE = re.compile(r"""{{-?\s*([\w.]+(?:\s+or\s+[\w.]+)*)\s*(?:\|\s*(slugify|slug)\s*|"""
                       r"""\|\s*date:\s*(["'])((?:%[A-Za-z]|[^%"'{}])*)\3\s*)?-?}}""")


# eleventyComputed's permalink as a function returning one template literal: ``permalink: (data)
# => `/writing/${data.page.fileSlug}/` `` or ``permalink(data) { return `...`; }``.
# The data may be named (data) or taken apart ({page}: ``function({page}) { return `...` }``).
_PARAMETER = r"(\w+|\{[\w\s,]*\})"
_COMPUTED = re.compile(r"""\bpermalink\s*(?::\s*(?:async\s+)?(?:function\s*)?\(?\s*"""
                       + _PARAMETER + r"""\s*\)?\s*(?:=>\s*|\{\s*return\s+)|\(\s*"""
                       + _PARAMETER + r"""\s*\)\s*\{\s*return\s+)"""
                       r"""`([^`]*)`\s*;?\s*\}?\s*(?:,|\}|$)""")


def computed_permalink(computed: str) -> object:
    """The permalink template (``/writing/{{ page.fileSlug }}/``) of the code of an
    ``eleventyComputed`` block whose permalink returns one template literal of the data's
    values (``${data.page.fileSlug}``, ``${data.title}``, ``${this.slugify(data.title)}``);
    CODE where the literal holds other code (``${data.page.date.getFullYear()}``); None where
    the permalink is other code (a draft's ``false``...), passed over."""
    found = _COMPUTED.search(computed)
    if not found:
        return None
    parameter = found.group(1) or found.group(2)
    taken_apart = [name.strip() for name in parameter.strip("{}").split(",") if name.strip()]
    name = "" if parameter.startswith("{") else re.escape(parameter) + r"\."
    value = rf"(?:{'|'.join(map(re.escape, taken_apart))})(?:\.[\w.]+)?" \
        if parameter.startswith("{") else rf"{name}[\w.]+"

    def template(part: re.Match) -> str:
        code = part.group(1).replace("?.", ".")
        read = re.fullmatch(rf"\s*(?:(?:this\.)?(slugify|slug)\(\s*)?({value}(?:\s*\|\|\s*{value})*)"
                            rf"\s*\)?\s*", code)
        if not read or bool(read.group(1)) != code.rstrip().endswith(")"):
            return part.group(0)  # code newsletter cannot read: left for the check below
        names = " or ".join(re.sub(rf"^{name}", "", alternative.strip())
                            for alternative in read.group(2).split("||"))
        return "{{ " + names + (" | slugify" if read.group(1) else "") + " }}"

    literal = re.sub(r"\$\{([^{}]*)\}", template, found.group(3))
    return literal if "${" not in literal else CODE


def permalink_address(source: Source, written: tuple[Any, str],
                      date: dt.datetime | None) -> str:
    """The address of the template ``source`` from its permalink (``written``: the value and
    where it is written), else from its path in the input folder."""
    relative, meta = source.relative, source.meta
    permalink, where = written
    if permalink is CODE:  # newsletter runs no code: the address it would guess is wrong
        raise ContentError(f"the permalink of {where} is code, which newsletter does not run",
                           where=source.fields.where("title"), hint="write the post's "
                           'address in its front matter: permalink: "/blog/my-post/"')
    if not isinstance(permalink, str) or not permalink.strip():
        return _default_address(relative)
    stem = relative.with_suffix("").as_posix()
    values = {"page.fileSlug": _file_slug(relative), "page.filePathStem": "/" + stem,
              "title": meta.get("title")}

    def fill(match: re.Match) -> str:
        name, slugged, _, date_format = match.groups()
        if date_format is not None and name == "page.date" and date is not None:
            # Liquid formats the date where the site is built: UTC on a build server
            return date.astimezone(dt.timezone.utc).strftime(date_format)
        value = None if date_format is not None else next(
            (found for found in (values.get(one, meta.get(one.lower()))
                                 for one in re.split(r"\s+or\s+", name)) if found), None)
        if value is None:
            raise ContentError(
                f"permalink {permalink!r} uses {match.group(0)}, which newsletter cannot "
                "work out", where=where,
                hint="write the post's address in permalink: without template syntax")
        return ascii_slug(str(value)) if slugged else str(value)

    path = _TEMPLATE.sub(fill, permalink.strip())
    if "{{" in path or "{%" in path:
        raise ContentError(f"permalink {permalink!r} uses template syntax newsletter cannot "
                           "work out", where=where,
                           hint="write the post's address without template syntax")
    path = join_url(path)
    return path[:-len("index.html")] if path.endswith("/index.html") else path


def _default_address(relative: PurePosixPath) -> str:
    """``blog/post.md`` → ``/blog/post/``; ``blog/post/index.md`` and ``blog/post/post.md`` →
    ``/blog/post/``; ``index.md`` → ``/``."""
    stem = relative.with_suffix("")
    if stem.name == "index" or (len(stem.parts) > 1 and stem.name == stem.parent.name):
        stem = stem.parent
    return join_url(stem.as_posix(), "/") if stem.as_posix() != "." else "/"


def _file_slug(relative: PurePosixPath) -> str:
    """Eleventy's ``page.fileSlug``: the file's name without a leading date; a folder's for
    ``index``."""
    stem = relative.with_suffix("")
    if stem.name == "index" and len(stem.parts) > 1:
        return stem.parent.name
    return dated_name(stem.name)[1] or stem.name

