"""Which section of a Hugo site holds its posts when the settings do not say (no
``mainSections``): the one with the most dated pages, so that a theme's documentation (Hextra:
``docs/`` of many undated pages beside a ``blog/``) is not taken for the blog; with no dated
page anywhere, the one with the most pages, as Hugo's own default. A section named for
documentation (Docsy's ``docs/``, whose pages carry dates too) comes after every other one
that has dated pages, and is never the blog when none of its pages is dated (Hugo Book's).
A site of such documentation alone has its posts in ``posts/``, once it has any. A section
named for a blog (``posts``, ``post``, ``blog``) with dated pages is the blog whatever the others
hold: Hugo Blox's ``post/`` beside a researcher's many dated ``publication/`` pages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

# A date key opening a line of the front matter (YAML, TOML or JSON), with a value.
_DATED = re.compile(r"""^\s*["']?(?:date|publishdate|pubdate|published)["']?\s*[:=]\s*["']?\d""",
                    re.IGNORECASE | re.MULTILINE)
_HEAD = 4096  # bytes of a page read for its front matter's date
_DOCUMENTATION = ("docs", "doc", "documentation")
_BLOG = ("posts", "post", "blog")
_TAXONOMIES = ("tags", "categories")  # Hugo's, where the settings name none


def likeliest_section(content: Path | None, mounted: dict[str, Path]) -> tuple[str, str] | None:
    """The top-level folder of ``content`` (None: mounts leave it out), or a section
    ``mounted`` from another folder ({name: folder}), most likely to be the blog, and why."""
    counts: dict[str, tuple[int, int]] = {}
    try:
        folders = [folder for folder in content.iterdir() if folder.is_dir()] if content else []
    except OSError:
        folders = []
    for name, folder in (*((folder.name, folder) for folder in folders), *mounted.items()):
        if name.startswith((".", "_")):
            continue
        pages = [path for path in folder.rglob("*.md") if path.stem != "_index"]
        dated, written = counts.get(name, (0, 0))  # content/posts/ and a folder mounted there
        counts[name] = (dated + sum(1 for path in pages if _dated(path)), written + len(pages))
    others = {name: count for name, count in counts.items()
              if name.lower() not in _DOCUMENTATION and count[0]}
    # Documentation none of whose pages is dated is no blog (a Hugo Book or Docsy site).
    candidates = others or {name: count for name, count in counts.items()
                            if name.lower() not in _DOCUMENTATION or count[0]}
    documentation = any(pages for name, (_, pages) in counts.items()
                        if name.lower() in _DOCUMENTATION)
    best = max(candidates.items(),
               key=lambda item: (*item[1], item[0] in _BLOG), default=None)
    blog = max((item for item in others.items() if item[0] in _BLOG), key=lambda item: item[1],
               default=None)
    if best and blog and blog != best:
        return blog[0], f"named for a blog, beside {best[0]}/ of more dated pages"
    if (not best or not best[1][1]) and documentation:
        return "posts", "Hugo's folder for posts: the site has none yet, only undated documentation"
    if not best or not best[1][1]:
        return None
    why = "the section with the most dated pages" if best[1][0] else \
        "the section with the most pages"
    aside = documentation and best[0].lower() not in _DOCUMENTATION
    return best[0], why + (", documentation aside" if aside else "")


def _dated(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            head = file.read(_HEAD).decode("utf-8", "replace")
    except OSError:
        return False
    return bool(_DATED.search(head))


def list_page_parts(content: Path, folder: Path, taxonomies: Any) -> tuple[str, ...] | None:
    """The parts of the address of the list page Hugo makes for ``folder`` of ``content``
    without a page file of its own: a top-level section (``posts``), a taxonomy (``tags``) or
    one of its terms (``tags/wading-birds``), the site's ``[taxonomies]`` (by default tags and
    categories); None for another folder."""
    try:
        parts = folder.relative_to(content).parts
        if len(parts) == 1 and folder.is_dir():
            return parts
        if folder.exists():
            return None
    except (ValueError, OSError):  # outside the content, or a name too long for the system
        return None
    named = taxonomies.values() if isinstance(taxonomies, dict) else _TAXONOMIES
    return parts if 1 <= len(parts) <= 2 and parts[0] in named else None
