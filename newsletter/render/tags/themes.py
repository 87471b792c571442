"""The shortcodes themes and sites ship, which newsletter cannot run but can show
(docs/template-tags.md).

Tabs (Hextra's, Docsy's ``tabpane``, Relearn's, Hugo Book's, Blowfish's, jekyll-tabs') are
labelled sections one after another; a diagram (``mermaid``) or a formula (``katex``,
``math``) is its source in code, a diagram with a link to the post where it is drawn; a button
is a link. Any other shortcode of the site's (Hugo's, Zola's, or a tag written as Liquid's: a
plugin's, an Eleventy shortcode, an include) shows its content without what the site wraps it
in; one without content is a link or its text when a parameter holds one, else left out. Shown
in part, each is a warning at its line (:func:`warning`), so the writer looks at the email
before it goes out; tabs and buttons are shown whole and are not.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import replace
from itertools import takewhile
from typing import Callable

from newsletter.render.tags import hexo
from newsletter.render.tags.context import TagContext
from newsletter.render.tags.hugo import Output, fenced, figure
from newsletter.render.tags.html import (IMAGE_FILE, escape, inline_markdown, url_in_markdown,
                                          web_url)
from newsletter.render.tags.syntax import Tag

TAB_GROUPS = frozenset({"tabs", "tabpane"})
TABS = frozenset({"tab"})
# Shortcodes whose content is source the browser draws or typesets: what each shows.
SOURCES = {"mermaid": ("diagram", "draws"), "katex": ("formula", "typesets"),
           "math": ("formula", "typesets"), "mathjax": ("formula", "typesets"),
           # Blowfish's chart (Chart.js's settings), FixIt's and LoveIt's echarts (ECharts'):
           # no words for a reader
           "chart": ("chart", "draws"), "echarts": ("chart", "draws")}
# A site's own shortcodes whose content is code, by their name.
CODE = frozenset({"code", "terminal", "console", "shell", "codeblock", "snippet", "command",
                  "code-toggle"})  # Hugo's documentation's: settings in TOML, YAML or JSON
BUTTONS = frozenset({"button", "btn"})  # Hexo's NexT, Butterfly and Fluid: btn
# Shortcodes that write their content as it is ({{ .Inner }}: PaperMod's rawhtml, the one
# Hugo's forum gives for raw HTML): shown whole, by their names with - and _ left out.
RAW = frozenset({"rawhtml", "html", "raw"})
LINKS = frozenset({"qr"})  # Hugo's own: what it encodes, shown whole
# Written alone, these only add to the page (a table of contents; the script of KaTeX, MathJax
# or Beautiful Hugo's photoswipe; a site's {% icon "fab:css" %} beside words saying the same):
# the email goes without, unreported. Beautiful Hugo's column (and the older columns ...
# endcolumns) splits the words around it into two columns, which an email stacks.
FURNITURE = frozenset({"toc", "katex", "mathjax", "math", "comments", "related", "share",
                       "load-photoswipe", "column", "columns", "endcolumns", "icon"})
# Wrapped around pictures only to lay them out (Beautiful Hugo's gallery of figures): what they
# hold is shown whole, one picture after another, unreported.
# Blowfish's timeline, steps, stats and marquee: their items; its slider: the bundle's pictures
# its pattern matches; Hextra's cards: its cards
LAYOUTS = frozenset({"gallery", "carousel", "timeline", "cards", "steps", "stats", "marquee",
                     "slider"})
# Wrapped around words only to style them (Blowfish's and Congo's lead, badge, keyword;
# FixIt's, LoveIt's and DoIt's typeit, style, align, float, center-quote; Blowfish's rtl and
# ltr, whose direction the email sets per paragraph from its words; Beautiful Hugo's columns
# and no-ai-summary, which only keeps search engines' summaries away): what they hold is shown
# whole, unreported; written without content, their words (Hextra's ``{{< badge "v0.2" >}}``,
# ``content=``), linked to their ``link``.
STYLING = frozenset({"lead", "badge", "keyword", "typeit", "style", "align", "float",
                     "center-quote", "rtl", "ltr", "columns", "no-ai-summary"})
_TAB_COMMENT = re.compile(r"<!--\s*(end)?tab\b(.{0,200}?)-->", re.IGNORECASE | re.DOTALL)
_TAB_LABELS = ("title", "name", "label", "header", "tabName")
_LINK_TEXTS = ("content", "title", "text", "label", "name")
# FixIt's, LoveIt's and DoIt's link (href, content, title; named or by position): a link whole.
LINK = "link"
_CARD_KEYS = frozenset({"link", "title", "subtitle"})  # Hextra's card the email shows whole
_TEXTS = ("content", "text", "body", "message")
_IMAGE_KEYS = ("src", "url", "image", "img", "path", "file")
# An image shortcode named with these only (Hello Friend NG's image: src, alt, position, style;
# a site's img: max-width, has-border) is its image whole: the rest only places it on the page.
_WHOLE_IMAGE_KEYS = frozenset({*_IMAGE_KEYS, "alt", "caption", "title", "width", "height",
                               "position", "style", "class", "align", "description", "loading",
                               "max-width", "maxwidth", "max_width", "has-border", "border"})


def tab_label(tag: Tag, group: Tag | None, ordinal: int) -> str:
    """A tab's label: its own (Relearn's ``title``, Hextra's ``name``, Blowfish's ``label``,
    Docsy's ``header`` or first value, Hugo Book's first value, Poison's ``tabName``), else its
    place in the group's ``items`` (Hextra's ``{{< tabs items="A,B" >}}``); "" when it has
    none."""
    own = next((tag.get(name) for name in _TAB_LABELS if tag.get(name)), None)
    if own or tag.positional:
        return own or tag.positional[0]
    items = (group.get("items") or "").split(",") if group else []
    return items[ordinal - 1].strip() if 0 < ordinal <= len(items) else ""


def tab_sections(label: str) -> tuple[str, str]:
    """What goes before a tab's content (its label in bold, a paragraph of its own) and after."""
    shown = f"<p><strong>{escape(label)}</strong></p>\n\n" if label.strip() else ""
    return f"\n\n{shown}", "\n\n"


