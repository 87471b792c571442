"""Links to a post's source file, as the blog's generator turns them into its address.

Writers link other posts by their file: Zola's ``@/blog/post.md`` and Pelican's
``{filename}/post.md`` (or ``|filename|``) name a file of the content folder; Eleventy's
InputPath-to-URL plugin, Hugo's link render hook and GitHub Pages' jekyll-relative-links turn a
link to ``other-post.md`` into that post's address, as Nikola turns ``link://slug/other-post``.
An email needs the address, absolute. A link that names a file explicitly (``@/``,
``{filename}``) and matches no post or page is a problem, as the generator's own build fails or
warns on it; a plain ``x.md`` link that matches nothing is left as written (it may be a file
the blog serves as it is).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import unquote

from newsletter.records import record
from newsletter.render.tags.context import TagContext
from newsletter.render.tags.expansion import Piece
from newsletter.render.tags.html import url_in_markdown
from newsletter.urls import split_url

# A link's destination where Markdown or HTML puts one: an inline link ``](dest``, an HTML
# ``href="dest"``, a reference definition ``[name]: dest``. Pelican's ``{tag}Rock Pools`` holds
# spaces, which Python-Markdown keeps in the link: it ends at the ``)``, the quote or the title.
# An opening < is the destination's, unless it opens ERB (<%= relative_url "/x" %>: erb.py).
# reStructuredText's: `text <dest>`_, a target ``.. _name: dest``, ``.. image:: dest`` (and
# figure, Nikola's thumbnail) and its ``:target: dest``, and Nikola's :doc:`text <slug>` (or
# :doc:`slug`).
DESTINATION = re.compile(r"(?:\]\([ \t]*(?:<(?!%))?|\bhref[ \t]*=[ \t]*[\"']"
                         r"|^[ ]{0,3}\[[^\]\n]{1,200}\]:[ \t]*(?:<(?!%))?"
                         r"|:doc:`(?:[^`<\n]{0,200}<)?"
                         r"|`[^`<\n]{0,200}<|^[ \t]*\.\.[ \t]+_[^:\n]{1,200}:[ \t]+"
                         r"|^[ \t]*(?:\.\.[ \t]+(?:image|figure|thumbnail)::|:target:)[ \t]+)"
                         r"(?P<dest>(?:\{(?:tag|category|author)\}|\|(?:tag|category|author)\|)"
                         r"[^\s()<>\"'`](?:[^\n()<>\"'`]{0,200}?[^\s()<>\"'`])??"
                         r"(?=[ \t]*[)>\"'])|[^\s()<>\"'`]{1,2000})", re.MULTILINE)
_EXPLICIT = ("@/", "{filename}", "|filename|")
_INTERNAL = re.compile(r"\{(?P<brace>static|attach|tag|category|author|index)\}"
                       r"|\|(?P<bar>static|attach|tag|category|author|index)\|")
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg)$", re.IGNORECASE)
_SOURCE_SUFFIX = re.compile(r"\.(?:md|markdown|mdx|mkd|mkdn|mdown|rst)$", re.IGNORECASE)
_UNREAD_SUFFIX = re.compile(r"\.(?:adoc|asciidoc|org|ipynb|textile)$", re.IGNORECASE)


@record(frozen=True)
class Resolved:
    """A destination's published address (None: leave it as written), or why it has none."""

    url: str | None = None
    message: str | None = None
    hint: str = ""


