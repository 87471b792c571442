"""Which value of a post a Gatsby blog's own code makes its address, read without running it.

A blog's pages come from its code, not from settings: a File System Route
(``src/pages/blog/{mdx.frontmatter__slug}.js``, as gatsbyjs.com's tutorial writes it: the front
matter's ``slug`` under ``/blog/``), or ``createPage`` in ``gatsby-node.js`` with the ``slug``
field ``createFilePath`` made (gatsby-starter-blog's, often after a folder: ``value:
`/blog${slug}```), or with the front matter's ``path`` (Gatsby's older tutorial).
"""

from __future__ import annotations

import re
from pathlib import Path

from newsletter.generators.settings_files import first_file, read_text, without_js_comments
from newsletter.records import record

NODE_FILES = tuple(f"gatsby-node.{ext}" for ext in ("js", "ts", "mjs", "cjs"))
# {mdx.frontmatter__slug}.js, {MarkdownRemark.fields__slug}.tsx: the field the route is named by
_ROUTE_FILE = re.compile(r"\{(?:mdx|markdownremark)\.(frontmatter__slug|frontmatter__path|"
                         r"fields__slug)\}\.(?:js|jsx|ts|tsx)", re.IGNORECASE)
# createNodeField({ node, name: `slug`, value: `/blog${slug}` }): the folder before the path
_FIELD_PREFIX = re.compile(r"""\bvalue\s*:\s*`(/?[\w/-]*)\$\{""")
# createPage({ path: node.frontmatter.path }), or path: `/blog${node.frontmatter.slug}`
_FRONT_MATTER_PAGE = re.compile(r"""\bpath\s*:\s*(?:`(/?[\w/-]*)\$\{\s*)?[\w.]*\bfrontmatter\."""
                                r"""(slug|path)\b""")


@record(frozen=True)
class PostRoute:
    """``value``: ``"slug"`` or ``"path"`` (of the front matter), or ``"file"`` (the path
    ``createFilePath`` makes of the file's); ``folder``: the path before it, ``/blog``."""

    value: str
    folder: str = ""
    source: str = ""  # the file that says so
    slug_first: bool = False  # a front matter slug comes before the file's path

    @property
    def slugged(self) -> bool:
        """A File System Route slugs the value it is named by (``My Post`` is ``my-post``)."""
        return self.source.startswith("src/pages/")


def post_route(root: Path) -> PostRoute | None:
    """How the blog's code addresses its posts; None where it does not say (the front matter's
    ``slug``, else the file's path, is then the address, as Lumen's and the starters' are)."""
    node_file = first_file(root, *NODE_FILES)
    node = without_js_comments((read_text(node_file) if node_file else None) or "")
    named = node_file.name if node_file else ""
    pages = root / "src" / "pages"
    for route in sorted(pages.rglob("*")) if pages.is_dir() else []:
        found = _ROUTE_FILE.fullmatch(route.name)
        if not found:
            continue
        folder = "/" + route.parent.relative_to(pages).as_posix().strip(".").strip("/")
        field = found[1].lower()
        source = route.relative_to(root).as_posix()
        if field == "fields__slug":
            return PostRoute("file", folder.rstrip("/") + _field_prefix(node), source,
                             "frontmatter.slug" in node)
        return PostRoute(field.split("__")[1], folder.rstrip("/"), source)
    if page := _FRONT_MATTER_PAGE.search(node):
        folder = (page[1] or "").strip("/")
        return PostRoute(page[2], "/" + folder if folder else "", named)
    if "createFilePath" in node:
        return PostRoute("file", _field_prefix(node), named, "frontmatter.slug" in node)
    return None


def _field_prefix(node: str) -> str:
    """The folder gatsby-node's ``createNodeField`` puts before the file's path, or ""."""
    found = _FIELD_PREFIX.search(node) if "createNodeField" in node else None
    return "/" + found[1].strip("/") if found and found[1].strip("/") else ""
