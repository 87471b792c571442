"""Finding the post a writer names: by slug, by the slug's last part, by file or folder name."""

from __future__ import annotations

import re
from difflib import get_close_matches
from pathlib import Path
from typing import Iterable

from newsletter.errors import ContentError, PostNotFoundError
from newsletter.generators import UNREAD_MARKUPS
from newsletter.posts.post import Post

_DATED_NAME = re.compile(r"^\d{4}-\d\d-\d\d(?:---|-)(?=.)")  # a date before a post's name


def find_post(posts: list[Post], name: str, problems: Iterable[ContentError] = ()) -> Post:
    """The one post that ``name`` names: slug, slug's last segment, file or folder name, path.

    When none matches but one of ``problems`` (from :func:`load_posts`) is about a file of
    that name, that problem is raised: the post exists but does not load.
    """
    wanted = name.strip()
    bare = wanted.rstrip("/") or wanted  # as a browser shows it: /posts/x/, https://blog/x/
    matches = [post for post in posts
               if wanted in (post.id, post.id.lstrip("/"), post.name)
               or bare in (post.id, post.id.lstrip("/"), post.url.rstrip("/"))
               or _names_file(wanted, post.path) or wanted == _link_stem(post)]
    if not matches and wanted.startswith("/"):  # the preview server's /<name>, as --serve opens it
        matches = [post for post in posts if post.name == bare.lstrip("/")]
    if not matches:
        short = wanted.strip("/").rpartition("/")[2]
        for problem in problems:
            path = _error_path(problem)
            if path is not None and (short in file_names(path) or _names_file(wanted, path)):
                raise problem
        _refuse_unread(posts, wanted, short)
        # Jekyll's 2026-12-05-green-tea goes by green-tea too: 'grean-tea' is close to that.
        names = {_DATED_NAME.sub("", _link_stem(post) or post.name)
                 for post in posts if post.page is None}
        close = get_close_matches(_DATED_NAME.sub("", short), sorted(names), n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        raise PostNotFoundError(f"no post named {name!r}",
                                hint=f"{hint}run `newsletter posts` to list them")
    posts_only = [post for post in matches if post.page is None]
    if len(matches) > 1 and len(posts_only) == 1:  # a post beside its translations (pages)
        return posts_only[0]
    if len(matches) > 1:
        ids = ", ".join(post.id for post in matches)
        raise PostNotFoundError(f"{name!r} names {len(matches)} posts: {ids}",
                                hint="name the post by its full slug")
    return matches[0]


def _refuse_unread(posts: list[Post], wanted: str, short: str) -> None:
    """A post file in a markup newsletter does not read (Org, AsciiDoc, ...), named: said so,
    rather than "no post named" and another post's name to try."""
    layout = next((post.site for post in posts if post.site is not None), None)
    for path in layout.unread() if layout is not None else ():
        # an Eleventy leprose.11ty.js goes by leprose too
        if short in (*file_names(path), path.name.partition(".")[0]) or _names_file(wanted, path):
            markup = UNREAD_MARKUPS.get(path.suffix.lower(), path.suffix)
            where = path.relative_to(layout.root).as_posix() \
                if layout.root in path.parents else str(path)
            raise PostNotFoundError(
                f"written in {markup}, which newsletter does not read", where=where,
                hint="newsletter sends posts written in Markdown: write the post in a .md file")


def _link_stem(post: Post) -> str | None:
    """The name the post's generator links its file by, where it is not the file's own: Hugo's
    ``x.en.md`` in the default language is ``x``."""
    stem = post.site.generator.link_stem(post.path) if post.site is not None else None
    return stem if stem not in (None, post.path.stem, "index", "_index") else None


def file_names(path: Path) -> set[str]:
    """The names a post file goes by: ``x`` and ``x.md`` for x.md, the folder for x/index.md,
    and without a leading date (Gatsby's ``2026-12-02---x/``, Jekyll's ``2026-12-02-x.md``)."""
    short = path.parent.name if path.stem == "index" else path.stem
    names = {short, _DATED_NAME.sub("", short)}
    if path.stem != "index":
        names.add(path.name)
    return names


def _names_file(wanted: str, path: Path) -> bool:
    """``wanted`` is one of the file's names, its path, or the end of its path."""
    parts = Path(wanted).parts
    return (wanted in file_names(path) or wanted == str(path)
            or len(parts) > 1 and path.parts[-len(parts):] == parts)


def error_file_name(error: ContentError) -> str | None:
    """The short name of the post file an error is about (``x`` for x.md or x/index.md)."""
    path = _error_path(error)
    if path is None:
        return None
    return path.parent.name if path.stem == "index" else path.stem


def _error_path(error: ContentError) -> Path | None:
    return Path(re.sub(r":\d+$", "", error.where)) if error.where else None
