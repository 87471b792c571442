"""`subscribers import`: merge the readers of another CSV file into the list.

The file is read whole and checked before anything changes: its format is recognised by its
header (:mod:`newsletter.subscribers.formats`: Ghost, Substack, Buttondown, Mailchimp, listmonk,
Kit, beehiiv, MailPoet, the Newsletter plugin, Sendy, or our own columns), a file of no known
format with a column that looks like a status is refused until ``--status-column`` says how to
read it, and a file with an unclosed quote is refused. Then one locked transaction merges it:
readers who left there leave here too (and the journal records it, for a send running now),
new readers are added with their status. On the PostgreSQL store one database transaction
merges it, by the same rules
(:mod:`newsletter.subscribers.postgres_import`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import field
from difflib import get_close_matches
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from newsletter.addresses import bare_address, normalise_address
from newsletter.errors import SubscriberError
from newsletter.records import record
from newsletter.subscribers.csv_encoding import check_is_file, export_encoding
from newsletter.subscribers.csv_format import Record, read_csv
from newsletter.subscribers.edits import index_copies, leave, merge_reader
from newsletter.subscribers.import_cells import has_spreadsheet_mark, unguard, unwrap_address
from newsletter.subscribers.import_checks import (
    check_our_status,
    one_column_each,
    our_status_reader,
)
from newsletter.subscribers.import_stage import ImportStage
from newsletter.subscribers.misplaced import out_of_place, past_header
from newsletter.subscribers.postgres_import import import_into_database
from newsletter.subscribers.postgres_store import PostgresStore
from newsletter.subscribers.export_cells import NAME_PARTS, UnknownStatus, name_in_parts
from newsletter.subscribers.formats import (
    ALIASES,
    FORMAT_NAMES,
    FORMATS,
    ExportFormat,
    missing_column,
    recognise,
    status_in_name,
)
from newsletter.subscribers.rows import (
    LEFT,
    PlainRows,
    Subscriber,
    light,
    nul_problem,
    row_of,
)

if TYPE_CHECKING:
    from newsletter.subscribers.store import SubscriberStore

OURS = "newsletter"
SHOWN = 1000  # invalid rows an import names; the rest are counted
OUR_TITLE = "newsletter subscriber file"


@record
class ImportSummary:
    """What `import_file` did, reader by reader."""

    source: str = OUR_TITLE  # the format the file was read as
    arrived: Counter = field(default_factory=Counter)  # valid rows of the file, by status
    added: int = 0
    updated: int = 0  # status, name or tags changed
    unchanged: int = 0  # already listed as the file says
    repeated: int = 0  # rows repeating a reader met earlier in the file (merged into it)
    skipped: int = 0  # unsubscribed, bounced or complained here, active in the file
    misplaced: int = 0  # active in the file, listed here in a row whose status is out of place
    problems: list[SubscriberError] = field(default_factory=list)  # the first invalid rows
    invalid: int = 0  # rows not imported because they are not valid
    by_name: int = 0  # rows whose status the file's name gave (no status column said it)
    name_status: str = ""  # that status


@record(frozen=True)
class ImportOptions:
    """How to read the file: its format (None: recognise it), and for a file of no known
    format, the column that holds the status and the values of it that mean active."""

    source: str | None = None
    status_column: str | None = None
    active_values: frozenset[str] = frozenset()


def import_file(store: SubscriberStore | PostgresStore, path: Path, resubscribe: bool = False,
                options: ImportOptions = ImportOptions(),
                adding: Callable[[list[str]], None] | None = None) -> ImportSummary:
    """Merge the readers of another CSV into the list (see ImportSummary for the outcomes).

    New readers go to subscribers.csv with their status. A reader listed here as
    unsubscribed, bounced or complained stays so unless ``resubscribe``; one the file marks
    as left becomes so here (recorded in the journal too); one the file marks as unconfirmed keeps
    the status listed here. Names fill empty names; tags are added. ``adding`` is given the
    keys of the new active readers, a chunk at a time, before any of them is on the list.
    """
    path = Path(path)
    check_is_file(path)
    summary = ImportSummary()
    if isinstance(store, PostgresStore):  # staged and merged in one transaction there
        import_into_database(store, _valid(path, options, summary), f"import of {path.name}",
                             resubscribe, summary, adding)
        return summary
    stage = ImportStage(store.state_dir)  # the file's readers, on disk until the merge
    try:
        summary.repeated = stage.add(_valid(path, options, summary))
        with store.transaction() as files:
            index = index_copies(files, stage)
            for key, copies in index.items():
                reader = stage.get(key)
                if reader.status in LEFT:
                    changed = leave(files, copies, reader, f"import of {path.name}")
                    summary.updated += changed
                    summary.unchanged += not changed
                else:
                    outcome = merge_reader(copies, reader, resubscribe)
                    setattr(summary, outcome, getattr(summary, outcome) + 1)
            if stage.count > len(index):
                listed = set(index)
                for keys in stage.new_keys(listed) if adding else ():
                    adding(keys)
                files.default.append_all(_counted(stage.new_rows(skip=listed), summary),
                                         columns=stage.columns)
    finally:
        stage.close()
    return summary


def _valid(path: Path, options: ImportOptions, summary: ImportSummary) -> Iterator[Subscriber]:
    """The file's valid readers; its problems go to ``summary``."""
    label = str(path)
    for item in _read(path, options, summary):
        if not isinstance(item, SubscriberError):
            item = nul_problem(item, label) or item
        if isinstance(item, SubscriberError):
            summary.invalid += 1  # the first SHOWN kept to be shown: a file may hold millions
            if len(summary.problems) < SHOWN:
                summary.problems.append(light(item))
            continue
        summary.arrived[item.status] += 1
        yield item


