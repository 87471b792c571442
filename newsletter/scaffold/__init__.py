"""`newsletter init`: the files a site needs, written into a blog's folder without touching any.

It writes ``newsletter.toml`` (with the generator that builds the blog and where its posts are,
and the blog's details its generator's settings say, see :mod:`newsletter.generators`), the
shipped email templates, an empty subscriber list and the ``.gitignore`` lines for what the tool
makes (and the ``.eleventyignore`` lines for its folders, where Eleventy builds the site's
root: it would render templates/*.html as Liquid and stop). A file that exists is never
overwritten, and the blog's own files are left alone. The templates ship inside the package, so
this works from a wheel; the repository's own example site uses these very templates.
"""

from __future__ import annotations

import errno
import json
import os
import textwrap
import tomllib
from dataclasses import field, replace
from importlib import resources
from pathlib import Path
from string import Template
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsletter.config import SETTINGS_FILE, inside_site
from newsletter.errors import NewsletterError
from newsletter.records import record
from newsletter.scaffold.placeholders import (
    PLACEHOLDER_ADDRESS,
    PLACEHOLDER_FROM,
    PLACEHOLDER_POSTAL,
    PLACEHOLDER_TITLE,
    PLACEHOLDER_URL,
    Placeholder,
    placeholders_in,
    not_public,
    starters_address,
)
from newsletter.generators import Generator, SiteInfo, detect, other_generator

__all__ = ["PRIVATE", "InitReport", "Placeholder", "init_site", "link_to_nothing",
           "placeholders_in", "settings_text"]

SUBSCRIBERS_HEADER = "email,name,status,tags,subscribed_at\n"
IGNORED = (".newsletter/", "outbox/", "preview/")  # what the tool makes in a site
# The generators whose layouts newsletter knows, as init names them
KNOWN = ("Hugo, Jekyll, Eleventy, Astro, Zola, Pelican, Gatsby, Hexo, Docusaurus, MkDocs, "
         "Next.js (Contentlayer, blog-starter, MDX), Bridgetown, Nikola and VitePress")
# newsletter's files a blog must not publish: its settings, the reader list, mail and previews
PRIVATE = ("newsletter.toml", "subscribers/", "templates/", "outbox/", "preview/")


@record
class InitReport:
    """What `init` wrote, what it left as it was, the generator it found and where the blog's
    details came from."""

    generator: Generator
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # existed already: left untouched
    unfilled: list[str] = field(default_factory=list)  # settings still at a placeholder
    published: list[str] = field(default_factory=list)  # of PRIVATE, what the blog would publish

    @property
    def info(self) -> SiteInfo:
        return blog_info(self.generator)


def blog_info(generator: Generator) -> SiteInfo:
    """What the generator's settings say of the blog, but an address that is not the blog's
    public one (a starter's https://example.com, http://localhost:1313/, "/"): every link of
    every email would lead nowhere, or elsewhere; nor a starter's writer at example.com, where
    readers' replies would go."""
    info = settings_say(generator)
    if info.author[1] and starters_address(info.author[1]):  # and "Your Name Here" with it
        info = replace(info, author=(None, None))
    if info.url and not_public(info.url):
        return replace(info, url=None, source=info.source if info.title else None)
    return info


def settings_say(generator: Generator) -> SiteInfo:
    """The blog's details as its generator's settings say them, or those of a generator
    newsletter does not know (Quarto's _quarto.yml), when none it knows was found."""
    other = other_generator(generator.root) if generator.name == "none" else None
    return other.info if other else generator.info()


def init_site(root: Path) -> InitReport:
    """Write every missing file of a site into ``root`` (made if needed)."""
    root.mkdir(parents=True, exist_ok=True)
    report = InitReport(detect(root))
    _write(root, SETTINGS_FILE, settings_text(report.generator), report)
    shipped = resources.files(__name__) / "templates"
    for template in sorted(shipped.iterdir(), key=lambda t: t.name):
        if template.is_file():
            _write(root, f"templates/{template.name}", template.read_text(encoding="utf-8"), report)
    _write(root, "subscribers/subscribers.csv", SUBSCRIBERS_HEADER, report)
    _add_lines(root, ".gitignore", IGNORED, report)
    if ignore_file := report.generator.ignore_file():
        _add_lines(root, ignore_file, tuple(name for name in PRIVATE if name.endswith("/")),
                   report)
    report.unfilled = _unfilled(root / SETTINGS_FILE)
    report.published = report.generator.publishes(PRIVATE)
    return report


