"""Hugo's shortcodes as email: what each one becomes (docs/template-tags.md).

Embeds become links (an email runs no iframe and no script): a YouTube video a linked
thumbnail, the others a line of text that links to the post, video or code. A handler returns
the Markdown or HTML to put in the tag's place, or raises :class:`TagProblem`.
"""

from __future__ import annotations

import re
from typing import Callable
from urllib.parse import urlsplit

from newsletter.records import record
from newsletter.render.players import (BILIBILI_VIDEO, YOUTUBE_THUMBNAIL_WIDTH, bilibili_url,
                                       video_in_address, vimeo_url, watch_label, youtube_thumbnail,
                                       youtube_url)
from newsletter.render.players import gist_link as gist_address  # its words and address
from newsletter.render.tags.context import TagContext
from newsletter.render.tags.note_boxes import callout, quotation
from newsletter.render.tags.html import (IMAGE_FILE, escape, inline_markdown, link,
                                          url_in_markdown, web_url)
from newsletter.render.tags.syntax import Tag, TagProblem
from newsletter.render.tags.values import display_value, lookup

_WORD_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")  # a video's, a post's, a user's
_NUMERIC_ID = re.compile(r"[0-9]{1,30}")
_DIGITS = re.compile(r"[0-9]{1,5}")


@record(frozen=True)
class Output:
    """What a tag becomes; a block stands on lines of its own. A tag shown only in part (a
    theme's shortcode) carries its warning: (message, hint)."""

    markdown: str
    block: bool = False
    warning: tuple[str, str] | None = None


_FILETREE_ITEM = re.compile(r"\{\{[<%]\s*(/?)\s*filetree/(folder|file)\b([^}]*)\}\}")
_FILETREE_NAME = re.compile(r"""\bname\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _embed(url: str, label_html: str) -> Output:
    """A link to what the blog embeds (a player, a post, a gist): a block of the page, so a
    paragraph of its own when written on a line of its own, not run into the next one."""
    return Output(link(url, label_html), block=True)


def figure(tag: Tag, context: TagContext) -> Output:
    """``<figure>``: the image (linked if ``link`` is given), its title, caption and credit.
    Beautiful Hugo's gallery figures name no ``src``: the picture is the ``link`` they open
    (``thumb`` names a smaller copy of it the page shows). Blowfish's and Congo's figure
    name the link ``href``."""
    src, linked = tag.get("src", 0), tag.get("link") or tag.get("href")
    if not src and linked and IMAGE_FILE.search(urlsplit(linked).path):
        src, linked = linked, None
    if not src:
        raise TagProblem(f"{tag.quoted()} has no src", 'give it the image: src="photo.jpg"')
    image_url = _safe(tag, src, "src")
    caption, caption_text = inline_markdown(tag.get("caption") or "")
    title = tag.get("title") or ""
    alt = tag.get("alt") or caption_text or title
    size = "".join(f' {name}="{value}"' for name in ("width", "height")
                   if (value := tag.get(name)) and _DIGITS.fullmatch(value))
    image = f'<img src="{escape(image_url)}" alt="{escape(alt)}"{size}>'
    if linked:
        image = link(_safe(tag, linked, "link", mail=True), image)
    lines = []
    if title:
        lines.append(f"<strong>{escape(title)}</strong>")
    credit = escape(tag.get("attr") or "")
    if credit and tag.get("attrlink"):
        credit = link(_safe(tag, tag.get("attrlink"), "attrlink"), credit)
    if caption or credit:
        lines.append(" ".join(part for part in (caption, credit) if part))
    caption_html = f"<figcaption>{'<br>'.join(lines)}</figcaption>" if lines else ""
    return Output(f"<figure>{image}{caption_html}</figure>", block=True)


def youtube(tag: Tag, context: TagContext) -> Output:
    """A linked thumbnail with a line that says what it is: the reader watches on YouTube."""
    video = _id(tag, _WORD_ID, "a YouTube video id, such as dQw4w9WgXcQ")
    start = tag.get("start")
    url = youtube_url(video, start if start and _DIGITS.fullmatch(start) else None)
    thumbnail = (f'<img src="{youtube_thumbnail(video)}" alt="" '
                 f'role="presentation" width="{YOUTUBE_THUMBNAIL_WIDTH}">')
    return _embed(url, thumbnail + escape(watch_label("YouTube", tag.get("title"))))


def vimeo(tag: Tag, context: TagContext) -> Output:
    video = _id(tag, _NUMERIC_ID, "a Vimeo video number, such as 146022717")
    # Vimeo's positional parameters are id, class, title.
    return _embed(vimeo_url(video), escape(watch_label("Vimeo", tag.get("title", 2))))


def bilibili(tag: Tag, context: TagContext) -> Output:
    """Stack's, LoveIt's and FixIt's ``bilibili`` (the video's BV or av number, then its part,
    or ``id`` and ``p``): a link to the video."""
    video, part = tag.get("id", 0) or "", tag.get("p", 1)
    if not BILIBILI_VIDEO.fullmatch(video):
        raise TagProblem(f"{tag.quoted()} needs a Bilibili video number",
                         "write it as {{< bilibili BV1d4411N7zD >}}")
    return _embed(bilibili_url(video, part), escape(watch_label("Bilibili", None)))


def tencent(tag: Tag, context: TagContext) -> Output:
    """Stack's ``tencent``: a link to the Tencent Video page of the video."""
    video = _id(tag, _WORD_ID, "a Tencent Video id, such as g0014r3khdw")
    return _embed(f"https://v.qq.com/x/page/{video}.html",
                  escape(watch_label("Tencent Video", None)))


