"""A blog's layout: which generator builds it, where its posts are, what it serves at its root,
and the address of each post once the posts are read.

:func:`site_layout` builds it from the settings: ``[posts] generator`` (else found again from
the blog's files), ``[posts] dirs`` and ``exclude`` (else the generator's folders) and
``[images] static_dirs`` (else the generator's). The posts loader fills :meth:`SiteLayout.add`
as it reads; template tags (Hugo ``ref``, Jekyll ``post_url`` and ``link``) then find a post's
address with :meth:`SiteLayout.link_url`.
"""

from __future__ import annotations

import os
import re
from dataclasses import field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Callable

from newsletter.generators.astro import Astro
from newsletter.generators.base import Generator
from newsletter.generators.globs import glob_matches
from newsletter.generators.bridgetown import Bridgetown
from newsletter.generators.contentlayer import Contentlayer
from newsletter.generators.docusaurus import Docusaurus
from newsletter.generators.eleventy import Eleventy
from newsletter.generators.gatsby import Gatsby
from newsletter.generators.hexo import Hexo
from newsletter.generators.hugo import Hugo
from newsletter.generators.jekyll import Jekyll
from newsletter.generators.mkdocs import MkDocs
from newsletter.generators.nextjs import NextBlogStarter
from newsletter.generators.nextjs_mdx import NextMdx
from newsletter.generators.nikola import Nikola
from newsletter.generators.pelican import Pelican
from newsletter.generators.vitepress import VitePress
from newsletter.generators.zola import Zola
from newsletter.records import record

_UNSAFE = re.compile(r'[\x00-\x20"<>\\^`{|}\x7f]')  # never in a URL as they are (RFC 3986)

if TYPE_CHECKING:
    from newsletter.config import Settings

# Detection order: a generator's own settings file first; Zola before Hugo (both may have a
# config.toml, only Zola's says base_url); Hexo before Jekyll (both have a _config.yml, only
# Hexo's says new_post_name or source_dir); Next.js's blog-starter before Jekyll (a _posts
# folder, next in package.json, no _config.yml); package.json dependencies after settings files;
# any other Next.js blog (next.config.*, next in package.json) after those; mkdocs.yml last, as a blog built by another may keep its project's documentation in MkDocs.
GENERATORS: tuple[type[Generator], ...] = (
    Zola, Hugo, Hexo, Bridgetown, NextBlogStarter, Jekyll, Pelican, Nikola, Docusaurus,
    Contentlayer, VitePress, Eleventy, Astro, Gatsby, NextMdx, MkDocs)
BY_NAME: dict[str, type[Generator]] = {kind.name: kind for kind in (*GENERATORS, Generator)}
_SKIPPED_FOLDERS = {"node_modules", "vendor", "_site"}  # installed packages, built sites
# Posts in markups other than Markdown: found and named (init and posts say so), never read.
UNREAD_MARKUPS = {".rst": "reStructuredText", ".rest": "reStructuredText", ".adoc": "AsciiDoc",
                  ".asciidoc": "AsciiDoc", ".ad": "AsciiDoc", ".pandoc": "Pandoc", ".pdc": "Pandoc",
                  ".org": "Org", ".ipynb": "a Jupyter notebook", ".textile": "Textile",
                  ".html": "HTML", ".htm": "HTML", ".qmd": "Quarto",
                  ".js": "JavaScript (an .11ty.js template)", ".cjs": "JavaScript (an .11ty.cjs "
                  "template)", ".mjs": "JavaScript (an .11ty.mjs template)", ".webc": "WebC",
                  ".hbs": "Handlebars", ".mustache": "Mustache", ".ejs": "EJS", ".haml": "Haml",
                  ".pug": "Pug",
                  ".txt": "reStructuredText (Nikola's .txt)"}


def detect(root: Path) -> Generator:
    """The generator whose settings are in ``root``; the generic reading when none is."""
    for kind in GENERATORS:
        evidence = kind.found(root)
        if kind is Jekyll and evidence == "_posts":  # a folder only, no _config.yml: Eleventy's
            own = Eleventy.found(root)  # settings file says whose _posts it is (zachleat.com's)
            kind, evidence = (Eleventy, own) if own and own != "package.json" else (kind, evidence)
        if evidence:
            return kind(root, evidence)
    return Generator(root)


def site_layout(settings: Settings) -> SiteLayout:
    """The layout of the site ``settings`` describe."""
    root, chosen = settings.root, settings.posts.generator
    if chosen:
        kind = BY_NAME[chosen]
        generator = kind(root, kind.found(root))
    else:
        generator = detect(root)
    if settings.posts.dirs:
        dirs, why = settings.posts.dirs, "[posts] dirs"
    else:
        dirs, why = generator.post_dirs()
    generator.configure(dirs)
    static = settings.images.static_dirs or generator.static_dirs()
    return SiteLayout(root, generator, tuple(dirs), why, settings.posts.exclude, tuple(static),
                      settings.site.url.rstrip("/"))


