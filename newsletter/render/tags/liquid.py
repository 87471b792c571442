"""Jekyll's Liquid tags as email (docs/template-tags.md).

``{% link %}`` and ``{% post_url %}`` become the address of the post they name, ``{% gist %}``
(jekyll-gist) a link, ``{% include_relative %}`` the file it names beside the post. An
``{% include %}`` writes whatever the theme's file holds, which an
email cannot show: one that only adds page furniture (a table of contents, comments, share
buttons, analytics) is dropped; a figure or a video one is shown as Hugo's are, Minimal
Mistakes' gallery as the pictures the front matter lists, Type on Strap's aligner as the
pictures it names; any other is shown in part (its
image, its link) or left out, with a warning.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Callable

from newsletter.render.players import embedded_video
from newsletter.render.tags import eleventy, hexo, hugo, themes, values, zola
from newsletter.render.tags.context import TagContext
from newsletter.render.tags.html import inline_markdown, url_in_markdown
from newsletter.render.tags.hugo import Output, fenced, gist_link
from newsletter.render.tags.jekyll_includes import picture_include
from newsletter.render.tags.syntax import Tag, TagProblem

# Words in an include's file name that mark it as page furniture, which an email goes without.
FURNITURE_INCLUDES = frozenset({
    "toc", "comments", "comment", "disqus", "giscus", "utterances", "share", "sharing",
    "social", "analytics", "gtag", "adsense", "ads", "advert", "related", "subscribe",
    "newsletter", "mathjax", "katex", "pagination",
})
# {% gist user/id [file] %}, or the id alone (jekyll-gist: GitHub finds the gist's owner)
_GIST = re.compile(r"(?:([A-Za-z0-9_-]{1,64})/)?([A-Za-z0-9]{1,64})(?:\s+([\w.-]{1,200}))?")
# key="value" parameters of an include, as Minimal Mistakes' figure and video take them.
_PARAMETER = re.compile(r"""([A-Za-z_][\w-]*)=("[^"]*"|'[^']*'|[^\s"']+)""")
_LITERAL = re.compile(r"-?\d+(?:\.\d+)?|true|false")  # an unquoted value that is no variable
# key: value parameters, as jekyll-responsive-image takes them (path: x.jpg alt: "A kite")
_COLON_PARAMETER = re.compile(r"""(?<!\S)([A-Za-z_][\w-]*):\s+("[^"]*"|'[^']*'|[^\s"']+)""")
# A tag's words, a quoted phrase one word (Octopress' {% img /x.png 300 "A title" %})
_WORD = re.compile(r"""(?:[^\s"']+|"[^"]*"|'[^']*')+""")  # a quoted value is part of its word
# {% include_relative knots.py %} alone inside {% highlight %}: the code is that file
_INCLUDED_CODE = re.compile(r"\s*\{%-?\s*include_relative\s+(\S+)\s*-?%\}\s*")
# Arguments separated by commas, each maybe quoted (Hexo themes' tags); an icon's classes
_COMMA_ARGUMENT = re.compile(r"""\s*("[^"]*"|'[^']*'|[^,"']+)\s*(?:,|$)""")
_COMMA_LIST = re.compile(r"""(?:\s*(?:"[^"]*"|'[^']*'|[^,"']+)\s*,)+\s*(?:"[^"]*"|'[^']*'|[^,"']+)?\s*""")
_ICON = re.compile(r"(?:^|\s)(?:fa[srbld]?|fa-[\w-]+|icon-[\w-]+)(?:\s|$)")
# Liquid's own tags and Nunjucks' (Eleventy): they compute, and an email cannot run them. Any
# other tag is a plugin's or a shortcode of the site's, shown in part (themes.py).
OWN_TAGS = frozenset({
    "if", "elsif", "elif", "else", "unless", "case", "when", "for", "break", "continue",
    "cycle", "tablerow", "assign", "capture", "increment", "decrement", "echo", "liquid",
    "set", "macro", "call", "block", "extends", "import", "from", "filter", "verbatim",
})
# Block tags: their closing tag; what the block holds is code (highlight) or dropped (comment).
# Jekyll's include of the file a value names, {% include {{ page.widget }} %}, to the value's }}
INCLUDE_BY_VALUE = re.compile(r"\{%-?\s*include(?:_cached|_relative)?\s+\{\{[^{}]{0,400}\}\}")
BLOCK_ENDS = {"highlight": "endhighlight", "codeblock": "endcodeblock", "comment": "endcomment",
              "raw": "endraw"}


