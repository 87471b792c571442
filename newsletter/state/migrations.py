"""The one migrations mechanism, for every table of either store.

Each kind of state (the ledger, the suppression journal, the roster, the sign-ups, the webhook
tokens) has a :class:`Schema`: its migrations, append only, each applied once, in order, and
recorded by name in a ``migrations`` table. A migration holds what it does on each store, side
by side, so the two cannot drift: SQLite's steps (a file per kind, kept for the history of
files made by earlier versions) and PostgreSQL's (one database; a step may be None where the
shape PostgreSQL got at first already has it). A store that records a migration this version
does not know was made by a newer newsletter: every command refuses it (:func:`too_new`).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Union

from newsletter.errors import StoreError
from newsletter.records import record

# A step: statements run in order, or a function given the open connection (in a transaction).
Step = Union[tuple[str, ...], Callable[[Any], None], None]


@record(frozen=True)
class Migration:
    name: str
    sqlite: Step
    postgresql: Step = None


@record(frozen=True)
class Schema:
    """The tables of one kind of state."""

    kind: str  # ledger | journal | roster | signups | webhook_tokens
    file: str  # its SQLite file in the site's state folder
    migrations: tuple[Migration, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(migration.name for migration in self.migrations)

    def missing(self, applied: Iterable[str], where: str) -> list[Migration]:
        """The migrations still to apply, in order; StoreError when ``applied`` holds one this
        version does not know."""
        applied = set(applied)
        unknown = sorted(applied - set(self.names))
        if unknown:
            raise too_new(where, unknown[-1])
        return [migration for migration in self.migrations if migration.name not in applied]


def too_new(where: str, migration: str) -> StoreError:
    return StoreError(f"made by a newer newsletter (its schema has migration {migration}, "
                      "which this version does not know)", where=where,
                      hint="upgrade newsletter to the version that wrote it, or newer")


def run_step(step: Step, connection: Any) -> None:
    """Apply one store's side of a migration inside the caller's transaction."""
    if step is None:
        return
    if callable(step):
        step(connection)
        return
    for statement in step:
        connection.execute(statement)
