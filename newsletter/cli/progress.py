"""The send's progress line on a terminal: readers done, speed, and batches in flight."""

from __future__ import annotations

import sys
import time

import click

REFRESH = 0.2  # seconds between redraws


class ProgressLine:
    """``Sending 12,000/100,000  9,870 msg/s  8 in flight``, redrawn in place.

    ``total`` is None when the list was not counted before the send (a long list whose
    roster was stale): the line then shows how many are done so far.
    """

    def __init__(self, total: int | None):
        self.total = total
        self.started = time.monotonic()
        self.shown_at = 0.0
        self.width = 0

    def __call__(self, report) -> None:
        now = time.monotonic()
        if now - self.shown_at < REFRESH:
            return
        self.shown_at = now
        done = f"{report.done:,}" + ("" if self.total is None else f"/{self.total:,}")
        rate = report.done / max(now - self.started, 1e-6)
        line = f"Sending {done}  {rate:,.0f} msg/s  {report.in_flight} in flight"
        click.echo("\r" + line.ljust(self.width), nl=False)
        self.width = len(line)
        sys.stdout.flush()

    def end(self) -> None:
        """Leave the line as it is and go to the next one."""
        if self.width:
            click.echo()
