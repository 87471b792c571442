"""Site and page values as tags print them, and Liquid's output expressions.

``{{ site.title }}``, ``{{ page.title }}``, ``{{ "/about/" | relative_url }}``: a string or a
variable (one the post assigned too), then filters. Only what a post can mean unambiguously is
read; anything else (an unknown variable, a filter Jekyll has and this does not) is a
:class:`TagProblem`, never an empty string that would silently drop words from the email.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Mapping

from newsletter.render.tags import dates
from newsletter.render.tags.text_filters import TEXT_FILTERS
from newsletter.render.tags.context import TagContext
from newsletter.render.tags.html import escape, url_in_markdown
from newsletter.render.tags.syntax import Tag, TagProblem

_STRING = re.compile(r"""\s*(?:"([^"]*)"|'([^']*)')\s*""")
_NUMBER = re.compile(r"\s*(-?\d+(?:\.\d+)?)\s*")
_LITERALS = {"true": True, "false": False}
_ROOT = re.compile(r"\s*(\$?[A-Za-z_][\w-]*)")
# After the root: .key, or [key] as a quoted string, an index or a variable's value
_KEY = re.compile(r"""\.([A-Za-z_][\w-]*)|\[\s*("[^"]*"|'[^']*'|\d+|[A-Za-z_][\w.-]*)\s*\]""")
_FILTER = re.compile(r"\s*([a-z_]+)\s*(?::(.*))?", re.DOTALL)
NAME = re.compile(r"[A-Za-z_][\w-]*")  # a variable's
# A piece of an expression: a quoted string, or anything up to the next | or , outside quotes.
_PIECE = re.compile(r"""(?:"[^"]*"|'[^']*'|[^|,"'])+|[|,]""")
ROOTS = ("site", "page", "$frontmatter")  # VitePress's {{ $frontmatter.title }}: the page's
# The filters applied, and how many arguments each takes.
FILTER_ARGUMENTS = {"relative_url": 0, "absolute_url": 0, "append": 1, "prepend": 1, "default": 1,
                    "url": 0}  # Eleventy's: the base path before a path from the root
# Values that are addresses: kept whole in Markdown (a space would end a link).
URL_VARIABLES = ("site.url", "site.baseurl", "page.url", "page.permalink")


def lookup(values: Mapping[str, Any], keys: list[str]) -> Any:
    """``values[a][b]...`` for keys ``[a, b]``, matching case as Hugo does when it must; None
    when a key is missing."""
    found: Any = values
    for key in keys:
        if isinstance(found, list) and isinstance(key, int):
            found = found[key] if -len(found) <= key < len(found) else None
            continue
        if not isinstance(found, Mapping) or key is None:
            return None
        if key in found:
            found = found[key]
            continue
        matches = [value for name, value in found.items()
                   if str(name).lower() == str(key).lower()]
        if len(matches) != 1:
            return None
        found = matches[0]
    return found


def display_value(value: Any, tag: Tag) -> str:
    """A value as text: strings, numbers, booleans and dates; a list or a table is refused."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    kind = "table" if isinstance(value, Mapping) else type(value).__name__
    raise TagProblem(f"{tag.quoted()} is a {kind}, not a value to print",
                     "name a single value")


class Captured(str):
    """What a ``{% capture %}`` holds: the post's own Markdown, printed as it is."""


def evaluate(tag: Tag, context: TagContext) -> str:
    """``{{ expression | filter: argument }}`` as Markdown text."""
    value, is_url = _value(tag.body, tag, context)
    if isinstance(value, Captured):
        return value
    text = display_value(value, tag)
    return url_in_markdown(text) if is_url else escape(text)


def text_of(expression: str, tag: Tag, context: TagContext) -> str:
    """An expression's value as plain text (a tag's parameter, ``id=page.video``)."""
    return display_value(_value(expression, tag, context)[0], tag)


def assign(tag: Tag, context: TagContext) -> tuple[str, Any]:
    """``{% assign name = expression | filter %}``: the variable's name and its value."""
    name, equals, expression = tag.body.partition("=")
    if not equals or not NAME.fullmatch(name.strip()):
        raise TagProblem(f"{tag.quoted()} assigns nothing newsletter can read",
                         'write it as {% assign name = "value" %}')
    return name.strip(), _value(expression, tag, context)[0]