def _counted(rows: Iterable[dict[str, str]], summary: ImportSummary) -> Iterator[dict[str, str]]:
    for row in rows:
        summary.added += 1
        yield row


def _read(path: Path, options: ImportOptions,
          summary: ImportSummary) -> Iterator[Subscriber | SubscriberError]:
    """Every row of the file as a Subscriber or a problem; SubscriberError for the whole file
    when it cannot be imported as it is."""
    label = str(path)
    layout, records = read_csv(path, label, keep_text=False,
                               encoding=export_encoding(path, label))
    first = next(records, None)
    if first is None and layout.header is None:  # a download or an export that went wrong
        raise SubscriberError("the file is empty (no header, no rows): nothing was imported",
                              where=label, hint="export the list again")
    records = chain([first] if first is not None else [], records)
    header = [cell.strip().lstrip("\ufeff").lower() for cell in layout.header or []]
    named = (options.source or "").strip().lower()  # "MailChimp", as the brand writes it
    source = ALIASES.get(named, named)
    if source and source not in FORMATS and source != OURS:
        close = get_close_matches(named, FORMAT_NAMES, n=1)
        raise SubscriberError(f"no export format named {options.source!r}",
                              hint=(f"did you mean {close[0]}? " if close else "")
                              + f"--from takes {', '.join(FORMAT_NAMES)}")
    format_ = FORMATS.get(source) if source else (recognise(frozenset(header))
                                                  if not options.status_column else None)
    if format_ is not None:
        lacking = missing_column(format_, frozenset(header))
        if lacking:
            raise SubscriberError(f"no {lacking} column, so this is not a {format_.title}",
                                  where=label, hint="check the file, or drop --from")
        summary.source = format_.title
        yield from _read_export(path, label, header, records, format_)
        return
    one_column_each(label, layout)
    read_status = our_status_reader(label, layout, header, options.status_column,
                                    options.active_values)
    named = status_in_name(path.name) if read_status is None else None
    plain = PlainRows(path, layout) if read_status is None and named is None else None
    email_at, status_at = layout.position("email"), layout.position("status")
    in_parts = "name" not in header and not set(chain(*NAME_PARTS)).isdisjoint(header)
    for record in _whole(records, label):
        if plain is not None:  # a plain active row needs no Row (as a send reads the list)
            cells = record.cells
            email = cells[email_at].strip() if email_at < len(cells) else ""
            status = (cells[status_at].strip().lower()
                      if status_at is not None and status_at < len(cells) else "")
            # An empty status, and a cell that may say they left (misplaced.might_say_left,
            # inline): the Row reads it.
            if (status or "ed" not in "\0".join(cells).lower() or not out_of_place(
                    layout, cells)) and not has_spreadsheet_mark(cells) and (
                    subscriber := plain.subscriber(record, email, status)) is not None:
                yield subscriber
                continue
        row = row_of(path, label, layout, record)
        unguard(row.values)
        unwrap_address(row.values)
        if in_parts:  # "First Name", "Last Name": one name here
            row.values["name"] = name_in_parts(dict(zip(header, row_cells(record))))
        if read_status is not None or named is not None:  # the status is not ours to find
            row.spilled = past_header(layout, record.cells)
        if read_status is not None:
            status_column, read = read_status
            row.values.pop(status_column, None)  # read into our status, not kept as a column
            row.values["status"] = read(dict(zip(header, row_cells(record))))
        else:
            if named is not None and not row.values.get("status"):
                row.values["status"] = named  # "list-unsubscribed.csv": nobody in it is active
                summary.by_name, summary.name_status = summary.by_name + 1, named.value
            check_our_status(row, layout)
        try:
            yield row.to_subscriber()
        except SubscriberError as error:
            yield error


def row_cells(record: Record) -> list[str]:
    return [cell.strip() for cell in record.cells]


def _read_export(path: Path, label: str, header: list[str], records: Iterable[Record],
                 format_: ExportFormat) -> Iterator[Subscriber | SubscriberError]:
    blank = dict.fromkeys(header, "")
    for record in _whole(records, label):
        # A row cut short (a download stopped mid-row) has every column, empty past its end.
        cells = row_cells(record)
        values = dict(zip(header, cells)) if len(cells) >= len(header) else \
            blank | dict(zip(header, cells))
        if has_spreadsheet_mark(cells):  # MailPoet guards '-Bo as our export does
            unguard(values)
        where = f"{label}:{record.line}"
        try:
            reading = format_.read(values, path.name)
            email, shown = bare_address(reading.email)
            address = normalise_address(email)
        except UnknownStatus as unknown:
            yield SubscriberError(f"{unknown} is not a {format_.name} status newsletter knows",
                                  where=where, hint="the row is not imported (docs/imports.md "
                                                    "in newsletter's repository lists the "
                                                    "values each export uses)")
            continue
        except SubscriberError as error:
            yield SubscriberError(error.message, where=where, hint="the row is not imported")
            continue
        yield Subscriber(email=email, address=address, name=reading.name or shown,
                         status=reading.status, tags=reading.tags,
                         subscribed_at=reading.subscribed_at, source=path, line=record.line)


def _whole(records: Iterable[Record], label: str) -> Iterator[Record]:
    """The records; an unclosed quote refuses the whole file (nothing imported). None is
    blank: records read without their text never are (csv_records.split_records leaves them
    out), so none is asked (0.3 µs a row)."""
    for record in records:
        if record.problem:
            error = record.error(label)
            raise SubscriberError(error.message, where=error.where,
                                  hint="close the quote and import again; nothing was imported")
        yield record
