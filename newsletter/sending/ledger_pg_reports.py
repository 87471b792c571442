"""What the PostgreSQL ledger tells reports (`send`'s summary and count, `status`): its rows by
post and state, and the active readers a post has not reached; the reads of
:class:`newsletter.sending.ledger_pg.PostgresLedger` that no send's step needs."""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Sequence

from newsletter.sending.states import SETTLED, Delivery, State

ACTIVE = ["active", ""]


class LedgerReports:
    """The ledger's reads for reports, on its connection ``db``."""

    def _holds(self, post_id: str, states: Iterable[State] | None = None) -> bool:
        query = "SELECT EXISTS (SELECT 1 FROM deliveries WHERE post_id = %s"
        params: tuple = (post_id,)
        if states is not None:
            query += " AND state = ANY(%s)"
            params += ([str(s) for s in states],)
        return self.db.execute(query + ")", params).fetchone()[0]

    def has_rows(self, post_id: str) -> bool:
        return self._holds(post_id)

    def post_ids(self) -> list[str]:
        return [post for (post,) in self.db.execute("SELECT DISTINCT post_id FROM deliveries")]

    def counts(self, post_id: str | None = None,
               states: Sequence[State] = tuple(State)) -> dict[str, Counter]:
        """{post_id: Counter(state -> rows)} of rows in ``states``, for one post or all: a
        pass over the post's rows (about 66,000 pages at a million), by this session alone,
        without parallel workers (each reads and counts a share, and together they took three
        times the CPU), so a count as a sender ends leaves the database to the senders still
        going."""
        query = "SELECT post_id, state, count(*) FROM deliveries WHERE state = ANY(%s)"
        params: tuple = ([str(s) for s in states],)
        if post_id is not None:
            query, params = query + " AND post_id = %s", (*params, post_id)
        result: dict[str, Counter] = {}
        with self.atomic():
            self.db.execute("SELECT set_config('max_parallel_workers_per_gather', '0', true)")
            rows = self.db.execute(query + " GROUP BY post_id, state", params).fetchall()
        for post, state, count in rows:
            result.setdefault(post, Counter())[State(state)] = count
        return result

    def deliveries(self, post_id: str, states: Iterable[State]) -> list[Delivery]:
        rows = self.db.execute(
            "SELECT post_id, address, state, attempts, reason, provider, provider_message_id, "
            "updated_at FROM deliveries WHERE post_id = %s AND state = ANY(%s) "
            "ORDER BY state, address", (post_id, [str(s) for s in states]))
        return [Delivery(post, address, State(state), *rest)
                for post, address, state, *rest in rows]

    def unsent(self, post_id: str, states: Iterable[State] = SETTLED,
               tags: Iterable[str] = ()) -> int:
        """Active readers of the segment (``tags``) the ledger does not hold in ``states``."""
        wanted = [tag.lower() for tag in tags]
        with self.atomic():
            # A hash join whatever the planner guesses: without statistics of a table being
            # written (a sender beside this one), it took the post's rows for a handful and
            # compared every reader with each of them (17 s for 100,000 readers).
            self.db.execute("SELECT set_config('enable_nestloop', 'off', true)")
            readers = self.db.execute(
                f"SELECT {'s.tags' if wanted else 'count(*)'} FROM subscribers s "
                "WHERE s.status = ANY(%s) AND NOT EXISTS (SELECT 1 FROM deliveries d "
                "WHERE d.post_id = %s AND d.address = s.key AND d.state = ANY(%s))",
                (ACTIVE, post_id, [str(s) for s in states])).fetchall()
        if not wanted:
            return readers[0][0]
        return sum(1 for (cell,) in readers
                   if {tag.strip().lower() for tag in cell.replace(";", ",").replace("|", ",")
                       .split(",")} & set(wanted))
