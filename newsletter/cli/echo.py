"""Lines the commands print: more than one of them, or long enough to live apart."""

from __future__ import annotations

import click


def warn_skipped_rows(problems: list, shown: int = 5) -> None:
    """Invalid subscriber rows are never mailed: say so, never silently."""
    for problem in problems[:shown]:
        click.echo(f"warning: {problem}", err=True)
    if problems:
        more = f" ({len(problems) - shown} more not shown)" if len(problems) > shown else ""
        click.echo(f"warning: {len(problems)} subscriber row(s) skipped{more}; "
                   "`newsletter subscribers check` lists them", err=True)


def shown_title(post) -> str:
    """The post's title as its subject shows it: a title written in Markdown (``*Why* I
    left``, which So Simple and Minimal Mistakes print as emphasis) in words, no asterisks."""
    from newsletter.posts import MARKDOWN_SYNTAX

    if not MARKDOWN_SYNTAX.search(post.title):
        return post.title  # no need to load the Markdown renderer
    from newsletter.render import title_words

    return title_words(post)


def readers(count: int) -> str:
    """"1 reader", "2 readers"."""
    return counted(count, "reader")


def counted(count: int, noun: str) -> str:
    """"1 error", "2 errors"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def echo_findings(findings) -> None:
    """Preflight findings on stderr, one line each: ``severity: where: code: message; hint``."""
    for finding in findings:
        click.echo(str(finding), err=True)


def limit_line(settings, why: str, left: int | None, finish, then: str) -> str:
    """The one line a send stopped by a sending limit prints: why, what is left and when it
    will all have gone out (``finish``, None when no limit of ours says)."""
    left_words = "the other readers" if left is None else readers(left)
    when = (f", estimated to finish {finish.astimezone(settings.site.zone):%Y-%m-%d %H:%M %Z}"
            if finish is not None and left else "")
    return f"Limit reached: {why}; {left_words} left{when}; {then}."


def empty_list(store, tags: tuple[str, ...]) -> str:
    """Why nobody would get the post, and where the list was looked for."""
    from newsletter.sending import count_active
    from newsletter.subscribers import SubscriberStore

    on_files = isinstance(store, SubscriberStore)
    where = store.directory if on_files else store.describe()
    if tags and (everyone := count_active(store)):
        return (f"error: no active subscriber is tagged {', '.join(tags)} in {where} "
                f"({readers(everyone)} active in all); nothing sent. Tag readers "
                "(newsletter subscribers add EMAIL --tag TAG) or send without --tag.")
    files = store.files() if on_files else []
    if not on_files:
        found = f"no active subscriber in {where}"
    elif not files:
        found = f"no subscriber file in {where} (newsletter reads {where / '*.csv'})"
    else:
        names = ", ".join(path.name for path in files[:3]) + (", ..." if len(files) > 3 else "")
        found = f"no active subscriber in {where} ({names})"
    return (f"error: the list is empty: {found}; nothing sent. Add readers with `newsletter "
            "subscribers add EMAIL` or `newsletter subscribers import FILE`.")


def note_unfinished(unfinished: dict[str, int]) -> None:
    """On a read-only site: the runs that died, which a command there cannot put in doubt
    (sending/unfinished.py), and where to finish them."""
    for post_id, count in unfinished.items():
        click.echo(f"note: a run of {post_id} ended without finishing ({count} message(s) on "
                   "their way, shown in doubt); .newsletter/ cannot be written here: run "
                   "`newsletter status` where it can be to finish it", err=True)
