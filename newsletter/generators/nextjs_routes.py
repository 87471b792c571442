"""Where a Next.js blog keeps its posts and which route serves them, read from its folders.

Two shapes (docs/generators.md): posts in a folder of ``.mdx``/``.md`` files (``posts/``,
``content/blog/``, ...) that a dynamic route reads (``app/blog/[slug]/page.tsx``,
``pages/blog/[slug].tsx``), each post at the route's folder plus its slug; or each post its own
route, ``app/(post)/2020/vercel/page.mdx`` (@next/mdx), at its folder's path with the route
groups ``(post)`` left out, or ``pages/blog/hello.mdx``, at its path.
"""

from __future__ import annotations

import re
from pathlib import Path

from newsletter.generators.base import folder_setting
from newsletter.generators.settings_files import first_text, js_string, without_js_comments

# The posts folders of common Next.js blogs (leerob's, maxleiter's, the starters), in order;
# with none of them, content/ is read whole, as the generic reading reads it.
POST_FOLDERS = ("posts", "content/posts", "content/blog", "content/articles", "data/blog",
                "data/posts", "src/content/posts", "src/content/blog", "app/blog/posts", "blog",
                "articles", "_posts")
APP_FOLDERS = ("app", "src/app")
PAGES_FOLDERS = ("pages", "src/pages")
BLOG_SEGMENTS = {"blog", "posts", "post", "writing", "writings", "articles", "notes"}
VELITE_FILES = tuple(f"velite.config.{ext}" for ext in ("ts", "js", "mjs", "mts"))
_VELITE_PATTERN = re.compile(r"""\bpattern\s*:\s*\[?\s*(["'`])([^"'`\n]+\.mdx?)\1""")
_ROUTE_FILES = ("page.tsx", "page.jsx", "page.js", "page.ts", "page.mdx")
_YEAR = re.compile(r"\d{4}")
_DYNAMIC = re.compile(r"\[(\.\.\.)?\w+\]|\[\[\.\.\.\w+\]\]")


def route_segments(folder: str) -> list[str]:
    """The address segments of a route folder under app/ or pages/: route groups ``(post)``
    and parallel routes ``@modal`` left out."""
    return [part for part in folder.split("/")
            if part and not (part.startswith("(") and part.endswith(")"))
            and not part.startswith("@")]


def app_route(relative: str) -> list[str] | None:
    """The address segments of a ``page.mdx`` under app/ (``app/(post)/2020/x/page.mdx`` →
    ["2020", "x"]); None for any other file."""
    app = next((base for base in APP_FOLDERS if relative.startswith(base + "/")), None)
    if not app or not relative.endswith("/page.mdx"):
        return None
    return route_segments(relative[len(app) + 1:].rsplit("/", 1)[0])


def is_blog_route(segments: list[str]) -> bool:
    """Whether a page.mdx route is a post: under a blog-like segment, a year, or a ``(post)``
    group (the caller keeps the groups in ``segments`` for that)."""
    return any(part.lower().strip("()") in BLOG_SEGMENTS or _YEAR.fullmatch(part)
               for part in segments[:-1])


def mdx_routes(root: Path) -> list[str]:
    """The folders (under the site) holding post routes of their own: app/ with page.mdx
    files under a blog route, pages/blog with .mdx pages."""
    found = []
    for app in APP_FOLDERS:
        if (root / app).is_dir() and any(
                is_blog_route(page.relative_to(root / app).parts)
                for page in (root / app).rglob("page.mdx") if "node_modules" not in page.parts):
            found.append(app)
    for pages in PAGES_FOLDERS:
        for segment in sorted(BLOG_SEGMENTS):
            folder = root / pages / segment
            if folder.is_dir() and any(folder.glob("*.md*")):
                found.append(f"{pages}/{segment}")
    return found


def post_folders(root: Path) -> list[str]:
    """The folders of velite's post collections, else the common posts folders
    (:data:`POST_FOLDERS`) holding a Markdown or MDX file, else content/ if it holds one."""
    found = [folder for folder in velite_folders(root) or POST_FOLDERS
             if (root / folder).is_dir() and any((root / folder).rglob("*.md*"))]
    return found or (["content"] if any((root / "content").rglob("*.md*")) else [])


def velite_folders(root: Path) -> list[str]:
    """The folders of velite.config.*'s Markdown collections under its ``root`` (``content``),
    ``pattern: 'posts/**/*.mdx'`` → content/posts; the blog-like ones when some are."""
    text = without_js_comments(first_text(root, VELITE_FILES))
    base = folder_setting(js_string(text, "root"), "content")
    folders = []
    for found in _VELITE_PATTERN.finditer(text):
        prefix = re.split(r"[*?\[{]", found[2])[0].strip("/")
        folders.append(f"{base}/{prefix}".rstrip("/") if prefix else base)
    blog = [folder for folder in folders if set(folder.split("/")) & BLOG_SEGMENTS]
    return list(dict.fromkeys(blog or folders))


def dynamic_route(root: Path, posts_folder: str, *,
                  named_only: bool = False) -> tuple[str, bool] | None:
    """(the path of the route serving the posts of ``posts_folder``, whether it is a catch-all
    ``[...slug]``): the dynamic route whose code names the folder, else (unless
    ``named_only``) the first under a blog-like segment; None when no route says."""
    candidates = []
    for base in (*APP_FOLDERS, *PAGES_FOLDERS):
        folder = root / base
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            if "node_modules" in path.parts or not path.is_file():
                continue
            relative = path.relative_to(folder).as_posix()
            route = _route_of(relative, app=base in APP_FOLDERS)
            if route is not None:
                candidates.append((path, route))
    name = posts_folder.rstrip("/").rsplit("/", 1)[-1]
    naming = [route for path, route in candidates if _names_folder(path, posts_folder, name)]
    blog = [route for _, route in candidates
            if set(route[0].lower().strip("/").split("/")) & BLOG_SEGMENTS]
    chosen = naming or ([] if named_only else blog)
    return chosen[0] if chosen else None


def _route_of(relative: str, *, app: bool) -> tuple[str, bool] | None:
    """(prefix, catch-all) of a dynamic route file, ``blog/[slug]/page.tsx`` → ("/blog",
    False); None for any other file."""
    parts = relative.split("/")
    if app:
        if parts[-1] not in _ROUTE_FILES or len(parts) < 2:
            return None
        dynamic = parts[-2]
        prefix = parts[:-2]
    else:
        stem = parts[-1].rsplit(".", 1)[0]
        dynamic, prefix = (parts[-2], parts[:-2]) if stem == "index" and len(parts) > 1 \
            else (stem, parts[:-1])
        if parts[0] == "api":
            return None
    if not _DYNAMIC.fullmatch(dynamic) or any(_DYNAMIC.search(part) for part in prefix):
        return None
    return "/" + "/".join(route_segments("/".join(prefix))), "..." in dynamic


def _names_folder(route_file: Path, posts_folder: str, name: str) -> bool:
    """Whether the route's code names the posts folder (``path.join(cwd, 'posts')``)."""
    text = _read(route_file)
    return posts_folder in text or bool(re.search(rf"""["'`/]{re.escape(name)}["'`/]""", text))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")[:200_000]
    except OSError:
        return ""