def gitlab(tag: Tag, context: TagContext) -> Output:
    """Stack's ``gitlab``: a link to the GitLab snippet its script would show."""
    snippet = _id(tag, _NUMERIC_ID, "a GitLab snippet number, such as 2589724")
    return _embed(f"https://gitlab.com/-/snippets/{snippet}",
                  escape(f"View the code on GitLab: snippet {snippet}"))


def gist(tag: Tag, context: TagContext) -> Output:
    """``{{< gist user id [file] >}}``: a link to the gist (to the file in it, if named)."""
    user, gist_id, file = tag.get("user", 0), tag.get("id", 1), tag.get("file", 2)
    if not (user and _WORD_ID.fullmatch(user) and gist_id and _WORD_ID.fullmatch(gist_id)):
        raise TagProblem(f"{tag.quoted()} needs a GitHub user and a gist id",
                         "write it as {{< gist user 1234abcd >}}")
    return gist_link(user, gist_id, file)


def gist_link(user: str | None, gist_id: str, file: str | None) -> Output:
    """A link to a gist, or to one file in it (:func:`newsletter.render.players.gist_link`)."""
    url, words = gist_address(user, gist_id, file)
    return _embed(url, escape(words))


def x_post(tag: Tag, context: TagContext) -> Output:
    """``tweet``, ``twitter``, ``x``: a link to the post (``{{< tweet 123 >}}`` names no user)."""
    user, post = tag.get("user"), tag.get("id", 0 if "user" not in tag.named else None)
    if not (post and _NUMERIC_ID.fullmatch(post)) or (user and not _WORD_ID.fullmatch(user)):
        raise TagProblem(f"{tag.quoted()} needs the post's number and its author",
                         'write it as {{< x user="name" id="1234567890" >}}')
    url = f"https://x.com/{user or 'i'}/status/{post}"
    label = f"View the post by @{user} on X" if user else "View the post on X"
    return _embed(url, escape(label))


def instagram(tag: Tag, context: TagContext) -> Output:
    post = _id(tag, _WORD_ID, "the post's id from its address, such as BWNjjyYFxVx")
    return _embed(f"https://www.instagram.com/p/{post}/", "View the post on Instagram")


