"""The ledger's in-doubt readers, as `reconcile` reads and settles them (docs/reconcile.md).

One class per store reads and writes them in its own SQL (:func:`newsletter.sending.doubt_pg.doubts` picks it): SQLite's
here, PostgreSQL's in :mod:`newsletter.sending.doubt_pg`. Every change touches only rows still
``in_doubt``: a rerun after an interruption, or a row a send settled meanwhile, is left as it is.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Iterable, Iterator, Sequence

from newsletter.records import record
from newsletter.sending.states import State, ledger_time
from newsletter.state import DOUBT_PREFIX, PENDING_PREFIX

LEARNED = "; reconcile: "  # between a row's send-time reason and what reconcile learned


@record
class DoubtfulBatch:
    """A recorded batch with readers in doubt (only counted: the search is matched against the
    ledger, so no reader is held in memory)."""

    id: int
    key: str
    subject: str | None
    provider: str
    claimed_at: dt.datetime
    given_up_at: dt.datetime  # the latest time one of its readers was marked in doubt
    size: int  # its readers in doubt

    @classmethod
    def from_row(cls, row) -> DoubtfulBatch:
        batch_id, key, subject, provider, claimed, given_up, size = row
        return cls(batch_id, key, subject, provider, dt.datetime.fromisoformat(claimed),
                   dt.datetime.fromisoformat(given_up), size)


class Doubts:
    """The in-doubt readers of the SQLite ledger (the ledger's meta is the same on both)."""

    def __init__(self, ledger):  # a Ledger; PostgresDoubts: a PostgresLedger
        self.ledger = ledger

    def doubtful_batches(self, post_id: str) -> list[DoubtfulBatch]:
        """This post's batches with readers in doubt, oldest first; their readers not yet read."""
        rows = self.ledger.db.execute(
            """SELECT b.id, b.key, b.subject, b.provider, b.claimed_at, MAX(d.updated_at),
                      COUNT(*)
               FROM deliveries d JOIN batches b ON b.id = d.batch
               WHERE d.post_id = ? AND d.state = ? GROUP BY b.id ORDER BY b.claimed_at""",
            (post_id, State.IN_DOUBT))
        return [DoubtfulBatch.from_row(row) for row in rows]

    def unrecorded(self, post_id: str) -> list[str]:
        """In-doubt readers whose claim recorded no batch (claimed before newsletter kept them)."""
        rows = self.ledger.db.execute("SELECT address FROM deliveries WHERE post_id = ? "
                                      "AND state = ? AND batch IS NULL", (post_id, State.IN_DOUBT))
        return [address for (address,) in rows]

    def readers_after(self, post_id: str, after: str, limit: int,
                      state: State = State.IN_DOUBT) -> list[str]:
        """Up to ``limit`` readers in doubt (in ``state``) for this post, in address order
        after ``after``."""
        rows = self.ledger.db.execute(
            "SELECT address FROM deliveries WHERE post_id = ? AND state = ? AND address > ? "
            "ORDER BY address LIMIT ?", (post_id, state, after, limit))
        return [address for (address,) in rows]

    def heard_of(self, post_id: str, events, chunk: int,
                 state: State = State.IN_DOUBT) -> Iterator[list[str]]:
        """Readers in doubt (in ``state``: in flight, as a send runs) for this post whom a
        provider's webhook told of a message of it (``events``: the site's EventStore), read
        ``chunk`` readers at a time: the provider took their message, whatever the ledger could
        record (yet)."""
        after = ""
        while True:
            readers = self.readers_after(post_id, after, chunk, state)
            if not readers:
                return
            after = readers[-1]
            yield events.readers_heard_of(post_id, readers)

    def matched(self, post_id: str, readers: Sequence[str]) -> list[str]:
        """Those of ``readers`` in doubt for this post (what a dry run would mark sent)."""
        rows = self.ledger.db.execute(
            "SELECT address FROM deliveries WHERE post_id = ? AND state = ? "
            "AND address IN (SELECT value FROM json_each(?))",
            (post_id, State.IN_DOUBT, json.dumps(list(readers))))
        return [address for (address,) in rows]

    def left_in_doubt(self, post_id: str, batches: Sequence[DoubtfulBatch],
                      found: Iterable[str] = ()) -> dict[int, int]:
        """{batch id: its readers still in doubt, but for ``found`` ones}."""
        rows = self.ledger.db.execute(
            "SELECT batch, COUNT(*) FROM deliveries WHERE post_id = ? AND state = ? "
            "AND batch IN (SELECT value FROM json_each(?)) "
            "AND address NOT IN (SELECT value FROM json_each(?)) GROUP BY batch",
            (post_id, State.IN_DOUBT, json.dumps([b.id for b in batches]),
             json.dumps(list(found))))
        return dict(rows.fetchall())

    def flagged_posts(self) -> list[str]:
        """Posts flagged as having readers in doubt (Ledger.mark, Ledger.recover), from `meta`."""
        rows = self.ledger.db.execute("SELECT key FROM meta WHERE substr(key, 1, ?) = ?",
                                      (len(DOUBT_PREFIX), DOUBT_PREFIX))
        return [key.removeprefix(DOUBT_PREFIX) for (key,) in rows]

    def has_doubt(self, post_id: str) -> bool:
        return bool(self.ledger.db.execute(
            "SELECT EXISTS (SELECT 1 FROM deliveries WHERE post_id = ? AND state = ?)",
            (post_id, State.IN_DOUBT)).fetchone()[0])

    def unflag(self, post_id: str) -> None:
        """The post has nobody in doubt any more."""
        self.ledger.delete_meta(DOUBT_PREFIX + post_id)

    def mark_found(self, post_id: str, found: Sequence[tuple[str, str]]) -> int:
        """In-doubt readers the provider accepted become ``sent`` under its message id; how many.
        (A statement that starts with WITH reports no rowcount: total_changes counts.)"""
        db = self.ledger.db
        before = db.total_changes
        db.execute(
            """WITH found AS MATERIALIZED (
                   SELECT json_extract(value, '$[0]') AS address,
                          json_extract(value, '$[1]') AS provider_message_id
                   FROM json_each(?))
               UPDATE deliveries SET state = ?, provider_message_id = found.provider_message_id,
                                     reason = NULL, updated_at = ?
               FROM found
               WHERE deliveries.post_id = ? AND deliveries.address = found.address
                 AND deliveries.state = ?""",
            (json.dumps(list(found)), State.SENT, ledger_time(), post_id, State.IN_DOUBT))
        return db.total_changes - before

    def requeue_batches(self, post_id: str, batches: Sequence[DoubtfulBatch],
                        reason: str) -> int:
        """The readers still in doubt of ``batches``, provably never accepted, go back to
        ``pending``."""
        self.ledger.set_meta(PENDING_PREFIX + post_id, ledger_time())  # before the rows
        cursor = self.ledger.db.execute(
            """UPDATE deliveries SET state = ?, reason = ?, updated_at = ?
               WHERE post_id = ? AND state = ? AND batch IN (SELECT value FROM json_each(?))""",
            (State.PENDING, reason, ledger_time(), post_id, State.IN_DOUBT,
             json.dumps([batch.id for batch in batches])))
        return cursor.rowcount

    # The reason a row keeps: what the send saw, then what the latest reconcile learned
    # (``<send's reason>; reconcile: <learned>``); a rerun replaces only the second part.
    NOTED = ("reason = COALESCE(substr(reason, 1, instr(reason || ?, ?) - 1) || ?, '') "
             "|| ?")

    def noted(self, learned: str) -> tuple[str, ...]:
        """The parameters of :attr:`NOTED`."""
        return (LEARNED, LEARNED, LEARNED, learned)

    def note_reason(self, post_id: str, addresses: Iterable[str], reason: str) -> None:
        """What reconcile learned of these readers still in doubt, after what the send saw,
        for `status` to show both. Their time stays: it is when the send gave up on them, from
        which a provider's indexing delay counts."""
        self.ledger.db.execute(
            f"""UPDATE deliveries SET {self.NOTED}
               WHERE post_id = ? AND state = ? AND address IN (SELECT value FROM json_each(?))""",
            (*self.noted(reason), post_id, State.IN_DOUBT, json.dumps(list(addresses))))

    def note_batches(self, post_id: str, batches: Iterable[DoubtfulBatch], reason: str) -> None:
        """:meth:`note_reason` for every reader in doubt of ``batches``."""
        self.ledger.db.execute(
            f"""UPDATE deliveries SET {self.NOTED}
               WHERE post_id = ? AND state = ? AND batch IN (SELECT value FROM json_each(?))""",
            (*self.noted(reason), post_id, State.IN_DOUBT,
             json.dumps([batch.id for batch in batches])))
