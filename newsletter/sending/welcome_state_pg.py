"""The welcome series' state in the PostgreSQL store: the tables of
:class:`~newsletter.sending.welcome_state.WelcomeState` (``welcome_meta``,
``welcome_progress``, ``welcome_sent``) beside the list and the ledger in one database, so
who is due is one query over ``subscribers``, ``welcome_progress`` and ``deliveries`` (no
roster to build; the posts a reader already had are skipped there too) and settling is one
statement per table against ``deliveries``.

A run's decision and what it gives are one transaction: the due readers stream from a
server-side cursor, what the run gives is staged in a TEMP table dropped at commit, and
``welcome_progress`` changes only when the transaction commits. `send --due` holds the
store's advisory lock (one run at a time, every host), so two runs never decide at once.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from newsletter.sending.ledger_pg import ACTIVE
from newsletter.sending.states import SETTLED
from newsletter.sending.welcome_state import SeriesTerms, Standing, WelcomeState
from newsletter.state import LEDGER, LIST, WELCOME, postgres

if TYPE_CHECKING:
    from newsletter.sending.ledger import Ledger
    from newsletter.subscribers import Roster

# As welcome_state.STANDING, over the list's own table: `joined` is kept with each row.
STANDING = """
WITH series AS (
    SELECT post_id, pos - 1 AS pos
    FROM unnest(%(ids)s::text[]) WITH ORDINALITY AS s(post_id, pos)),
earlier AS (
    SELECT * FROM unnest(%(earlier_steps)s::int[], %(earlier_ids)s::text[]) AS e(pos, post_id)),
standing AS (
    SELECT r.key AS key,
           CASE WHEN p.address IS NULL OR p.post_id = ANY(%(left_out)s::text[]) THEN 0
                ELSE coalesce(s.pos, p.step) + p.settled END AS next,
           CASE WHEN p.address IS NOT NULL THEN p.at + p.settled * (%(gaps)s::bigint[])[
                    least(coalesce(s.pos, p.step), %(last_gap)s) + 1]
                WHEN coalesce(a.joins, 1) = 1
                     AND coalesce(a.at, r.joined) >= %(enabled_at)s::bigint
                    THEN coalesce(a.at, r.joined) + %(first_after)s::bigint
                WHEN %(enrolled_all_at)s::bigint IS NOT NULL
                     AND coalesce(coalesce(a.at, r.joined) <= %(enrolled_all_at)s::bigint, true)
                    THEN greatest(coalesce(a.at, r.joined, 0), %(enrolled_all_at)s::bigint)
                         + %(first_after)s::bigint
           END AS due_at
    FROM subscribers r
         LEFT JOIN welcome_progress p ON p.address = r.key
         LEFT JOIN welcome_arrivals a ON a.address = r.key
         LEFT JOIN series s ON s.post_id = p.post_id
    WHERE r.status = ANY(%(active)s))
"""


class PostgresWelcomeState(WelcomeState):
    """The welcome series' state of one site in PostgreSQL; one connection, held for the
    state's life."""

    META, PROGRESS, SENT, DELIVERIES = "welcome_meta", "welcome_progress", "welcome_sent", \
        "deliveries"
    MARK = "%s"
    ARRIVE = ("INSERT INTO welcome_arrivals SELECT k, %s, %s FROM unnest(%s::text[]) AS k "
              "ON CONFLICT (address) DO NOTHING")
    _key_list = staticmethod(list)

    def __init__(self, url: str, site: str | None = None):
        self.database = postgres.Database(url, site=site)
        self._lent = self.database.connection(LIST, LEDGER, WELCOME)
        self.db = postgres.Guarded(self._lent.__enter__())

    def close(self) -> None:
        self._lent.__exit__(None, None, None)
        self.database.close()

    @contextmanager
    def standing(self, roster: Roster | None, series: SeriesTerms, now: int
                 ) -> Iterator[Standing]:
        """Where every active reader stands at ``now`` (``roster`` unused: the list is here);
        what the block gives is committed as it ends."""
        with self.db.transaction():
            yield PostgresStanding(self.db, series, now)

    def given(self, post_id: str, at: int) -> Callable[[list[str]], set[str]]:
        def select(keys: list[str]) -> set[str]:
            rows = self.db.execute(
                "SELECT address FROM welcome_progress WHERE address = ANY(%s) "
                "AND post_id = %s AND at = %s AND settled = 0", (keys, post_id, at))
            return {row[0] for row in rows}
        return select

    @contextmanager
    def _beside(self, ledger: Ledger) -> Iterator[None]:
        yield  # the ledger's tables are in this database

    def _transaction(self):
        return self.db.transaction()


class PostgresStanding(Standing):
    """The readers' standing at ``now``, inside :meth:`PostgresWelcomeState.standing`."""

    def __init__(self, db: postgres.Guarded, series: SeriesTerms, now: int):
        super().__init__(db, series, now)
        self.params.update(ids=list(series.ids), left_out=list(series.left_out),
                           gaps=list(series.gaps),
                           earlier_steps=[step for step, _ in series.earlier],
                           earlier_ids=[old for _, old in series.earlier],
                           active=ACTIVE, settled=[state.value for state in SETTLED])
        self.staged = False  # welcome_given made

    QUERY = STANDING
    # Each due reader's next step moved past the posts the ledger already holds for them (a
    # broadcast they had, under the post's id or one it had before a rename; the number of
    # posts: they had them all), in the same query.
    DUE = """SELECT r.key, coalesce((
                 SELECT min(s.pos) FROM series s WHERE s.pos >= r.next AND NOT EXISTS (
                     SELECT 1 FROM deliveries d WHERE d.post_id = ANY(ARRAY[s.post_id] || ARRAY(
                         SELECT e.post_id FROM earlier e WHERE e.pos = s.pos))
                     AND d.address = r.key AND d.state = ANY(%(settled)s))), %(count)s)
             FROM standing r WHERE r.due_at <= %(now)s AND r.next < %(count)s ORDER BY r.key"""
    skips_received = True

    def mark(self, name: str) -> str:
        return f"%({name})s"

    def due(self, size: int) -> Iterator[list[tuple[str, int]]]:
        yield from self.db.stream(self.QUERY + self.DUE, self.params, size)

    def stage(self, given: Iterable[tuple[str, int, str]]) -> None:
        """The readers this run gives a step, kept in a TEMP table until :meth:`give`: made at
        the first, so that a look that gives nobody (`welcome status`, a dry run) writes
        nothing, and runs on a read-only server (a standby) too."""
        given = list(given)
        if given:
            if not self.staged:
                self.db.execute("CREATE TEMP TABLE welcome_given (key TEXT, step INTEGER, "
                                "post_id TEXT) ON COMMIT DROP")
                self.staged = True
            self.db.execute("INSERT INTO welcome_given SELECT * FROM json_to_recordset(%s) "
                            "AS g(key TEXT, step INTEGER, post_id TEXT)",
                            (json.dumps([{"key": k, "step": s, "post_id": p}
                                         for k, s, p in given]),))

    def give(self) -> None:
        self.db.execute("INSERT INTO welcome_progress SELECT g.key, g.step, g.post_id, %s, 0, "
                        "r.joined FROM welcome_given g LEFT JOIN subscribers r ON r.key = g.key "
                        "ON CONFLICT (address) DO UPDATE SET step = excluded.step, "
                        "post_id = excluded.post_id, at = excluded.at, settled = 0, "
                        "joined = excluded.joined", (self.params["now"],))
