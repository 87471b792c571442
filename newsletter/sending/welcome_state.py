"""Where each reader is in the welcome series, in ``.newsletter/welcome.db`` (on the
PostgreSQL store, the same tables in its database: :mod:`newsletter.sending.welcome_state_pg`).

Who has which post is the ledger's business, as for a broadcast: a welcome email is a ledger row
(post, reader) like any other, claimed before it goes out, so each pair goes out at most once
and a reader who had a post as a broadcast is never sent it again. This store only remembers
the series' own facts:

- ``meta``: when the series was first enabled (``enabled_at``: readers who joined from then on
  get it) and when ``welcome enroll --all`` enrolled everyone else (``enrolled_all_at``);
- ``progress``: per reader, the post of the series a run last gave them, when that run ran
  (the next one is due ``every`` later), and whether the ledger has settled it (sent, failed
  or in doubt: until then the reader is due for it again, a run that stopped at a limit or died
  is resumed);
- ``sent``: per post, how many readers the series sent it to (counted as the ledger settles
  them), so `status` tells welcome emails apart from broadcasts without a pass over the ledger.

A run records its readers' progress *before* it sends (a crash then leaves a reader due again,
and the ledger stops a second copy) and :meth:`WelcomeState.settle` marks them settled from
the ledger afterwards, and at the start of every run. Times are UTC seconds.
The whole schema is :data:`newsletter.state.WELCOME`, with every other kind of state's.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from newsletter.records import record
from newsletter.sending.states import SETTLED
from newsletter.state import WELCOME, sqlite

if TYPE_CHECKING:
    from newsletter.sending.ledger import Ledger
    from newsletter.subscribers import Roster

WELCOME_FILE = WELCOME.file  # its schema: newsletter.state.WELCOME
# Each active reader's next step and when it is due: from their progress (the same post again
# until the ledger settled it, then the next one `every` (after that post) later; a post
# moved in the series is found by its id; after one taken out of it (still on the site) the
# reader starts again from the first, the posts the ledger holds for them skipped, and after
# one gone from the site (renamed: a new id the ledger does not hold) they keep their place)
# or, without progress, from when they entered the series: when they joined, or for a reader
# an import added (`arrivals`) the import's time, and only with its --welcome (else `enroll
# --all` alone).
STANDING = """
WITH standing AS (
    SELECT r.key AS key,
           CASE WHEN p.address IS NULL OR p.post_id IN temp.left_out THEN 0
                ELSE coalesce(s.pos, p.step) + p.settled END AS next,
           CASE WHEN p.address IS NOT NULL THEN p.at + p.settled * json_extract(
                    :gaps, printf('$[%d]', min(coalesce(s.pos, p.step), :last_gap)))
                WHEN coalesce(a.joins, 1) AND coalesce(a.at, r.joined) >= :enabled_at
                    THEN coalesce(a.at, r.joined) + :first_after
                WHEN :enrolled_all_at IS NOT NULL
                     AND coalesce(coalesce(a.at, r.joined) <= :enrolled_all_at, 1)
                    THEN max(coalesce(a.at, r.joined, 0), :enrolled_all_at) + :first_after
           END AS due_at
    FROM roster.readers AS r INDEXED BY readers_by_key  -- in key order, as `progress` is
         LEFT JOIN progress p ON p.address = r.key
         LEFT JOIN arrivals a ON a.address = r.key
         LEFT JOIN temp.series s ON s.post_id = p.post_id
    WHERE r.key NOT IN temp.gone)
