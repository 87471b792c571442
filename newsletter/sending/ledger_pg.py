"""The send ledger in the PostgreSQL store: the same rows, states and moves as
:class:`newsletter.sending.ledger.Ledger` (docs/architecture.md#ledger), shared by every host.

Two `send POST` processes may share one campaign (sending/queue_pg.py). A claim takes a reader
only while the row is absent or ``pending`` (:meth:`PostgresLedger.claim` answers the readers
it got), so each reader is sent once, however many senders run.

Who may recover: a sender holds a shared advisory lock for its whole run; recovery (leftover
``submitting`` rows become ``in_doubt``) needs the exclusive one, so it happens only when no
other sender is alive. A killed sender's session ends with it, and its lock too. The runs and
their recovery are :mod:`newsletter.sending.ledger_pg_runs`.

A batch costs one wait for the disk, its claim's: its result commits without waiting
(:data:`UNSYNCED`), and the next claim's commit carries it.

The post's ``pending:`` flag (what `send --due` resumes) is set in the transaction that makes
its rows ``pending``, and a sender that ends removes it only when no row of the post waits
for an active reader, both under one advisory lock (:data:`FLAG`): a sender ending while
another puts a failed batch back never removes the flag that batch needs.
"""

from __future__ import annotations

import secrets
from contextlib import contextmanager, nullcontext
from typing import Iterable, Iterator, Sequence

from newsletter.sending.ledger_pg_reports import ACTIVE
from newsletter.sending.ledger_pg_runs import DUE, RUN_LOCK, SENDERS, LedgerRuns
from newsletter.sending.ledger_sync import already_synced
from newsletter.sending.states import SETTLED, State, ledger_time
from newsletter.state import DOUBT_PREFIX, LEDGER, LIST, PENDING_PREFIX, RUNNING_PREFIX, postgres

__all__ = ["ACTIVE", "DUE", "RUN_LOCK", "SENDERS", "PostgresLedger"]

BATCH = ("INSERT INTO batches (post_id, provider, key, subject, claimed_at) "
         "VALUES (%s, %s, %s, %s, %s)")
# A batch's result, committed without waiting for the disk: the next claim's commit waits
# (a claim is on disk before its request goes out) and takes this one with it. A crash of the
# database in between (not a restart) leaves the batch `submitting`: in doubt, never twice.
UNSYNCED = "(SELECT set_config('synchronous_commit', 'off', true)) IS NOT NULL AND "
FLAG = 0x6E6C706E  # advisory lock: a post's `pending:` flag set with its rows, or removed ("nlpn")


