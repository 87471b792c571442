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
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from newsletter.addresses import address_key
from newsletter.subscribers.edits import Copy, index_copies, merge_reader
from newsletter.subscribers.rows import Status, Subscriber, new_row

if TYPE_CHECKING:
    from newsletter.subscribers.store import SubscriberStore

logger = logging.getLogger(__name__)

CONSENT_COLUMNS = ("consent_at", "consent_page", "consent_ip_hash")


class Standing(StrEnum):
    """Where an address stood on the list when it signed up."""

    NEW = "new"  # not listed: an unconfirmed row was added
    UNCONFIRMED = "unconfirmed"  # signed up before, not confirmed yet
    ACTIVE = "active"  # already receives the newsletter
    LEFT = "left"  # unsubscribed or bounced: back only by confirming
    COMPLAINED = "complained"  # marked a newsletter as spam: never back through the form


@dataclass(frozen=True)
class Signup:
    """One request to join: a normalised address and what the form said."""

    address: str
    name: str = ""
    tags: tuple[str, ...] = ()
    received_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))


@dataclass(frozen=True)
class Consent:
    """What a confirmation records: when, on which page the form was, and who (hashed IP)."""

    at: dt.datetime
    page: str
    ip_hash: str

    def cells(self) -> dict[str, str]:
        """The consent columns of the reader's row, by name."""
        return dict(zip(CONSENT_COLUMNS, (timestamp(self.at), self.page, self.ip_hash)))


@dataclass
class PruneReport:
    """What `subscribers prune` removed (or would remove), and what it could not date."""

    removed: list[str] = field(default_factory=list)
    undated: int = 0


def timestamp(moment: dt.datetime) -> str:
    """A time as the list writes it: ISO 8601 in UTC, to the second."""
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat()


def standing(copies: list[Copy]) -> Standing:
    """How the rows of one address stand: the strongest status of any copy wins."""
    statuses = {row.suppression for _, _, row in copies}
    if Status.COMPLAINED in statuses:
        return Standing.COMPLAINED
    if statuses & {Status.UNSUBSCRIBED, Status.BOUNCED}:
        return Standing.LEFT
    return Standing.UNCONFIRMED if Status.UNCONFIRMED in statuses else Standing.ACTIVE


def record_signups(store: SubscriberStore, signups: list[Signup]) -> list[Standing]:
    """Add an unconfirmed row for each new address; return each sign-up's standing, in order."""
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


def confirm_signup(store: SubscriberStore, signup: Signup, consent: Consent) -> Standing:
    """Make a confirmed address active with its consent record; return where it stood.

    Confirming twice changes nothing (the first consent stays); a complained address stays.
    An address no longer listed (pruned, removed by hand) is added: the link proves the
    reader asked.
    """
    key = address_key(signup.address)
    with store.transaction() as files:
        copies = index_copies(files, {key}).get(key, [])
        before = standing(copies) if copies else Standing.NEW
        if before in (Standing.ACTIVE, Standing.COMPLAINED):
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


def prune_unconfirmed(store: SubscriberStore, cutoff: dt.datetime,
                      dry_run: bool = False) -> PruneReport:
    """Remove unconfirmed rows that signed up before ``cutoff``; rows without a readable
    ``subscribed_at`` are kept and counted."""
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
                signed_up = _parse_time(_cell(record.cells, since_at))
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


def _parse_time(text: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)

