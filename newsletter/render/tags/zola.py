"""Zola's shortcodes: ``{{ name(key=value, ...) }}``, and ``{% name(...) %}...{% end %}`` with
a body.

Zola shortcodes are the site's own templates (``templates/shortcodes/``); the video and gist
ones many Zola themes ship (``youtube``, ``vimeo``, ``gist``) become what Hugo's do. Any other is
shown in part with a warning, as a theme's Hugo shortcode is (docs/template-tags.md); one whose
arguments cannot be read is a problem naming it.
"""

from __future__ import annotations

import re

from newsletter.render.tags import hugo, themes
from newsletter.render.tags.context import TagContext
from newsletter.render.tags.hugo import Output
from newsletter.render.tags.syntax import Tag, TagProblem
from newsletter.render.tags.values import evaluate

CALL = re.compile(r"([A-Za-z_]\w*)\s*\((.*)\)\s*\Z", re.DOTALL)
_ARGUMENT = re.compile(r"""\s*([A-Za-z_]\w*)\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*'|`[^`]*`"""
                       r"""|\[[^\]]*\]|[^,\s]+)\s*(?:,|\Z)""")
_GIST = re.compile(r"https://gist\.github\.com/([\w-]{1,64})/([\w-]{1,64})/?")


def output(tag: Tag, context: TagContext) -> Output:
    """A ``{{ ... }}`` output: a Zola shortcode call, else a site or page value."""
    call = CALL.fullmatch(tag.body)
    if call is None:
        return Output(evaluate(tag, context))
    name, arguments = call[1], _arguments(call[2])
    if arguments is None:
        raise unknown(tag, name)
    shortcode = Tag("shortcode", tag.opener, tag.source, tag.start, tag.end, name=name,
                    named=arguments)
    handler = _SHORTCODES.get(name)
    if handler is None:  # the theme's own: left out, or a link, with a warning
        return themes.left_out(shortcode, context, "the Zola shortcode")
    return handler(shortcode, context)


def unknown(tag: Tag, name: str) -> TagProblem:
    return TagProblem(f"{tag.quoted()}: the Zola shortcode {name} cannot be shown in an email",
                      "write what it shows into the post (docs/template-tags.md lists the "
                      "shortcodes newsletter turns into email)")


def _arguments(text: str) -> dict[str, str] | None:
    """``key=value, ...`` as strings (quotes taken off); None when it cannot be read."""
    found, pos = {}, 0
    while text[pos:].strip():
        argument = _ARGUMENT.match(text, pos)
        if argument is None:
            return None
        value = argument[2]
        found[argument[1]] = value[1:-1] if value[:1] in "\"'`" else value
        pos = argument.end()
    return found


def _gist(tag: Tag, context: TagContext) -> Output:
    """``{{ gist(url="https://gist.github.com/user/id", file="x.py") }}``."""
    found = _GIST.fullmatch(tag.get("url") or "")
    if found is None:
        raise TagProblem(f"{tag.quoted()} needs the gist's address",
                         'write it as {{ gist(url="https://gist.github.com/user/1234abcd") }}')
    return hugo.gist_link(found[1], found[2], tag.get("file"))


_SHORTCODES = {"youtube": hugo.youtube, "vimeo": hugo.vimeo, "gist": _gist}