def ref(tag: Tag, context: TagContext) -> Output:
    """``ref`` and ``relref``: the page's address (emails need it absolute), in ``lang``'s."""
    target, lang = tag.get("path", 0) or "", tag.get("lang")
    path, _, anchor = (part.strip() for part in target.partition("#"))
    translation = re.sub(r"(?=\.md$)|$", f".{lang}", path, count=1) if lang else ""  # x.fr.md
    urls = (context.link_url(tag.name, name) for name in (translation, path) if path and name)
    url = next(filter(None, urls), None) or ("" if path else context.page.get("permalink"))
    if not url:
        raise context.unloaded_link(tag, path) or TagProblem(
            f"{tag.quoted()}: no post or page {path or target} on this site",
            "check the path (relative to content/, or to this post)")
    return Output(url_in_markdown(url + (f"#{anchor}" if anchor else "")))


def include(tag: Tag, context: TagContext) -> Output:
    """The ``include`` shortcode of Hugo's documentation (``.RenderShortcodes`` of the page
    it names), which sites copy: that page's content in its place. Another site's include
    (of a page it cannot find, or whose content holds template tags of its own) is left out,
    with a warning."""
    target = tag.get("path", 0) or tag.get("file") or ""
    text = context.read_page(target) if target.strip() else None
    if text is None or "{{" in text or "{%" in text:
        return Output("", warning=(f"{tag.quoted()}: the shortcode include is the site's and is "
                                   "left out of the email", "write what it shows into the post "
                                   "if readers need it"))
    return Output(text.strip("\n"), block=True)


def param(tag: Tag, context: TagContext) -> Output:
    """A value from the post's front matter, else from the site's parameters."""
    name = tag.get("name", 0)
    if not name:
        raise TagProblem(f"{tag.quoted()} names no parameter", 'write it as {{< param "name" >}}')
    for values in (context.page, context.site):
        found = lookup(values, name.split("."))
        if found is not None:
            return Output(escape(display_value(found, tag)))
    raise TagProblem(f"{tag.quoted()}: no parameter {name} in the post or the site's settings",
                     "check the name, or write the value into the post")


def highlight(tag: Tag, code: str) -> Output:
    """``{{< highlight lang >}}code{{< /highlight >}}``: a fenced code block."""
    return Output(fenced(tag.get("lang", 0) or "", code), block=True)


def filetree(tag: Tag, content: str) -> Output:
    """Hextra's ``filetree/container`` of ``filetree/folder`` (paired) and ``filetree/file``
    shortcodes: the tree as a code block, each name indented under its folder's, a folder's
    ending in a slash."""
    lines, depth = [], 0
    for closing, kind, arguments in _FILETREE_ITEM.findall(content):
        if closing:
            depth = max(0, depth - 1)
            continue
        name = _FILETREE_NAME.search(arguments)
        shown = (name[1] or name[2] or "") if name else ""
        lines.append("  " * depth + shown + ("/" if kind == "folder" else ""))
        depth += kind == "folder"
    return Output(fenced("", "\n".join(lines)), block=True)


def inline(tag: Tag, content: str) -> Output:
    """An inline shortcode (``{{< name.inline >}}...{{< /name.inline >}}``) is a template
    written in the post: text without template actions is what Hugo shows, as it is."""
    if "{{" in content:
        raise TagProblem(f"{tag.quoted()} is an inline shortcode whose template code runs "
                         "when Hugo builds the page; an email cannot run it",
                         "write what it shows into the post, or remove it")
    return Output(content.strip("\n"), block=True)


def details(tag: Tag) -> tuple[str, str]:
    """A collapsible section cannot collapse in an email: its summary (Markdown, as Hugo
    renders it), then its content. Hugo's ``details`` and PaperMod's ``collapse`` name it
    ``summary``, Hugo Book's ``details`` ``title`` or first (``{{% details "More" open %}}``),
    as Hugoplate's ``accordion`` and Relearn's ``expand`` do; Hugo Blox's ``spoiler`` ``text``.
    Returns what goes before the content and after it."""
    summary, _ = inline_markdown(tag.get("summary") or tag.get("title", 0) or tag.get("text")
                                 or "Details")
    return f"\n\n<p><strong>{summary}</strong></p>\n\n", "\n\n"


