"""The send ledger in the PostgreSQL store: the same rows, states and moves as
:class:`newsletter.sending.ledger.Ledger` (docs/architecture.md#ledger), shared by every host.

Two `send POST` processes may share one campaign (sending/queue_pg.py). A claim takes a reader
only while the row is absent or ``pending`` (:meth:`PostgresLedger.claim` answers the readers
it got), so each reader is sent once, however many senders run.

Who may recover: a sender holds a shared advisory lock for its whole run; recovery (leftover
``submitting`` rows become ``in_doubt``) needs the exclusive one, so it happens only when no
other sender is alive. A killed sender's session ends with it, and its lock too.
"""

from __future__ import annotations

import json
import time
from contextlib import contextmanager
from typing import Iterable, Iterator, Sequence

from newsletter.errors import SiteLockedError
from newsletter.sending.ledger_pg_reports import ACTIVE, LedgerReports
from newsletter.sending.ledger_sync import already_synced
from newsletter.sending.states import SETTLED, State, ledger_time
from newsletter.state import DOUBT_PREFIX, LEDGER, LIST, PENDING_PREFIX, RUNNING_PREFIX, postgres

SENDERS = 0x6E6C7364  # advisory lock: shared by every sender, exclusive to recover ("nlsd")
DUE = 0x6E6C6475  # advisory lock: one `send --due` or `reconcile` at a time, every host ("nldu")
RECOVERY_WAIT = 5.0  # seconds: a recovery holds the senders' lock for one UPDATE
# Another session holds the senders' lock shared: a sender is alive. (Advisory locks on two
# int4 keys show in pg_locks as classid, objid (unsigned) and objsubid 2.)
SENDER_ALIVE = """SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'
    AND mode = 'ShareLock' AND granted AND objsubid = 2 AND classid::bigint = %s
    AND objid::bigint = (hashtext(current_schema())::bigint & 4294967295)
    AND pid <> pg_backend_pid())"""

# Each run holds an advisory lock on its id while it lives (one bigint key: the schema's hash,
# then the id; pg_locks shows them as classid and objid, objsubid 1): a run that never ended
# and whose lock is free died.
RUN_LOCK = "(hashtext(current_schema())::bigint << 32) | %s"
OTHER_RUNS = """SELECT r.id, EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory'
    AND l.granted AND l.objsubid = 1 AND l.objid::bigint = r.id
    AND l.classid::bigint = (hashtext(current_schema())::bigint & 4294967295))
    FROM runs r WHERE r.post_id = %s AND r.id <> %s AND r.ended_at IS NULL"""


