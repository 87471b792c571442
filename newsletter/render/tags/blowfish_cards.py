"""Blowfish's cards, which the theme fills from a host's API when the site is built (github,
gitlab, gitea, codeberg, forgejo, huggingface) or from another page (article), and its
``youtubeLite`` player: each a link to what it shows, as Hugo's own embeds are
(docs/template-tags.md). Blowfish's ``gitlab`` names a project (``projectID``, ``project``);
Stack's, a snippet by its number (hugo.py). And the pieces of its display shortcodes the email
shows: a timeline's items, a step, a stat, a marquee's items."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable
from urllib.parse import urlsplit

from newsletter.render.tags import hugo
from newsletter.render.tags.context import TagContext
from newsletter.render.tags.html import escape, inline_markdown, link, url_in_markdown, web_url
from newsletter.render.tags.hugo import Output
from newsletter.render.tags.syntax import Tag, TagProblem
from newsletter.render.tags.themes import left_out

_PATH = re.compile(r"[\w.-]{1,100}(?:/[\w.-]{1,100}){1,5}")  # owner/name; GitLab's groups nest
_HOSTS = {"github": ("https://github.com", "GitHub"), "codeberg": ("https://codeberg.org",
                                                                   "Codeberg")}


def repository(tag: Tag, context: TagContext) -> Output:
    """``{{< github repo="owner/name" >}}`` (Codeberg's too; Gitea's and Forgejo's on their
    ``server``): a link to the repository."""
    host, label = _HOSTS.get(tag.name) or (_server(tag, tag.get("server")), "")
    return _card(f"{host}/{_path(tag, 'repo')}",
                 f"View the repository on {label or urlsplit(host).hostname}: {tag.get('repo')}")


def gitlab(tag: Tag, context: TagContext) -> Output:
    """Blowfish's ``{{< gitlab projectID="278964" >}}`` (or ``project="group/name"``, on its
    ``baseURL``): a link to the project, by its number at ``/projects/ID``, where GitLab sends
    on to it. Stack's ``{{< gitlab 2589724 >}}`` is a snippet."""
    number, path = tag.get("projectID"), tag.get("project")
    if number is None and path is None:
        return hugo.gitlab(tag, context)
    base = _server(tag, tag.get("baseURL") or "https://gitlab.com")
    if number is not None and not number.isdigit():
        raise TagProblem(f"{tag.quoted()} needs the project's number",
                         'write it as {{< gitlab projectID="278964" >}}')
    url = f"{base}/projects/{number}" if number else f"{base}/{_path(tag, 'project')}"
    return _card(url, f"View the project on GitLab{f': {path}' if path else ''}")


def huggingface(tag: Tag, context: TagContext) -> Output:
    """``{{< huggingface model="owner/name" >}}`` (or ``dataset=``): a link to its page."""
    kind = "dataset" if tag.get("dataset") else "model"
    folder = "datasets/" if kind == "dataset" else ""
    return _card(f"https://huggingface.co/{folder}{_path(tag, kind)}",
                 f"View the {kind} on Hugging Face: {tag.get(kind)}")


def youtube_lite(tag: Tag, context: TagContext) -> Output:
    """``{{< youtubeLite id="..." label="..." >}}``: Hugo's ``youtube``, titled by its label."""
    label = tag.get("label")
    return hugo.youtube(replace(tag, named={**tag.named, "title": label}) if label else tag,
                        context)


def article(tag: Tag, context: TagContext) -> Output:
    """``{{< article link="/posts/other/" >}}``: a card of another page of the site, its
    title linked to it; a page newsletter cannot find is its link, with a warning."""
    target = (tag.get("link") or "").strip()
    url, title = context.link_url("ref", target), context.page_title(target)
    if not (url and title):
        return left_out(tag, context)
    return _card(url, title)


def timeline_item(tag: Tag) -> tuple[str, str]:
    """A ``timelineItem`` of Blowfish's ``timeline``: its ``header`` in bold, then its
    ``subheader`` and ``badge`` (a date, a place), above its content (Markdown). Returns what
    goes before the content and after it."""
    header = escape(tag.get("header") or "")
    rest = " \u00b7 ".join(escape(value) for value in map(tag.get, ("subheader", "badge"))
                           if value and value.strip())
    line = " \u2014 ".join(part for part in (f"<strong>{header}</strong>" if header else "",
                                              rest) if part)
    return (f"\n\n<p>{line}</p>\n\n" if line else "\n\n"), "\n\n"


def step(tag: Tag) -> tuple[str, str]:
    """A ``step`` of Blowfish's ``steps``: its ``number`` and ``title`` in bold above its
    content (Markdown), as the page shows them beside the line of steps."""
    number, title = escape(tag.get("number") or ""), inline_markdown(tag.get("title") or "")[0]
    line = ". ".join(part for part in (number, title) if part)
    return (f"\n\n<p><strong>{line}</strong></p>\n\n" if line else "\n\n"), "\n\n"


def stat(tag: Tag, content: str) -> str:
    """Blowfish's ``{{< stat value="12" label="Herons" >}}``: its value in bold, then its
    label, then what it holds (Markdown, each as the theme's ``markdownify`` reads it)."""
    value, label = (inline_markdown(tag.get(key) or "")[0] for key in ("value", "label"))
    return f"\n\n<p><strong>{value or '0'}</strong> {label or 'Metric'}</p>\n\n{content}\n\n"


def marquee_item(tag: Tag, content: str) -> str:
    """A ``marquee-item`` of Blowfish's ``marquee``: its words, linked to its ``href``, each
    on its own line (the row scrolls past on the page); its icon only decorates them."""
    url = web_url(tag.get("href") or "", mail=True)
    words = content.strip()
    return f"\n\n[{words}]({url_in_markdown(url)})\n\n" if url and words else f"\n\n{words}\n\n"


def _path(tag: Tag, name: str) -> str:
    value = tag.get(name) or ""
    if not _PATH.fullmatch(value) or ".." in value:
        raise TagProblem(f"{tag.quoted()} needs {name}=\"owner/name\"",
                         f'write it as {{{{< {tag.name} {name}="owner/name" >}}}}')
    return value


def _server(tag: Tag, value: str | None) -> str:
    url = web_url(value or "")
    if not url or urlsplit(url).scheme not in ("http", "https"):
        raise TagProblem(f"{tag.quoted()} needs the address of its server",
                         'write it as server="https://git.example.org"')
    return url.rstrip("/")


def _card(url: str, label: str) -> Output:
    return Output(link(url, escape(label)), block=True)


SHORTCODES: dict[str, Callable[[Tag, TagContext], Output]] = {
    **dict.fromkeys(("github", "codeberg", "gitea", "forgejo"), repository), "gitlab": gitlab,
    "huggingface": huggingface, "youtubelite": youtube_lite, "article": article}
