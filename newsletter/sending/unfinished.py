"""Runs that ended without finishing, on a site whose ledger this process cannot write.

On a site it may write, any command that reads the ledger first puts a dead run's
``submitting`` rows in doubt (:meth:`Ledger.recover`, under the site lock). A read-only site (a
checkout mounted read-only in CI, a folder owned by another user) can be neither locked nor
changed, and nobody can be sending there: the rows a recovery would move are counted in doubt
in memory instead, so `status` and `posts` show the figures a writable site shows, and the
command says that a run where the folder is writable finishes the job.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections import Counter

from newsletter.sending.states import Delivery, State
from newsletter.state import RUNNING_PREFIX

STOPPED = "the run stopped while its batch was being sent"  # a recovered row's reason


def unfinished_runs(db: sqlite3.Connection) -> dict[str, int]:
    """Post id -> the ``submitting`` rows of its run that did not end (what
    :meth:`Ledger.recover` would put in doubt), read without changing anything."""
    rows = db.execute(
        """SELECT d.post_id, count(*) FROM meta m JOIN deliveries d
               ON d.post_id = substr(m.key, ?) AND d.state = ?
           WHERE substr(m.key, 1, ?) = ? GROUP BY d.post_id""",
        (len(RUNNING_PREFIX) + 1, State.SUBMITTING, len(RUNNING_PREFIX), RUNNING_PREFIX))
    return dict(rows)


def as_recovered(counts: dict[str, Counter], unfinished: dict[str, int]) -> dict[str, Counter]:
    """``counts`` (post id -> rows by state) as a recovery would leave them."""
    for post_id, rows in unfinished.items():
        if post_id in counts:
            counts[post_id][State.IN_DOUBT] += rows
            counts[post_id][State.SUBMITTING] -= rows
            if not counts[post_id][State.SUBMITTING]:
                del counts[post_id][State.SUBMITTING]
    return counts


def widened(states: tuple[State, ...], post_id: str | None,
            unfinished: dict[str, int]) -> tuple[State, ...]:
    """The states to read for rows in ``states`` of a post (None: every post): with
    ``submitting`` too where a recovery would have put some in doubt."""
    dead = post_id in unfinished if post_id is not None else bool(unfinished)
    if dead and State.IN_DOUBT in states and State.SUBMITTING not in states:
        return (*states, State.SUBMITTING)
    return states


def as_recovered_rows(rows: list[Delivery], unfinished: dict[str, int]) -> list[Delivery]:
    """``rows`` (by state, then address) as a recovery would leave them."""
    if not any(row.state is State.SUBMITTING and row.post_id in unfinished for row in rows):
        return rows
    return sorted((dataclasses.replace(row, state=State.IN_DOUBT, reason=STOPPED)
                   if row.state is State.SUBMITTING and row.post_id in unfinished else row
                   for row in rows), key=lambda row: (row.state, row.address))
