"""Copying the PostgreSQL store back into a site's files (`newsletter store copy --to files`):
the way back from `store copy --to postgresql://...`.

Every table `store copy` moves comes back (the ledger above all: without it the files would
take every post as never sent, and `send --due` would mail it again). The files are made in a
folder of their own and moved into the state folder only once every table is in them and
counted: a copy that stopped leaves nothing a command reads, and the next run starts afresh.
"""

from __future__ import annotations

import shutil
from contextlib import ExitStack, closing
from pathlib import Path

from newsletter.errors import StoreError
from newsletter.state import sqlite
from newsletter.state.copying import CHUNK, TABLES, Copied, Table
from newsletter.state.ledger_file import MADE_FILE, note_made
from newsletter.state.ledger_schema import LEDGER

FOLDER = "copying-back"  # inside the state folder, until every table is in
SCHEMAS = tuple(dict.fromkeys(table.schema for table in TABLES))
FILES = tuple(schema.file for schema in SCHEMAS)


def refuse_own_state(state_dir: Path) -> None:
    """StoreError when the state folder holds state of its own (the files from before the move,
    say): the store's would be mixed into it, or it would be lost."""
    held = [name for name in (*FILES, MADE_FILE) if (state_dir / name).exists()]
    if held:
        raise StoreError(f"holds state of its own ({', '.join(held)})", where=str(state_dir),
                         hint="move those files aside (keep them until the copy is checked), "
                         "then copy again")


def copy_back(db, state_dir: Path) -> list[Copied]:
    """Copy every table of the store ``db`` into new SQLite files, made aside in
    ``state_dir`` (:func:`move_in` puts them in place); StoreError, before anything is
    written, when it holds state of its own."""
    refuse_own_state(state_dir)
    folder = state_dir / FOLDER
    shutil.rmtree(folder, ignore_errors=True)  # what a copy that stopped left
    with ExitStack() as files:
        kinds = {schema.file: files.enter_context(
                     closing(sqlite.open_kind(folder / schema.file, schema)))
                 for schema in SCHEMAS}
        return [_copy_back(table, db, kinds[table.schema.file], folder) for table in TABLES]


def move_in(state_dir: Path) -> None:
    """The files :func:`copy_back` made, into the state folder."""
    folder = state_dir / FOLDER
    for name in FILES:
        (folder / name).replace(state_dir / name)
    note_made(state_dir / LEDGER.file)
    shutil.rmtree(folder, ignore_errors=True)


def _copy_back(table: Table, db, target, folder: Path) -> Copied:
    names = ", ".join(table.columns)
    marks = ", ".join("?" * len(table.columns))
    with db.transaction(), db.cursor(name="copying_back") as rows:  # server-side: flat memory
        rows.execute(f"SELECT {names} FROM {table.target} ORDER BY 1")
        while chunk := rows.fetchmany(CHUNK):
            with sqlite.immediate(target):
                target.executemany(f"INSERT INTO {table.source} ({names}) VALUES ({marks})",
                                   chunk)
    here = target.execute(f"SELECT count(*) FROM {table.source}").fetchone()[0]
    there = db.execute(f"SELECT count(*) FROM {table.target}").fetchone()[0]
    if here != there:  # the store changed under the copy (a command ran): copy again
        raise StoreError(f"{table.schema.file} holds {here} rows of {table.source}, the store "
                         f"{there}", where=str(folder), hint="stop every command using the "
                         "store, then copy again")
    return Copied(table.target, there, here)
