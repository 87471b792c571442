"""Sending: campaigns with retries, the ledger that makes them exactly-once, the site lock,
what is due for `send --due`, and the preflight check run before anything goes out."""

from newsletter.sending.campaign import SendReport, send_post, send_test
from newsletter.sending.due import DueRun, preview_due, send_due
from newsletter.sending.images import check_images
from newsletter.sending.ledger import LEDGER_FILE, Ledger
from newsletter.sending.lock import site_lock
from newsletter.sending.preflight import SiteCheck, check_site, prepare_post, since_of
from newsletter.sending.recipients import check_sendable, count_recipients, settled_states
from newsletter.sending.schedule import parse_time
from newsletter.sending.states import State
from newsletter.sending.words import ledger_counts, state_summary, status_words

__all__ = ["LEDGER_FILE", "DueRun", "Ledger", "SendReport", "SiteCheck", "State",
           "check_images", "check_sendable", "check_site", "count_recipients", "ledger_counts",
           "parse_time", "prepare_post", "preview_due", "send_due", "send_post", "send_test",
           "settled_states", "since_of", "site_lock", "state_summary", "status_words"]