def resolve(destination: str, context: TagContext) -> Resolved:
    """The address the generator gives the file ``destination`` names, if it names one."""
    path, _, fragment = destination.partition("#")
    path = path.partition("?")[0]
    if path.startswith("link://"):
        return _nikola(destination, path, fragment, context)
    if internal := _INTERNAL.match(path):
        return _internal(destination, internal, fragment, context)
    explicit = next((prefix for prefix in _EXPLICIT if path.startswith(prefix)), None)
    target = path[len(explicit):] if explicit else path
    if _UNREAD_SUFFIX.search(target) and explicit:
        return Resolved(message=f"the link {destination} names a file in a markup newsletter "
                                "does not read, so its address is unknown",
                        hint="write the page's full address")
    parts = split_url(target)
    if explicit is None and parts is not None and not parts.scheme and not parts.netloc and \
            target.strip("./") and not target.startswith("/") and \
            not PurePosixPath(target).suffix:  # VitePress's [x](./pruning): a page's file
        url = context.link_url("page", target)
        return Resolved(url_in_markdown(url + (f"#{fragment}" if fragment else ""))) \
            if url else Resolved()
    if not _SOURCE_SUFFIX.search(target) or parts is None or parts.scheme or parts.netloc or \
            target.startswith("//"):
        return Resolved()  # an image, a file the blog serves, a web address (or no address)
    if explicit == "@/":  # Zola: from the content folder
        target = "/" + target
    url = context.link_url("file", target) if target.strip("/") else None
    if url:
        return Resolved(url_in_markdown(url + (f"#{fragment}" if fragment else "")))
    if explicit is None:
        return Resolved()
    return Resolved(message=f"the link {destination} names no post or page of this site",
                    hint="check the file's path (from the content folder, or from this post), "
                         "or write the page's full address")


def _internal(destination: str, found: re.Match, fragment: str, context: TagContext) -> Resolved:
    """Pelican's ``{static}``, ``{attach}``, ``{tag}``, ``{category}``, ``{author}`` and
    ``{index}`` links (or ``|static|``...). An image keeps its path: the email carries the
    file, which the images step finds by it."""
    kind = found["brace"] or found["bar"]
    name = found.string[found.end():]
    if kind in ("static", "attach") and _IMAGE_FILE.search(name):
        return Resolved()
    url = context.link_url(kind, unquote(name))
    if url:
        return Resolved(url_in_markdown(url + (f"#{fragment}" if fragment else "")))
    if kind in ("static", "attach"):
        return Resolved(message=f"the link {destination} names no file of this site",
                        hint="check the file's path (from the content folder with a leading /, "
                             "else from this post), or write its full address")
    return Resolved()


def _nikola(destination: str, path: str, fragment: str, context: TagContext) -> Resolved:
    """Nikola's path handlers (getnikola.com/path-handlers.html): ``link://slug/name`` (found
    by its file's name, as ``nikola new_post`` names it), ``link://filename/posts/x.md`` and
    ``link://post_path/...`` (from the site's folder), ``link://root``, ``link://tag/name``,
    ``link://category/name`` and ``link://gallery/name``; the others (archives, feeds...) are
    left for the check to report."""
    kind, _, name = path.removeprefix("link://").partition("/")
    if kind in ("root", "index") and not name.strip("/"):
        return Resolved(url_in_markdown(context.site_url.rstrip("/") + "/"))
    if kind in ("tag", "category", "gallery") and \
            (url := context.link_url(kind, unquote(name))):
        return Resolved(url_in_markdown(url + (f"#{fragment}" if fragment else "")))
    if kind == "gallery":
        return Resolved(message=f"the link {destination} names no gallery of this site",
                        hint="name a folder of GALLERY_FOLDERS (galleries/), or write the "
                             "gallery's full address")
    if kind not in ("slug", "filename", "post_path") or not name.strip("/"):
        return Resolved()
    url = context.link_url("file", name if kind == "slug" else "/" + name.lstrip("/"))
    if url:
        return Resolved(url_in_markdown(url + (f"#{fragment}" if fragment else "")))
    return Resolved(message=f"the link {destination} names no post or page of this site",
                    hint="name the post by its file (link://filename/posts/x.md), or write "
                         "the page's full address")


class LinkFiles:
    """The links of one post, each destination resolved once (a post may repeat a link)."""

    def __init__(self, context: TagContext):
        self.context = context
        self.resolved: dict[str, Resolved] = {}

    def read(self, destination: re.Match) -> Piece:
        """What the link whose destination :data:`DESTINATION` matched becomes: its address
        in place of a post's file, else its opening only, to be read on as prose."""
        start, written = destination.start("dest"), destination["dest"]
        before = destination.string[destination.start():start]
        if before.startswith(":doc:"):  # Nikola's: a post or page by its slug
            written = "link://slug/" + written
        if written not in self.resolved:
            self.resolved[written] = resolve(written, self.context)
        resolved = self.resolved[written]
        if resolved.url is None:
            return Piece(start, before, resolved.message, resolved.hint, at=start)
        return Piece(destination.end(), before + resolved.url)
