"""The ledger's in-doubt readers, as `reconcile` reads and settles them (docs/reconcile.md).

Every change touches only rows still ``in_doubt``: a rerun after an interruption, or a row a
send settled meanwhile, is left as it is.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Iterable, Sequence

from newsletter.sending.ledger import Ledger
from newsletter.sending.states import State, ledger_time
from newsletter.state import DOUBT_PREFIX, PENDING_PREFIX


@dataclass
class DoubtfulBatch:
    """A recorded batch with readers in doubt (only counted: the search is matched against the
    ledger, so no reader is held in memory)."""

    id: int
    key: str
    subject: str | None
    provider: str
    claimed_at: dt.datetime
    given_up_at: dt.datetime  # the latest time one of its readers was marked in doubt
    size: int  # its readers in doubt


def doubtful_batches(ledger: Ledger, post_id: str) -> list[DoubtfulBatch]:
    """This post's batches with readers in doubt, oldest first; their readers not yet read."""
    rows = ledger.db.execute(
        """SELECT b.id, b.key, b.subject, b.provider, b.claimed_at, MAX(d.updated_at), COUNT(*)
           FROM deliveries d JOIN batches b ON b.id = d.batch
           WHERE d.post_id = ? AND d.state = ? GROUP BY b.id ORDER BY b.claimed_at""",
        (post_id, State.IN_DOUBT))
    return [DoubtfulBatch(batch_id, key, subject, provider, dt.datetime.fromisoformat(claimed),
                          dt.datetime.fromisoformat(given_up), size)
            for batch_id, key, subject, provider, claimed, given_up, size in rows]


def unrecorded(ledger: Ledger, post_id: str) -> list[str]:
    """In-doubt readers whose claim recorded no batch (claimed before newsletter kept them)."""
    rows = ledger.db.execute("SELECT address FROM deliveries WHERE post_id = ? AND state = ? "
                             "AND batch IS NULL", (post_id, State.IN_DOUBT))
    return [address for (address,) in rows]


def matched(ledger: Ledger, post_id: str, readers: Sequence[str]) -> list[str]:
    """Those of ``readers`` in doubt for this post (what a dry run would mark sent)."""
    rows = ledger.db.execute(
        "SELECT address FROM deliveries WHERE post_id = ? AND state = ? "
        "AND address IN (SELECT value FROM json_each(?))",
        (post_id, State.IN_DOUBT, json.dumps(list(readers))))
    return [address for (address,) in rows]


def left_in_doubt(ledger: Ledger, post_id: str, batches: Sequence[DoubtfulBatch],
                  found: Iterable[str] = ()) -> dict[int, int]:
    """{batch id: its readers still in doubt, but for ``found`` ones}."""
    rows = ledger.db.execute(
        "SELECT batch, COUNT(*) FROM deliveries WHERE post_id = ? AND state = ? "
        "AND batch IN (SELECT value FROM json_each(?)) "
        "AND address NOT IN (SELECT value FROM json_each(?)) GROUP BY batch",
        (post_id, State.IN_DOUBT, json.dumps([b.id for b in batches]), json.dumps(list(found))))
    return dict(rows.fetchall())


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
    """In-doubt readers the provider accepted become ``sent`` under its message id; how many.
    (A statement that starts with WITH reports no rowcount: total_changes counts.)"""
    before = ledger.db.total_changes
    ledger.db.execute(
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
    return ledger.db.total_changes - before


def requeue_batches(ledger: Ledger, post_id: str, batches: Sequence[DoubtfulBatch],
                    reason: str) -> int:
    """The readers still in doubt of ``batches``, provably never accepted, go back to
    ``pending``."""
    ledger.set_meta(PENDING_PREFIX + post_id, ledger_time())  # before the rows (Ledger.mark)
    cursor = ledger.db.execute(
        """UPDATE deliveries SET state = ?, reason = ?, updated_at = ?
           WHERE post_id = ? AND state = ? AND batch IN (SELECT value FROM json_each(?))""",
        (State.PENDING, reason, ledger_time(), post_id, State.IN_DOUBT,
         json.dumps([batch.id for batch in batches])))
    return cursor.rowcount


def note_reason(ledger: Ledger, post_id: str, addresses: Iterable[str], reason: str) -> None:
    """Why these readers are still in doubt, for `status` to show. Their time stays: it is
    when the send gave up on them, from which a provider's indexing delay counts."""
    ledger.db.execute(
        """UPDATE deliveries SET reason = ?
           WHERE post_id = ? AND state = ? AND address IN (SELECT value FROM json_each(?))""",
        (reason, post_id, State.IN_DOUBT, json.dumps(list(addresses))))


def note_batches(ledger: Ledger, post_id: str, batches: Iterable[DoubtfulBatch],
                 reason: str) -> None:
    """:func:`note_reason` for every reader in doubt of ``batches``."""
    ledger.db.execute(
        """UPDATE deliveries SET reason = ?
           WHERE post_id = ? AND state = ? AND batch IN (SELECT value FROM json_each(?))""",
        (reason, post_id, State.IN_DOUBT, json.dumps([batch.id for batch in batches])))
