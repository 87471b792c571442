"""Accounting for every reader: the ledger's counts, and the active readers it does not hold.

`status` and `posts` show, per post, the ledger's rows by state and the readers active now
whom no run has reached yet ("not yet sent": after a stopped run, or after new sign-ups), so
the numbers add up to the list. Before anything reads a post's ledger, a dead run's
``submitting`` rows become ``in_doubt`` (:func:`recover_dead_runs`), so nothing is shown "in
flight" when no send is running.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import field
from typing import TYPE_CHECKING, Iterable, Mapping

from newsletter.errors import SiteLockedError, SubscriberError
from newsletter.records import record
from newsletter.sending.ledger import LEDGER_FILE, Ledger
from newsletter.state import ledger_on_disk, sqlite
from newsletter.sending.lock import site_lock
from newsletter.sending.states import SETTLED, UNSETTLED, State
from newsletter.subscribers import (
    ReaderStore,
    Roster,
    SubscriberStore,
    current_roster,
    fresh_roster,
)

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.sending.ledger_pg import PostgresLedger

EVERY_STATE = tuple(State)


def on_postgresql(ledger: Ledger | PostgresLedger | None) -> bool:
    """Whether ``ledger`` is the PostgreSQL store's, which holds the list in the same database
    (asked without importing that store, which a site on files never loads)."""
    return ledger is not None and not isinstance(ledger, Ledger)


@record
class LedgerReport:
    """What the ledger says about each post, and who it has not reached."""

    counts: dict[str, Counter]  # post id -> ledger rows by state
    unsent: dict[str, int]  # post id -> active readers (of its segment) the ledger lacks
    recovered: int | None  # rows of a dead run now in doubt; None: a send is running
    problems: list[SubscriberError] = field(default_factory=list)  # rows the list cannot use
    # a read-only site: post id -> rows of a dead run counted in doubt, not recovered
    unfinished: dict[str, int] = field(default_factory=dict)


def recover_dead_runs(settings: Settings, writing: bool = False) -> int | None:
    """Turn the ``submitting`` rows of runs that died into ``in_doubt``; return how many, or
    None when a send holds the site lock (its rows really are on their way). ``writing``: for
    a send, which takes the lock even before there is a ledger, so that on a read-only site
    it refuses before anything else is said."""
    if settings.store_url:
        with Ledger.open(settings) as ledger:
            return ledger.recover_if_alone()
    if not writing and not (ledger_on_disk(settings.state_dir) and writable_ledger(settings)):
        return 0  # read-only: left for a run that can write (unfinished_on_site says so)
    try:
        with site_lock(settings):
            if not ledger_on_disk(settings.state_dir):
                return 0
            with Ledger.open(settings) as ledger:
                return ledger.recover()
    except SiteLockedError:
        return None


def writable_ledger(settings: Settings) -> bool:
    """Whether this process may write the site's ledger file (on files; one that is gone
    counts as writable: opening it says what became of it)."""
    path = settings.state_dir / LEDGER_FILE
    return not path.exists() or sqlite.writable(path)


def unfinished_on_site(settings: Settings) -> dict[str, int]:
    """On a site whose ledger this process cannot write: post id -> the messages of its run
    that ended without finishing, counted in doubt but not recovered (sending/unfinished.py);
    empty everywhere else."""
    if settings.store_url or not ledger_on_disk(settings.state_dir) or writable_ledger(settings):
        return {}
    with Ledger.open(settings) as ledger:
        return dict(ledger.unfinished)


def ledger_report(settings: Settings, segments: Mapping[str, Iterable[str]],
                  only: str | None = None) -> LedgerReport:
    """Recover dead runs, then count each post's ledger rows (or only the post ``only``) and
    the active readers of its segment (``segments``: post id -> newsletter_tags; none or
    empty: everyone) that the ledger does not hold."""
    recovered = recover_dead_runs(settings)
    ledger = Ledger.open_existing(settings)
    if ledger is None:
        return LedgerReport({}, {}, recovered)
    with ledger:
        if on_postgresql(ledger):  # list and ledger in one database: it counts
            counts = {post_id: rows for post_id, rows in ledger.counts(only).items() if rows}
            unsent = {post_id: ledger.unsent(post_id, EVERY_STATE, segments.get(post_id, ()))
                      for post_id in counts}
            return LedgerReport(counts, unsent, recovered)
        roster = fresh_roster(SubscriberStore(settings))
        counts: dict[str, Counter] = {}
        unsent: dict[str, int] = {}
        for post_id in ledger.post_ids() if only is None else [only]:
            tally = tally_post(ledger, roster, post_id, segments.get(post_id, ()))
            if tally.rows:
                counts[post_id] = tally.rows
                unsent[post_id] = tally.missing
    return LedgerReport(counts, unsent, recovered, list(roster.problems), ledger.unfinished)


def count_active(store: ReaderStore, tags: Iterable[str] = ()) -> int:
    """The active readers of the segment (``tags``; everyone without), whatever was sent."""
    if not isinstance(store, SubscriberStore):  # a database: no roster, it counts itself
        return sum(1 for _ in store.active(tags=tags or None))
    return tally_post(None, fresh_roster(store), "", tags).active


@record(frozen=True)
class Tally:
    """One post's ledger rows by state, and the active readers of its segment it lacks."""

    rows: Counter  # ledger rows by state
    active: int  # active readers in the segment
    missing: int  # of those, the ones the ledger does not hold in the states asked about