def _value(expression: str, tag: Tag, context: TagContext) -> tuple[Any, bool]:
    """An expression's value, and whether it is an address."""
    groups: list[str] = [""]
    for piece in _PIECE.findall(expression):
        if piece == "|":
            groups.append("")
        else:
            groups[-1] += piece
    value = _operand(groups[0], tag, context)
    is_url = groups[0].strip() in URL_VARIABLES
    for filter_text in groups[1:]:
        value, is_url = _apply(filter_text, value, is_url, tag, context)
    if value is None:
        raise TagProblem(f"{tag.quoted()}: {groups[0].strip()} has no value for this site",
                         "write the value into the post instead")
    return value, is_url


def _operand(expression: str, tag: Tag, context: TagContext) -> Any:
    """A quoted string, a number, true or false, or a site or page value (None when the site
    has none)."""
    if string := _STRING.fullmatch(expression):
        return string[1] if string[1] is not None else string[2]
    if number := _NUMBER.fullmatch(expression):
        return float(number[1]) if "." in number[1] else int(number[1])
    if expression.strip() in _LITERALS:
        return _LITERALS[expression.strip()]
    root, *keys = _path(expression, tag, context) or ("", )
    if root in context.variables:  # {% assign %}'d or {% capture %}'d before, Eleventy's data
        return lookup(context.variables[root], keys) if keys else context.variables[root]
    if root not in ROOTS or not keys:
        raise TagProblem(f"{tag.quoted()}: {expression.strip() or 'nothing'} is not a site or "
                         "page value", "write the value into the post, or put the tag in code")
    return lookup(context.site if root == "site" else context.page, keys)  # page, $frontmatter


def _path(expression: str, tag: Tag, context: TagContext) -> list[Any] | None:
    """A variable's name and keys: ``site.data.authors[page.author].name`` is site, data,
    authors, the value of page.author, name; None when it is no variable."""
    root = _ROOT.match(expression)
    if not root:
        return None
    keys: list[Any] = [root[1]]
    pos, end = root.end(), len(expression.rstrip())
    while pos < end:
        found = _KEY.match(expression, pos)
        if not found:
            return None
        inner = found[2] or ""
        keys.append(found[1] or (inner[1:-1] if inner[:1] in "\"'" else int(inner)
                                 if inner.isdigit() else _key(inner, tag, context)))
        pos = found.end()
    return keys


def _key(variable: str, tag: Tag, context: TagContext) -> Any:
    """The value of a variable naming a key (``[page.author]``): a string or an index."""
    value = _operand(variable, tag, context)
    return value if value is None or isinstance(value, int) and not isinstance(value, bool) \
        else display_value(value, tag)


def _apply(filter_text: str, value: Any, is_url: bool, tag: Tag, context: TagContext
           ) -> tuple[Any, bool]:
    found = _FILTER.fullmatch(filter_text)
    name = found[1] if found else filter_text.strip()
    arguments = [_operand(argument, tag, context)
                 for argument in _split_arguments(found[2] if found and found[2] else "")]
    counts = (0,) if name in TEXT_FILTERS else (FILTER_ARGUMENTS.get(name),)
    if len(arguments) not in dates.DATE_FILTERS.get(name, counts):
        raise TagProblem(f"{tag.quoted()}: the filter {name} is not one newsletter applies",
                         "use relative_url, absolute_url, append, prepend, default, date, "
                         "date_to_string, upcase, downcase, escape or slugify (docs/template-"
                         "tags.md lists them), or write the result into the post")
    if name == "default":
        return (value if value not in (None, "", False) else arguments[0]), is_url
    if value is None or None in arguments:
        return None, is_url  # reported once, by evaluate
    if name in TEXT_FILTERS:
        return TEXT_FILTERS[name](display_value(value, tag)), is_url
    if name in dates.DATE_FILTERS:
        when = dates.as_date(value, context.site.get("timezone"))
        if when is None:
            raise TagProblem(f"{tag.quoted()}: {display_value(value, tag)} is not a date",
                             "give the filter a date, such as page.date")
        return dates.apply(name, when, [display_value(argument, tag)
                                        for argument in arguments]), is_url
    text = display_value(value, tag)
    if name == "relative_url" or name == "url" and text.startswith("/"):
        return context.relative_url(text), True
    if name == "url":  # a web address, or a path relative to the page: as it is
        return text, True
    if name == "absolute_url":
        return context.absolute_url(text), True
    argument = display_value(arguments[0], tag)
    return (text + argument if name == "append" else argument + text), is_url


def _split_arguments(text: str) -> list[str]:
    if not text.strip():
        return []
    arguments, current = [], ""
    for piece in _PIECE.findall(text):
        if piece == ",":
            arguments.append(current)
            current = ""
        else:
            current += piece
    return [*arguments, current]
