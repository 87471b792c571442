"""Hexo's tag plugins as email (hexo.io/docs/tag-plugins): the ones a post writes its content
with. ``{% asset_img pic.jpg Title %}`` is the image of the post's asset folder,
``{% asset_link notes.pdf Notes %}`` a link to a file of it (``asset_path`` its address),
``{% post_link slug [text] %}`` a link to that post, ``{% youtube id %}`` and ``{% vimeo id %}``
what Hugo's shortcodes of those names show. The themes' labels (Fluid's ``{% label primary
@text %}``, NexT's ``primary@text``, Butterfly's ``{% label text color %}``) and Butterfly's
``{% hideInline content,button %}`` are their text; their folds (Fluid's ``{% fold info @Title
%}``, Butterfly's ``{% hideToggle Title %}`` and ``{% hideBlock Button %}``) their title in bold
over their content. Any other stays for the check to report.
"""

from __future__ import annotations

import re
import shlex

from newsletter.render.tags import hugo
from newsletter.render.tags.context import TagContext
from newsletter.render.tags.html import escape, link, url_in_markdown, web_url
from newsletter.render.tags.hugo import Output
from newsletter.render.tags.syntax import Tag, TagProblem

_FILE = re.compile(r"[^\s/]+(?:/[^\s/]+)*\.\w{2,5}")  # pic.jpg, sub/pic.png
_NUMBER = re.compile(r"\d+(?:px|%)?")
_WEB = re.compile(r"https?://", re.IGNORECASE)
_NOTE_KINDS = ("primary", "info", "success", "warning", "danger")  # NexT's, Butterfly's
_LABEL_COLOURS = frozenset({"default", "blue", "pink", "red", "purple", "orange", "green"})
FOLDS = frozenset({"fold", "hideToggle", "hideBlock"})  # Fluid's, Butterfly's


def asset_img(tag: Tag, context: TagContext) -> Output:
    """``{% asset_img [class] slug [width] [height] [title ["alt"]] %}``: the post asset
    folder's image, its alt the alt text, else the title."""
    words = _words(tag)
    at = next((index for index, word in enumerate(words) if _FILE.fullmatch(word)), None)
    if at is None:
        raise TagProblem(f"{tag.quoted()} names no image file",
                         "write it as {% asset_img photo.jpg A caption %}")
    rest = list(words[at + 1:])
    while rest and _NUMBER.fullmatch(rest[0]):  # width, height
        rest.pop(0)
    title, alt = (rest[0], rest[1]) if len(rest) == 2 and tag.body.count('"') >= 4 \
        else (" ".join(rest), "")
    text = (alt or title).replace("[", "").replace("]", "")
    return Output(f"![{text}]({url_in_markdown(words[at])})")


def post_link(tag: Tag, context: TagContext) -> Output:
    """``{% post_link slug [text] [escape] %}``: a link to the post whose file is ``slug``."""
    words = _words(tag)
    if not words:
        raise TagProblem(f"{tag.quoted()} names no post", "name the post's file, without .md")
    url = context.link_url(tag.name, words[0])
    if not url:
        raise context.unloaded_link(tag, words[0]) or TagProblem(
            f"{tag.quoted()}: no post {words[0]} on this site",
            "name the post by its file in source/_posts, without .md")
    text = " ".join(word for word in words[1:] if word not in ("true", "false")) or words[0]
    return Output(f"[{text.replace('[', '').replace(']', '')}]({url_in_markdown(url)})")


def web_link(tag: Tag) -> Output:
    """Hexo's ``{% link text url [external] [title] %}`` (Butterfly's ``{% link title, url,
    image %}``): the words before the address (or the first argument not it) linked."""
    arguments = [part.strip().strip("\"'") for part in tag.body.split(",")] \
        if "," in tag.body else _words(tag)
    at = next(index for index, word in enumerate(arguments) if _WEB.match(word))
    url = web_url(arguments[at]) or ""
    text = " ".join(arguments[:at]) if "," not in tag.body else \
        next((word for word in arguments if word and word != arguments[at]), "")
    return Output(f"[{escape(text.strip() or url)}]({url_in_markdown(url)})")