def tally_post(ledger: Ledger | None, roster: Roster, post_id: str, tags: Iterable[str] = (),
               states: Iterable[State] = EVERY_STATE) -> Tally:
    """Count a post against the roster in SQLite (attached to the ledger's connection): who is
    active in the segment (``tags``; ``roster.gone`` left out), and who of them the ledger
    does not hold in ``states``. One look-up in the ledger's index per active reader."""
    states = set(states)
    rows = ledger.counts(post_id).get(post_id, Counter()) if ledger is not None else Counter()
    db = ledger.db if ledger is not None else sqlite3.connect(":memory:", isolation_level=None)
    wanted = ["|" + tag.lower() + "|" for tag in tags]
    current = " OR ".join(["instr(r.tags, ?)"] * len(wanted)) or "1"
    current = f"({current}) AND r.key NOT IN (SELECT value FROM json_each(?))"
    params = (*wanted, json.dumps(sorted(roster.gone)))
    db.execute("ATTACH DATABASE ? AS roster", (str(roster.path),))
    try:
        active = db.execute(f"SELECT count(*) FROM roster.readers r WHERE {current}",
                            params).fetchone()[0]
        missing = active
        if rows:
            missing = db.execute(
                f"""SELECT count(*) FROM roster.readers r WHERE {current} AND NOT EXISTS (
                        SELECT 1 FROM deliveries d WHERE d.post_id = ? AND d.address = r.key)""",
                (*params, post_id)).fetchone()[0]
        for state in (state for state in rows if state not in states and rows[state]):
            # Held, but in a state the run sends to again (pending, or failed with
            # --retry-failed): rare, so a pass over the post's rows is fine.
            missing += db.execute(
                f"""SELECT count(*) FROM deliveries d JOIN roster.readers r ON r.key = d.address
                    WHERE d.post_id = ? AND d.state = ? AND {current}""",
                (post_id, state, *params)).fetchone()[0]
    finally:
        db.execute("DETACH DATABASE roster")
        if ledger is None:
            db.close()
    return Tally(rows, active, missing)


def count_recipients(store: ReaderStore, ledger: Ledger | PostgresLedger | None, post_id: str,
                     states: Iterable[State] = SETTLED,
                     problems: list[SubscriberError] | None = None,
                     tags: Iterable[str] = (), *, read_list: bool = True) -> int | None:
    """How many readers a run would send to now (the rows the list cannot use are appended
    to ``problems``, if given). With ``read_list`` false, None rather than a read of the
    whole list when the roster is not current (on PostgreSQL: rather than a count)."""
    if on_postgresql(ledger):  # list and ledger in one database: it counts
        return ledger.unsent(post_id, states, tags) if read_list else None
    roster = fresh_roster(store) if read_list else current_roster(store)
    if roster is None:
        return None
    if problems is not None:
        problems.extend(roster.problems)
    return tally_post(ledger, roster, post_id, tags, states).missing


def left_as_it_ends(ledger: Ledger | PostgresLedger, post_id: str) -> Counter:
    """The post's rows a send's summary names as it ends (failed, in doubt, pending, on their
    way), by state; the sent ones are not counted (on PostgreSQL most of a second of the
    database's CPU at a million rows, paid again by each sender; in the files ledger half the
    count's instructions, 2% of a send's own at 100,000)."""
    return ledger.counts(post_id, UNSETTLED).get(post_id, Counter())