class PostgresLedger(LedgerReports):
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

    # -- runs and recovery ---------------------------------------------------------------------

    @contextmanager
    def running(self, post_id: str, segment: Sequence[str] | None = None) -> Iterator[None]:
        """As :meth:`Ledger.running`; the mark stays while any sender has rows in flight.
        The run holds a lock of its own while it lives (:data:`OTHER_RUNS`)."""
        key = RUNNING_PREFIX + post_id
        with self.atomic():
            self.set_meta(key, ledger_time())
            self._run = self.db.execute(
                "INSERT INTO runs (post_id, segment, started_at) VALUES (%s, %s, %s) "
                "RETURNING id", (post_id, None if segment is None else json.dumps(list(segment)),
                                 ledger_time())).fetchone()[0]
            self.db.execute(f"SELECT pg_advisory_lock({RUN_LOCK})", (self._run,))
            self._dead_before = {run for run, alive in self._other_runs(post_id) if not alive}
        yield
        self.db.execute("UPDATE runs SET ended_at = %s WHERE id = %s", (ledger_time(), self._run))
        self.db.execute(f"SELECT pg_advisory_unlock({RUN_LOCK})", (self._run,))
        if self._may_leave_submitting(post_id):
            self.delete_meta(key)
        if self._sharing:  # nothing of this run is in flight now: no sender any more (alone())
            self.db.execute(postgres.advisory("pg_advisory_unlock_shared"), (SENDERS,))
            self._sharing = False

    def _may_leave_submitting(self, post_id: str) -> bool:
        """Whether the run's mark may go as it ends: no row of the post left `submitting`.
        Known without a pass over the post's rows when nothing of this run is in flight and
        no run beside it died: a live one removes the mark itself when it ends (the check
        comes after this run's end and lock were released, so the last of two ending at once
        sees the other ended)."""
        if any(post == post_id for post, _ in self._in_flight):
            return False
        others = dict(self._other_runs(post_id))
        if any(others.values()):
            return False
        if set(others) <= self._dead_before and (self._recovered or not self._dead_before):
            return True  # runs dead before it began were recovered then, or there were none
        return not self._holds(post_id, [State.SUBMITTING])

    def _other_runs(self, post_id: str) -> list[tuple[int, bool]]:
        """The post's other runs that never ended, and whether each is alive."""
        return self.db.execute(OTHER_RUNS, (post_id, self._run)).fetchall()

    def lost_a_run(self, post_id: str) -> bool:
        """Whether a run of the post died since this one began: rows it held may be `pending`
        again behind this run's walk."""
        return any(run not in self._dead_before
                   for run, alive in self._other_runs(post_id) if not alive)

    def runs(self, post_id: str) -> list[tuple[str, list[str] | None, str | None]]:
        rows = self.db.execute("SELECT started_at, segment, ended_at FROM runs "
                               "WHERE post_id = %s ORDER BY id", (post_id,))
        return [(started, None if segment is None else json.loads(segment), ended)
                for started, segment, ended in rows]

    def recover(self) -> int:
        """Leftover ``submitting`` rows become ``in_doubt`` when no other sender is alive
        (:meth:`recover_if_alone`); then this ledger joins the senders (a shared lock, until
        it is closed)."""
        recovered = self.recover_if_alone()
        self._recovered = recovered is not None
        if not self._sharing:
            self.db.execute(postgres.advisory("pg_advisory_lock_shared"), (SENDERS,))
            self._sharing = True
        return recovered or 0

    def recover_if_alone(self) -> int | None:
        """How many ``submitting`` rows of dead runs are now ``in_doubt``; None when a sender
        is, or may be, running (read-only, on a standby say: the primary's senders unseen)."""
        alone = postgres.advisory("pg_try_advisory_lock")
        if self.db.execute("SHOW transaction_read_only").fetchone()[0] == "on" or \
                not self.db.execute(alone, (SENDERS,)).fetchone()[0]:
            return None
        recovered = 0
        try:
            with self.atomic():
                marks = [key for (key,) in self.db.execute(
                    "SELECT key FROM ledger_meta WHERE key LIKE %s", (RUNNING_PREFIX + "%",))]
                for key in marks:
                    post_id = key.removeprefix(RUNNING_PREFIX)
                    found = self.db.execute(
                        "UPDATE deliveries SET state = %s, reason = %s, updated_at = %s "
                        "WHERE post_id = %s AND state = %s",
                        (State.IN_DOUBT, "the run stopped while its batch was being sent",
                         ledger_time(), post_id, State.SUBMITTING)).rowcount
                    if found:  # for `reconcile` to find
                        self.set_meta(DOUBT_PREFIX + post_id, ledger_time())
                    recovered += found
                    self.delete_meta(key)
        finally:
            self.db.execute(postgres.advisory("pg_advisory_unlock"), (SENDERS,))
        return recovered

    @contextmanager
    def alone(self) -> Iterator[bool]:
        """A block in which no other sender starts (they wait), and whether none is alive."""
        alone = self._take_senders_lock()
        try:
            yield alone
        finally:
            if alone:
                self.db.execute(postgres.advisory("pg_advisory_unlock"), (SENDERS,))

    def _take_senders_lock(self) -> bool:
        """The senders' lock, exclusive; False while another sender is alive. A command that
        recovers dead runs (`status`, a sender starting) holds it for a moment: that is waited
        out, or the last sender to end would take it for a live one and leave its template."""
        take = postgres.advisory("pg_try_advisory_lock")
        waited_until = time.monotonic() + RECOVERY_WAIT
        while not self.db.execute(take, (SENDERS,)).fetchone()[0]:
            if self.db.execute(SENDER_ALIVE, (SENDERS,)).fetchone()[0]:
                return False
            if time.monotonic() > waited_until:
                return False
            time.sleep(0.02)
        return True

    def take_due_lock(self) -> None:
        """Hold the lock that lets one `send --due` or `reconcile` run on every host (the
        PostgreSQL store's site lock for them); SiteLockedError if another holds it."""
        if not self.db.execute(postgres.advisory("pg_try_advisory_lock"), (DUE,)).fetchone()[0]:
            raise SiteLockedError("another send --due or reconcile is running on this site",
                                  where=postgres.WHERE, hint="wait for it to finish")

    def may_have_pending(self, post_id: str) -> bool:
        return any(self.get_meta(prefix + post_id) is not None
                   for prefix in (PENDING_PREFIX, RUNNING_PREFIX))

    def clear_pending(self, post_id: str) -> None:
        self.delete_meta(PENDING_PREFIX + post_id)

    def requeue(self, post_id: str, state: State) -> int:
        self.set_meta(PENDING_PREFIX + post_id, ledger_time())
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
        with self.atomic():
            batch = None if key is None else self.db.execute(
                "INSERT INTO batches (post_id, provider, key, subject, claimed_at) "
                "VALUES (%s, %s, %s, %s, %s) RETURNING id",
                (post_id, provider, key, subject, at)).fetchone()[0]
            fields = (State.SUBMITTING.value, provider, at, batch)
            if None in held:  # a row may be missing: written here
                rows = self._upsert(post_id, addresses, fields)
            else:
                rows = self.db.execute(
                    """UPDATE deliveries AS d SET state = %s, attempts = d.attempts + 1,
                           reason = NULL, provider = %s, updated_at = %s, batch = %s
                       FROM unnest(%b::bigint[]) AS b (id)
                       WHERE d.id = b.id AND d.state = 'pending'
                       RETURNING d.address, d.id""", (*fields, held))
            claimed = dict(rows.fetchall())
        self._in_flight.update(((post_id, address), row) for address, row in claimed.items())
        return [address for address in addresses if address in claimed]

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
                WHERE {rows} AND d.address = o.address""",
            (ledger_time(), [o[0] for o in outcomes], [str(o[1]) for o in outcomes],
             [o[2] for o in outcomes], [o[3] for o in outcomes], *params))

    def mark(self, post_id: str, addresses: Sequence[str], state: State, reason: str | None,
             provider_id: str | None = None, batch: str | None = None) -> None:
        if state is State.PENDING:
            self.set_meta(PENDING_PREFIX + post_id, ledger_time())
        elif state is State.IN_DOUBT:  # for `reconcile` to find
            self.set_meta(DOUBT_PREFIX + post_id, ledger_time())
        rows, params = self._rows(post_id, addresses)
        self.db.execute("UPDATE deliveries AS d SET state = %s, provider_message_id = %s, "
                        f"reason = %s, updated_at = %s WHERE {rows}",
                        (state, provider_id, reason, ledger_time(), *params))
