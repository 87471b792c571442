"""Suppressions: statuses a provider or a reader asks for, applied through the journal.

:func:`record_suppressions` is what the unsubscribe endpoint and the webhooks call: one append
to the journal, durable and in effect before it returns, however long the list is; the files
follow when the journal is folded. :func:`apply_suppressions` (``subscribers sync``) also folds
at once, and says which readers changed.
"""

from __future__ import annotations

import logging
from typing import Iterable

from newsletter.addresses import address_key, normalise_address
from newsletter.errors import SubscriberError
from newsletter.records import record
from newsletter.subscribers.folding import fold_locked
from newsletter.subscribers.journal import STRENGTH
from newsletter.subscribers.store import SubscriberStore

logger = logging.getLogger(__name__)


@record(frozen=True)
class Suppression:
    """A status to give one address, and why."""

    address: str
    status: str  # bounced | complained | unsubscribed
    reason: str = ""


def record_suppressions(store: SubscriberStore, suppressions: Iterable[Suppression], *,
                        record_unknown: bool = False) -> list[Suppression]:
    """Journal each suppression of a valid address; return those journalled.

    When one address is asked for twice, the strongest status wins: a complaint hurts the
    sender's reputation most, a hard bounce next, an unsubscribe least. The fold gives the
    status to active and unconfirmed readers only (one who already left keeps theirs), and
    leaves addresses no file lists alone (a provider's lists may hold other lists' readers)
    unless ``record_unknown``: then a suppression row is added, so a later import cannot
    mail them.
    """
    strongest: dict[str, tuple[str, Suppression]] = {}
    for suppression in sorted(suppressions, key=lambda s: STRENGTH[s.status]):
        try:
            address = normalise_address(suppression.address)
        except SubscriberError:
            continue
        strongest.setdefault(address_key(address), (address, suppression))
    store.suppress(((key, address, s.status, s.reason)
                    for key, (address, s) in strongest.items()), record_unknown)
    return [suppression for _, suppression in strongest.values()]


def apply_suppressions(store: SubscriberStore, suppressions: Iterable[Suppression], *,
                       record_unknown: bool = False) -> list[Suppression]:
    """Journal the suppressions and fold them into the files now, under the list's lock;
    return the ones that changed a reader's status. (In PostgreSQL the list takes them at
    once: those whose reader was active or unconfirmed before changed.)"""
    suppressions = list(suppressions)
    if not isinstance(store, SubscriberStore):  # the PostgreSQL store, never loaded for files
        from newsletter.subscribers.postgres_store import WRITABLE

        before = store.statuses(s.address for s in suppressions)
        changed = [s for s in record_suppressions(store, suppressions,
                                                  record_unknown=record_unknown)
                   if before.get(address_key(normalise_address(s.address))) in WRITABLE]
    else:
        with store.writing():
            asked = {address_key(normalise_address(s.address)): s
                     for s in record_suppressions(store, suppressions,
                                                  record_unknown=record_unknown)}
            changed = [asked[entry.key] for entry in fold_locked(store) if entry.key in asked]
    for change in changed:
        logger.info("%s is now %s (%s)", change.address, change.status, change.reason)
    return changed
