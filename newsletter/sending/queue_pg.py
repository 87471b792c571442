"""A campaign on the PostgreSQL store as a queue that any number of senders share.

The first sender of a run writes a ``pending`` ledger row for every active reader of the
segment who has none (:meth:`SharedQueue.seed`: one ``INSERT ... SELECT`` inside the database,
in list order, under an advisory lock, so a sender starting beside it waits and does not write
them again). Then every sender takes its batches with ``SELECT ... FOR UPDATE SKIP LOCKED``
(:meth:`SharedQueue.taking`), in list order: the rows a sender holds are skipped by the
others, so no two senders build the same batch, and each reads and signs only its own
readers. The transaction
stays open until the batch is claimed (``submitting``, committed) and is over before the
request is handed to a worker, as on the files store; a sender that dies first only lets its
rows go back to ``pending``.

Who is active is checked as each batch is taken, against the list's own status column (the
ReaderStore's rule): a reader who left after the rows were written is never taken, and the
row written for them is removed at the end (:meth:`SharedQueue.drop_left`), counted skipped.
"""

from __future__ import annotations

import datetime as dt
import json
from contextlib import contextmanager
from typing import Iterator, Sequence

from newsletter.message import MessageFactory, Prepared
from newsletter.sending.ledger_pg import ACTIVE, PostgresLedger
from newsletter.state import PENDING_PREFIX, postgres

SEEDING = 0x6E6C7164  # advisory lock while a run writes its pending rows ("nlqd")
SEEDED_PREFIX = "seeded:"  # ledger_meta: when a run last wrote a post's rows, and its segment
# A reader's tags as split_tags reads the cell (commas, semicolons or |; blanks around).
IN_SEGMENT = ("EXISTS (SELECT 1 FROM regexp_split_to_table(lower(s.tags), '[,;|]') AS t "
              "WHERE btrim(t, E' \\t\\r\\n') = ANY(%(tags)s))")

IN_INDEX_ORDER = ("SELECT set_config('enable_sort', 'off', true), "
                  "set_config('enable_bitmapscan', 'off', true)")  # for this transaction


class SharedQueue:
    """The pending readers of one post's campaign, for the senders sharing it."""

    def __init__(self, ledger: PostgresLedger, factory: MessageFactory, post_id: str,
                 tags: Sequence[str] | None):
        self.db = ledger.db
        self.ledger = ledger
        self.factory = factory
        self.params = {"post": post_id, "active": ACTIVE,
                       "tags": None if tags is None else sorted({t.lower() for t in tags})}
        self.segment = "" if tags is None else " AND " + IN_SEGMENT
        self.after = 0  # the id of the last row taken

    def seed(self) -> int:
        """Write a ``pending`` row for each active reader of the segment the ledger does not
        hold; how many. Skipped when another sender wrote them for this segment after this
        one asked (it waited for the lock meanwhile)."""
        mark = SEEDED_PREFIX + self.params["post"]
        asked = self.db.execute("SELECT clock_timestamp()").fetchone()[0]
        with self.ledger.atomic():
            self.db.execute(postgres.advisory("pg_advisory_xact_lock"), (SEEDING,))
            done = json.loads(self.ledger.get_meta(mark) or "{}")
            if (done.get("tags") == self.params["tags"] and "at" in done
                    and dt.datetime.fromisoformat(done["at"]) >= asked):
                return 0
            at = self.db.execute("SELECT clock_timestamp()").fetchone()[0].isoformat()
            self.ledger.set_meta(mark, json.dumps({"at": at, "tags": self.params["tags"]}))
            written = self.db.execute(
                "INSERT INTO deliveries (post_id, address, state, attempts, created_at, "
                "updated_at) SELECT %(post)s, s.key, 'pending', 0, %(at)s, %(at)s "
                "FROM subscribers s WHERE s.status = ANY(%(active)s)" + self.segment +
                " ORDER BY s.position ON CONFLICT (post_id, address) DO NOTHING",
                {**self.params, "at": at}).rowcount
            if written:  # for `send --due` to resume a run that stops early
                self.ledger.set_meta(PENDING_PREFIX + self.params["post"], at)
        return written

    @contextmanager
    def taking(self, size: int) -> Iterator[list[Prepared]]:
        """Up to ``size`` pending readers no other sender holds, prepared, in list order; held
        until the block ends (claim them in it: they are committed then)."""
        with self.ledger.atomic():
            rows = self._pending(size)
            if not rows and self.after:  # once more from the start: rows another let go
                self.after = 0
                rows = self._pending(size)
            self.after = rows[-1][0] if rows else self.after
            self.ledger.hold(self.params["post"], {key: row for row, key, _, _ in rows})
            yield [self.factory.prepare(address, name) for _, _, address, name in rows]

    def _pending(self, size: int) -> list[tuple[int, str, str, str]]:
        """Rows after the last one this sender took (each look goes on from there: going
        back over the rows already sent, on a long list, would cost more every batch)."""
        # Walked in order along the post's index, stopping at ``size``: the planner, without
        # statistics of a table just written, would rather fetch every later row and sort.
        self.db.execute(IN_INDEX_ORDER)
        return self.db.execute(
            "SELECT d.id, d.address, s.address, s.name FROM deliveries d JOIN subscribers s "
            "ON s.key = d.address WHERE d.post_id = %(post)s AND d.id > %(after)s "
            "AND d.state = 'pending' AND s.status = ANY(%(active)s)" + self.segment + " ORDER BY d.id LIMIT %(size)s "
            "FOR UPDATE OF d SKIP LOCKED", {**self.params, "after": self.after, "size": size}
        ).fetchall()

    def drop_left(self) -> int:
        """Remove the rows written for readers who are no longer active (never sent, never
        tried); how many."""
        # `id IS NOT NULL`, true of every row, lets the post's index serve (m010).
        return self.db.execute(
            "DELETE FROM deliveries d WHERE d.post_id = %(post)s AND d.id IS NOT NULL "
            "AND d.state = 'pending' "
            "AND d.attempts = 0 AND NOT EXISTS (SELECT 1 FROM subscribers s WHERE s.key = "
            "d.address AND s.status = ANY(%(active)s))", self.params).rowcount