class PostgresLedger(LedgerRuns):
    """The ledger of one site in PostgreSQL; one connection, held for the ledger's life."""

    def __init__(self, url: str, site: str | None = None):
        self.database = postgres.Database(url, site=site)
        self._lent = self.database.connection(LIST, LEDGER)
        self.db = postgres.Guarded(self._lent.__enter__())
        self._sharing = False
        self._run: int | None = None  # this ledger's run (running())
        self._dead_before: set[int] = set()  # runs of its post dead as it began
        self._recovered = False  # whether recover() found no other sender, and recovered
        self.synced = already_synced  # each commit here waits for the disk
        # (post, address) -> row id, of the rows a queue holds for the next claim (hold()) and
        # of those claimed here, until their result: both then go by primary key, not address.
        self._held: dict[tuple[str, str], int] = {}
        # post -> its `pending:` flag as this ledger's run began or last set it (flag_pending)
        self._vouched: dict[str, str | None] = {}
        self._in_flight: dict[tuple[str, str], int] = {}

    def close(self) -> None:
        self._lent.__exit__(None, None, None)
        self.database.close()

    def __enter__(self) -> PostgresLedger:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @contextmanager
    def atomic(self) -> Iterator[postgres.Guarded]:
        """One transaction (a savepoint inside an enclosing one)."""
        with self.db.transaction():
            yield self.db

    # -- meta ----------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM ledger_meta WHERE key = %s", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT INTO ledger_meta VALUES (%s, %s) ON CONFLICT (key) DO UPDATE "
                        "SET value = excluded.value", (key, value))

    def delete_meta(self, key: str) -> None:
        self.db.execute("DELETE FROM ledger_meta WHERE key = %s", (key,))

    def may_have_pending(self, post_id: str) -> bool:
        return any(self.get_meta(prefix + post_id) is not None
                   for prefix in (PENDING_PREFIX, RUNNING_PREFIX))

    def clear_pending(self, post_id: str) -> None:
        """Remove the post's flag after a run that walked its whole list, unless a reader
        still active is pending: another sender may have put a batch back behind this run's
        walk. Looked for only when the flag changed since this run began other than by this
        run's own writes (:meth:`flag_pending`): a pass over the post's rows (about a second
        at a million). Decided under :data:`FLAG`, which every flag's setter takes."""
        key = PENDING_PREFIX + post_id
        with self.atomic():
            self.db.execute(postgres.advisory("pg_advisory_xact_lock"), (FLAG,))
            flag = self.get_meta(key)
            if flag is None:
                return
            if self._vouched.get(post_id) != flag and self._active_pending(post_id):
                return  # another sender put readers back behind this run's walk
            self.delete_meta(key)

    def _active_pending(self, post_id: str) -> bool:
        return self.db.execute(
            "SELECT EXISTS (SELECT 1 FROM deliveries d JOIN subscribers s ON s.key = "
            "d.address WHERE d.post_id = %s AND d.state = 'pending' AND s.status = ANY(%s))",
            (post_id, ACTIVE)).fetchone()[0]

    @contextmanager
    def putting_back(self, post_id: str) -> Iterator[None]:
        """A transaction that makes rows of the post ``pending`` and flags it for `send
        --due`, one at a time with a sender removing the flag (:meth:`clear_pending`)."""
        with self.atomic():
            self.flag_pending(post_id)
            yield

    def flag_pending(self, post_id: str) -> None:
        """Flag the post for `send --due`, in the enclosing transaction that makes rows of it
        ``pending``. Each flag is a value of its own: this run vouches for the flag it set
        only while it replaced one it vouched for too (the one there as it began, or its own
        last), not one another sender set since."""
        key, flag = PENDING_PREFIX + post_id, f"{ledger_time()} {secrets.token_hex(8)}"
        self.db.execute(postgres.advisory("pg_advisory_xact_lock"), (FLAG,))
        if post_id in self._vouched and self._vouched[post_id] == self.get_meta(key):
            self._vouched[post_id] = flag
        else:
            self._vouched.pop(post_id, None)
        self.set_meta(key, flag)

    def requeue(self, post_id: str, state: State) -> int:
        with self.putting_back(post_id):
            return self.db.execute("UPDATE deliveries SET state = %s, updated_at = %s "
                                   "WHERE post_id = %s AND state = %s",
                                   (State.PENDING, ledger_time(), post_id, state)).rowcount

    # -- the send's hot path -------------------------------------------------------------------

    def settled(self, post_id: str, addresses: Sequence[str],
                states: Iterable[State] = SETTLED) -> set[str]:
        rows = self.db.execute("SELECT address FROM deliveries WHERE post_id = %s "
                               "AND address = ANY(%b::text[]) AND state = ANY(%s)",
                               (post_id, list(addresses), [str(s) for s in states]))
        return {address for (address,) in rows}

    def claim(self, post_id: str, addresses: Sequence[str], provider: str,
              at: str | None = None, key: str | None = None,
              subject: str | None = None) -> list[str]:
        """Mark the readers ``submitting`` and commit, before the request goes out (with the
        batch's ``key`` and ``subject`` for `reconcile`, as :meth:`Ledger.claim`); return
        those claimed here (a reader another sender holds, or settled, is left out)."""
        at = at or ledger_time()
        held, self._held = [self._held.get((post_id, a)) for a in addresses], {}
        fields = (State.SUBMITTING.value, provider, at)
        batch = () if key is None else (post_id, provider, key, subject, at)
        with self._claiming():
            if None in held:  # a row may be missing: written here
                batch_id = self.db.execute(f"{BATCH} RETURNING id", batch).fetchone()[0] \
                    if batch else None
                rows = self._upsert(post_id, addresses, (*fields, batch_id))
            else:  # the batch's row and the claim in one statement: one round trip
                rows = self.db.execute(
                    f"""WITH batch AS ({f"{BATCH} RETURNING id" if batch else
                                       "SELECT NULL::bigint AS id"})
                        UPDATE deliveries AS d SET state = %s, attempts = d.attempts + 1,
                           reason = NULL, provider = %s, updated_at = %s, batch = batch.id
                       FROM unnest(%b::bigint[]) AS b (id), batch
                       WHERE d.id = b.id AND d.state = 'pending'
                       RETURNING d.address, d.id""", (*batch, *fields, held))
            claimed = dict(rows.fetchall())
        self._in_flight.update(((post_id, address), row) for address, row in claimed.items())
        return [address for address in addresses if address in claimed]

    @contextmanager
    def _claiming(self) -> Iterator[None]:
        """The claim's transaction: the queue's, when it holds one open (its look, its locks
        and the claim commit together; a savepoint in it cost two round trips a batch), else
        one of its own."""
        if self.db.in_transaction():
            yield
        else:
            with self.atomic():
                yield

    def _upsert(self, post_id: str, addresses: Sequence[str], fields: tuple):
        """Claim the readers whose row is absent or ``pending``: (address, id) of each."""
        state, provider, at, batch = fields
        return self.db.execute(
            """INSERT INTO deliveries AS d (post_id, address, state, attempts, provider,
                                            created_at, updated_at, batch)
               SELECT %s, address, %s, 1, %s, %s, %s, %s
               FROM unnest(%b::text[]) AS batch (address)
               ON CONFLICT (post_id, address) DO UPDATE SET
                   state = excluded.state, attempts = d.attempts + 1, reason = NULL,
                   provider = excluded.provider, updated_at = excluded.updated_at,
                   batch = excluded.batch
               WHERE d.state = 'pending'
               RETURNING d.address, d.id""",
            (post_id, state, provider, at, at, batch, list(addresses)))

    def hold(self, post_id: str, rows: dict[str, int]) -> None:
        """The rows (address: id) a queue took, locked, for the next claim."""
        self._held = {(post_id, address): row for address, row in rows.items()}

    def _rows(self, post_id: str, addresses: Sequence[str]) -> tuple[str, list]:
        """A condition on ``d`` for the rows of ``addresses`` (by id when all were claimed
        here), and the list it takes; they are no longer in flight. Lists go as binary arrays
        (%b) here and in a claim: psycopg quotes a text form in Python, up to 7 times slower."""
        ids = [self._in_flight.pop((post_id, address), None) for address in addresses]
        if None not in ids:
            return "d.id = ANY(%b::bigint[])", [ids]
        return "d.post_id = %s AND d.address = ANY(%b::text[])", [post_id, list(addresses)]

    def _unsynced(self) -> str:
        """:data:`UNSYNCED` for a result committed on its own; nothing inside a transaction
        (that transaction's commit is left as it is)."""
        return "" if self.db.in_transaction() else UNSYNCED

    def record(self, post_id: str,
               outcomes: Iterable[tuple[str, State, str | None, str | None]],
               batch: str | None = None) -> None:  # ``batch``: Ledger's; here rows go by id
        outcomes = list(outcomes)
        rows, params = self._rows(post_id, [o[0] for o in outcomes])
        self.db.execute(
            f"""UPDATE deliveries AS d SET state = o.state, provider_message_id = o.message_id,
                                           reason = o.reason, updated_at = %s
                FROM unnest(%b::text[], %b::text[], %b::text[], %b::text[])
                     AS o (address, state, message_id, reason)
                WHERE {self._unsynced()}{rows} AND d.address = o.address""",
            (ledger_time(), [o[0] for o in outcomes], [str(o[1]) for o in outcomes],
             [o[2] for o in outcomes], [o[3] for o in outcomes], *params))

    def mark(self, post_id: str, addresses: Sequence[str], state: State, reason: str | None,
             provider_id: str | None = None, batch: str | None = None) -> None:
        with self.putting_back(post_id) if state is State.PENDING else nullcontext():
            if state is State.IN_DOUBT:  # for `reconcile` to find
                self.set_meta(DOUBT_PREFIX + post_id, ledger_time())
            rows, params = self._rows(post_id, addresses)
            self.db.execute("UPDATE deliveries AS d SET state = %s, provider_message_id = %s, "
                            f"reason = %s, updated_at = %s WHERE {self._unsynced()}{rows}",
                            (state, provider_id, reason, ledger_time(), *params))
