"""Where each reader's message stands: the ledger's states, as the code and the writer name them."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from enum import StrEnum
from typing import Sequence

from newsletter.records import record


class State(StrEnum):
    """Where one message stands."""

    PENDING = "pending"  # not sent yet: the next run sends it
    SUBMITTING = "submitting"  # its batch is (or was, before a crash) on its way to the provider
    SENT = "sent"  # the provider accepted it; provider_message_id says under which id
    FAILED = "failed"  # the provider rejected it for good; `send --retry-failed` tries again
    IN_DOUBT = "in_doubt"  # may have gone out; `send --resend-in-doubt` risks a duplicate

    @property
    def words(self) -> str:
        """The state as `status`, `posts` and the cron report name it to the writer."""
        return "in flight" if self is State.SUBMITTING else self.value.replace("_", " ")


# A post's rows in each state, ? for each State then the post: in one pass, where GROUP BY
# state sorted the rows first (twice the time).
EACH_STATE = ("SELECT COUNT(*), " + ", ".join(["COUNT(*) FILTER (WHERE state = ?)"] * len(State))
              + " FROM deliveries WHERE post_id = ?")


def counted_states(db, post_id: str | None,
                   states: Sequence[State] = tuple(State)) -> dict[str, Counter]:
    """{post_id: Counter(state -> rows)} of a SQLite ledger's rows in ``states``, for one
    post or every post."""
    left_out = [state for state in State if state not in states]
    if post_id is not None and not left_out:
        total, *each = db.execute(EACH_STATE, (*State, post_id)).fetchone()
        if total == sum(each):  # else a state unknown here: the query below refuses it
            return {post_id: Counter({s: n for s, n in zip(State, each) if n})} if total else {}
    # Rows in a state left out are passed over with one look at it (a send's summary leaves
    # out `sent`, nearly every row: half the instructions of EACH_STATE's five looks); a state
    # unknown here is counted, and refused below.
    conditions = ([] if post_id is None else ["post_id = ?"]) + (
        [f"state NOT IN ({','.join('?' * len(left_out))})"] if left_out else [])
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    params = ([] if post_id is None else [post_id]) + left_out
    result: dict[str, Counter] = {}
    query = f"SELECT post_id, state, COUNT(*) FROM deliveries{where} GROUP BY post_id, state"
    for post, state, count in db.execute(query, params):
        result.setdefault(post, Counter())[State(state)] = count
    return result


# The order in which reports list the states.
REPORT_ORDER = (State.SENT, State.FAILED, State.IN_DOUBT, State.PENDING, State.SUBMITTING)

# Rows in these states are not recipients of a normal run.
SETTLED = (State.SENT, State.FAILED, State.IN_DOUBT, State.SUBMITTING)

# What a send's summary counts of the post's rows as it ends: every state but sent.
UNSETTLED = (State.FAILED, State.IN_DOUBT, State.PENDING, State.SUBMITTING)


@record(frozen=True)
class Delivery:
    """One ledger row."""

    post_id: str
    address: str
    state: State
    attempts: int
    reason: str | None
    provider: str | None
    provider_message_id: str | None
    updated_at: str


def ledger_time() -> str:
    """Now, as the ledger writes times."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")