def settings_text(generator: Generator) -> str:
    """newsletter.toml for a blog, with its details where its generator's settings had them,
    and the generator and its post folders in [posts]."""
    info, said = blog_info(generator), settings_say(generator)
    base = generator.base_path
    # Without the blog's address, the path it is served under still is known (Jekyll's
    # baseurl): kept in the example, so filling in the host gives the posts' real addresses.
    url = _https(info.url) or PLACEHOLDER_URL + base
    source = f"  # from {info.source}" if info.source else ""
    unknown_url = (f"  # your blog's address, ending in {base} ({generator.label} serves the "
                   "blog under it)" if base else "  # your blog's address")
    if said.url and not info.url:
        unknown_url += f" ({said.source} has {said.url}: {not_public(said.url)})"
    values = {
        "title": _toml(info.title or PLACEHOLDER_TITLE),
        "title_source": source if info.title else "  # your blog's name",
        "url": _toml(url),
        "url_source": source if info.url else unknown_url,
        "timezone": _toml(info.timezone if _known_zone(info.timezone) else "UTC"),
        "language": _toml(info.language or "en"),
        "unsubscribe_url": _toml(url + "/unsubscribe/{token}"),
        **_sender(info),
        "postal_address": _toml(PLACEHOLDER_POSTAL),
        "images_url": PLACEHOLDER_URL + "/newsletter",
        "posts": posts_table(generator),
        "static_dirs": _toml_list(generator.static_dirs()),
    }
    return Template(resources.files(__name__).joinpath("newsletter.toml.in")
                    .read_text(encoding="utf-8")).substitute(values)


def _sender(info: SiteInfo) -> dict[str, str]:
    """email.from, reply_to and cta_url: the writer's address, where the blog's settings say
    it, for replies and the button, and their name as the sender's; the sender's address stays
    the example (one the provider sends from is the writer's choice, and check asks for it)."""
    from email.utils import formataddr

    from newsletter.addresses import normalise_address

    name, address = info.author
    try:
        address = normalise_address(address) if address else None
    except NewsletterError:  # not an address: left at the example, as if unsaid
        address = None
    said = f"  # from {info.source}" if address else ""
    return {"from": _toml(formataddr((name, PLACEHOLDER_ADDRESS)) if name else PLACEHOLDER_FROM),
            "from_source": f"  # the name from {info.source}; the address: one your provider "
                           "sends from" if name and info.source else "",
            "reply_to": _toml(address or PLACEHOLDER_ADDRESS) + said,
            "cta_url": _toml(f"mailto:{address or PLACEHOLDER_ADDRESS}") + said}


def posts_table(generator: Generator) -> str:
    """The [posts] lines: the generator found and its post folders, with a comment saying why."""
    dirs, why = generator.post_dirs()
    other = other_generator(generator.root) if generator.name == "none" else None
    if other:
        where = (f"dirs = {_toml_list(other.dirs)}\n" if other.dirs else
                 '# dirs = ["posts"]  # set the folders that hold your posts\n')
        return (_comment(f"{other.label} site (found {other.evidence}), which newsletter does "
                         "not know: posts are read the generic way from dirs (front matter "
                         f"title, date, draft, slug); {other.note}.") +
                'generator = "none"\n' + where + "# exclude = []\n")
    if generator.name == "none":
        return (_comment(f"No static site generator was found (newsletter knows {KNOWN}): every "
                         "Markdown file under content/ is read. Name yours to read its layout, "
                         "e.g.:") +
                '# generator = "hugo"\n# dirs = ["content/posts"]\n# exclude = []\n')
    # A folder above the site (Hugo's contentDir = "../content") would be refused by every
    # command, `subscribers add` too: left unset, `posts` and `init` say where it is.
    outside = not all(map(inside_site, dirs))
    return (f"# {generator.label} site (found {generator.evidence}): posts in "
            f"{', '.join(dirs)} ({why}"
            f"{', outside this folder: newsletter reads posts only inside it' if outside else ''})."
            f"\ngenerator = {_toml(generator.name)}\n"
            f"{'# ' if outside else ''}dirs = {_toml_list(dirs)}\n"
            "# Globs of files or folders never read as posts:\n# exclude = []\n")


