"""Suppressions: statuses a provider or a reader asks for, applied through the subscriber store.

:func:`apply_suppressions` is the one place the unsubscribe endpoint, the webhooks and
``subscribers sync`` change a status. Each change is the store's own locked, atomic write.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from newsletter.addresses import normalise_address, normalised_key
from newsletter.errors import SubscriberError
from newsletter.subscribers.edits import index_copies, set_statuses
from newsletter.subscribers.rows import Status, new_row

if TYPE_CHECKING:
    from newsletter.subscribers.store import SubscriberStore

logger = logging.getLogger(__name__)

# When one address is on several lists, the strongest signal wins: a complaint hurts the
# sender's reputation most, a hard bounce next, an unsubscribe least.
PRIORITY = {"complained": 0, "bounced": 1, "unsubscribed": 2}


@dataclass(frozen=True)
class Suppression:
    """A status to give one address, and why."""

    address: str
    status: str  # bounced | complained | unsubscribed
    reason: str = ""


def apply_suppressions(store: SubscriberStore, suppressions: Iterable[Suppression], *,
                       record_unknown: bool = False) -> list[Suppression]:
    """Give each active reader its suppression's status; return the ones that changed a row.

    A reader already unsubscribed, bounced or complained keeps the status they have. Addresses
    not on the list are left alone (a provider's lists may hold other lists' readers), unless
    ``record_unknown``: then a suppression row is added, so a later import cannot mail them.
    All in one transaction of the store: one read and one write, however many changes.
    """
    strongest: dict[str, Suppression] = {}
    for suppression in sorted(suppressions, key=lambda s: PRIORITY[s.status]):
        try:
            strongest.setdefault(normalised_key(suppression.address), suppression)
        except SubscriberError:
            continue
    changed = []
    with store.transaction() as files:
        copies = index_copies(files, set(strongest))
        for key, suppression in strongest.items():
            rows = copies.get(key, [])
            # An unconfirmed reader has not left: a bounce or complaint about the confirmation
            # email still counts.
            left = [row for _, _, row in rows if row.suppression is not Status.UNCONFIRMED]
            if any(row.suppressed for row in left) or not (rows or record_unknown):
                continue
            status = Status(suppression.status)
            if rows:
                set_statuses(rows, status, only_if=lambda row: True)
            else:
                files.default.append(new_row(normalise_address(suppression.address), status=status))
            changed.append(suppression)
    for change in changed:
        logger.info("%s is now %s (%s)", change.address, change.status, change.reason)
    return changed


