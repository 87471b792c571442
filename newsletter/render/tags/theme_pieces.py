"""Small shortcodes of FixIt, Blowfish and Docsy that the email can show whole, so they are not
reported (docs/template-tags.md): FixIt's ``version`` badge, ``asciinema`` recording and
``friend`` card, Blowfish's ``icon`` (decoration, left out), ``swatches``, ``mdimporter`` and
``codeimporter``, Congo's ``screenshot`` (a picture of the post's bundle), and Docsy's
``readfile`` (a file of the site in the post's place); and blogdown's ``postref``, the post's
own path, which its HTML puts before the files R renders beside it."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable
from urllib.parse import urlsplit

from newsletter.render.tags.context import TagContext
from newsletter.render.tags.html import escape, link, web_url
from newsletter.render.tags.hugo import Output, fenced, figure
from newsletter.render.tags.syntax import Tag, TagProblem

_VERSION = re.compile(r"v?[0-9][\w.+-]{0,40}")
_VERSION_WORDS = {"new": "New in", "changed": "Changed in", "deleted": "Deleted in"}
_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}|#[0-9a-fA-F]{8}|[a-z]{3,20}")
_RECORDING = re.compile(r"[A-Za-z0-9]{1,40}")


def version(tag: Tag, context: TagContext) -> Output:
    """FixIt's ``{{< version 0.2.0 changed >}}``: its badge's words, "Changed in v0.2.0",
    linked to the release as the badge is (``new`` when no kind is given)."""
    number = (tag.get("version", 0) or "").strip()
    kind = (tag.get("type", 1) or "new").strip().lower()
    if not _VERSION.fullmatch(number) or kind not in _VERSION_WORDS:
        raise TagProblem(f"{tag.quoted()} needs a version and new, changed or deleted",
                         "write it as {{< version 0.2.0 >}} or {{< version 0.2.0 changed >}}")
    number = number.removeprefix("v")
    return Output(link(f"https://github.com/hugo-fixit/FixIt/releases/tag/v{number}",
                       escape(f"{_VERSION_WORDS[kind]} v{number}")))


def asciinema(tag: Tag, context: TagContext) -> Output:
    """FixIt's terminal recording, played by a script: a link to it, on asciinema.org
    (``id``) or as the site serves the ``.cast`` file (``src``, or the first value)."""
    recording, src = (tag.get("id") or "").strip(), (tag.get("src", 0) or "").strip()
    if _RECORDING.fullmatch(recording):
        url = f"https://asciinema.org/a/{recording}"
    elif src and (url := web_url(src)):
        if "//" not in url:
            url = context.absolute_url(url)
    else:
        raise TagProblem(f"{tag.quoted()} names no recording",
                         'write it as {{< asciinema src="/casts/build.cast" >}}')
    return Output(link(url, escape("\u25b6 Watch the terminal recording")), block=True)


def friend(tag: Tag, context: TagContext) -> Output:
    """FixIt's card of a friend's site (``name``, ``url``, ``word``; its ``logo`` is the
    card's decoration): the name linked to the site, then the words."""
    name = tag.get("name", 0)
    if not name:
        raise TagProblem(f"{tag.quoted()} names no one", 'write it as name="Ria Fenn"')
    url = web_url(tag.get("url", 1) or "", mail=True)
    words = next((tag.get(key) for key in ("word", "bio", "description") if tag.get(key)), "")
    shown = link(url, escape(name)) if url else escape(name)
    return Output(shown + (f" \u2014 {escape(words)}" if words else ""), block=True)


def icon(tag: Tag, context: TagContext) -> Output:
    """Blowfish's ``{{< icon "github" >}}``: an SVG beside words that say the same; left out."""
    return Output("")


def swatches(tag: Tag, context: TagContext) -> Output:
    """Blowfish's ``{{< swatches "#64748b" "#3b82f6" >}}``: each colour's code, after a square
    of it."""
    colours = [value.strip() for value in tag.positional if value.strip()]
    if not colours or not all(_COLOUR.fullmatch(colour) for colour in colours):
        raise TagProblem(f"{tag.quoted()} needs colours", 'write it as {{< swatches "#64748b" >}}')
    return Output(" ".join(f'<span style="color:{colour}">\u25a0</span>&nbsp;<code>{colour}</code>'
                           for colour in colours))


def imported(tag: Tag, context: TagContext) -> Output:
    """Blowfish's ``mdimporter`` and ``codeimporter``: a file from the web (a README, a
    program) the build copies into the page, which the email cannot fetch as it goes out: a
    link to it."""
    url = web_url(tag.get("url", 0) or "")
    if not url or not url.startswith(("https://", "http://")):
        raise TagProblem(f"{tag.quoted()} needs the document's address",
                         'write it as url="https://raw.githubusercontent.com/o/r/main/README.md"')
    name = url.rstrip("/").rpartition("/")[2] or url
    return Output(link(url, escape(f"Read {name}")), block=True)


def readfile(tag: Tag, context: TagContext) -> Output:
    """Docsy's ``{{< readfile file="hello.go" code="true" lang="go" >}}``: the file's text in
    the post's place, as code with ``code="true"``, else as Markdown. A path is the post's
    folder's, or from the content folder (else the site's) with a leading ``/``."""
    name = (tag.get("file", 0) or "").strip()
    text = (context.read_site(name) if name.startswith("/") else context.read_beside(name)) \
        if name else None
    if text is None:
        raise TagProblem(f"{tag.quoted()}: no file {name or '(none named)'} in the site",
                         "name a file beside the post, or from the content folder with /")
    if tag.get("code") == "true":
        return Output(fenced(tag.get("lang") or "", text), block=True)
    if "{{" in text or "{%" in text:
        return Output("", warning=(f"{tag.quoted()}: {name} holds template tags of its own, "
                                   "which newsletter does not run; it is left out of the email",
                                   "write what it shows into the post if readers need it"))
    return Output(text.strip("\n"), block=True)


def screenshot(tag: Tag, context: TagContext) -> Output:
    """Congo's ``{{< screenshot src="ridge" alt="..." caption="..." >}}``: the first picture
    of the post's bundle whose name holds ``src`` (its ``*ridge*`` match), as a figure."""
    wanted = (tag.get("src") or "").strip()
    found = next((path for path in context.pictures(".")
                  if wanted and wanted in path.rpartition("/")[2]), None)
    if found is None:
        raise TagProblem(f"{tag.quoted()}: no picture of the post's folder is named "
                         f"*{wanted}*", "put the picture beside the post (index.md)")
    named = {key: tag.get(key) for key in ("alt", "caption", "href") if tag.get(key)}
    return figure(replace(tag, name="figure", positional=(), named={"src": found, **named}),
                  context)


def postref(tag: Tag, context: TagContext) -> Output:
    """blogdown's ``{{< blogdown/postref >}}`` (``index_files/figure-html/plot-1.png`` after
    it): the post's own path from the site's root, as its ``.RelPermalink``."""
    return Output(escape(urlsplit(str(context.page.get("permalink") or "/")).path))


SHORTCODES: dict[str, Callable[[Tag, TagContext], Output]] = {
    "version": version, "asciinema": asciinema, "friend": friend, "icon": icon,
    "swatches": swatches, "mdimporter": imported, "codeimporter": imported,
    "readfile": readfile, "screenshot": screenshot, "blogdown/postref": postref}