def _comment(text: str) -> str:
    """``text`` as TOML comment lines."""
    return "".join(f"# {line}\n" for line in textwrap.wrap(text, 96))


def _unfilled(path: Path) -> list[str]:
    """The settings of ``path`` still at a placeholder, as ``section.key``."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError, RecursionError):  # not UTF-8 or TOML, too long a number, too deep
        return []  # every command says what is wrong with it

    def value_of(section: str, key: str):
        table = raw.get(section)
        return table.get(key) if isinstance(table, dict) else None

    return [placeholder.name for placeholder, _ in placeholders_in(value_of)]


def link_to_nothing(path: Path) -> str | None:
    """Where ``path`` links to, if it is a link to nothing (a copy of a site that left the
    link's target behind, as `cp -r` of the repository's example site does); else None."""
    return os.readlink(path) if path.is_symlink() and not path.exists() else None


def _write(root: Path, name: str, text: str, report: InitReport) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if link_to_nothing(path) is not None:  # not a file to keep: opening it would say it exists
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))
    try:
        handle = path.open("x", encoding="utf-8", newline="\n")  # never overwrites
    except FileExistsError:
        if path.is_dir():  # not a file kept: a folder in the way of one
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path)) from None
        report.skipped.append(name)
        return
    try:
        with handle:
            handle.write(text)
    except BaseException:  # a full disk, Ctrl-C: no part-written file, which init would keep
        path.unlink(missing_ok=True)
        raise
    report.written.append(name)


def _add_lines(root: Path, name: str, lines: tuple[str, ...], report: InitReport) -> None:
    """Add the ``lines`` the ignore file ``name`` lacks (.gitignore: what the tool makes);
    keep every line it has."""
    path = root / name
    # A FIFO would wait forever, /dev/zero never end, and a link out of the site (a cloned
    # starter's link to ~/.bashrc) would take the lines elsewhere.
    if path.exists() and (not path.is_file()
                          or not path.resolve().is_relative_to(root.resolve())):
        report.skipped.append(name)
        return
    # Git reads it as bytes: a line in Latin-1 (a file named café) is kept as it is.
    existing = path.read_bytes().decode("utf-8", "surrogateescape") if path.exists() else ""
    present = {_ignored(line) for line in existing.splitlines()}
    missing = [line for line in lines if _ignored(line) not in present]
    if not missing:
        report.skipped.append(name)
        return
    separator = "\n" if existing and not existing.endswith("\n") else ""
    with path.open("a", encoding="utf-8") as handle:
        handle.write(separator + "# newsletter\n" + "".join(f"{line}\n" for line in missing))
    report.written.append(name)


def _ignored(line: str) -> str:
    """What an ignore file's line names, however it is spelled: at the root of the site,
    ``outbox``, ``outbox/``, ``/outbox/`` and ``./outbox/`` are the same folder."""
    return line.strip().removeprefix("./").strip("/")


def _https(url: str | None) -> str | None:
    """The blog's address as an https:// URL without a trailing slash (None if it is none)."""
    if not url or "://" not in url or not url.startswith(("http://", "https://")):
        return None
    return "https://" + url.split("://", 1)[1].rstrip("/")


def _known_zone(name: str | None) -> bool:
    try:
        return bool(name) and ZoneInfo(name) is not None
    except (ZoneInfoNotFoundError, ValueError):
        return False


def _toml(value: str) -> str:
    """A TOML basic string (JSON's escapes are all valid TOML escapes)."""
    return json.dumps(value, ensure_ascii=False)


def _toml_list(values) -> str:
    return "[" + ", ".join(_toml(value) for value in values) + "]"