def link_tag(tag: Tag, context: TagContext) -> Output:
    """``{% link path %}`` and ``{% post_url name %}``: the named post's address; Hexo's
    ``{% link text https://... %}``, which names a web address, a link."""
    if tag.name == "link" and re.search(r"https?://", tag.body, re.IGNORECASE):
        return hexo.web_link(tag)
    target = tag.body.strip().strip("\"'")
    if not target:
        raise TagProblem(f"{tag.quoted()} names no post", "name the post's file")
    url = context.link_url(tag.name, target)
    if not url:
        hint = ("name the post by its file name without .md, e.g. 2024-05-01-my-post"
                if tag.name == "post_url" else "give the file's path from the site's folder")
        raise context.unloaded_link(tag, target) or TagProblem(
            f"{tag.quoted()}: no post {target} on this site", hint)
    return Output(url_in_markdown(url))


def include(tag: Tag, context: TagContext) -> Output:
    """Page furniture is dropped; a theme's figure include (Minimal Mistakes', al-folio's) and
    its YouTube and Vimeo includes become what Hugo's figure and video shortcodes do; anything
    else cannot be shown, so it stays to be reported."""
    name, _, rest = _included_name(tag, context)
    if tag.name == "include_relative" and (beside := _beside(tag, context, name)):
        return beside
    words = set(re.split(r"[^a-z0-9]+", PurePosixPath(name.lower()).stem))
    if words & FURNITURE_INCLUDES:
        return Output("")
    named = parameters(tag, rest, context)
    kind = re.sub(r"\.(html|liquid)$", "", name)
    image = named.get("image_path") or named.get("path")
    if kind == "figure" and image:
        return _shortcode(tag, context, "figure", src=_from_site(image),
                          alt=named.get("alt"), caption=named.get("caption"))
    if kind == "gallery" and (pictures := _gallery(tag, context, named)):
        return pictures
    if kind == "aligner" and named.get("images"):  # Type on Strap's pictures side by side
        return _figures(tag, context, [(f"/assets/img/{image.strip().lstrip('/')}", None)
                                       for image in named["images"].split(",") if image.strip()])
    video = _video(kind, named)
    if video:
        return _shortcode(tag, context, video[0], id=video[1])
    if not name:
        raise TagProblem(f"{tag.quoted()} names no file", "name the file to include")
    own = _own_picture(tag, context, name, named)
    if own:
        return own
    # the site's own image include, {% include image.html url="..." caption="..." %}, included
    return themes.left_out(as_shortcode(tag, context, name), context, "the include", _from_site)


def _included_name(tag: Tag, context: TagContext) -> tuple[str, str, str]:
    """The file an include names and its parameters: Jekyll's ``{% include {{ page.widget }}
    %}`` names the file the value holds (one it has none for is a problem at its line)."""
    body = tag.body.strip()
    by_value = re.match(r"\{\{-?(.*?)-?\}\}", body, re.DOTALL)
    if not by_value:
        return body.partition(" ")
    name = values.text_of(by_value[1].strip(), tag, context).strip()
    if not name:
        raise TagProblem(f"{tag.quoted()}: {by_value[1].strip()} names no file for this post",
                         "give it a value in the front matter, or name the file")
    return name, " ", body[by_value.end():]


def _own_picture(tag: Tag, context: TagContext, name: str,
                 named: dict[str, str]) -> Output | None:
    """The site's own picture include (``_includes/image.html``) as its file shows the
    parameters: the picture, its alt text (where its ``<img>`` prints none, the writer's
    ``alt`` or ``description``) and caption; a warning where the file prints other parameters
    too. None where the file is not there or shows no picture of them."""
    text = context.read_site(f"_includes/{name}") if "{" not in name else None
    shown = picture_include(text) if text else None
    image = named.get(shown.src, "").strip() if shown else ""
    if not shown or not image:
        return None
    if shown.folder and not re.match(r"[a-z][a-z0-9+.-]*:|/", image, re.IGNORECASE):
        image = shown.folder.rstrip("/") + "/" + image
    alt = named.get(shown.alt) if shown.alt else named.get("alt") or named.get("description")
    figure = _shortcode(tag, context, "figure", src=_from_site(image), alt=alt,
                        caption=named.get(shown.caption or ""))
    return replace(figure, warning=themes.warning(tag, False, shown="image", what="the include")
                   if shown.more else None)


