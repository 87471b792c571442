"""A campaign on the PostgreSQL store as a queue that any number of senders share.

A run writes a ``pending`` ledger row for every active reader of the segment who has none,
in list order, a stretch of the list at a time (:meth:`SharedQueue.taking` writes the next
``STRETCH`` positions when the rows written ahead of a sender run low: one ``INSERT ...
SELECT`` inside the database, under an advisory lock, so no two senders write one stretch).
The first request goes out once the first stretch is written, and the others are written
while batches are on their way: on a long list, writing every row first kept the other
senders waiting (about 9 s a million readers). Every sender takes its batches with
``SELECT ... FOR UPDATE SKIP LOCKED`` (:meth:`SharedQueue.taking`), in list order: the rows
a sender holds are skipped by the others, so no two senders build the same batch, and each
reads and signs only its own readers (looked up once their rows are locked). The transaction
stays open until the batch is claimed (``submitting``, committed) and is over before the
request is handed to a worker, as on the files store; a sender that dies first only lets its
rows go back to ``pending``.

Each look leaves how far the sender's walk has come (``ledger_meta``, a row of
its own run: no row two senders write), and a look starts past the furthest another sender
of the segment has walked: rows written after this run began that it walked are taken, or
left as not to send now. Two senders so no longer walk each other's batches (each walked
every row before). Rows from before this run began (an earlier run's, ones it put back to
``pending``) are walked by every sender, and after a sender beside it died, a rewalk from the
start jumps no more.

Who is active is checked as each batch is taken, against the list's own status column (the
ReaderStore's rule): a reader who left after the rows were written is never taken, and the
row written for them is removed as the walk finds it (:attr:`SharedQueue.dropped`, counted
skipped).
"""

from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator, Sequence

from newsletter.message import MessageFactory, Prepared
from newsletter.sending.ledger_pg import ACTIVE, PostgresLedger
from newsletter.sending.ledger_pg_runs import ALIVE
from newsletter.sending.states import ledger_time
from newsletter.state import postgres

if TYPE_CHECKING:
    from newsletter.subscribers import PostgresStore

SEEDING = 0x6E6C7164  # advisory lock while a run writes its pending rows ("nlqd")
SEEDED_PREFIX = "seeded:"  # ledger_meta, + post + segment: how far the run writing rows came
WALKED_PREFIX = "walked:"  # ledger_meta, + post + segment + run: the last row id its walk passed
# A run's mark of the segment's walk (another post's key may begin alike: a run's id follows)
A_WALK = ("starts_with(key, %(walked)s) "
          "AND substr(key, length(%(walked)s) + 1) ~ '^[0-9]+$'")
STRETCH = 10_000  # list positions whose rows are written at a time
AHEAD = STRETCH // 2  # a sender writes more when fewer positions than this are written ahead
UNIQUE_VIOLATION = "23505"  # SQLSTATE: a row of that post and reader is in the ledger already
# A reader's tags as split_tags reads the cell (commas, semicolons or |; blanks around).
IN_SEGMENT = ("EXISTS (SELECT 1 FROM regexp_split_to_table(lower(s.tags), '[,;|]') AS t "
              "WHERE btrim(t, E' \\t\\r\\n') = ANY(%(tags)s))")

IN_INDEX_ORDER = ("SELECT set_config('enable_sort', 'off', true), "
                  "set_config('enable_bitmapscan', 'off', true)")  # for this transaction


