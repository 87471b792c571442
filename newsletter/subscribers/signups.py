"""Sign-ups from the blog's form (double opt-in): unconfirmed rows, confirmations and pruning.

Each function is one locked transaction of the store, like every other change to the list. A
new address gets an ``unconfirmed`` row (never sent posts); confirming makes it active and
writes the consent record into the reader's row; ``prune_unconfirmed`` drops stale unconfirmed
rows. A reader who unsubscribed or bounced keeps that row until they confirm; one who complained
cannot come back this way.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from newsletter.addresses import address_key
from newsletter.subscribers import postgres_signups
from newsletter.subscribers.edits import Copy, index_copies, merge_reader
from newsletter.subscribers.postgres_store import PostgresStore
from newsletter.subscribers.rows import Status, Subscriber, new_row
from newsletter.subscribers.signup_types import (
    CONSENT_COLUMNS,
    Consent,
    PruneReport,
    Signup,
    Standing,
    parse_time,
    timestamp,
)

if TYPE_CHECKING:
    from newsletter.subscribers.interface import ReaderStore

logger = logging.getLogger(__name__)

__all__ = ["CONSENT_COLUMNS", "Consent", "PruneReport", "Signup", "Standing", "confirm_signup",
           "left_since", "prune_unconfirmed", "record_signups"]


def standing(copies: list[Copy]) -> Standing:
    """How the rows of one address stand: the strongest status of any copy wins."""
    statuses = {row.suppression for _, _, row in copies}
    if Status.COMPLAINED in statuses:
        return Standing.COMPLAINED
    if any(row.spilled for _, _, row in copies):  # whether they left is a guess: never acted on
        return Standing.UNREADABLE
    if statuses & {Status.UNSUBSCRIBED, Status.BOUNCED}:
        return Standing.LEFT
    return Standing.UNCONFIRMED if Status.UNCONFIRMED in statuses else Standing.ACTIVE


def record_signups(store: ReaderStore, signups: list[Signup]) -> list[Standing]:
    """Add an unconfirmed row for each new address; return each sign-up's standing, in order."""
    if isinstance(store, PostgresStore):
        return postgres_signups.record_signups(store, signups)
    keys = {address_key(signup.address) for signup in signups}
    standings = []
    with store.transaction() as files:
        copies = index_copies(files, keys)
        added: set[str] = set()
        for signup in signups:
            key = address_key(signup.address)
            if key in added:
                standings.append(Standing.UNCONFIRMED)
            elif key in copies:
                standings.append(standing(copies[key]))
            else:
                files.default.append(new_row(signup.address, signup.name, signup.tags,
                                             Status.UNCONFIRMED, timestamp(signup.received_at)))
                added.add(key)
                standings.append(Standing.NEW)
    return standings


def confirm_signup(store: ReaderStore, signup: Signup, consent: Consent) -> Standing:
    """Make a confirmed address active with its consent record; return where it stood.

    Confirming twice changes nothing (the first consent stays); a complained address stays.
    An address that unsubscribed or bounced after the sign-up stays so (``LEFT_SINCE``): its
    link was sent before they left. An address no longer listed (pruned, removed by hand) is
    added: the link proves the reader asked.
    """
    if isinstance(store, PostgresStore):
        return postgres_signups.confirm_signup(store, signup, consent)
    key = address_key(signup.address)
    with store.transaction() as files:
        copies = index_copies(files, {key}).get(key, [])
        before = standing(copies) if copies else Standing.NEW
        if before is Standing.LEFT and store.journal.left_since(key, signup.received_at):
            return Standing.LEFT_SINCE
        if before in (Standing.ACTIVE, Standing.COMPLAINED, Standing.UNREADABLE):
            return before
        if not copies:
            files.default.append(new_row(signup.address, signup.name, signup.tags,
                                         extra=consent.cells()))
        else:
            reader = Subscriber(email=signup.address, address=signup.address, name=signup.name,
                                tags=signup.tags)
            merge_reader(copies, reader, resubscribe=True)
            _write_consent(copies, consent)
    logger.info("%s confirmed their subscription (was %s)", signup.address, before)
    return before


def _write_consent(copies: list[Copy], consent: Consent) -> None:
    for csv_file, record, _ in copies:
        if csv_file.layout.header is not None:  # a file without a header has no room for it
            for column, value in consent.cells().items():
                csv_file.set_cell(record, column, value)
            return
    logger.warning("consent of %s not recorded: none of its files has a header row",
                   copies[0][2].email)


def left_since(store: ReaderStore, signup: Signup) -> bool:
    """True if the address of ``signup`` unsubscribed, bounced or complained after it signed
    up: a confirmation link sent for it no longer brings the address back."""
    if isinstance(store, PostgresStore):
        return postgres_signups.left_since(store, signup)
    return store.journal.left_since(address_key(signup.address), signup.received_at)


def prune_unconfirmed(store: ReaderStore, cutoff: dt.datetime,
                      dry_run: bool = False) -> PruneReport:
    """Remove unconfirmed rows that signed up before ``cutoff``; rows without a readable
    ``subscribed_at`` are kept and counted."""
    if isinstance(store, PostgresStore):
        return postgres_signups.prune_unconfirmed(store, cutoff, dry_run)
    report = PruneReport()
    with store.transaction() as files:
        for csv_file in files.readable.values():
            layout = csv_file.layout
            status_at, since_at, email_at = (layout.position(name) for name in
                                             ("status", "subscribed_at", "email"))
            if status_at is None:
                continue
            doomed = []
            for record in csv_file.records:
                if _cell(record.cells, status_at).lower() != Status.UNCONFIRMED:
                    continue
                signed_up = parse_time(_cell(record.cells, since_at))
                if signed_up is None:
                    report.undated += 1
                elif signed_up < cutoff:
                    doomed.append(record)
                    report.removed.append(_cell(record.cells, email_at))
            if not dry_run:
                csv_file.drop(doomed)
    return report


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""