def tab_comment(comment: str) -> str | None:
    """In a Hexo theme's ``{% tabs %}`` (NexT's, Butterfly's), ``<!-- tab Label @icon -->``
    opens a tab: its label as other themes' tabs show theirs; ``<!-- endtab -->`` ends it.
    None for another comment, which stays."""
    found = _TAB_COMMENT.fullmatch(comment.strip())
    if found is None:
        return None
    if found[1]:
        return "\n\n"
    words = found[2].split()  # the icon is the rest from "@" on (Butterfly's "@fab fa-x")
    label = words[:next((at for at, word in enumerate(words) if word.startswith("@")), None)]
    return tab_sections(" ".join(label))[0]


def tab_language(tag: Tag, group: Tag | None) -> str | None:
    """The language of a Docsy tab whose content is code (``lang``, its own or its tabpane's,
    unless ``text=true``); None for a tab of Markdown."""
    if tag.get("text") == "true":
        return None
    return tag.get("lang") or (group.get("lang") if group and group.name == "tabpane" else None)


def code_tab(label: str, language: str, code: str) -> Output:
    """A Docsy tab of code: its label, then the code in a fenced block."""
    before, _ = tab_sections(label)
    return Output(f"{before}{fenced(language, code)}\n\n", block=True)


def source(tag: Tag, code: str, context: TagContext) -> Output:
    """A diagram or a formula as its source: a fenced block (with a link to the post, where a
    diagram is drawn), or a code span for a formula within a line; a chart (Blowfish's, whose
    source is Chart.js's settings) only the link."""
    kind = SOURCES[tag.name][0]
    if kind in ("diagram", "chart"):
        url = context.page.get("permalink") or context.site_url
        lead = f"[See the {kind} in the post]({url_in_markdown(url)})" if url else ""
        code = f"\n\n{fenced('mermaid', code)}" if kind == "diagram" else ""
        return Output(f"{lead}{code}", block=True, warning=warning(tag, True))
    display = tag.get("display") in ("true", "") or "display" in tag.positional
    if display or "\n" in code.strip("\n"):
        return Output(fenced("latex", code), block=True, warning=warning(tag, True))
    return Output(code_span(code.strip()), warning=warning(tag, True))


def code_language(tag: Tag) -> str | None:
    """The language of a site's shortcode whose content is code, by its name
    (``{{< code lang="go" >}}``, ``{{< terminal >}}``); None for any other, whose content is
    Markdown (a ``lang`` may name the language of its text). Hinode's ``command`` names
    its ``shell`` (bash, powershell, sql)."""
    if tag.name not in CODE:
        return None
    shell = "shell" if tag.name in ("terminal", "console", "shell", "command") else ""
    return tag.get("lang") or tag.get("language") or tag.get("shell") or shell


def code_block(tag: Tag, language: str, code: str) -> Output:
    """A site's shortcode of code: its ``title`` in bold (Terminal's, Hello Friend NG's), the
    code in a fenced block, with the warning."""
    title = inline_markdown(tag.get("title"))[0] if tag.get("title") else ""
    heading = f"<p><strong>{title}</strong></p>\n\n" if title.strip() else ""
    return Output(heading + fenced(language, code), block=True, warning=(
        f"{tag.quoted()}: the shortcode {tag.name} is the site's; the email shows its content "
        "as code", "look at the email; docs/template-tags.md lists the ones newsletter shows "
        "whole"))


