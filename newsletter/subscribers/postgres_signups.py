"""Sign-ups in the PostgreSQL store: the rules of :mod:`newsletter.subscribers.signups`, on the
``subscribers`` table. Each function is one transaction that locks the readers' rows, so two
hosts confirming or signing up one address at once see each other's change."""

from __future__ import annotations

import datetime as dt
import json
import logging

from newsletter.addresses import address_key
from newsletter.subscribers.journal import stamp
from newsletter.subscribers.postgres_store import PostgresStore, add_columns, insert
from newsletter.subscribers.rows import Status, Subscriber
from newsletter.subscribers.signup_types import (
    Consent,
    PruneReport,
    Signup,
    Standing,
    parse_time,
    timestamp,
)

logger = logging.getLogger(__name__)


def standing_of(status: str) -> Standing:
    """How a reader's row stands (an unknown status counts as leaving, as in the files)."""
    if status == Status.COMPLAINED:
        return Standing.COMPLAINED
    if status == Status.UNCONFIRMED:
        return Standing.UNCONFIRMED
    return Standing.ACTIVE if status in (Status.ACTIVE, "") else Standing.LEFT


def _locked_status(db, key: str) -> str | None:
    row = db.execute("SELECT status FROM subscribers WHERE key = %s FOR UPDATE",
                     (key,)).fetchone()
    return None if row is None else row[0]


def record_signups(store: PostgresStore, signups: list[Signup]) -> list[Standing]:
    """Add an unconfirmed reader for each new address; each sign-up's standing, in order."""
    standings = []
    with store.connection() as db, db.transaction():
        for signup in signups:
            status = _locked_status(db, address_key(signup.address))
            if status is None:
                insert(db, [Subscriber(email=signup.address, address=signup.address,
                                       name=signup.name, status=Status.UNCONFIRMED,
                                       tags=signup.tags,
                                       subscribed_at=timestamp(signup.received_at))])
                standings.append(Standing.NEW)
            else:
                standings.append(standing_of(status))
    return standings


def confirm_signup(store: PostgresStore, signup: Signup, consent: Consent) -> Standing:
    """Make a confirmed address active with its consent record; where it stood before."""
    key = address_key(signup.address)
    cells = consent.cells()
    with store.connection() as db, db.transaction():
        status = _locked_status(db, key)
        before = Standing.NEW if status is None else standing_of(status)
        if before is Standing.LEFT and _left_since(db, key, signup.received_at):
            return Standing.LEFT_SINCE
        if before in (Standing.ACTIVE, Standing.COMPLAINED):
            return before
        if status is None:
            insert(db, [Subscriber(email=signup.address, address=signup.address,
                                   name=signup.name, tags=signup.tags,
                                   subscribed_at=timestamp(consent.at), extra=cells)])
        else:
            # Active again, with the name and tags the form gave where the row had none.
            add_columns(db, cells)
            db.execute(
                "UPDATE subscribers SET status = 'active', "
                "name = CASE WHEN name = '' THEN %s ELSE name END, "
                "tags = CASE WHEN tags = '' THEN %s ELSE tags END, "
                "extra = extra || %s::jsonb WHERE key = %s",
                (signup.name, ",".join(signup.tags), json.dumps(cells), key))
    logger.info("%s confirmed their subscription (was %s)", signup.address, before)
    return before


def left_since(store: PostgresStore, signup: Signup) -> bool:
    """:func:`newsletter.subscribers.signups.left_since` in the table's journal."""
    with store.connection() as db:
        return _left_since(db, address_key(signup.address), signup.received_at)


def _left_since(db, key: str, since: dt.datetime) -> bool:
    return db.execute("SELECT EXISTS (SELECT 1 FROM journal_changes WHERE key = %s "
                      "AND at >= %s)", (key, stamp(since))).fetchone()[0]


def prune_unconfirmed(store: PostgresStore, cutoff: dt.datetime,
                      dry_run: bool = False) -> PruneReport:
    """Remove unconfirmed readers who signed up before ``cutoff``; those without a readable
    ``subscribed_at`` are kept and counted."""
    report = PruneReport()
    with store.connection() as db, db.transaction():
        doomed = []
        for key, email, since in db.execute(
                "SELECT key, email, subscribed_at FROM subscribers WHERE status = 'unconfirmed' "
                "ORDER BY position FOR UPDATE"):
            signed_up = parse_time(since)
            if signed_up is None:
                report.undated += 1
            elif signed_up < cutoff:
                doomed.append(key)
                report.removed.append(email)
        if doomed and not dry_run:
            db.execute("DELETE FROM subscribers WHERE key = ANY(%s)", (doomed,))
    return report
