"""A PostgreSQL connection held across many calls (a send's ledger, its send log, the welcome
series): every failure one StoreError, text parameters storable (no NUL byte)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

from newsletter.state.pg_errors import unusable

if TYPE_CHECKING:
    import psycopg


class Guarded:
    """A connection whose failures are StoreErrors (one line, never a traceback): for a
    connection held across many calls (the ledger of a send). Its text parameters lose any NUL
    byte: a provider's words (a message id, a reason) reach it, and PostgreSQL's text refuses
    a NUL, which would stop the send with the provider's answers unrecorded."""

    def __init__(self, db: psycopg.Connection):
        self._db = db

    def execute(self, query, params=None, failing: str | None = None):
        """The cursor; with ``failing`` (an SQLSTATE), in a savepoint: None if it failed so."""
        import psycopg

        try:
            if failing is None:
                return self._db.execute(query, storable(params))
            with self._db.transaction():
                return self._db.execute(query, storable(params))
        except psycopg.Error as error:
            if failing is not None and error.sqlstate == failing:
                return None
            raise unusable(error) from None

    def stream(self, query, params, size: int) -> Iterator[list]:
        """The rows of ``query``, ``size`` at a time, from a server-side cursor (inside a
        transaction): memory for one chunk, whatever the result's length."""
        import psycopg

        try:
            with self._db.cursor(name="newsletter_stream") as cursor:
                cursor.execute(query, params)
                while chunk := cursor.fetchmany(size):
                    yield chunk
        except psycopg.Error as error:
            raise unusable(error) from None

    def in_transaction(self) -> bool:
        """Whether a transaction is open (a statement now joins it rather than commit)."""
        from psycopg.pq import TransactionStatus

        return self._db.info.transaction_status != TransactionStatus.IDLE

    @contextmanager
    def transaction(self) -> Iterator[None]:
        import psycopg

        try:
            with self._db.transaction():
                yield
        except psycopg.Error as error:
            raise unusable(error) from None


def storable(value):
    """``value`` (a parameter, or a tuple, list or dict of them) without NUL bytes in text."""
    if isinstance(value, str):
        return value.replace("\0", "") if "\0" in value else value
    if isinstance(value, (tuple, list, dict)) and "\\x00" not in repr(value):
        # The usual case, asked in C: a NUL in any text inside shows as \x00 in the repr (a
        # false alarm only walks the value). Walking a send's parameters item by item cost
        # 0.68 us a reader (a result's four lists of a batch).
        return value
    if isinstance(value, (tuple, list)):
        return type(value)(storable(item) for item in value)
    if isinstance(value, dict):
        return {key: storable(item) for key, item in value.items()}
    return value
