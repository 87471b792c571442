"""`newsletter subscribers ...`: list, count, add, remove, import, export and check the list."""

from __future__ import annotations

import codecs
import io
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from newsletter.cli import pass_site
from newsletter.cli.tags import NOT_UTF8, one_tag_each, undecodable

STATUSES = ("active", "unsubscribed", "bounced", "complained", "unconfirmed")
FOLD_WAIT = 5.0  # seconds a command that only reads waits to fold the journal first
status_option = click.option("--status", type=click.Choice(STATUSES),
                             help="Only readers with this status.")


def _store(site):
    """The site's list, with the journal folded into the files first when the list is free
    (a command that only reads shows the same readers either way)."""
    from newsletter.errors import SubscriberError
    from newsletter.state import sqlite
    from newsletter.subscribers import fold_journal, open_store

    store = open_store(site.settings)
    if site.settings.store_url:
        return store  # PostgreSQL: suppressions are in the list at once, nothing to fold
    if store.journal.path.exists() and not sqlite.writable(store.journal.path):
        return store  # folding could not record itself: the files are left as they are
    try:
        fold_journal(store, lock_timeout=FOLD_WAIT)
    except (SubscriberError, OSError):
        pass  # busy, unreadable or read-only: the journal stays in effect for every read
    return store


def _warn_problems(problems) -> None:
    if problems:
        click.echo(f"warning: {len(problems)} row(s) with problems are skipped; "
                   "see `newsletter subscribers check`", err=True)


@click.group()
def subscribers() -> None:
    """Read and change the subscriber list (subscribers/*.csv)."""


@subscribers.command("list")
@status_option
@click.option("--tag", "tags", multiple=True, callback=one_tag_each, metavar="TAG",
              help="Only readers with this tag (repeat: any of them), as send --tag picks them.")
@pass_site
def list_(site, status: str | None, tags: tuple[str, ...]) -> None:
    """List readers (once each): address, name, status, tags, tab-separated."""
    from newsletter.posts import printable  # a line break or a terminal escape, written out

    wanted = frozenset(tag.lower() for tag in tags)
    problems: list = []
    for reader in _store(site).each_reader(problems):  # one at a time: a list of millions
        if (status is None or reader.status == status) and (not tags or reader.tagged(wanted)):
            click.echo("\t".join(printable(cell) for cell in (
                reader.address, reader.name, reader.status, ",".join(reader.tags))))
    _warn_problems(problems)


@subscribers.command()
@pass_site
def count(site) -> None:
    """Count readers by status."""
    problems: list = []
    counts = Counter(reader.status.value for reader in _store(site).each_reader(problems))
    for status in STATUSES:
        click.echo(f"{status:<13}{counts[status]:>8}")
    click.echo(f"{'total':<13}{counts.total():>8}")
    if problems:
        click.echo(f"{'invalid rows':<13}{len(problems):>8}")


@subscribers.command()
@click.argument("email")
@click.option("--name", default="", help="The reader's name.")
@click.option("--tag", "tags", multiple=True, callback=one_tag_each,
              help="A tag (repeat for several).")
@click.option("--resubscribe", is_flag=True,
              help="Make an unsubscribed, bounced or complained reader active again.")
@pass_site
def add(site, email: str, name: str, tags: tuple[str, ...], resubscribe: bool) -> None:
    """Add a reader to subscribers/subscribers.csv; EMAIL may be written as a mail client
    writes it, "Ann <ann@example.org>" (the name then is the reader's, unless --name says)."""
    from newsletter.addresses import bare_address, normalise_address
    from newsletter.errors import SubscriberError
    from newsletter.subscribers import ACTIVE_AGAIN, ADDED, UPDATED

    written, named = bare_address(email)
    address, name = normalise_address(written), name or named
    if undecodable(name):  # (the address is refused as no address; a tag by its option)
        raise SubscriberError(f"the name {NOT_UTF8}", hint="give it again in UTF-8")
    for option, value in (("--name", name), *(("--tag", tag) for tag in tags)):
        if any(ord(char) < 32 or ord(char) == 127 for char in value):
            raise SubscriberError(f"{option} {value!r} holds a line break or control character",
                                  hint="give it on one line")
    changed = _store(site).add(address, name=name, tags=tags, resubscribe=resubscribe)
    click.echo({ADDED: f"added {address}", ACTIVE_AGAIN: f"{address} is active again",
                UPDATED: f"{address} is already subscribed; name or tags added"}.get(
                    changed, f"{address} is already subscribed"))


