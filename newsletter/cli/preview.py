"""`newsletter preview`: write a post's email as files to look at before sending, or serve it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from newsletter.cli import pass_site
from newsletter.cli.stopping import serve_until_stopped
from newsletter.cli.echo import echo_findings


@click.command()
@click.argument("post", required=False)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the preview files (default: preview/ in the site).")
@click.option("--serve", is_flag=True,
              help="Serve the preview pages instead, re-rendered from the files on every reload.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port for --serve (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address for --serve; any other than loopback shows your drafts to the network.")
@click.option("--open", "open_browser", is_flag=True, help="With --serve: open the page in a browser.")
@pass_site
def preview(site, post: str | None, out: Path | None, serve: bool, port: int, host: str,
            open_browser: bool) -> None:
    """Show each post's email as readers will see it.

    Write email.html, email.txt and message.eml for POST, or for the posts send --due could
    send (ready or scheduled, from [schedule] since, not sent yet; when there is none, the
    newest ready post).

    POST is a slug, the slug's last segment, a file name or a path; naming a draft or a page
    previews it too. Files go to <out>/<post>/, for a sample reader (reader@example.org), with a
    page per post (<out>/<post>/index.html) and an index (<out>/index.html) to open in a browser.

    With --serve, the same pages are served on http://127.0.0.1:8000/ and rendered afresh on
    every reload, so edits to posts and templates show at once.
    """
    if serve:
        _serve(site, post, host, port, open_browser)
        return
    from newsletter.errors import ContentError, InputError
    from newsletter.posts import find_post, load_posts
    from newsletter.preview import posts_to_preview, write_pages, write_preview

    settings = site.settings
    found, errors = load_posts(settings)
    if post:
        chosen = [find_post(found, post, errors)]  # a broken post named: its own error
        errors = []  # other posts' problems do not matter for this one
    else:
        chosen, newest = posts_to_preview(settings, found, dt.datetime.now(dt.timezone.utc))
        if newest:
            click.echo(f"send --due would send no post; previewing the newest "
                       f"post, {chosen[0].name}. Name another: newsletter preview POST", err=True)
        elif not found and not errors:
            from newsletter.cli.posts import no_posts_note

            click.echo(no_posts_note(settings))
        elif not chosen and not errors:
            click.echo("no ready or scheduled posts to preview; name one: newsletter preview POST")
    out_dir = out if out is not None else settings.root / "preview"
    now = dt.datetime.now(dt.timezone.utc)
    written = []
    try:
        for item in chosen:
            try:
                result = write_preview(settings, item, out_dir, now)
            except ContentError as error:
                errors.append(error)
                continue
            written.append(result)
            echo_findings(result.findings)
            for path in result.paths:
                click.echo(str(path))
        for path in write_pages(settings, written, out_dir, now):
            click.echo(str(path))
    except OSError as exc:  # a folder that cannot be made, a read-only or full disk
        import errno

        full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
        raise InputError(f"the preview cannot be written there ({exc.strerror})",
                         where=str(exc.filename or out_dir),
                         hint="free some space there, or name a folder on another disk with "
                              "--out; every file it wrote is whole" if full else
                              "name a folder that may be written with --out") from None
    _echo_errors(errors)
    if errors:
        click.get_current_context().exit(2)


def _serve(site, post: str | None, host: str, port: int, open_browser: bool) -> None:
    import os
    import webbrowser
    from urllib.parse import quote

    from newsletter.preview import create_server, is_loopback, server_url

    if not is_loopback(host):
        click.echo(f"warning: --host {host} lets anyone who can reach this machine read the "
                   "preview, drafts included", err=True)
    server = create_server(site.root, os.environ, host, port)
    url = server_url(server, host, port) + (quote(post.strip("/")) if post else "")
    click.echo(f"Previewing {site.root.resolve()} at {url} (Ctrl+C to stop)")
    if open_browser:
        webbrowser.open(url)
    serve_until_stopped(server)


def _echo_errors(errors) -> None:
    for error in errors:
        click.echo(f"error: {error}", err=True)


COMMANDS = [preview]