class SharedQueue:
    """The pending readers of one post's campaign, for the senders sharing it."""

    def __init__(self, ledger: PostgresLedger, store: PostgresStore, factory: MessageFactory,
                 post_id: str, tags: Sequence[str] | None):
        self.db = ledger.db
        self.ledger, self.store = ledger, store
        self.factory = factory
        self.params = {"post": post_id, "active": ACTIVE,
                       "tags": None if tags is None else sorted({t.lower() for t in tags})}
        self.segment = "" if tags is None else " AND " + IN_SEGMENT
        # ledger_meta: how far the run writing this segment's rows has come (when it began,
        # and the last list position written, None once written to the end)
        self.mark = f"{SEEDED_PREFIX}{post_id}:{json.dumps(self.params['tags'])}"
        self.walked = f"{WALKED_PREFIX}{post_id}:{json.dumps(self.params['tags'])}:"
        self.through: int | None = None
        self.after = 0  # the id of the last row looked at
        self.fresh_from: int | None = None  # rows past this id were written after the start
        self.taken = False  # whether rows were taken since the walk last began at the start
        self.position = 0  # the list position of the furthest reader taken
        self.dropped = 0  # rows removed: their readers left after the rows were written

    def start(self) -> None:
        """Join the writing of this segment's rows that another sender began after this one
        asked (it waited for the lock meanwhile), or begin it again from the list's start
        (rows the ledger holds are kept: ``ON CONFLICT DO NOTHING``)."""
        # Each batch is taken from readers active then: the send follows only later changes.
        self.store.follow_suppressions_from_now()
        asked = self.db.execute("SELECT clock_timestamp()").fetchone()[0]
        with self.ledger.atomic():
            self.db.execute(postgres.advisory("pg_advisory_xact_lock"), (SEEDING,))
            done = json.loads(self.ledger.get_meta(self.mark) or "{}")
            if "at" in done and dt.datetime.fromisoformat(done["at"]) >= asked:
                self.through = done.get("through")
                return
            at = self.db.execute("SELECT clock_timestamp()").fetchone()[0].isoformat()
            self.through = 0
            self.ledger.set_meta(self.mark, json.dumps({"at": at, "through": 0}))
        self._begin_walk()

    def _begin_walk(self) -> None:
        """Note the last row id there is now (rows past it are written from now on, pending
        until taken), and remove the marks of the segment's runs no longer alive (a run
        that stopped early, or died)."""
        with self.ledger.atomic():
            self.fresh_from = self.db.execute("SELECT coalesce(max(id), 0) FROM deliveries"
                                              ).fetchone()[0]
            self.db.execute(f"DELETE FROM ledger_meta WHERE CASE WHEN {A_WALK} THEN NOT "
                            "EXISTS (SELECT 1 FROM runs r WHERE r.id = substr(key, "
                            f"length(%(walked)s) + 1)::bigint AND {ALIVE}) END",
                            {"walked": self.walked})

    def _write_more(self, wait: bool) -> None:
        """Write the rows of the list's next stretch, unless another sender has (then go on
        from where it stopped) or, unless ``wait``, is writing; ``through`` is None once the
        list is written to its end."""
        with self.ledger.atomic():
            lock = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
            taken = self.db.execute(postgres.advisory(lock), (SEEDING,)).fetchone()[0]
            if not (wait or taken):  # another is writing: the rows written ahead last meanwhile
                return
            progress = json.loads(self.ledger.get_meta(self.mark) or "{}")
            self.through = progress.get("through")
            if self.through is None or self.through - self.position > AHEAD:
                return
            at = ledger_time()
            # Rows to send, not sent: their commit need not wait for the disk (the next
            # claim's does, and takes them with it; lost in a crash of the database,
            # with how far the writing came, they are written again).
            self.db.execute("SELECT set_config('synchronous_commit', 'off', true)")
            written = self._write({**self.params, "at": at, "from": self.through,
                                   "to": self.through + STRETCH})
            if written:  # for `send --due` to resume a run that stops early
                self.ledger.flag_pending(self.params["post"])
            last = self.db.execute("SELECT coalesce(max(position), 0) FROM subscribers"
                                   ).fetchone()[0]
            self.through = self.through + STRETCH if self.through + STRETCH < last else None
            self.ledger.set_meta(self.mark, json.dumps({**progress, "through": self.through}))

    def _write(self, params: dict) -> int:
        """Write the pending rows of the stretch ``params`` names; how many. As new rows, and
        if the ledger holds one already (an earlier run's, a sender's that wrote from the
        list's start, or one a send under a daily limit claimed) that is undone and only the
        missing rows are written (``ON CONFLICT DO NOTHING``: it looks each row up before
        writing it, 0.3 s more of the database's CPU a 100,000 rows; a stretch written before
        stops the attempt at its first row, so little is undone)."""
        write = ("INSERT INTO deliveries (post_id, address, state, attempts, created_at, "
                 "updated_at) SELECT %(post)s, s.key, 'pending', 0, %(at)s, %(at)s "
                 "FROM subscribers s WHERE s.position > %(from)s AND s.position <= %(to)s "
                 "AND s.status = ANY(%(active)s)" + self.segment + " ORDER BY s.position")
        written = self.db.execute(write, params, failing=UNIQUE_VIOLATION)
        if written is None:
            written = self.db.execute(write + " ON CONFLICT (post_id, address) DO NOTHING",
                                      params)
        return written.rowcount

    @contextmanager
    def taking(self, size: int) -> Iterator[list[Prepared]]:
        """Up to ``size`` pending readers no other sender holds, prepared, in list order; held
        until the block ends (claim them in it: they are committed then)."""
        wait = False  # for another sender's stretch: only when no row is left to take
        while True:
            if self.through is not None and self.through - self.position <= AHEAD:
                self._write_more(wait)
            with self.ledger.atomic():
                locked = self._pending(size)
                if not locked and self.through is not None:  # the list goes on: write more
                    self.position, wait = self.through, True
                    continue
                if not locked and self.after and self.taken and \
                        self.ledger.lost_a_run(self.params["post"]):
                    self.after, self.taken = 0, False  # once more from the start: rows a
                    self.fresh_from = None  # sender that died let go, which no other
                    continue  # sender's walk now vouches for (none died: no walk of every row)
                if not locked:  # the end: this run's walk needs no mark (a run that
                    self.ledger.delete_meta(self._mine())  # stops early leaves it, harmless)
                self.dropped += self._drop_left([row[0] for row in locked if row[-1]])
                rows = [row[:-1] for row in locked if row[1] is not None]
                if locked:
                    self.after = locked[-1][0]
                    self._mark_walk()
                if locked and not rows:  # none to send now (committed: their locks go)
                    continue
                if rows:
                    self.taken, self.position = True, max(self.position, rows[-1][1])
                self.ledger.hold(self.params["post"], {key: row for row, _, key, _, _ in rows})
                signer = self.factory.signer  # the batch signed in one call, as reader_feed does
                readers = [(address, name, signer.tokens.make(address))
                           for *_, address, name in rows]
                yield list(map(Prepared._make, signer.prepare_all(readers)))
                # Readers who left between the look and the claim (the claim counted them
                # skipped, against what it read just now): their rows go too.
                left = self.store.suppressed_as_last_read()
                self._drop_left([row for row, _, key, _, _ in rows if key in left])
                return

    def _pending(self, size: int) -> list[tuple[int, int | None, str, str | None, str | None,
                                                bool]]:
        """The next ``size`` pending rows no other sender holds, locked, after the last one
        this sender looked at (each look goes on from there: going back over the rows already
        sent, on a long list, would cost more every batch), in order; the reader's position,
        address and name, or None for a row not to send now (the reader left, or is outside
        the segment: it stays ``pending``, and its lock goes with this transaction); and
        whether the row is one to remove (never tried, its reader no longer active)."""
        # Locked first, then joined to the list: rows another sender holds are skipped before
        # any reader is looked up (two senders walk past each other's batches in flight; joined
        # first, each such row cost a look-up in the list too). Walked in order along the
        # post's index, stopping at ``size``: the planner, without statistics of a table just
        # written, would rather fetch every later row and sort. Sorted here, not by the query:
        # with sorting off for the walk, a sort would cost the plan enough to be compiled (JIT).
        # Past the rows there were as the run began, a look starts after the furthest mark of
        # another run of the segment (:meth:`_mark_walk`).
        self.db.execute(IN_INDEX_ORDER)
        jump = self.fresh_from is not None and self.after >= self.fresh_from
        start = ("greatest(%(after)s, (SELECT max(value::bigint) FROM ledger_meta "
                 f"WHERE {A_WALK} AND key <> %(mine)s))" if jump else "%(after)s")
        return sorted(self.db.execute(
            "WITH locked AS (SELECT d.id, d.address, d.attempts FROM deliveries d "
            f"WHERE d.post_id = %(post)s AND d.id > {start} AND d.state = 'pending' "
            "ORDER BY d.id LIMIT %(size)s FOR UPDATE SKIP LOCKED) "
            "SELECT d.id, s.position, d.address, s.address, s.name, "
            "CASE WHEN s.key IS NULL AND d.attempts = 0 THEN NOT EXISTS (SELECT 1 FROM "
            "subscribers a WHERE a.key = d.address AND a.status = ANY(%(active)s)) "
            "ELSE false END FROM locked d "
            "LEFT JOIN subscribers s ON s.key = d.address AND s.status = ANY(%(active)s)"
            + self.segment, {**self.params, "after": self.after, "size": size,
                             "walked": self.walked,
                             "mine": self._mine()}).fetchall())

    def _mark_walk(self) -> None:
        """Let the other senders know at once how far this walk came: written beside the
        look's transaction, not in it (committed with the claim, the mark came too late for
        the other's next look, which then walked the rows this look holds; a sender that dies
        before its claim leaves rows ``pending`` behind the mark, and the senders beside it
        walk again from the start for them). Only a hint: its commit need not wait for the
        disk."""
        with self.store.connection() as db:
            db.execute("INSERT INTO ledger_meta SELECT %s, %s WHERE (SELECT set_config("
                       "'synchronous_commit', 'off', true)) IS NOT NULL ON CONFLICT (key) "
                       "DO UPDATE SET value = excluded.value", (self._mine(), str(self.after)))

    def _mine(self) -> str:
        """The key of this run's walk's mark."""
        return self.walked + str(self.ledger.run_id)

    def _drop_left(self, ids: list[int]) -> int:
        """Remove the rows (locked here) written for readers who are no longer active, never
        sent nor tried: as the walk finds them, not by a pass over the post's rows as the run
        ends; how many."""
        return self.db.execute(
            "DELETE FROM deliveries WHERE id = ANY(%b::bigint[]) AND state = 'pending' "
            "AND attempts = 0", (ids,)).rowcount if ids else 0
