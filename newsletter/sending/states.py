"""Where each reader's message stands: the ledger's states, as the code and the writer name them."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

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


# The ledger's count of a post's rows in each state (Ledger.counts), ? for each State then the
# post: in one pass, where GROUP BY state sorted the rows first (twice the time).
EACH_STATE = ("SELECT COUNT(*), " + ", ".join(["COUNT(*) FILTER (WHERE state = ?)"] * len(State))
              + " FROM deliveries WHERE post_id = ?")


# The order in which reports list the states.
REPORT_ORDER = (State.SENT, State.FAILED, State.IN_DOUBT, State.PENDING, State.SUBMITTING)

# Rows in these states are not recipients of a normal run.
SETTLED = (State.SENT, State.FAILED, State.IN_DOUBT, State.SUBMITTING)


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