"""
ENABLED_AT = "enabled_at"
ENROLLED_ALL_AT = "enrolled_all_at"


class WelcomeState:
    """The welcome series' state of one site (its SQLite file; :class:`PostgresWelcomeState`
    keeps the same tables in the store's database)."""

    META, PROGRESS, SENT, DELIVERIES = "meta", "progress", "sent", "ledger.deliveries"
    MARK = "?"

    def __init__(self, path: Path):
        self.path = path
        # Durable: progress is on disk before a send.
        self.db = sqlite.open_kind_or_empty(path, WELCOME)

    @classmethod
    def open(cls, state_dir: Path) -> WelcomeState:
        return cls(state_dir / WELCOME_FILE)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> WelcomeState:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -- meta ----------------------------------------------------------------------------------

    def moment(self, key: str) -> int | None:
        """The time stored under ``key`` (ENABLED_AT, ENROLLED_ALL_AT), or None."""
        row = self.db.execute(f"SELECT value FROM {self.META} WHERE key = {self.MARK}",
                              (key,)).fetchone()
        return int(row[0]) if row else None

    def record_moment(self, key: str, at: int, *, replace: bool = False) -> int:
        """Store ``at`` under ``key`` (kept if already set, unless ``replace``); the stored time."""
        then = "UPDATE SET value = excluded.value" if replace else "NOTHING"
        self.db.execute(f"INSERT INTO {self.META} VALUES ({self.MARK}, {self.MARK}) "
                        f"ON CONFLICT (key) DO {then}", (key, str(at)))
        return self.moment(key)

    # -- progress ------------------------------------------------------------------------------

    def record_arrivals(self, keys: list[str], at: int, joins: bool) -> None:
        """Readers an import adds at ``at``: in the series from then if ``joins`` (its
        --welcome), else out of it until `welcome enroll --all`."""
        with self._transaction():
            self.db.execute(self.ARRIVE, (at, int(joins), self._key_list(keys)))

    ARRIVE = ("INSERT INTO arrivals SELECT value, ?, ? FROM json_each(?) WHERE true "
              "ON CONFLICT (address) DO NOTHING")
    _key_list = staticmethod(json.dumps)

    @contextmanager
    def standing(self, roster: Roster | None, series: SeriesTerms, now: int
                 ) -> Iterator[Standing]:
        """Where every active reader of ``roster`` stands in the series at ``now``, in SQL:
        each reader's next step and whether it is due, from the time they joined or their
        progress. Each pass is one look-up in ``progress`` per reader."""
        self.db.execute("ATTACH DATABASE ? AS roster", (str(roster.path),))
        try:
            self.db.execute("CREATE TEMP TABLE series (post_id TEXT PRIMARY KEY, pos INTEGER)")
            self.db.executemany("INSERT INTO temp.series VALUES (?, ?)",
                                [(post_id, pos) for pos, post_id in enumerate(series.ids)])
            self.db.execute("CREATE TEMP TABLE left_out (post_id TEXT PRIMARY KEY)")
            self.db.executemany("INSERT INTO temp.left_out VALUES (?)",
                                [(post_id,) for post_id in series.left_out])
            self.db.execute("CREATE TEMP TABLE gone (key TEXT PRIMARY KEY)")
            self.db.executemany("INSERT INTO temp.gone VALUES (?)", [(k,) for k in roster.gone])
            # what a run gives, kept apart until the pass over `progress` is done
            self.db.execute("CREATE TEMP TABLE given (key TEXT, step INTEGER, post_id TEXT)")
            yield Standing(self.db, series, now)
        finally:
            for table in ("series", "left_out", "gone", "given"):
                self.db.execute(f"DROP TABLE IF EXISTS temp.{table}")
            self.db.execute("DETACH DATABASE roster")

    def given(self, post_id: str, at: int) -> Callable[[list[str]], set[str]]:
        """The ``select`` of a campaign sending ``post_id``: of a chunk of keys, those the run
        at ``at`` gave that post and the ledger has not settled yet."""
        def select(keys: list[str]) -> set[str]:
            rows = self.db.execute(
                "SELECT address FROM progress WHERE address IN (SELECT value FROM json_each(?)) "
                "AND post_id = ? AND at = ? AND settled = 0", (json.dumps(keys), post_id, at))
            return {row[0] for row in rows}
        return select

    def settle(self, ledger: Ledger) -> None:
        """Mark settled every reader whose last post the ledger holds sent, failed or in doubt,
        counting the ones sent (call with no run in progress, after the ledger's recovery)."""
        marks = ", ".join([self.MARK] * len(SETTLED))
        held = f"""EXISTS (SELECT 1 FROM {self.DELIVERIES} d WHERE d.post_id = p.post_id
                   AND d.address = p.address AND {{}})"""
        with self._beside(ledger), self._transaction():
            self.db.execute(
                f"""INSERT INTO {self.SENT} SELECT post_id, count(*) FROM {self.PROGRESS} p
                    WHERE settled = 0 AND {held.format("d.state = 'sent'")} GROUP BY post_id
                    ON CONFLICT (post_id) DO UPDATE
                    SET readers = {self.SENT}.readers + excluded.readers""")
            self.db.execute(f"UPDATE {self.PROGRESS} AS p SET settled = 1 WHERE settled = 0 "
                            f"AND {held.format(f'd.state IN ({marks})')}",
                            [state.value for state in SETTLED])

    def reopen(self, ledger: Ledger, post_ids: Iterable[str]) -> None:
        """Make due again for ``post_ids`` (posts the ledger flags with pending readers) every
        reader whose welcome email of one was settled in doubt and since found never sent
        (`reconcile`): the series sends it, as nothing else would."""
        mark = self.MARK
        with self._beside(ledger), self._transaction():
            for post_id in post_ids:
                self.db.execute(
                    f"""UPDATE {self.PROGRESS} SET settled = 0 WHERE settled = 1
                        AND post_id = {mark} AND address IN (SELECT address
                        FROM {self.DELIVERIES} WHERE post_id = {mark} AND state = 'pending')""",
                    (post_id, post_id))

    @contextmanager
    def _beside(self, ledger: Ledger) -> Iterator[None]:
        """The ledger's file attached as ``ledger`` for the block."""
        self.db.execute("ATTACH DATABASE ? AS ledger", (str(ledger.path),))
        try:
            yield
        finally:
            self.db.execute("DETACH DATABASE ledger")

    def _transaction(self):
        return sqlite.immediate(self.db)

    def carry_moved(self, roster: Roster, listed: Iterable[str]) -> int:
        """Move the progress of each reader whose address was changed by hand to the new
        address; how many moved. The old address is gone from the list (not in ``roster``, nor
        among the ``listed`` suppressed keys) and one new reader without progress joined at
        the same second as it: exactly one on each side, else no guess is made."""
        self.db.execute("ATTACH DATABASE ? AS roster", (str(roster.path),))
        try:
            gone = {*roster.gone, *listed}
            departed = [(key, joined) for key, joined in self.db.execute(
                "SELECT address, joined FROM progress p WHERE joined IS NOT NULL AND NOT "
                "EXISTS (SELECT 1 FROM roster.readers r INDEXED BY readers_by_key "
                "WHERE r.key = p.address)") if key not in gone]
            if not departed:
                return 0
            once = _once(departed)
            newcomers = self.db.execute(
                "SELECT key, joined FROM roster.readers r WHERE joined IN (SELECT value FROM "
                "json_each(?)) AND NOT EXISTS (SELECT 1 FROM progress p WHERE p.address = "
                "r.key) AND NOT EXISTS (SELECT 1 FROM arrivals a WHERE a.address = r.key)",
                (json.dumps(list(once)),)).fetchall()
            moves = [(new, once[joined]) for joined, new in _once(newcomers).items()
                     if new not in gone]
            with self._transaction():
                self.db.executemany("UPDATE progress SET address = ? WHERE address = ?", moves)
            return len(moves)
        finally:
            self.db.execute("DETACH DATABASE roster")

    # -- reports -------------------------------------------------------------------------------

    def sent_counts(self) -> dict[str, int]:
        """{post id: readers the series sent it to}."""
        return dict(self.db.execute(f"SELECT post_id, readers FROM {self.SENT}").fetchall())