@record
class SiteLayout:
    """Where a site's posts are, and how its generator publishes them."""

    root: Path
    generator: Generator
    dirs: tuple[str, ...]  # globs under root: folders or files holding posts
    dirs_reason: str  # why those: "mainSections", "[posts] dirs", ...
    exclude: tuple[str, ...]
    static_dirs: tuple[str, ...]  # folders served at the blog's root, under root
    site_url: str  # [site] url, no trailing slash
    urls: dict[str, str] = field(default_factory=dict)  # link targets -> post addresses
    # Set by the posts loader: the address of a file it did not load (a page), or None.
    address_of: Callable[[Path], str | None] | None = None
    # Set by the posts loader: why a post file did not load ("file:line: what"), by each name
    # a template tag may link it by, as ``urls``: a link to it says that, not "no post".
    unloaded: dict[str, str] = field(default_factory=dict)

    @property
    def base_path(self) -> str:
        """The path the blog is served under (Jekyll ``baseurl``, Hugo's ``baseURL`` path)."""
        return self.generator.base_path

    @property
    def values(self) -> dict[str, Any]:
        """The generator's site-wide values: Jekyll's ``_config.yml`` (``{{ site.x }}``)."""
        return self.generator.values

    @cached_property
    def static_folders(self) -> tuple[Path, ...]:
        return tuple(self.root / folder for folder in self.static_dirs)

    def files(self, extensions: tuple[str, ...] | None = None) -> list[Path]:
        """Every file under ``dirs`` (a glob's matches too) with one of ``extensions`` (default:
        the generator's Markdown ones), not excluded."""
        found: set[Path] = set()
        extensions = tuple(extensions or self.generator.extensions)
        for pattern in self.dirs:
            pattern = pattern.strip().strip("/") or "."
            matches = self.root.glob(pattern) if _is_glob(pattern) else [self.root / pattern]
            for match in matches:
                if match.is_dir():
                    found.update(_walk(match, extensions))
                elif match.is_file() and match.suffix.lower() in extensions:
                    found.add(match)
        return sorted(path for path in found if not self._skipped(path))

    def post_folders(self) -> list[Path]:
        """The folders ``dirs`` name, a glob's up to its first wildcard."""
        return [self.root / re.split(r"[*?[]", pattern.strip().strip("/"), maxsplit=1)[0]
                for pattern in self.dirs]

    def page_files(self) -> list[Path]:
        """The site's pages outside ``dirs`` (Hugo's ``content/about.md``, Jekyll's
        ``about.md``): listed as pages, never mailed."""
        posts = set(self.files())
        found = SiteLayout(self.root, self.generator, self.generator.page_dirs(), "",
                           self.exclude, self.static_dirs, self.site_url).files()
        return [path for path in found
                if path not in posts and self.generator.is_page_file(path)]

    def unread(self) -> list[Path]:
        """Files under ``dirs`` in a markup newsletter does not read (reStructuredText, ...)."""
        return [path for path in self.files(self.generator.unread_extensions)
                if self.generator.builds_unread(path)]

    def relative(self, path: Path) -> PurePosixPath:
        """``path`` relative to the generator's content folder (else to the site)."""
        for base in (self.generator.content_root, self.root):
            try:
                return PurePosixPath(path.relative_to(base).as_posix())
            except ValueError:
                continue
        return PurePosixPath(path.name)

    def url(self, address: str) -> str:
        """The full URL of a path under the site (an absolute URL stays as it is); a space or
        another character a URL cannot hold is escaped, as the generators write it (Jekyll's
        category "Gear Talk" is /gear%20talk/)."""
        if "://" in address:
            return address
        path = _UNSAFE.sub(lambda char: f"%{ord(char[0]):02X}", address.lstrip("/"))
        return self.site_url + "/" + path

    def add(self, path: Path, url: str) -> None:
        """Record the address of the post at ``path`` under each name a template tag may use."""
        self._record(self.urls, path, url)

    def add_unloaded(self, path: Path, problem: str) -> None:
        """Record why the post file at ``path`` did not load, under the names :meth:`add`
        would give its address."""
        self._record(self.unloaded, path, problem)

    def unloaded_problem(self, target: str) -> str | None:
        """Why the post file ``target`` names (as :meth:`link_url` reads it) did not load;
        None where it names no such file."""
        key = re.sub(r"^(\./|@/)+", "", target.strip().strip("\"'").partition("#")[0]).strip("/")
        if not key:
            return None
        return self.unloaded.get(key.lower()) or self.unloaded.get(
            PurePosixPath(key).with_suffix("").as_posix().lower()) or None

    def _record(self, names: dict[str, str], path: Path, value: str) -> None:
        site = PurePosixPath(path.relative_to(self.root).as_posix()) \
            if self.root in path.parents else PurePosixPath(path.name)
        content, stem = self.relative(path), self.generator.link_stem(path)
        for name in (site, content):
            keys = [name.as_posix(), name.with_suffix("").as_posix()]
            if stem and stem != name.stem:  # Hugo's post.en.md is posts/post too
                keys.append(name.with_name(stem).as_posix())
            if stem in ("index", "_index") and len(name.parts) > 1:
                keys.append(name.parent.as_posix())
            for key in keys:
                names.setdefault(key.lower(), value)
        if stem is None:  # a translation: only by its own file name
            return
        alone = tuple(dict.fromkeys((path.name, path.stem, stem))) \
            if stem not in ("index", "_index") else (path.parent.name,)
        for key in (name.lower() for name in alone):  # a unique file name alone (post_url)
            names[key] = value if names.get(key, value) == value else ""

    def link_url(self, target: str, beside: Path | None = None) -> str | None:
        """The URL of the post or page ``target`` names (a path under the site or its content
        folder, with or without extension, or a unique file name; first relative to the folder
        ``beside``, as Hugo's ``ref`` looks; ``/`` the home page), ``#fragment`` kept; None
        when it names nothing."""
        target, _, fragment = target.strip().strip("\"'").partition("#")
        key = re.sub(r"^(\./|@/)+", "", target).strip("/")  # Zola links as @/blog/x.md
        if key in ("", "."):  # {{< ref "/" >}}: the home page
            return self.url("/") + ("#" + fragment if fragment else "")
        keys = [key]
        if beside is not None and not target.startswith("/") and self.root in beside.parents:
            near = (beside / key).resolve()
            if self.root.resolve() in near.parents:
                keys.insert(0, near.relative_to(self.root.resolve()).as_posix())
        url = None
        for name in keys:
            url = self.urls.get(name.lower()) or self.urls.get(
                PurePosixPath(name).with_suffix("").as_posix().lower())
            if not url and self.address_of and name:
                url = next(filter(None, map(self._address, self._candidates(name))), None)
            if url:
                break
        if not url:  # a section Hugo lists without a page file of its own
            address = self.generator.section_address(self.generator.content_root / key)
            url = self.url(address) if address else None
        if not url:
            return None
        return url + ("#" + fragment if fragment else "")

    def _address(self, path: Path) -> str | None:
        """The address of a file a tag links: a page's, or where a static folder serves any
        other file (``{% link assets/notes.pdf %}``: Jekyll's link names those too)."""
        html = path.suffix.lower() in (".html", ".htm")  # an include's is none (_includes/)
        if path.suffix.lower() in self.generator.extensions and not html or html and \
                self.generator.serves(path.relative_to(self.root).as_posix()):
            return self.address_of(path) if self.address_of else None
        for folder in self.static_folders:
            if folder.resolve() in path.resolve().parents:
                served = path.resolve().relative_to(folder.resolve()).as_posix()
                return self.url(served) if self.generator.serves(served) else None
        return None

    def _candidates(self, key: str) -> list[Path]:
        found = []
        for base in (self.generator.content_root, self.root):
            for name in (key, *(key + ext for ext in self.generator.extensions),
                         f"{key}/index.md", f"{key}/_index.md"):
                path = base / name
                try:
                    # resolved first: "../../elsewhere.md" lies under the site in name only
                    if path.is_file() and self.root.resolve() in path.resolve().parents:
                        found.append(path)
                except OSError:  # a name too long for the system names no post
                    continue
        return found

    def _skipped(self, path: Path) -> bool:
        try:
            parts = path.relative_to(self.root).parts
        except ValueError:
            return True
        if any(part.startswith(".") or part in _SKIPPED_FOLDERS for part in parts[:-1]):
            return True
        if parts[-1].startswith("."):
            return True
        relative = "/".join(parts)
        return any(glob_matches(pattern, relative) for pattern in self.exclude)


def _walk(folder: Path, extensions: tuple[str, ...]) -> list[Path]:
    """Files under ``folder`` with one of ``extensions``, hidden folders, installed packages
    and built sites left unvisited."""
    found = []
    for base, subfolders, names in os.walk(folder):
        subfolders[:] = [name for name in subfolders
                         if not name.startswith(".") and name not in _SKIPPED_FOLDERS]
        found += [Path(base) / name for name in names
                  if Path(name).suffix.lower() in extensions]
    return [path for path in found if path.is_file()]


def _is_glob(pattern: str) -> bool:
    return any(char in pattern for char in "*?[")
