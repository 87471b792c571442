"""What one run of a campaign did, as it goes (:func:`newsletter.sending.campaign.send_post`)."""

from __future__ import annotations

from dataclasses import field

from newsletter.records import record


@record
class SendReport:
    """What one run did; handed to the progress callback after every batch."""

    post_id: str
    sent: int = 0
    failed: int = 0
    in_doubt: int = 0
    pending: int = 0  # left for the next run: retries used up, or the run stopped
    skipped: int = 0  # unsubscribed while the send ran
    in_flight: int = 0  # batches the send may have in flight now (its pace)
    # rows of the list it could not use (SubscriberErrors)
    unusable_rows: list = field(default_factory=list)
    recovered: int = 0  # `submitting` rows of an interrupted run, now in doubt
    problems: list[str] = field(default_factory=list)  # one line per batch that did not go out
    stopped: str | None = None  # why the run stopped early (an authentication error)
    # why the run stopped at a sending limit (ours, or the provider's quota): not an error;
    # the readers it did not reach are sent by a later run
    limit_reached: str | None = None

    @property
    def done(self) -> int:
        """Recipients this run has dealt with, one way or another."""
        return self.sent + self.failed + self.in_doubt + self.pending + self.skipped

    @property
    def complete(self) -> bool:
        """True when every recipient was sent to and nothing was found in doubt."""
        return not (self.failed or self.in_doubt or self.pending or self.stopped or self.recovered
                    or self.limit_reached)
