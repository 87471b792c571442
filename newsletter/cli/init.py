"""`newsletter init`: make a site of a blog's folder."""

from __future__ import annotations

import datetime as dt
import errno
import os
from pathlib import Path

import click


@click.command()
@click.argument("directory", required=False,
                type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def init(ctx: click.Context, directory: Path | None) -> None:
    """Make the blog's folder a site: settings, templates, a list.

    Write the files a site needs into DIRECTORY (default: --site, the current folder).

    newsletter.toml (with the generator that builds the blog, where its posts are, and the
    blog's title and address when its Hugo, Jekyll, Eleventy, Astro, Zola, Pelican, Gatsby,
    Hexo, Docusaurus, MkDocs, Contentlayer, Bridgetown, Nikola or VitePress settings say them),
    the email templates, an empty subscribers/subscribers.csv and the .gitignore lines for
    .newsletter/, outbox/ and preview/ (and, where Eleventy builds the site's root folder,
    .eleventyignore lines for newsletter's folders). Files that exist are never overwritten;
    the blog's own files are left alone.
    """
    from newsletter.config import SETTINGS_FILE, site_above
    from newsletter.errors import InputError
    from newsletter.scaffold import init_site, link_to_nothing

    root = directory or ctx.obj.root
    site = site_above(root) if not (root / SETTINGS_FILE).exists() else None
    if site is not None:  # a second site inside the blog's own folders: the wrong folder
        raise InputError(f"this folder is inside the site {site}", where=str(root.resolve()),
                         hint=f"run newsletter init in {site} (it only adds what is missing), "
                              "or pass a folder outside it")
    if site is None and not (root / SETTINGS_FILE).exists() and (below := _blog_below(root)):
        # a site here would hold that blog's folder, and init there would refuse it
        folder, holds = below
        raise InputError(f"no blog here, but {holds}", where=str(root.resolve()),
                         hint=f"run newsletter init in {folder}/ (nothing was written here)")
    try:
        report = init_site(root)
    except OSError as exc:  # a folder that cannot be made, a read-only or full disk
        where = str(exc.filename or root)
        if (target := link_to_nothing(Path(where))) is not None:
            raise InputError(f"is a link to {target}, which does not exist", where=where,
                             hint="remove the link (or restore what it points to), then run "
                                  "newsletter init again") from None
        if exc.errno in _IN_THE_WAY:
            raise InputError(_IN_THE_WAY[exc.errno], where=where,
                             hint="rename or move it, then run newsletter init again") from None
        raise InputError(f"cannot write the site's files there ({exc.strerror})", where=where,
                         hint="run init in a folder you may write to") from None
    click.echo(_found(root, report.generator))
    info = report.info
    if info.source:
        read = " and ".join(name for name, value in (("title", info.title), ("address", info.url))
                            if value)
        click.echo(f"Read the blog's {read} from {info.source}.")
    for name in report.written:
        click.echo(f"  wrote   {name}")
    for name in report.skipped:
        click.echo(f"  kept    {name} (exists; not changed)")
    from newsletter.check import (generator_setting_findings, published_finding,
                                  unreadable_settings_finding)

    unreadable = unreadable_settings_finding(report.generator)
    if unreadable:  # what init read of the blog's settings is a guess: said now, and by check
        click.echo(f"Error: {unreadable.line()}")
    elif report.published:  # Jekyll would publish the reader list: said now, and by check
        click.echo(f"Warning: {published_finding(report.generator).line()}")
    for finding in generator_setting_findings(report.generator):  # check says them too
        click.echo(f"Warning: {finding.line()}")
    if report.unfilled:  # check and send refuse these until they are the writer's own
        click.echo(f"Next: fill in {', '.join(report.unfilled)} in {root / 'newsletter.toml'} "
                   "(init could not know them); add readers with `newsletter subscribers add "
                   "EMAIL`, then `newsletter preview`.")
    elif "newsletter.toml" in report.written:
        click.echo("Next: add readers with `newsletter subscribers add EMAIL`, then "
                   "`newsletter preview`.")


# What stands in the way of a file or folder init writes, by the system's error.
_IN_THE_WAY = {errno.EEXIST: "is a file, where init makes a folder",
               errno.EISDIR: "is a folder, where init writes a file"}


def _found(root: Path, generator) -> str:
    """"Hugo site: posts in content/posts (mainSections), 12 posts, 3 pages." from what the
    settings now say (they may have been kept from before)."""
    from newsletter.config import load_settings
    from newsletter.errors import NewsletterError
    from newsletter.generators import site_layout
    from newsletter.posts import load_posts

    from newsletter.generators import other_generator

    other = other_generator(root) if generator.name == "none" else None
    kind = f"{generator.label} site" if generator.name != "none" else \
        f"{other.label} site (found {other.evidence}), which newsletter does not know" if other \
        else "No static site generator found"
    note = f"; {other.note}" if other else ""
    try:
        settings = load_settings(root, os.environ)
        layout = site_layout(settings)
        posts, errors = load_posts(settings)
    except (NewsletterError, OSError):
        dirs, why = generator.post_dirs()
        return f"{kind}: posts in {', '.join(dirs)} ({why}){outside_note(dirs)}."
    pages = sum(post.page is not None for post in posts)
    drafts = sum(post.page is None and post.draft for post in posts)
    drafted = f" ({_count(drafts, 'draft')})" if drafts else ""
    counts = [_count(len(posts) - pages, "post") + drafted, _count(pages, "page")]
    if errors:
        counts.append(_count(len(errors), "file") + " with errors (see `newsletter posts`)")
    unread = layout.unread()
    if unread:
        counts.append(f"{_count(len(unread), 'file')} not read "
                      f"({', '.join(sorted({path.suffix for path in unread}))}: newsletter "
                      "reads Markdown)")
    dirs, why = generator.post_dirs()
    why = why if tuple(layout.dirs) == tuple(dirs) else layout.dirs_reason
    read = {post.path.resolve() for post in posts}  # the pages found are not posts elsewhere
    elsewhere = outside_note(layout.dirs)
    if len(posts) == pages and not errors and not elsewhere:
        below = _nested_site(root) if generator.name == "none" and not other else None
        elsewhere = (f"; {below[1]}: run `newsletter init` in {below[0]}/" if below
                     else markdown_elsewhere(root, read, None if other and other.dirs
                                             else layout.dirs[0]))
    return (f"{kind}: posts in {', '.join(layout.dirs)} ({why}), {', '.join(counts)}{elsewhere}"
            f"{note}.")


def outside_note(dirs) -> str:
    """"; ../posts is outside ..." when a folder the blog keeps its posts in lies above the
    site's folder (Hugo's contentDir = "../content"), which newsletter never reads."""
    from newsletter.config import inside_site

    outside = [folder for folder in dirs if not inside_site(folder)]
    if not outside:
        return ""
    return (f"; {', '.join(outside)} {'is' if len(outside) == 1 else 'are'} outside this "
            "folder, and newsletter reads posts only inside the site's: move them into it, or run "
            "`newsletter init` in a folder that holds both")


def _nested_site(root: Path) -> tuple[str, str] | None:
    """Where a blog's generator settings are one folder down (GitHub Pages publishing a
    project's docs/ folder), the site to run init in: ("docs", "docs/ holds a Jekyll site
    (docs/_config.yml)"), or None."""
    from newsletter.generators import detect

    for folder in sorted(root.iterdir()):
        if folder.is_dir() and not folder.name.startswith((".", "_")) \
                and folder.name not in _NOT_POSTS:
            generator = detect(folder)
            if generator.name != "none":
                return folder.name, (f"{folder.name}/ holds a {generator.label} site "
                                     f"({folder.name}/{generator.evidence})")
    return None


def _blog_below(root: Path) -> tuple[str, str] | None:
    """The blog one folder down (:func:`_nested_site`) of a folder with no blog of its own: no
    generator's settings, and no Markdown where the generic reading looks (content/)."""
    from newsletter.generators import detect, other_generator

    if not root.is_dir() or detect(root).name != "none" or other_generator(root) is not None \
            or any((root / "content").rglob("*.md")):
        return None
    return _nested_site(root)


def markdown_elsewhere(root: Path, read: set[Path], posts_dir: str | None) -> str:
    """Where to name the posts when none was found: the folders that hold Markdown files
    other than the pages ``read``; with none, the general hint and how to write a first post
    in ``posts_dir``, unless None (init wrote the folders already)."""
    held: dict[str, int] = {}
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [name for name in subfolders
                         if not name.startswith((".", "_")) and name not in _NOT_POSTS]
        if count := sum(name.endswith((".md", ".mdx")) and not _project_file(name)
                        and (Path(folder) / name).resolve() not in read for name in files):
            held[Path(folder).relative_to(root).as_posix()] = count
    if not held:
        return ("; if your posts are elsewhere, set [posts] dirs in newsletter.toml "
                "(e.g. dirs = [\"posts\"])" + first_post_hint(posts_dir)) if posts_dir else ""
    folders = sorted(held, key=lambda folder: (-held[folder], folder))[:3]
    named = ", ".join(f"{folder if folder != '.' else 'the top folder'} ({held[folder]})"
                      for folder in folders)
    example = folders[0] if folders[0] != "." else "*.md"
    return (f"; Markdown files are in {named}: if they are your posts, set [posts] dirs in "
            f"newsletter.toml (e.g. dirs = [\"{example}\"])")


def first_post_hint(folder: str) -> str:
    """What a first post looks like, for a folder that holds no Markdown at all."""
    today = dt.date.today().isoformat()
    return (f"; to start one, write {folder}/hello.md: a line ---, then title: Hello and "
            f"date: {today} on lines of their own, a line ---, then the text")


_NOT_POSTS = {"node_modules", "templates", "outbox", "preview", "subscribers"}
# A repository's own documents: never a blog's posts, so never suggested as their folder.
_PROJECT_FILES = {"readme", "changelog", "license", "contributing", "code_of_conduct",
                  "security", "authors"}


def _project_file(name: str) -> bool:
    return Path(name).stem.lower() in _PROJECT_FILES


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


COMMANDS = [init]
