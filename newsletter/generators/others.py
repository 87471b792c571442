"""Static site generators newsletter does not know, recognised by their settings files, so that
``init`` names the one it found and writes where its posts usually are into ``[posts] dirs``
(read the generic way) instead of looking in ``content/`` without a word."""

from __future__ import annotations

from dataclasses import field
from pathlib import Path

from newsletter.generators.settings_files import (SiteInfo, first_file, read_data, read_text,
                                                   site_info)
from newsletter.records import record


@record(frozen=True)
class OtherGenerator:
    """A generator newsletter does not know, found in a blog's folder."""

    label: str
    evidence: str  # the file that shows it
    dirs: tuple[str, ...]  # its usual post folders that exist here
    note: str  # what newsletter reads of such a blog, and what it does not
    info: SiteInfo = field(default_factory=SiteInfo)  # the blog's title and address it says


_SETTINGS = tuple(f"config.{ext}" for ext in ("js", "ts", "mjs", "mts", "cjs"))


def other_generator(root: Path) -> OtherGenerator | None:
    """The generator newsletter does not know whose settings are in ``root``, if any."""
    for label, evidence, folders, note in _candidates(root):
        if evidence:
            dirs = tuple(folder for folder in folders if (root / folder).is_dir())
            info = _quarto_info(root / evidence) if label == "Quarto" else SiteInfo()
            return OtherGenerator(label, evidence, dirs, note, info)
    return None


def _quarto_info(path: Path) -> SiteInfo:
    """The ``website:`` ``title`` and ``site-url`` of _quarto.yml (quarto.org, website
    options), and its ``lang``."""
    data = read_data(path) or {}
    website = data.get("website") if isinstance(data.get("website"), dict) else {}
    return site_info(path.name, website.get("title"), website.get("site-url"), None,
                     data.get("lang"))


def _candidates(root: Path):
    quarto = first_file(root, "_quarto.yml", "_quarto.yaml")
    yield ("Quarto", quarto.name if quarto else None, ("posts", "blog"),
           "Quarto's .qmd and .ipynb posts run code only Quarto can run: newsletter lists them "
           "as not read and reads the .md ones")
    middleman = read_text(root / "config.rb") or ""
    yield ("Middleman", "config.rb" if "activate :blog" in middleman else None,
           ("source/blog", "source/posts", "source"),
           "each post's address is its path: set slug in a post whose address differs")
    nuxt = first_file(root, *(f"nuxt.config.{ext}" for ext in ("ts", "js", "mjs")))
    nuxt_text = (read_text(nuxt) or "") if nuxt else ""
    yield ("Nuxt Content", nuxt.name if nuxt and "@nuxt/content" in nuxt_text else None,
           ("content/blog", "content/posts", "content/articles"),
           "a post's address is its path under content/, as Nuxt Content's is by default")
    gridsome = first_file(root, "gridsome.config.js", "gridsome.config.ts")
    yield ("Gridsome", gridsome.name if gridsome else None,
           ("content/posts", "content/blog", "blog", "posts"),
           "each post's address is its path: set slug in a post whose address differs")
    vuepress = next((base / ".vuepress" / name for base in (root, root / "docs")
                     for name in _SETTINGS if (base / ".vuepress" / name).is_file()), None)
    yield ("VuePress", vuepress.relative_to(root).as_posix() if vuepress else None,
           ("posts", "blog", "docs/posts", "docs/blog", "src/posts"),
           "each post's address is its path: set slug in a post whose address differs")