def _beside(tag: Tag, context: TagContext, name: str) -> Output | None:
    """``{% include_relative file %}``: the file in the post's folder, as Jekyll puts it into
    the post before the Markdown is read; None when it holds template tags of its own (then it
    is read as another include). Jekyll stops at a file that is not there."""
    text = context.read_beside(name.strip("\"'"))
    if text is None:
        raise TagProblem(f"{tag.quoted()}: no file {name} in the post's folder",
                         "name a file beside the post (Jekyll does not build the site without it)")
    return None if "{{" in text or "{%" in text else Output(text.strip("\n"), block=True)


def _gallery(tag: Tag, context: TagContext, named: dict[str, str]) -> Output | None:
    """Minimal Mistakes' ``{% include gallery id="more" caption="..." %}``: the pictures the
    front matter lists under ``id`` (else ``gallery``), each its ``image_path`` (else ``url``)
    and ``alt`` (else ``title``), then the caption; None when it lists none."""
    items = context.page.get(named.get("id") or "gallery")
    pictures = []
    for item in items if isinstance(items, list) else ():
        image = item.get("image_path") or item.get("url") if isinstance(item, dict) else None
        if isinstance(image, str) and image.strip():
            alt = item.get("alt") or item.get("title")
            pictures.append((_from_site(image.strip()), str(alt) if alt else None))
    return _figures(tag, context, pictures, named.get("caption")) if pictures else None


def _figures(tag: Tag, context: TagContext, pictures: list[tuple[str, str | None]],
             caption: str | None = None) -> Output:
    """Pictures (each its path from the site's root and its alt text) one after another as
    figures, then the caption of them all."""
    shown = [_shortcode(tag, context, "figure", src=src, alt=alt).markdown
             for src, alt in pictures]
    caption = inline_markdown(caption or "")[0]
    return Output("\n".join(shown + ([f"<p>{caption}</p>"] if caption else [])), block=True)


def _from_site(image: str) -> str:
    """An include's image path from the site's root, where one is written without the first
    ``/`` (al-folio's ``path="assets/img/x.jpg"``, which its include passes to
    ``relative_url``)."""
    return image if re.match(r"[a-z][a-z0-9+.-]*:|/", image, re.IGNORECASE) else "/" + image


def _video(kind: str, named: dict[str, str]) -> tuple[str, str] | None:
    """(youtube or vimeo, the video's id) of a theme's video include: Minimal Mistakes'
    ``video id=... provider=youtube``, Chirpy's ``embed/youtube.html id=...`` (and any include
    named for YouTube or Vimeo, given an ``id``), one given a player's address (al-folio's
    ``video.liquid path="https://www.youtube.com/embed/ID"``, So Simple's
    ``responsive-embed url=...``); None for any other (a video file, another provider, a
    site's own include whose template newsletter cannot know)."""
    if kind == "video" and named.get("provider") in ("youtube", "vimeo") and named.get("id"):
        return named["provider"], named["id"]
    words = set(re.split(r"[^a-z0-9]+|(?<=youtube)|(?<=vimeo)", kind.lower()))
    if words & {"youtube", "vimeo"} and named.get("id"):  # youtubePlayer.html too  # Chirpy's embed/youtube.html, a
        return ("youtube" if "youtube" in words else "vimeo"), named["id"]  # site's youtube.html
    return next(filter(None, map(embedded_video, named.values())), None)


def gist(tag: Tag, context: TagContext) -> Output:
    """``{% gist user/id [file] %}`` or ``{% gist id [file] %}`` (the jekyll-gist plugin)."""
    found = _GIST.fullmatch(tag.body.strip().strip("\"'"))
    if not found:
        raise TagProblem(f"{tag.quoted()} needs a user and a gist id",
                         "write it as {% gist user/1234abcd %}")
    return gist_link(*found.groups())