@subscribers.command()
@click.argument("email")
@click.option("--unlisted", is_flag=True,
              help="Record EMAIL as unsubscribed even when it is a typo away from a reader "
                   "on the list (refused otherwise, with the near address).")
@pass_site
def remove(site, email: str, unlisted: bool) -> None:
    """Unsubscribe a reader (their row stays, so they are never imported again); an address
    not on the list is recorded as unsubscribed, so no import adds it, unless it is a typo
    away from a listed reader's. EMAIL may be written as a mail client writes it
    ("Ann <ann@example.org>", mailto:), as add takes it.

    \b
      newsletter subscribers remove ann@example.org
      newsletter subscribers remove jon@example.org --unlisted   # not john@, who is listed
    """
    from newsletter.addresses import bare_address, normalise_address
    from newsletter.errors import SubscriberError
    from newsletter.subscribers import Status, near_readers

    address = normalise_address(bare_address(email)[0])
    store = _store(site)
    listed = store.is_listed(address)
    if not listed and not unlisted and (near := near_readers(store, address)):
        raise SubscriberError(
            f"{address} is not on the list; did you mean {' or '.join(near)}? nothing changed",
            hint=f"remove the reader by their address as listed, or give --unlisted to record "
                 f"{address} itself as never to be mailed")
    if store.set_status(address, Status.UNSUBSCRIBED, reason="subscribers remove"):
        click.echo(f"unsubscribed {address}" if listed else
                   f"{address} is not on the list; recorded as unsubscribed "
                   "(never imported or mailed)")
    else:
        click.echo(f"{address} had already left the list (unsubscribed, bounced or "
                   "complained); nothing changed")



@subscribers.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--from", "source", metavar="SERVICE",
              help="Read FILE as this service's export: ghost, substack, buttondown, "
                   "mailchimp, listmonk, kit, beehiiv, mailpoet, newsletter-plugin or sendy "
                   "(or newsletter, our own columns). Default: recognised by its header.")
@click.option("--status-column", metavar="NAME",
              help="For a file of no known format: the column that says who may be mailed.")
@click.option("--active-values", metavar="A,B",
              help="With --status-column: the values that mean active (others never are); "
                   "'' for a column of leaving dates (an empty cell is active).")
@click.option("--resubscribe", is_flag=True,
              help="Make readers who unsubscribed, bounced or complained active again "
                   "if FILE lists them as active.")
@click.option("--welcome", is_flag=True,
              help="Give the readers it adds the welcome series, as if they had just signed "
                   "up (by default they are not new readers: they do not get it).")
@pass_site
def import_(site, file: Path, source: str | None, status_column: str | None,
            active_values: str | None, resubscribe: bool, welcome: bool) -> None:
    """Merge the readers of another CSV into the list: our own columns, or the export of
    Ghost, Substack, Buttondown, Mailchimp, listmonk, Kit, beehiiv, MailPoet, the WordPress
    plugin Newsletter or Sendy (recognised by its header). Readers who left there never
    become active here."""
    import time

    from newsletter.sending import fewer_collections, import_arrivals
    from newsletter.subscribers import ImportOptions, import_file

    values = frozenset(value.strip().lower() for value in (active_values or "").split(",")
                       if value.strip())
    if active_values is not None and not active_values.strip():
        values = frozenset({""})  # a column of unsubscribe dates: empty is still subscribed
    if bool(status_column) != bool(values):
        raise click.UsageError("--status-column and --active-values go together")
    options = ImportOptions(source, status_column, values)
    try:
        with import_arrivals(site.settings, welcome, int(time.time())) as adding, \
                fewer_collections():  # millions of short-lived rows, hardly a cycle among them
            summary = import_file(_store(site), file, resubscribe=resubscribe, options=options,
                                  adding=adding)
    except KeyboardInterrupt:  # before the save: once it begins, it finishes (SavedWhole)
        click.echo("\nerror: stopped (Ctrl-C): nothing was imported; the list is unchanged",
                   err=True)
        click.get_current_context().exit(1)
    if summary.invalid and not summary.arrived:  # not a list of readers, as it was read
        first = summary.problems[0]
        click.echo(f"error: {file}: none of its {summary.invalid} row(s) is a reader to import "
                   f"(line {first.where.rpartition(':')[2]}: {first.message}); nothing was "
                   "imported", err=True)
        click.get_current_context().exit(2)
    for problem in summary.problems:
        click.echo(f"not imported: {problem.where}: {problem.message}", err=True)
    if summary.invalid > len(summary.problems):
        click.echo(f"not imported: {summary.invalid - len(summary.problems)} more invalid "
                   "row(s)", err=True)
    arrived = ", ".join(f"{status} {summary.arrived[status]}" for status in STATUSES
                        if summary.arrived[status])
    click.echo(f"{file.name}: {summary.source}, {sum(summary.arrived.values())} reader(s)"
               f"{': ' + arrived if arrived else ''}")
    click.echo(f"added {summary.added}, updated {summary.updated}, "
               f"unchanged {summary.unchanged}, skipped {summary.skipped + summary.misplaced}, "
               f"invalid {summary.invalid}")
    if summary.repeated:
        click.echo(f"{summary.repeated} row(s) repeat a reader listed above them in the file "
                   "(one reader, every row's tags; a leaver's status wins)")
    if summary.by_name:  # why they left, which no column of the file says
        click.echo(f"{summary.by_name} reader(s) taken as {summary.name_status}: the file's "
                   "name says so (no column does); if they are readers, not leavers, rename "
                   "the file before importing it")
    if summary.misplaced:
        click.echo(f"{summary.misplaced} reader(s) left as they are: their row here has its "
                   "status out of place; fix it first (`newsletter subscribers check`)")
    if summary.skipped and not resubscribe:
        click.echo(f"{summary.skipped} reader(s) unsubscribed, bounced or complained here and "
                   "were left so; --resubscribe only with their consent")


