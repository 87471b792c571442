"""Zola's shortcodes: ``{{ name(key=value, ...) }}``, and ``{% name(...) %}...{% end %}`` with
a body.

Zola shortcodes are the site's own templates (``templates/shortcodes/``); the video and gist
ones many Zola themes ship (``youtube``, ``vimeo``, ``gist``) become what Hugo's do, and the
themes' note boxes (tabi's ``admonition``, Duckquill's ``alert(tip=true)``, serene's ``note``,
``tip``...), collapsible sections (serene's ``detail``) and quotes a quote headed by the box's
title or kind, a summary in bold over its content, a quote ending in its source, as Hugo's
theme shortcodes are shown; apollo's ``character`` is a quote headed by the speaker's picture
(from ``/images/characters/``, where the theme looks) and name. Any other is shown in part
with a warning, as a theme's Hugo shortcode is (docs/template-tags.md); one whose arguments
cannot be read is a problem naming it.
"""

from __future__ import annotations

import re

from newsletter.render.tags import hugo, themes
from newsletter.render.tags.context import TagContext
from newsletter.render.tags.html import escape, inline_markdown
from newsletter.render.tags.hugo import Output
from newsletter.render.tags.syntax import Tag, TagProblem
from newsletter.render.tags.values import evaluate

CALL = re.compile(r"([A-Za-z_]\w*)\s*\((.*)\)\s*\Z", re.DOTALL)
_ARGUMENT = re.compile(r"""\s*([A-Za-z_]\w*)\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*'|`[^`]*`"""
                       r"""|\[[^\]]*\]|[^,\s]+)\s*(?:,|\Z)""")
# Note boxes: their kind is the shortcode's name (serene's {% tip() %}), its type= (tabi's, and
# Duckquill's older type= and kind=), or a kind set true (Duckquill's alert(note=true)).
_BOX_KINDS = frozenset({"note", "tip", "info", "important", "warning", "caution", "danger",
                        "success", "edit", "question"})
BOXES = frozenset({"admonition", "alert", "callout", "notice", "hint"}) | _BOX_KINDS - {"edit"}
DETAILS = frozenset({"details", "detail", "collapse", "accordion"})
QUOTES = frozenset({"quote", "blockquote"})
CHARACTERS = "/images/characters/"  # where apollo's character shortcode finds image=
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


def around(tag: Tag) -> tuple[Output, str]:
    """What a Zola shortcode with a body (``{% name(...) %}...{% end %}``) puts before its
    content and after it: a box's title over a quote, a section's summary, a quote's source;
    else nothing, with a warning (:func:`themes.liquid_around`)."""
    call = CALL.fullmatch(tag.name + tag.body)
    arguments = _arguments(call[2]) if call else None
    if arguments is None or tag.name not in BOXES | DETAILS | QUOTES | {"character"}:
        return themes.liquid_around(tag, True)
    if tag.name == "character":
        return Output(f"\n\n<blockquote>\n\n{_speaker(arguments)}\n\n"), "\n\n</blockquote>\n\n"
    if tag.name in DETAILS:
        summary = inline_markdown(arguments.get("title") or arguments.get("summary")
                                  or "Details")[0]
        return Output(f"\n\n<p><strong>{summary}</strong></p>\n\n"), "\n\n"
    if tag.name in QUOTES:
        cite = arguments.get("cite") or arguments.get("author")
        footer = f"\n\n<p>\u2015 {inline_markdown(cite)[0]}</p>" if cite else ""
        return Output("\n\n<blockquote>\n\n"), f"{footer}\n\n</blockquote>\n\n"
    return (Output(f"\n\n<blockquote>\n\n<p><strong>{escape(_box_label(tag.name, arguments))}"
                   "</strong></p>\n\n"), "\n\n</blockquote>\n\n")


def _box(tag: Tag, context: TagContext) -> Output:
    """A note box written without a body, its text in ``text=`` (tabi's
    ``{{ admonition(type="tip", text="...") }}``): a quote headed by its title or kind."""
    if not tag.get("text"):
        return themes.left_out(tag, context, "the Zola shortcode")
    label = Tag("shortcode", tag.opener, tag.source, tag.start, tag.end, name="admonition",
                named={"title": _box_label(tag.name, tag.named)})
    return Output(hugo.callout(label, tag.get("text")), block=True)


def _box_label(name: str, arguments: dict[str, str]) -> str:
    """A note box's title (``title=``, serene's too), else its kind, capitalised."""
    chosen = next((key for key, value in arguments.items()
                   if key in _BOX_KINDS and value == "true"), None)
    kind = arguments.get("type") or arguments.get("kind") or chosen or \
        (name if name in _BOX_KINDS else "note")
    title = arguments.get("title") or arguments.get("header") or kind.replace("_", " ")
    return " ".join(title.split()).capitalize() if title == kind else " ".join(title.split())


def _speaker(arguments: dict[str, str]) -> str:
    """apollo's character: its picture (``image=``, under /images/characters/) and its name."""
    name = escape(arguments.get("name") or "hooded")
    image = arguments.get("image")
    picture = f'<img src="{escape(CHARACTERS + image)}" alt="{name}"> ' if image else ""
    return f"<p>{picture}<strong>{name}</strong></p>"


def _character(tag: Tag, context: TagContext) -> Output:
    """``{{ character(name="fox", body="...") }}``: the words (``body=``) in a quote headed
    by the speaker."""
    words = inline_markdown(tag.get("body") or "")[0]
    return Output(f"<blockquote>\n\n{_speaker(tag.named)}\n\n<p>{words}</p>\n\n</blockquote>",
                  block=True)


def _gist(tag: Tag, context: TagContext) -> Output:
    """``{{ gist(url="https://gist.github.com/user/id", file="x.py") }}``."""
    found = _GIST.fullmatch(tag.get("url") or "")
    if found is None:
        raise TagProblem(f"{tag.quoted()} needs the gist's address",
                         'write it as {{ gist(url="https://gist.github.com/user/1234abcd") }}')
    return hugo.gist_link(found[1], found[2], tag.get("file"))


_SHORTCODES = {"youtube": hugo.youtube, "vimeo": hugo.vimeo, "gist": _gist,
               "character": _character,
               **dict.fromkeys(BOXES, _box)}
