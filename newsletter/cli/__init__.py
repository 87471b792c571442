"""The `newsletter` command: a click group over the library.

Each command lives in a small module beside this one (``posts``, ``preview``, ``send``, ...),
imported only when that command runs (:mod:`newsletter.cli.lazy_group`), parses its options,
calls one library function and prints. This module holds the root group,
the :class:`Site` handed to every command, and the one boundary that turns a
:class:`~newsletter.errors.NewsletterError` (or a full disk, a read-only folder:
:mod:`newsletter.cli.disk`) into a one-line message and an exit code.

Heavy libraries (premailer, markdown, requests) are imported inside command functions so that
``newsletter --help`` starts fast.
"""

from __future__ import annotations

import os
import sys
from functools import cached_property
from pathlib import Path

import click

from newsletter.cli.lazy_group import LazyGroup
from newsletter.errors import NewsletterError

SUPPORTED_PLATFORMS = ("linux", "darwin")
# Every command: its module, imported only when it runs, and the first sentence of its help,
# which `newsletter --help` lists (tests/test_cli_lazy.py keeps them the commands' own).
COMMANDS = {
    "init": ("newsletter.cli.init",
             "Make the blog's folder a site: settings, templates, a list."),
    "subscribers": ("newsletter.cli.subscribers",
                    "Read and change the subscriber list (subscribers/*.csv)."),
    "posts": ("newsletter.cli.posts",
              "List the posts, each with its status (ready, sent, draft...)."),
    "preview": ("newsletter.cli.preview",
                "Show each post's email as readers will see it."),
    "check": ("newsletter.cli.check",
              "Check the settings and posts as send would, before it does."),
    "send": ("newsletter.cli.send",
             "Send POST to every active subscriber who has not had it yet."),
    "status": ("newsletter.cli.status",
               "Show how far each post's sending got, or one POST's funnel."),
    "reconcile": ("newsletter.cli.reconcile",
                  "Ask the provider what became of the readers in doubt."),
    "serve": ("newsletter.cli.serve",
              "Serve one-click unsubscribes, sign-ups and provider webhooks."),
    "form": ("newsletter.cli.form",
             "Print the sign-up form's HTML, for a blog template."),
    "welcome": ("newsletter.cli.welcome",
                "Run the welcome series: the best posts, for new readers."),
    "store": ("newsletter.cli.store",
              "Set up and upgrade where the site keeps its state."),
}


class Site:
    """The site folder a command works on; settings are read on first use."""

    def __init__(self, root: Path):
        self.root = root

    @cached_property
    def settings(self):
        from newsletter.config import load_settings

        return load_settings(self.root, os.environ)


pass_site = click.make_pass_decorator(Site)


class NewsletterGroup(LazyGroup):
    """A click group whose commands report expected failures as one line."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except NewsletterError as error:
            from newsletter.config import SETTINGS_FILE, read_secrets, with_setting_line

            if isinstance(ctx.obj, Site):  # a refusal of a setting names its line
                error = with_setting_line(error, ctx.obj.root / SETTINGS_FILE)

            # The last line of defence: whatever an error quotes, no secret reaches the screen.
            click.echo(f"error: {read_secrets(os.environ).redact(str(error))}", err=True)
            ctx.exit(error.exit_code)
        except Exception as error:  # a full disk, a read-only folder: OSError or SQLite's own
            if not isinstance(error, OSError) and type(error).__module__ != "sqlite3":
                raise  # (sqlite3 is not imported for --help)
            from newsletter.cli.disk import disk_problem

            line = disk_problem(error, ctx.obj.root if isinstance(ctx.obj, Site) else Path("."))
            if line is None:
                raise
            click.echo(line, err=True)
            ctx.exit(2)


FIRST_HOUR = """\b
A blog's first hour (docs/start.md):
  newsletter init                             make the blog's folder a site
  newsletter subscribers import members.csv   your list (or an export)
  newsletter preview --serve                  each post as readers see it
  newsletter send hello --to you@example.org  a [TEST] copy to yourself
  newsletter send hello                       to every reader, once each
  newsletter send --due                       from cron: each post when due
Each command's --help says more."""


@click.group(cls=NewsletterGroup, lazy_commands=COMMANDS, epilog=FIRST_HOUR,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--site",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The site folder (holding newsletter.toml).",
)
@click.version_option(package_name="newsletter")
@click.pass_context
def main(ctx: click.Context, site: Path) -> None:
    """Publish a static blog's Markdown posts as email newsletters."""
    if not sys.platform.startswith(SUPPORTED_PLATFORMS):
        # The send's helper process, its pipe and its lock rely on POSIX.
        click.echo(f"error: newsletter runs on Linux and macOS, not on {sys.platform}; "
                   "on Windows, use WSL", err=True)
        ctx.exit(2)
    ctx.obj = Site(site)
    ctx.call_on_close(_close_databases)


def _close_databases() -> None:
    """Leave no connection to the PostgreSQL store open once a command ends."""
    postgres = sys.modules.get("newsletter.state.postgres")  # never loaded: nothing to close
    if postgres is not None:
        postgres.close_all()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
