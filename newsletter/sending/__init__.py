"""Sending: campaigns with retries, the ledger that makes them exactly-once, the site lock,
and what is due for `send --due`."""

from newsletter.sending.campaign import SendReport, send_post, send_test
from newsletter.sending.due import DueRun, preview_due, send_due
from newsletter.sending.ledger import LEDGER_FILE, Ledger
from newsletter.sending.lock import site_lock
from newsletter.sending.recipients import check_sendable, count_recipients, settled_states
from newsletter.sending.retry import RateLimiter, RetryPolicy, send_with_retries
from newsletter.sending.schedule import parse_time
from newsletter.sending.states import State
from newsletter.sending.words import ledger_counts, state_summary, status_words

__all__ = ["LEDGER_FILE", "DueRun", "Ledger", "RateLimiter", "RetryPolicy", "SendReport", "State",
           "check_sendable", "count_recipients", "ledger_counts", "parse_time", "preview_due",
           "send_due", "send_post", "send_test", "send_with_retries", "settled_states",
           "site_lock", "state_summary", "status_words"]