def _once(pairs: list[tuple[str, int]]) -> dict[int, str]:
    """{join time: key} of the join times only one of ``pairs`` (key, join time) has."""
    keys: dict[int, list[str]] = {}
    for key, joined in pairs:
        keys.setdefault(joined, []).append(key)
    return {joined: found[0] for joined, found in keys.items() if len(found) == 1}


@record(frozen=True)
class SeriesTerms:
    """What the standing query needs of the series (all times in UTC seconds)."""

    ids: tuple[str, ...]  # its posts, in order
    gaps: tuple[int, ...]  # after each post, before the next (the last for the rest)
    first_after: int
    enabled_at: int | None
    enrolled_all_at: int | None
    left_out: tuple[str, ...] = ()  # the site's other posts: one taken out is among them
    earlier: tuple[tuple[int, str], ...] = ()  # (step, id its post went out under before a rename)


class Standing:
    """The readers' standing at ``now`` (inside :meth:`WelcomeState.standing`)."""

    def __init__(self, db: sqlite3.Connection, series: SeriesTerms, now: int):
        self.db = db
        self.count = len(series.ids)
        self.params = {"gaps": json.dumps(series.gaps), "last_gap": len(series.gaps) - 1,
                       "first_after": series.first_after,
                       "enabled_at": series.enabled_at, "now": now,
                       "enrolled_all_at": series.enrolled_all_at, "count": self.count}

    QUERY = STANDING
    DUE = "SELECT key, next FROM standing WHERE due_at <= :now AND next < :count"
    skips_received = False  # due() leaves the posts the ledger holds to the caller

    def mark(self, name: str) -> str:
        """The query's placeholder for the parameter ``name``."""
        return f":{name}"

    def counts(self) -> list[tuple[int, bool, int]]:
        """(next step, due now, readers) of the readers in the series (next step = the number
        of posts: they had them all)."""
        count, now = self.mark("count"), self.mark("now")
        rows = self.db.execute(
            self.QUERY + f"SELECT CASE WHEN next < {count} THEN next ELSE {count} END, "
            f"due_at <= {now}, count(*) FROM standing WHERE due_at IS NOT NULL GROUP BY 1, 2",
            self.params)
        return [(step, bool(due), readers) for step, due, readers in rows]

    def outside(self) -> int:
        """Active readers not in the series (whom `welcome enroll --all` would put in it)."""
        return self.db.execute(self.QUERY + "SELECT count(*) FROM standing "
                               "WHERE due_at IS NULL", self.params).fetchone()[0]

    def due(self, size: int) -> Iterator[list[tuple[str, int]]]:
        """(key, next step) of the readers due now, ``size`` at a time."""
        rows = self.db.execute(self.QUERY + self.DUE, self.params)
        while chunk := rows.fetchmany(size):
            yield chunk

    def stage(self, given: Iterable[tuple[str, int, str]]) -> None:
        """Keep (key, step, post id) that this run gives, for :meth:`give`."""
        self.db.executemany("INSERT INTO temp.given VALUES (?, ?, ?)", given)

    def give(self) -> None:
        """Record, in one transaction, that this run gives each reader staged their post."""
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute("INSERT OR REPLACE INTO progress SELECT g.key, g.step, g.post_id, ?, "
                        "0, r.joined FROM temp.given g LEFT JOIN roster.readers r "
                        "INDEXED BY readers_by_key ON r.key = g.key", (self.params["now"],))
        self.db.execute("COMMIT")
