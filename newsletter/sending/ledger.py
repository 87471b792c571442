"""The send ledger: one SQLite row per (post, recipient), in ``.newsletter/ledger.db``.

States and moves (docs/architecture.md#ledger)::

    pending ──▶ submitting ──▶ sent       provider accepted it (provider message id kept)
                     │    └──▶ failed     provider rejected it for good (reason kept)
                     │    └──▶ pending    provably not sent (retries used up, auth refused)
                     └──────▶ in_doubt    may have gone out, no answer came (timeout, crash)

A batch is committed as ``submitting`` (on disk: ``Ledger.synced``) before its request goes
out and its results as soon as they come back, so a crash at any instant leaves a row that
says what may have happened. :meth:`Ledger.recover` turns leftover ``submitting`` rows into ``in_doubt``; call
it only while holding the site lock, or it would take a running send's batches for dead ones.

Only the main thread of a send writes (SQLite connections stay in the thread that made them).
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

from newsletter.sending.ledger_sync import LogSync
from newsletter.sending.states import SETTLED, Delivery, State, counted_states, ledger_time
from newsletter.sending import unfinished as dead_runs
from newsletter.state import (
    DOUBT_PREFIX,
    LEDGER,
    PENDING_PREFIX,
    RUNNING_PREFIX,
    connect_ledger,
    ledger_on_disk,
    sqlite,
)

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.sending.ledger_pg import PostgresLedger

LEDGER_FILE = LEDGER.file
LAST_ROW = "SELECT coalesce(max(id), 0) FROM deliveries"


class Ledger:
    """The ledger of one site."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.db = connect_ledger(self.path)
        # Read-only, runs that died are counted as a recovery would leave them (unfinished.py).
        self.unfinished = {} if sqlite.writable(self.path) else dead_runs.unfinished_runs(self.db)
        self._log = LogSync(self.db, self.path)
        self.synced = self._log.synced  # how a worker sends a claimed batch: on disk first
        # batch key -> (first, last row id, batch id) of a claim of new rows only, side by side.
        self._fresh: dict[str, tuple[int, int, int]] = {}
        # post id -> readers claimed in its run with no outcome yet (see running()).
        self._in_flight: dict[str, set[str]] = {}

    @classmethod
    def open(cls, settings: Settings) -> Ledger | PostgresLedger:
        """The site's ledger, created on first use (in PostgreSQL when the site has a store
        URL)."""
        if not settings.store_url:
            return cls(settings.state_dir / LEDGER_FILE)
        from newsletter.sending.ledger_pg import PostgresLedger  # never loaded for a site on files

        return PostgresLedger(settings.store_url, settings.site.url)

    @classmethod
    def open_existing(cls, settings: Settings) -> Ledger | PostgresLedger | None:
        """The site's ledger, or None if nothing was ever sent (creates no file); StoreError
        when it was made and is gone (ledger_file.refuse_lost)."""
        if settings.store_url or ledger_on_disk(settings.state_dir):
            return cls.open(settings)
        return None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @contextmanager
    def atomic(self) -> Iterator[sqlite3.Connection]:
        """One transaction: committed on success, rolled back on any exception (re-raised)."""
        if self.db.in_transaction:  # joined into the enclosing transaction
            yield self.db
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- meta ----------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        """A value stored under ``key`` (None if never set)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Store ``value`` under ``key``."""
        with self.atomic() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def delete_meta(self, key: str) -> None:
        """Forget ``key`` (nothing happens if it was never set)."""
        with self.atomic() as db:
            db.execute("DELETE FROM meta WHERE key = ?", (key,))

    # -- state moves ---------------------------------------------------------------------------

    @contextmanager
    def running(self, post_id: str, segment: Sequence[str] | None = None) -> Iterator[None]:
        """Around a run's claims, so that :meth:`recover` knows where to look after a crash;
        the run is recorded with its ``segment`` (the tags it sends to; None: everyone).

        The mark is removed only when the run ends normally with no batch left ``submitting``;
        after a crash, an error or an interrupted claim it stays, and the next recover()
        searches that post.
        """
        key = RUNNING_PREFIX + post_id
        with self.atomic() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, ledger_time()))
            run = db.execute("INSERT INTO runs (post_id, segment, started_at) VALUES (?, ?, ?)",
                             (post_id, None if segment is None else json.dumps(list(segment)),
                              ledger_time())).lastrowid
        self._in_flight[post_id] = set()  # empty at the end: no row left `submitting`, no scan
        with self._log.run():
            yield
        # waits for the disk, as every commit outside a run: the run's last outcomes with it
        self.db.execute("UPDATE runs SET ended_at = ? WHERE id = ?", (ledger_time(), run))
        left = self._in_flight.pop(post_id) and self.db.execute(
            "SELECT EXISTS (SELECT 1 FROM deliveries WHERE post_id = ? AND state = ?)",
            (post_id, State.SUBMITTING)).fetchone()[0]
        if not left:
            self.delete_meta(key)

    def runs(self, post_id: str) -> list[tuple[str, list[str] | None, str | None]]:
        """(started_at, segment, ended_at) of each run of a post, oldest first."""
        rows = self.db.execute("SELECT started_at, segment, ended_at FROM runs WHERE post_id = ? "
                               "ORDER BY id", (post_id,))
        return [(started, None if segment is None else json.loads(segment), ended)
                for started, segment, ended in rows]

    @contextmanager
    def alone(self) -> Iterator[bool]:
        """True: under the site lock no other sender runs (PostgresLedger.alone)."""
        yield True

    def recover(self) -> int:
        """Leftover ``submitting`` rows (a crash mid-batch) become ``in_doubt``; returns how many.

        Call with no run in progress (under the site lock): every post still marked
        :meth:`running` is a run that did not end normally.
        """
        recovered = 0
        with self.atomic() as db:
            marks = [row[0] for row in db.execute(
                "SELECT key FROM meta WHERE substr(key, 1, ?) = ?",
                (len(RUNNING_PREFIX), RUNNING_PREFIX))]
            for key in marks:
                post_id = key.removeprefix(RUNNING_PREFIX)
                cursor = db.execute("UPDATE deliveries SET state = ?, reason = ?, updated_at = ? "
                                    "WHERE post_id = ? AND state = ?",
                                    (State.IN_DOUBT, dead_runs.STOPPED, ledger_time(), post_id,
                                     State.SUBMITTING))
                recovered += cursor.rowcount
                if cursor.rowcount:
                    self.set_meta(DOUBT_PREFIX + post_id, ledger_time())
                self.delete_meta(key)  # in this transaction
        return recovered

    def may_have_pending(self, post_id: str) -> bool:
        """True if readers of this post may be ``pending`` (a run left some to send again) or
        ``submitting`` (a run did not end normally). From ``meta`` alone: no row is read."""
        return any(self.get_meta(prefix + post_id) is not None
                   for prefix in (PENDING_PREFIX, RUNNING_PREFIX))

    def clear_pending(self, post_id: str) -> None:
        """After a run that walked the whole list and left nobody pending (see may_have_pending)."""
        self.delete_meta(PENDING_PREFIX + post_id)

    def _flag_pending(self, post_id: str) -> None:
        # Flagged before the rows change: a crash in between leaves a flag with nothing pending
        # (one needless resume), never pending readers that nobody looks for.
        self.set_meta(PENDING_PREFIX + post_id, ledger_time())

    def requeue(self, post_id: str, state: State) -> int:
        """Move ``state`` rows (failed or in_doubt) of a post to ``pending``; returns how many."""
        self._flag_pending(post_id)
        with self.atomic() as db:
            return db.execute("UPDATE deliveries SET state = ?, updated_at = ? "
                              "WHERE post_id = ? AND state = ?",
                              (State.PENDING, ledger_time(), post_id, state)).rowcount

    # The send's hot path: one statement a batch, its readers one JSON parameter (json_each),
    # one call into SQLite, which runs without the GIL (executemany() or IN (?, ?, ...) made a
    # call or a value a reader, each handing the GIL to the send's threads); within a run, its
    # commit does not wait for the disk (ledger_sync.py).

    def settled(self, post_id: str, addresses: Sequence[str],
                states: Iterable[State] = SETTLED) -> set[str]:
        """Those of ``addresses`` that the ledger holds in one of ``states`` for this post."""
        rows = self.db.execute(
            "SELECT address FROM deliveries WHERE post_id = ? "
            "AND address IN (SELECT value FROM json_each(?)) "
            "AND state IN (SELECT value FROM json_each(?))",
            (post_id, json.dumps(addresses), json.dumps(list(states))),
        )
        return {row[0] for row in rows}

    def claim(self, post_id: str, addresses: Sequence[str], provider: str,
              at: str | None = None, key: str | None = None,
              subject: str | None = None) -> Sequence[str]:
        """Mark a batch ``submitting`` and commit: call before its request goes out. Returns
        the addresses claimed: all of them (one send at a time per site here;
        :meth:`PostgresLedger.claim` may share a campaign).

        ``at`` (from :func:`ledger_time`) is when the batch was decided: the moment its readers'
        subscription status was last checked. With ``key`` (providers.batch_key, Resend's
        Idempotency-Key) the batch itself is recorded with them, and its ``subject``, for
        `reconcile`. The ``message_id`` column is no longer written (derived from the post).
        """
        at = at or ledger_time()
        with self._log.deferred(), self.atomic() as db:  # synced before the request: synced()
            batch = None if key is None else db.execute(
                "INSERT INTO batches (post_id, provider, key, subject, claimed_at) "
                "VALUES (?, ?, ?, ?, ?)", (post_id, provider, key, subject, at)).lastrowid
            last = db.execute(LAST_ROW).fetchone()[0]
            db.execute(
                # "WHERE true" tells SQLite's parser that ON CONFLICT is the upsert clause.
                """INSERT INTO deliveries (post_id, address, state, attempts, provider,
                                           created_at, updated_at, batch)
                   SELECT ?1, value, ?2, 1, ?3, ?4, ?4, ?6
                   FROM json_each(?5) WHERE true
                   ON CONFLICT (post_id, address) DO UPDATE SET
                       state = excluded.state, attempts = attempts + 1, reason = NULL,
                       provider = excluded.provider, updated_at = excluded.updated_at,
                       batch = excluded.batch""",
                # In the index's order: each insert lands by the one before, its pages cached.
                (post_id, State.SUBMITTING, provider, at, json.dumps(sorted(addresses)), batch))
            if batch is not None and db.execute(LAST_ROW).fetchone()[0] - last == len(addresses):
                self._fresh[key] = (last + 1, last + len(addresses), batch)
        self._in_flight.setdefault(post_id, set()).update(addresses)
        return addresses

    def record(self, post_id: str, outcomes: Iterable[tuple[str, State, str | None, str | None]],
               batch: str | None = None) -> None:
        """Commit a batch's outcomes: (address, state, provider message id, reason) each."""
        self._fresh.pop(batch, None)
        outcomes = list(outcomes)
        with self._log.deferred():
            self.db.execute(
                # MATERIALIZED: SQLite would otherwise scan the JSON once per row of the post.
                """WITH outcome AS MATERIALIZED (
                       SELECT json_extract(value, '$[0]') AS address,
                              json_extract(value, '$[1]') AS state,
                              json_extract(value, '$[2]') AS provider_message_id,
                              json_extract(value, '$[3]') AS reason
                       FROM json_each(?))
                   UPDATE deliveries SET state = outcome.state,
                                         provider_message_id = outcome.provider_message_id,
                                         reason = outcome.reason, updated_at = ?
                   FROM outcome
                   WHERE deliveries.post_id = ? AND deliveries.address = outcome.address""",
                (json.dumps(outcomes), ledger_time(), post_id),
            )
        self._in_flight.get(post_id, set()).difference_update(outcome[0] for outcome in outcomes)

    def mark(self, post_id: str, addresses: Sequence[str], state: State, reason: str | None,
             provider_id: str | None = None, batch: str | None = None) -> None:
        """Give every address of a batch the same outcome: in_doubt, back to pending, or sent
        under one provider message id (SendGrid's answer); ``batch``: the key it was claimed by."""
        if state is State.PENDING:
            self._flag_pending(post_id)
        elif state is State.IN_DOUBT:  # for `reconcile` to find (posts_in_doubt)
            self.set_meta(DOUBT_PREFIX + post_id, ledger_time())
        if rows := self._fresh.pop(batch, None):  # None is never a key there
            # No index look-up a reader (0.6 us of 1.4); `+post_id` keeps off the post's index.
            where, found = "id BETWEEN ? AND ? AND batch = ? AND +post_id = ?", (*rows, post_id)
        else:
            where = "post_id = ? AND address IN (SELECT value FROM json_each(?))"
            found = (post_id, json.dumps(addresses))
        with self._log.deferred():
            self.db.execute("UPDATE deliveries SET state = ?, provider_message_id = ?, "
                            f"reason = ?, updated_at = ? WHERE {where}",
                            (state, provider_id, reason, ledger_time(), *found))
        self._in_flight.get(post_id, set()).difference_update(addresses)

    # -- reports -------------------------------------------------------------------------------

    def has_rows(self, post_id: str) -> bool:
        """True if any reader of this post is in the ledger, in any state."""
        return bool(self.db.execute("SELECT EXISTS (SELECT 1 FROM deliveries WHERE post_id = ?)",
                                    (post_id,)).fetchone()[0])

    def post_ids(self) -> list[str]:
        """Every post the ledger holds rows for."""
        return [row[0] for row in self.db.execute("SELECT DISTINCT post_id FROM deliveries")]

    def counts(self, post_id: str | None = None,
               states: Sequence[State] = tuple(State)) -> dict[str, Counter]:
        """{post_id: Counter(state -> rows)} of rows in ``states``, for one post or every
        post in the ledger."""
        read = dead_runs.widened(tuple(states), post_id, self.unfinished)
        return dead_runs.as_recovered(counted_states(self.db, post_id, read), self.unfinished)

    def deliveries(self, post_id: str, states: Iterable[State]) -> list[Delivery]:
        """The rows of a post in ``states``, by address."""
        states = dead_runs.widened(tuple(states), post_id, self.unfinished)
        marks = ",".join("?" * len(states))
        rows = self.db.execute(
            "SELECT post_id, address, state, attempts, reason, provider, provider_message_id, "
            f"updated_at FROM deliveries WHERE post_id = ? AND state IN ({marks}) "
            "ORDER BY state, address", (post_id, *states))
        found = [Delivery(row[0], row[1], State(row[2]), *row[3:]) for row in rows]
        return dead_runs.as_recovered_rows(found, self.unfinished)
