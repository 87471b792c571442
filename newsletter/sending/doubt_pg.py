"""The in-doubt readers of the PostgreSQL ledger: :class:`newsletter.sending.doubt.Doubts`
in PostgreSQL's SQL (arrays where SQLite reads JSON)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Sequence

from newsletter.sending.accounting import on_postgresql
from newsletter.sending.doubt import LEARNED, DoubtfulBatch, Doubts
from newsletter.sending.states import State, ledger_time
from newsletter.state import DOUBT_PREFIX

if TYPE_CHECKING:
    from newsletter.sending.ledger import Ledger
    from newsletter.sending.ledger_pg import PostgresLedger

DOUBTFUL = State.IN_DOUBT.value


def doubts(ledger: Ledger | PostgresLedger) -> Doubts:
    """The in-doubt readers of ``ledger``, in its store's SQL."""
    return PostgresDoubts(ledger) if on_postgresql(ledger) else Doubts(ledger)


class PostgresDoubts(Doubts):
    """The same questions and moves as :class:`Doubts`, on a
    :class:`newsletter.sending.ledger_pg.PostgresLedger`."""

    def doubtful_batches(self, post_id: str) -> list[DoubtfulBatch]:
        rows = self.ledger.db.execute(
            """SELECT b.id, b.key, b.subject, b.provider, b.claimed_at, MAX(d.updated_at),
                      COUNT(*)
               FROM deliveries d JOIN batches b ON b.id = d.batch
               WHERE d.post_id = %s AND d.state = %s GROUP BY b.id ORDER BY b.claimed_at""",
            (post_id, DOUBTFUL))
        return [DoubtfulBatch.from_row(row) for row in rows]

    def unrecorded(self, post_id: str) -> list[str]:
        rows = self.ledger.db.execute("SELECT address FROM deliveries WHERE post_id = %s "
                                      "AND state = %s AND batch IS NULL", (post_id, DOUBTFUL))
        return [address for (address,) in rows]

    def readers_after(self, post_id: str, after: str, limit: int,
                      state: State = State.IN_DOUBT) -> list[str]:
        rows = self.ledger.db.execute(
            "SELECT address FROM deliveries WHERE post_id = %s AND state = %s AND address > %s "
            "ORDER BY address LIMIT %s", (post_id, state.value, after, limit))
        return [address for (address,) in rows]

    def matched(self, post_id: str, readers: Sequence[str]) -> list[str]:
        rows = self.ledger.db.execute(
            "SELECT address FROM deliveries WHERE post_id = %s AND state = %s "
            "AND address = ANY(%s)", (post_id, DOUBTFUL, list(readers)))
        return [address for (address,) in rows]

    def left_in_doubt(self, post_id: str, batches: Sequence[DoubtfulBatch],
                      found: Iterable[str] = ()) -> dict[int, int]:
        rows = self.ledger.db.execute(
            "SELECT batch, COUNT(*) FROM deliveries WHERE post_id = %s AND state = %s "
            "AND batch = ANY(%s) AND NOT address = ANY(%s) GROUP BY batch",
            (post_id, DOUBTFUL, [b.id for b in batches], list(found)))
        return dict(rows.fetchall())

    def flagged_posts(self) -> list[str]:
        rows = self.ledger.db.execute("SELECT key FROM ledger_meta WHERE left(key, %s) = %s",
                                      (len(DOUBT_PREFIX), DOUBT_PREFIX))
        return [key.removeprefix(DOUBT_PREFIX) for (key,) in rows]

    def has_doubt(self, post_id: str) -> bool:
        return self.ledger.db.execute(
            "SELECT EXISTS (SELECT 1 FROM deliveries WHERE post_id = %s AND state = %s)",
            (post_id, DOUBTFUL)).fetchone()[0]

    def mark_found(self, post_id: str, found: Sequence[tuple[str, str]]) -> int:
        return self.ledger.db.execute(
            """UPDATE deliveries AS d SET state = %s, provider_message_id = f.message_id,
                                          reason = NULL, updated_at = %s
               FROM unnest(%s::text[], %s::text[]) AS f (address, message_id)
               WHERE d.post_id = %s AND d.address = f.address AND d.state = %s""",
            (State.SENT.value, ledger_time(), [address for address, _ in found],
             [message_id for _, message_id in found], post_id, DOUBTFUL)).rowcount

    def requeue_batches(self, post_id: str, batches: Sequence[DoubtfulBatch],
                        reason: str) -> int:
        with self.ledger.putting_back(post_id):
            return self.ledger.db.execute(
                "UPDATE deliveries SET state = %s, reason = %s, updated_at = %s "
                "WHERE post_id = %s AND state = %s AND batch = ANY(%s)",
                (State.PENDING.value, reason, ledger_time(), post_id, DOUBTFUL,
                 [batch.id for batch in batches])).rowcount

    NOTED = "reason = COALESCE(split_part(reason, %s, 1) || %s, '') || %s"

    def noted(self, learned: str) -> tuple[str, ...]:
        return (LEARNED, LEARNED, learned)

    def note_reason(self, post_id: str, addresses: Iterable[str], reason: str) -> None:
        self.ledger.db.execute(f"UPDATE deliveries SET {self.NOTED} WHERE post_id = %s "
                               "AND state = %s AND address = ANY(%s)",
                               (*self.noted(reason), post_id, DOUBTFUL, list(addresses)))

    def note_batches(self, post_id: str, batches: Iterable[DoubtfulBatch], reason: str) -> None:
        self.ledger.db.execute(f"UPDATE deliveries SET {self.NOTED} WHERE post_id = %s "
                               "AND state = %s AND batch = ANY(%s)",
                               (*self.noted(reason), post_id, DOUBTFUL,
                                [batch.id for batch in batches]))
