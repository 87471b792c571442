"""The ledger's in-doubt readers, as `reconcile` reads and settles them (docs/reconcile.md).

Every change touches only rows still ``in_doubt``: a rerun after an interruption, or a row a
send settled meanwhile, is left as it is.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from newsletter.sending.ledger import Ledger
from newsletter.sending.ledger_schema import DOUBT_PREFIX, PENDING_PREFIX
from newsletter.sending.states import State, ledger_time


@dataclass
class DoubtfulBatch:
    """The in-doubt readers of one recorded batch."""

    key: str
    subject: str | None
    provider: str
    claimed_at: dt.datetime
    readers: set[str] = field(default_factory=set)
    given_up_at: dt.datetime | None = None  # the latest time one of them was marked in doubt


def doubtful(ledger: Ledger, post_id: str) -> tuple[list[DoubtfulBatch], list[str]]:
    """This post's in-doubt readers by batch, and those whose claim recorded no batch (claimed
    before newsletter kept batches)."""
    batches: dict[int, DoubtfulBatch] = {}
    unrecorded = []
    rows = ledger.db.execute(
        """SELECT d.address, d.updated_at, b.id, b.key, b.subject, b.provider, b.claimed_at
           FROM deliveries d LEFT JOIN batches b ON b.id = d.batch
           WHERE d.post_id = ? AND d.state = ?""", (post_id, State.IN_DOUBT))
    for address, updated_at, batch_id, key, subject, provider, claimed_at in rows:
        if batch_id is None:
            unrecorded.append(address)
            continue
        batch = batches.get(batch_id)
        if batch is None:
            batch = batches[batch_id] = DoubtfulBatch(key, subject, provider,
                                                      dt.datetime.fromisoformat(claimed_at))
        batch.readers.add(address)
        marked = dt.datetime.fromisoformat(updated_at)
        batch.given_up_at = max(batch.given_up_at or marked, marked)
    return list(batches.values()), unrecorded


def flagged_posts(ledger: Ledger) -> list[str]:
    """Posts flagged as having readers in doubt (Ledger.mark, Ledger.recover), from `meta`."""
    rows = ledger.db.execute("SELECT key FROM meta WHERE substr(key, 1, ?) = ?",
                             (len(DOUBT_PREFIX), DOUBT_PREFIX))
    return [key.removeprefix(DOUBT_PREFIX) for (key,) in rows]


def has_doubt(ledger: Ledger, post_id: str) -> bool:
    return bool(ledger.db.execute(
        "SELECT EXISTS (SELECT 1 FROM deliveries WHERE post_id = ? AND state = ?)",
        (post_id, State.IN_DOUBT)).fetchone()[0])


def unflag(ledger: Ledger, post_id: str) -> None:
    """The post has nobody in doubt any more."""
    ledger.delete_meta(DOUBT_PREFIX + post_id)


def mark_found(ledger: Ledger, post_id: str, found: Sequence[tuple[str, str]]) -> int:
    """In-doubt readers the provider accepted become ``sent`` under its message id."""
    cursor = ledger.db.execute(
        """WITH found AS MATERIALIZED (
               SELECT json_extract(value, '$[0]') AS address,
                      json_extract(value, '$[1]') AS provider_message_id
               FROM json_each(?))
           UPDATE deliveries SET state = ?, provider_message_id = found.provider_message_id,
                                 reason = NULL, updated_at = ?
           FROM found
           WHERE deliveries.post_id = ? AND deliveries.address = found.address
             AND deliveries.state = ?""",
        (json.dumps(list(found)), State.SENT, ledger_time(), post_id, State.IN_DOUBT))
    return cursor.rowcount


def requeue_absent(ledger: Ledger, post_id: str, addresses: Iterable[str], reason: str) -> int:
    """In-doubt readers the provider provably never accepted go back to ``pending``."""
    ledger.set_meta(PENDING_PREFIX + post_id, ledger_time())  # before the rows (Ledger.mark)
    cursor = ledger.db.execute(
        """UPDATE deliveries SET state = ?, reason = ?, updated_at = ?
           WHERE post_id = ? AND state = ? AND address IN (SELECT value FROM json_each(?))""",
        (State.PENDING, reason, ledger_time(), post_id, State.IN_DOUBT,
         json.dumps(list(addresses))))
    return cursor.rowcount


def note_reason(ledger: Ledger, post_id: str, addresses: Iterable[str], reason: str) -> None:
    """Why these readers are still in doubt, for `status` to show. Their time stays: it is
    when the send gave up on them, from which a provider's indexing delay counts."""
    ledger.db.execute(
        """UPDATE deliveries SET reason = ?
           WHERE post_id = ? AND state = ? AND address IN (SELECT value FROM json_each(?))""",
        (reason, post_id, State.IN_DOUBT, json.dumps(list(addresses))))