@contextmanager
def utf8_stdout() -> Iterator[io.TextIOBase]:
    """Standard output in UTF-8, whatever the locale or PYTHONIOENCODING say: a CSV is read so."""
    out = sys.stdout
    if codecs.lookup(out.encoding or "ascii").name == "utf-8" or not hasattr(out, "buffer"):
        yield out
        return
    out.flush()
    stream = io.TextIOWrapper(out.buffer, encoding="utf-8", newline="")
    try:
        yield stream
    finally:
        stream.flush()
        stream.detach()


@subscribers.command()
@status_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@pass_site
def export(site, status: str | None, out: Path | None) -> None:
    """Write the list as one CSV (one row per reader, normalised addresses)."""
    from newsletter.errors import SubscriberError
    from newsletter.subscribers import export_file, export_readers

    store = _store(site)
    problems: list[SubscriberError] = []
    if out is None:
        with utf8_stdout() as stream:
            export_readers(store, stream, status, problems)
        _warn_problems(problems)
        return
    if out.resolve().parent == site.settings.subscribers_dir.resolve():  # it would empty a file
        raise SubscriberError("the export would land among the subscriber files, read as the "
                              "list", where=str(out), hint="write it outside subscribers/")
    try:
        written = export_file(store, out, status, problems)
    except OSError as exc:
        if exc.filename not in (None, str(out)):
            raise
        raise SubscriberError(f"cannot be written ({exc.strerror})", where=str(out),
                              hint="check that its folder exists and may be written and that "
                                   "the disk has room; no file was changed") from None
    click.echo(f"wrote {written} reader(s) to {out}", err=True)
    _warn_problems(problems)


@subscribers.command()
@pass_site
def check(site) -> None:
    """Check every subscriber file; print each problem as file:line (exit 2 if any)."""
    store = _store(site)
    problems: list = []
    readers = sum(1 for _ in store.each_reader(problems))
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s) in {store.describe()}; "
                   "those rows are skipped for sending", err=True)
        click.get_current_context().exit(2)
    click.echo(f"{readers} reader(s) in {store.describe()}, no problems")


@subscribers.command()
@click.option("--unconfirmed-older-than", "older_than", required=True, metavar="DURATION",
              help="Remove readers who signed up this long ago and never confirmed "
                   "(e.g. 7d, 48h).")
@click.option("--dry-run", is_flag=True, help="List them, remove nothing.")
@pass_site
def prune(site, older_than: str, dry_run: bool) -> None:
    """Remove stale unconfirmed sign-ups (one line each; nothing printed when none)."""
    import datetime as dt

    from newsletter.config import parse_duration
    from newsletter.subscribers import prune_unconfirmed

    try:
        age = parse_duration(older_than)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--unconfirmed-older-than") from None
    cutoff = dt.datetime.now(dt.timezone.utc) - age
    report = prune_unconfirmed(_store(site), cutoff, dry_run=dry_run)
    for address in report.removed:
        click.echo(f"{'would remove' if dry_run else 'removed'} {address} "
                   f"(unconfirmed for more than {older_than})")
    if report.undated:
        click.echo(f"warning: {report.undated} unconfirmed row(s) have no readable "
                   "subscribed_at and were kept", err=True)


COMMANDS = [subscribers]

from newsletter.cli.sync import sync  # noqa: E402  (`subscribers sync`, in its own module)

subscribers.add_command(sync)