def _shortcode(tag: Tag, context: TagContext, name: str, **values: str | None) -> Output:
    """What the Hugo shortcode ``name`` with ``values`` shows, in place of ``tag``."""
    named = {key: value for key, value in values.items() if value}
    return hugo.SHORTCODES[name](Tag("shortcode", tag.opener, tag.source, tag.start, tag.end,
                                     name=name, named=named), context)


def parameters(tag: Tag, text: str, context: TagContext) -> dict[str, str]:
    """A Liquid tag's ``key=value`` parameters: a quoted value as written, a number or a
    boolean as it is, else a variable (``id=page.youtube_id``) read as ``{{ }}`` reads it,
    left out when it has no value to print (Liquid's nil)."""
    named = {}
    for key, value in _PARAMETER.findall(text):
        if value[0] in "\"'" or _LITERAL.fullmatch(value):
            named[key] = value.strip("\"'")
            continue
        try:
            named[key] = values.text_of(value, tag, context)
        except TagProblem:
            continue
    return named


def as_shortcode(tag: Tag, context: TagContext, name: str | None = None) -> Tag:
    """A Liquid tag's arguments read as a shortcode's (``"a", b="c"``), named ``name`` (else
    as the tag): for the site's own tags, whose parameters name what they show (a link).
    Hexo's themes separate theirs with commas (NexT's ``{% button /shop/, Shop, fa fa-cart %}``,
    Butterfly's ``{% btn 'https://x',Shop,far fa-hand %}``): a link's text is then the argument
    that is not its address, an icon's classes or an image."""
    named = parameters(tag, tag.body, context) or {
        key: value.strip("\"'") for key, value in _COLON_PARAMETER.findall(tag.body)}
    by_comma = not named and _COMMA_LIST.fullmatch(tag.body) and "," in tag.body
    positional = tuple(argument.strip().strip("\"'").strip() for argument in
                       _COMMA_ARGUMENT.findall(tag.body)) if by_comma else \
        tuple(word.strip("\"',") for word in _WORD.findall(tag.body) if "=" not in word)
    url = next((word for word in positional
                if re.match(r"https?://", word) or (by_comma and word.startswith("/"))), None)
    if url and not any(key in named for key in ("href", "link", "url")):
        named["url"] = url
    if url and by_comma:
        text = next((word for word in positional if word != url and word
                     and not _ICON.search(word) and not re.search(r"\.\w{2,4}$", word)), None)
        named.update({"text": text} if text else {})
    return Tag("shortcode", tag.opener, tag.source, tag.start, tag.end, name=name or tag.name,
               positional=positional, named=named)


def highlight(tag: Tag, code: str, context: TagContext) -> Output:
    """``{% highlight lang [linenos] %}code{% endhighlight %}``, and Hexo's ``{% codeblock
    [title] [lang:language] %}code{% endcodeblock %}``: a fenced code block; of the file
    beside the post, where the code is an ``{% include_relative file %}`` alone."""
    included = _INCLUDED_CODE.fullmatch(code)
    text = context.read_beside(included[1].strip("\"'")) if included else None
    code = code if text is None else text
    words = tag.body.split()
    if tag.name == "codeblock":
        language = next((word[5:] for word in words if word.startswith("lang:")), "")
    else:
        language = words[0] if words else ""
    return Output(fenced(language, code), block=True)


def unknown(tag: Tag, context: TagContext) -> Output:
    """Any other tag: Liquid's (``if``, ``for``, ``assign``...) or a Zola shortcode with a body
    (``{% note(kind="tip") %}...{% end %}``)."""
    if tag.body.startswith("("):
        raise zola.unknown(tag, tag.name)
    raise TagProblem(f"{tag.quoted()} is a Liquid tag an email cannot run",
                     "write its result into the post, or put it in code")


LIQUID_TAGS: dict[str, Callable[[Tag, TagContext], Output]] = {
    "link": link_tag, "post_url": link_tag, "include": include, "include_relative": include,
    "render": include, "include_cached": include,  # jekyll-include-cache's, Minimal Mistakes'
    "gist": gist,
    "image": eleventy.image, **hexo.HEXO_TAGS,
}
