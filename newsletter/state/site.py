"""`newsletter store migrate`: bring every kind of a site's state to this version's schema."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

from newsletter.records import record
from newsletter.state import owner, postgres, sqlite
from newsletter.state.ledger_file import refuse_lost
from newsletter.state.ledger_schema import LEDGER
from newsletter.state.postgres import IN_POSTGRESQL
from newsletter.state.tables import JOURNAL, SEND_LOG, SIGNUPS, WEBHOOK_TOKENS, WELCOME

# Every kind that holds the truth; the roster is a cache, rebuilt whole when it is not current.
# The delivery events' file is made by the first event `serve` records (`status` reads none).
DURABLE = (LEDGER, JOURNAL, SIGNUPS, WEBHOOK_TOKENS, SEND_LOG, WELCOME)


@record(frozen=True)
class Migrated:
    """One kind of state: where it lives and the migrations this run applied to it."""

    where: str
    applied: tuple[str, ...]
    total: int  # migrations its schema has


def migrate_site(settings) -> list[Migrated]:
    """Migrate the site's store, whichever it is."""
    url = settings.store_url
    return migrate_postgresql(url, settings.site.url) if url else \
        migrate_files(settings.state_dir)


def migrate_postgresql(url: str, site: str, record_site: bool = True) -> list[Migrated]:
    """Make or migrate every table in the database; StoreError, before any change, when a
    newer newsletter made one or it holds another ``site``'s state. With ``record_site``,
    the store is recorded as ``site``'s if it was no site's yet (`store copy` does it itself,
    only in an empty store)."""
    with postgres.opened(url) as db:
        postgres.refuse_newer(postgres.recorded(db))
        owner.check(db, site, record_it=False)
        report = [Migrated(f"{postgres.WHERE} ({schema.kind})",
                           tuple(postgres.migrate(db, schema)), len(schema.migrations))
                  for schema in IN_POSTGRESQL]
        owner.check(db, site, record_it=record_site)
        return report


def migrate_files(state_dir: Path) -> list[Migrated]:
    """Make or migrate every SQLite file of the site; StoreError (before any change) when one
    was made by a newer newsletter."""
    refuse_lost(state_dir / LEDGER.file)  # an empty ledger would send everything again
    for schema in DURABLE:  # refuse before changing anything
        path = state_dir / schema.file
        if path.exists():
            with closing(sqlite.connect(path)) as db:
                schema.missing(sqlite.applied(db), str(path))
    report = []
    for schema in DURABLE:
        path = state_dir / schema.file
        with closing(sqlite.connect(path)) as db:
            applied = sqlite.migrate(db, schema, str(path))
        report.append(Migrated(str(path), tuple(applied), len(schema.migrations)))
    return report