def quote_around(tag: Tag) -> tuple[str, str]:
    """What goes before and after the content of Hexo's ``{% blockquote [author[, source]]
    [link] [link title] %}``: a block quote ending in its attribution, as Hexo writes it."""
    words = _words(tag)
    at = next((index for index, word in enumerate(words) if _WEB.match(word)), None)
    author = " ".join(words if at is None else words[:at])
    title = "" if at is None else " ".join(words[at + 1:])
    if at is None and "," in author:
        author, _, title = author.partition(",")
    cite = escape(title.strip())
    if at is not None and (url := web_url(words[at])):
        cite = link(url, cite or escape(url.split("://", 1)[1]))
    footer = ", ".join(filter(None, (f"<strong>{escape(author.strip())}</strong>"
                                    if author.strip() else "", f"<cite>{cite}</cite>"
                                    if cite else "")))
    return ("\n\n<blockquote>\n\n", ("\n\n<footer>\u2014 " + footer + "</footer>" if footer
                                       else "") + "\n\n</blockquote>\n\n")


def note_around(tag: Tag) -> tuple[str, str]:
    """What goes before and after the content of a Hexo theme's ``{% note [class] ... %}``
    (NexT's ``info``, ``warning``...; Butterfly's colours and icons): a quote headed by its
    kind in bold, as Hugo's note boxes are shown, "Note" for a colour or an icon."""
    kind = next((word for word in _words(tag) if word in _NOTE_KINDS), "note")
    return f"\n\n<blockquote>\n\n**{kind.capitalize()}**\n\n", "\n\n</blockquote>\n\n"


def fold_around(tag: Tag) -> tuple[str, str]:
    """What goes before and after a theme's fold, which an email cannot fold: its title (after
    ``@`` in Fluid's, the first of Butterfly's comma-separated arguments) in bold."""
    body = tag.body.strip()
    title = body.partition("@")[2] if "@" in body else body.split(",")[0]
    shown = f"<p><strong>{escape(title.strip())}</strong></p>\n\n" if title.strip() else ""
    return f"\n\n{shown}", "\n\n"


def label(tag: Tag, context: TagContext) -> Output:
    """A theme's label, a coloured word in a sentence: its text (after ``@`` in Fluid's and
    NexT's; Butterfly's before its colour); Butterfly's ``hideInline`` its hidden text."""
    body = tag.body.strip()
    if tag.name == "hideInline":
        return Output(escape(body.split(",")[0].strip()))
    if "@" in body:
        return Output(escape(body.partition("@")[2].strip()))
    words = body.split()
    if len(words) > 1 and words[-1] in _LABEL_COLOURS:
        words.pop()
    return Output(escape(" ".join(words)))


def asset_link(tag: Tag, context: TagContext) -> Output:
    """``{% asset_link slug [title] [escape] %}``: a link to the post asset folder's file;
    ``{% asset_path slug %}`` its address alone."""
    words = _words(tag)
    if not words:
        raise TagProblem(f"{tag.quoted()} names no file",
                         "write it as {% asset_link notes.pdf The notes %}")
    url = _asset_url(words[0], context)
    if tag.name == "asset_path":
        return Output(url)
    text = " ".join(word for word in words[1:] if word not in ("true", "false")) or words[0]
    return Output(f"[{text.replace('[', '').replace(']', '')}]({url_in_markdown(url)})")


def _asset_url(name: str, context: TagContext) -> str:
    """Where Hexo publishes the post's asset ``name``: beside the post's page, its address
    without ``.html`` being the folder (hexo's PostAsset.path)."""
    page = re.sub(r"\.html?$", "", str(context.page.get("permalink") or context.site_url))
    return page.rstrip("/") + "/" + name.lstrip("/")


def _words(tag: Tag) -> list[str]:
    try:
        return shlex.split(tag.body)
    except ValueError:  # an unclosed quote: the words as they are
        return tag.body.split()


HEXO_TAGS = {"asset_img": asset_img, "post_link": post_link, "asset_link": asset_link,
             "asset_path": asset_link, "label": label, "hideInline": label,
             "youtube": lambda tag, context: hugo.youtube(_positional(tag), context),
             "vimeo": lambda tag, context: hugo.vimeo(_positional(tag), context)}


def _positional(tag: Tag) -> Tag:
    """The Liquid-style tag with its words as a shortcode's positional parameters, and its
    ``key=value`` words as named ones (Markdoc's ``{% youtube id="..." /%}``, Astro's)."""
    words = _words(tag)
    named = dict(word.split("=", 1) for word in words if _NAMED.match(word))
    return Tag("shortcode", tag.opener, tag.source, tag.start, tag.end, name=tag.name,
               positional=tuple(word for word in words if not _NAMED.match(word)), named=named)


_NAMED = re.compile(r"^[A-Za-z_][\w-]*=")