def media(tag: Tag, context: TagContext) -> Output:
    """The ``video`` and ``audio`` shortcodes themes ship (PaperMod, Stack): no player runs in
    an email, so a line linking to the file, with its caption."""
    src = tag.get("src", 0)
    if not src:
        raise TagProblem(f"{tag.quoted()} has no src", 'give it the file: src="clip.mp4"')
    verb = "Watch the video" if tag.name == "video" else "Listen to the recording"
    caption = tag.get("caption") or tag.get("title")
    label = f"\u25b6 {verb}: {caption}" if caption else f"\u25b6 {verb}"
    return _embed(_safe(tag, src, "src"), escape(label))


def fenced(language: str, code: str) -> str:
    """``code`` in a fenced block Markdown cannot close early."""
    longest = max((len(run) for run in re.findall(r"^[ \t]*(~+)", code, re.MULTILINE)), default=0)
    fence = "~" * max(3, longest + 1)
    language = language if re.fullmatch(r"[\w#.+-]{1,40}", language) else ""
    return "\n".join((fence + language, code.strip("\n"), fence))


def _id(tag: Tag, pattern: re.Pattern, what: str) -> str:
    """The video's id: as written, or in the video's address (a Liquid plugin's)."""
    value = tag.get("id", 0)
    if value and not pattern.fullmatch(value):
        value = video_in_address(value, tag.name.partition("_")[0])
    if not value:
        written = f"{{% {tag.name} ID %}}" if tag.opener == "{%" else f"{{{{< {tag.name} ID >}}}}"
        raise TagProblem(f"{tag.quoted()} needs {what}", f"write it as {written}")
    return value


def _safe(tag: Tag, url: str, name: str, *, mail: bool = False) -> str:
    safe = web_url(url, mail=mail)
    if safe is None:
        raise TagProblem(f"{tag.quoted()}: {name} {url!r} is not a web address",
                         "use an https:// address or a file of the site")
    return safe


SHORTCODES: dict[str, Callable[[Tag, TagContext], Output]] = {
    "figure": figure, "youtube": youtube, "vimeo": vimeo, "vimeo_simple": vimeo, "gist": gist,
    "tweet": x_post, "twitter": x_post, "twitter_simple": x_post, "x": x_post,
    "x_simple": x_post, "instagram": instagram, "instagram_simple": instagram, "ref": ref,
    "relref": ref, "param": param, "include": include, "video": media, "audio": media,
    "bilibili": bilibili, "tencent": tencent, "gitlab": gitlab}
# Shortcodes whose content is code: shown as written, never expanded.
CODE_SHORTCODES = {"highlight": highlight, "filetree/container": filetree}
# Shortcodes whose content is Markdown, expanded like the rest of the post: what each puts
# before it and after it.
CONTENT_SHORTCODES = dict.fromkeys(("details", "collapse", "accordion", "expand", "spoiler"),
                                   details)
# Note boxes and quotes: their content is Markdown, expanded, then quoted whole (:func:`callout`,
# :func:`quotation`).
QUOTED_SHORTCODES: dict[str, Callable[[Tag, str], str]] = {
    **dict.fromkeys(("alert", "notice", "admonition", "callout", "hint"), callout),
    "quote": quotation}
DROPPED_SHORTCODES = frozenset({"comment"})  # {{% comment %}}...{{% /comment %}}


def without_content(tag: Tag) -> str:
    """What a shortcode that takes content becomes when written self-closing."""
    if tag.name in QUOTED_SHORTCODES:
        return QUOTED_SHORTCODES[tag.name](tag, "")
    return "".join(CONTENT_SHORTCODES[tag.name](tag))


def encloses_text(name: str) -> bool:
    """Whether the shortcode's content is read whole, not expanded: code, a template, a
    comment."""
    return name in CODE_SHORTCODES or name in DROPPED_SHORTCODES or name.endswith(".inline")


def enclosing(tag: Tag, content: str) -> Output:
    """What a shortcode read whole (:func:`encloses_text`) becomes, with its content."""
    if tag.name in CODE_SHORTCODES:
        return CODE_SHORTCODES[tag.name](tag, content)
    return inline(tag, content)
