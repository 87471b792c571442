"""The runs of the PostgreSQL ledger: each run's row and the lock it holds while it lives, the
post's running mark, the senders' lock, and the recovery of dead runs (leftover
``submitting`` rows become ``in_doubt`` once no sender is alive); part of
:class:`newsletter.sending.ledger_pg.PostgresLedger`."""

from __future__ import annotations

import json
import time
from contextlib import contextmanager
from typing import Iterator, Sequence

from newsletter.errors import SiteLockedError
from newsletter.sending.ledger_pg_reports import LedgerReports
from newsletter.sending.states import State, ledger_time
from newsletter.state import DOUBT_PREFIX, PENDING_PREFIX, RUNNING_PREFIX, postgres

SENDERS = 0x6E6C7364  # advisory lock: shared by every sender, exclusive to recover ("nlsd")
DUE = 0x6E6C6475  # advisory lock: one `send --due` or `reconcile` at a time, every host ("nldu")
MARKS = 0x6E6C726D  # advisory lock: a run setting the post's running mark, or one removing it
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
ALIVE = """EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory'
    AND l.granted AND l.objsubid = 1 AND l.objid::bigint = r.id
    AND l.classid::bigint = (hashtext(current_schema())::bigint & 4294967295))"""
OTHER_RUNS = f"""SELECT r.id, {ALIVE}
    FROM runs r WHERE r.post_id = %s AND r.id <> %s AND r.ended_at IS NULL"""


class LedgerRuns(LedgerReports):
    """Runs and recovery, on the ledger's connection ``db`` (its meta rows through the
    ledger's own methods)."""

    # -- runs and recovery ---------------------------------------------------------------------

    @contextmanager
    def running(self, post_id: str, segment: Sequence[str] | None = None) -> Iterator[None]:
        """As :meth:`Ledger.running`; the mark stays while any sender has rows in flight.
        The run holds a lock of its own while it lives (:data:`OTHER_RUNS`)."""
        key = RUNNING_PREFIX + post_id
        with self.atomic():
            self.db.execute(postgres.advisory("pg_advisory_xact_lock"), (MARKS,))
            self.set_meta(key, ledger_time())
            self._run = self.db.execute(
                "INSERT INTO runs (post_id, segment, started_at) VALUES (%s, %s, %s) "
                "RETURNING id", (post_id, None if segment is None else json.dumps(list(segment)),
                                 ledger_time())).fetchone()[0]
            self.db.execute(f"SELECT pg_advisory_lock({RUN_LOCK})", (self._run,))
            self._vouched[post_id] = self.get_meta(PENDING_PREFIX + post_id)  # clear_pending
            self._dead_before = {run for run, alive in self._other_runs(post_id) if not alive}
        yield
        self.db.execute("UPDATE runs SET ended_at = %s WHERE id = %s", (ledger_time(), self._run))
        self.db.execute(f"SELECT pg_advisory_unlock({RUN_LOCK})", (self._run,))
        # One at a time with a run starting, which sets the mark: checked and removed before
        # it, or checked after it, when the run is seen alive (a run's row and the mark commit
        # together; removed meanwhile, that run would have no mark, and if it died its batches
        # in flight would stay `submitting`, never found in doubt).
        with self.atomic():
            self.db.execute(postgres.advisory("pg_advisory_xact_lock"), (MARKS,))
            if self._may_leave_submitting(post_id):
                self.delete_meta(key)
        if self._sharing:  # nothing of this run is in flight now: no sender any more (alone())
            self.db.execute(postgres.advisory("pg_advisory_unlock_shared"), (SENDERS,))
            self._sharing = False

    @property
    def run_id(self) -> int | None:
        """This ledger's run, while :meth:`running`."""
        return self._run

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
                # A dead run's post too, had its mark gone: no row of it stays `submitting`.
                marks += [RUNNING_PREFIX + post for (post,) in self.db.execute(
                    f"SELECT DISTINCT r.post_id FROM runs r WHERE r.ended_at IS NULL "
                    f"AND NOT {ALIVE}") if RUNNING_PREFIX + post not in marks]
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
                # Every run that died has ended now (when it was found so): a later run need
                # not go carefully for it (_may_leave_submitting, lost_a_run).
                self.db.execute(f"UPDATE runs r SET ended_at = %s WHERE r.ended_at IS NULL "
                                f"AND NOT {ALIVE}", (ledger_time(),))
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
