"""Which of a Hugo site's pages its front matter keeps from being a post: one Hugo publishes no
page of or keeps out of the site's lists and feed (``headless``, ``build`` options), and the
list-like pages themes keep among the posts (gohugo.io/content-management/build-options).
"""

from __future__ import annotations

from typing import Any

# Layouts of list-like pages a theme keeps among posts (PaperMod's archives and search).
_PAGE_LAYOUTS = {"archives", "archive", "search", "list", "terms", "taxonomy", "term", "home",
                 "index", "section", "tags", "categories"}


def unbuilt_reason(meta: dict[str, Any]) -> str | None:
    """Why Hugo makes no post of the page with front matter ``meta``: ``headless: true``,
    ``build`` (or ``_build``) ``render: never`` (or ``link``), ``list: never`` or ``local`` (in
    its section's lists only: not the home page's, nor the feed's, where readers find posts)."""
    if meta.get("headless") is True:
        return "a headless bundle"
    build = meta.get("build") or meta.get("_build")
    if not isinstance(build, dict):
        return None
    build = {str(key).lower(): value for key, value in build.items()}
    if build.get("render") in ("never", False, "false", "link"):
        return "build.render = never (or link): Hugo publishes no page of it"
    if build.get("list") in ("never", False, "false", "local"):
        return (f"build.list = {str(build['list']).lower()}: a page Hugo keeps out of the "
                "site's lists and feed")
    return None


def page_kind_reason(meta: dict[str, Any], post_sections: tuple[str, ...]) -> str | None:
    """A ``layout:`` of a list-like page (archives, search, ...), or ``type: page`` among the
    posts: themes list only the pages whose type is a post section's."""
    layout = str(meta.get("layout") or "").strip().lower()
    if layout in _PAGE_LAYOUTS:
        return f"layout: {layout}"
    kind = str(meta.get("type") or "").strip().lower()  # Hugo's .Type, the section's else
    if kind in ("page", "pages") and kind not in post_sections:
        return f"type: {kind}: themes list the pages whose type is a post section's"
    return None