def code_span(code: str) -> str:
    """``code`` as an inline code span no backtick inside can close early."""
    longest = max((len(run) for run in re.findall("`+", code)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {code} " if code.startswith("`") or code.endswith("`") else code
    return f"{fence}{padded}{fence}"


def button(tag: Tag, content: str, context: TagContext) -> str:
    """A theme's button (``href``, or Hugo Book's ``relref``) as a link whose text is the
    button's; its content alone when it has no address an email may carry."""
    text, url = content.strip(), _address(tag, context)
    if not url or not text or "\n\n" in text:
        return content
    return f"[{text}]({url_in_markdown(url)})"


def button_text(tag: Tag) -> str:
    """The text of a button written without content, from its parameters (Hugoplate's
    ``label``), as Markdown."""
    return escape(next((tag.get(name) for name in _LINK_TEXTS if tag.get(name)), ""))


def qr(tag: Tag, content: str) -> str:
    """Hugo's ``qr``: a QR code is for a screen the reader is not looking at; the email shows
    what it encodes (``text``, or the content), linked when it is a web address."""
    text = (tag.get("text") or content).strip()
    url = web_url(text, mail=True) if re.match(r"(?:https?|mailto):", text) else None
    return f"[{escape(text)}]({url_in_markdown(url)})" if url else escape(text)


def left_out(tag: Tag, context: TagContext, what: str = "the shortcode",
             place: Callable[[str], str] = str) -> Output:
    """What a theme's shortcode without content becomes: its image, when it names an image
    file (LoveIt's and FixIt's ``image``, PaperMod's ``inTextImg``, a site's ``img`` or image
    include; ``place`` says where the file is from how it is written); a link, when it names a
    web address (Hextra's ``card``, a ``link`` or ``href``) with its ``content`` or ``title``
    as the text; its text, when a parameter holds it (``content``, ``text``: Markdown, as
    themes render it); else nothing."""
    if tag.name in FURNITURE:
        return Output("", warning=warning(tag, False, what=what))
    if tag.name in STYLING and (words := tag.get("content") or tag.get("text", 0)):
        shown, url = inline_markdown(words)[0], _address(tag, context)  # Hextra's badge
        return Output(f"[{shown}]({url_in_markdown(url)})" if url else shown)
    if tag.name in LAYOUTS and (pictures := _gallery_pictures(tag, context)):
        return Output("\n\n".join(f"![]({url_in_markdown(place(path))})" for path in pictures))
    image = next((value.strip() for value in (*(tag.get(key) for key in _IMAGE_KEYS),
                                              *tag.named.values(), *tag.positional[:2])
                  if value and IMAGE_FILE.search(value.strip())), None)
    if image:
        after = _words_after(tag.positional, image)
        sizes = [word for word in after if word.isdigit()]
        described = tag.get("description")  # a site's image.html include: its alt, or caption
        values = {"src": place(image), "alt": tag.get("alt") or described or _alt_after(after),
                  "caption": tag.get("caption") or tag.get("title")
                  or (described if tag.get("alt") else None),
                  "width": tag.get("width") or (sizes[:1] or [None])[0],
                  "height": tag.get("height") or (sizes[1:2] or [None])[0]}
        shown = figure(replace(tag, name="figure", positional=(), named={
            key: value for key, value in values.items() if value}), context)
        whole = not tag.positional and set(tag.named) <= _WHOLE_IMAGE_KEYS
        return replace(shown, warning=None if whole else warning(tag, False, shown="image",
                                                                        what=what))
    url = _address(tag, context)
    if url:
        text = next((tag.get(name) for name in _LINK_TEXTS if tag.get(name)), None) or \
            (tag.get("content", 1) if tag.name == LINK else None) or url
        subtitle = tag.get("subtitle") if tag.name == "card" else None  # Hextra's, a block
        shown = f"[{escape(text)}]({url_in_markdown(url)})" + \
            (f" \u2014 {inline_markdown(subtitle)[0]}" if subtitle else "")
        whole = tag.name == LINK or tag.name == "card" and set(tag.named) <= _CARD_KEYS
        return Output(shown, block=tag.name == "card", warning=None
                      if whole else warning(tag, False, shown="link", what=what))
    text = next((tag.get(name) for name in _TEXTS if tag.get(name)), None)
    if text:
        return Output(inline_markdown(text)[0], warning=warning(tag, False, shown="text",
                                                                what=what))
    return Output("", warning=warning(tag, False, what=what))


def _words_after(words: tuple[str, ...], image: str) -> tuple[str, ...]:
    return words[words.index(image) + 1:] if image in words else ()


def _alt_after(words: tuple[str, ...]) -> str | None:
    """The alt text written after an image's path: jekyll_picture_tag's ``--alt`` words (up to
    its next ``--option``), else the first word that is no size nor option (LoveIt's
    ``{{< image "x.jpg" "alt" >}}``; Octopress' ``{% img x.png 300 200 "title" %}``)."""
    if "--alt" in words:
        rest = words[words.index("--alt") + 1:]
        return " ".join(takewhile(lambda word: not word.startswith("--"), rest)) or None
    return next((word for word in words if not word.isdigit() and not word.startswith("--")),
                None)


def _gallery_pictures(tag: Tag, context: TagContext) -> list[str]:
    """The pictures of the folder a gallery lists: Hugoplate's ``dir`` (beside the post, in
    ``assets/`` or ``static/``), Hugo Blox's ``album`` (the post's ``gallery/<album>``),
    Blowfish's carousel's ``images`` (``"gallery/*"``, or pictures named in braces,
    ``"{gallery/03.jpg,https://...}"``), its slider's ``pattern`` of the bundle's files."""
    album, folder, images = tag.get("album"), tag.get("dir"), (tag.get("images") or "").strip()
    if images.startswith("{") and images.endswith("}"):
        return [name.strip() for name in images[1:-1].split(",")
                if IMAGE_FILE.search(name.strip()) and web_url(name.strip())]
    if images.endswith("/*"):
        folder = images[:-2]
    if pattern := (tag.get("pattern") or "").strip():  # Blowfish's slider: "gallery/*.jpg"
        inside, _, files = pattern.rpartition("/")
        return [path for path in context.pictures(inside or ".")
                if fnmatch.fnmatchcase(path.rpartition("/")[2], files)]
    names = ([f"gallery/{album}", album] if album else []) + ([folder] if folder else [])
    return next(filter(None, map(context.pictures, names)), [])


def liquid_around(tag: Tag, zola_body: bool) -> tuple[Output, str]:
    """What a paired tag of the site's written as Liquid's (an Eleventy paired shortcode, a
    plugin's block, jekyll-tabs' ``{% tab group Label %}``, a Zola shortcode with a body) puts
    before its content, with the warning, and after it: a tab's label; Hexo's block quote and
    its attribution, a Hexo theme's note box and fold; else nothing."""
    if not zola_body and tag.name in TABS | TAB_GROUPS:
        words = tag.body.split()
        label = words[-1].strip("\"'") if tag.name in TABS and len(words) > 1 else ""
        return Output(tab_sections(label)[0]), "\n\n"
    if not zola_body and tag.name in ("blockquote", "note", *hexo.FOLDS):
        around = hexo.quote_around if tag.name == "blockquote" else \
            hexo.note_around if tag.name == "note" else hexo.fold_around
        before, after = around(tag)
        return Output(before), after
    return Output("", warning=warning(tag, True, what="the Zola shortcode" if zola_body
                                      else "the tag")), ""


def _address(tag: Tag, context: TagContext) -> str | None:
    """The web address a theme's shortcode names, made absolute for a ``relref``."""
    if tag.get("relref"):
        return context.link_url("relref", tag.get("relref").partition("#")[0].strip())
    named = tag.get("href", 0 if tag.name == LINK else None) or tag.get("link") or tag.get("url")
    return web_url(named, mail=True) if named else None


def warning(tag: Tag, enclosing: bool, shown: str = "",
            what: str = "the shortcode") -> tuple[str, str] | None:
    """The warning for a theme's shortcode shown in part (message, hint), ``shown`` saying
    what of one without content the email shows ("link", "text"); None for one shown whole or
    left out unreported. ``what`` it is: "the shortcode", "the Zola shortcode", "the tag"."""
    name, quoted = tag.name, tag.quoted()
    if name in TAB_GROUPS or name in TABS or name in BUTTONS or name in LINKS:
        return None
    if enclosing and (re.sub(r"[-_]", "", name.lower()) in RAW or name in LAYOUTS | STYLING):
        return None
    if name in SOURCES:
        kind, verb = SOURCES[name]
        shown = "a link to the post" if kind == "chart" else "its source as code"
        return (f"{quoted}: a {kind} the theme {verb} in the browser; the email shows {shown}",
                f"look at the email: write what the {kind} says into the post if its source "
                "does not say it")
    if not enclosing and name in FURNITURE:
        return None
    if enclosing:
        return (f"{quoted}: {what} {name} is the site's; the email shows its content without "
                "what it adds", "look at the email; docs/template-tags.md lists the ones "
                "newsletter shows whole")
    if shown:
        return (f"{quoted}: {what} {name} is the site's; the email shows only its {shown}",
                "look at the email; write what else it shows into the post if readers need it")
    return (f"{quoted}: {what} {name} is the site's and is left out of the email",
            "write what it shows into the post if readers need it")
