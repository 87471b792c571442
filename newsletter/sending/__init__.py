"""Sending: campaigns with retries, the ledger that makes them exactly-once, the site lock,
what is due for `send --due`, the preflight check run before anything goes out, and the
accounting `status` and `posts` show.

Campaigns, `send --due` and the preflight check need the providers and the renderer (requests,
Jinja2, premailer): their names are imported on first use, so that `status` and `posts`, which
only count, start without them.
"""

from importlib import import_module

from newsletter.sending.accounting import (
    LedgerReport,
    count_active,
    count_recipients,
    ledger_report,
    recover_dead_runs,
)
from newsletter.sending.collector import collect_rarely
from newsletter.sending.events import KINDS as EVENT_KINDS
from newsletter.sending.events import DeliveryEvent, EventStore, PostFinder, open_events
from newsletter.sending.funnel import Funnel, post_funnel
from newsletter.sending.ledger import LEDGER_FILE, Ledger
from newsletter.sending.list_history import Week, list_history
from newsletter.sending.limits import Budget, limits_of
from newsletter.sending.lock import site_lock
from newsletter.sending.recipients import check_sendable, settled_states
from newsletter.sending.retry import RateLimiter, RetryPolicy, send_with_retries
from newsletter.sending.schedule import parse_time, since_of, unfinished_posts
from newsletter.sending.states import State
from newsletter.sending.words import ledger_counts, schedule_note, state_summary, status_words

_ON_FIRST_USE = {"SendReport": "send_report", "send_post": "campaign", "send_test": "send_to",
                 "DueRun": "due", "preview_due": "due", "send_due": "due",
                 "check_images": "images", "SiteCheck": "preflight", "check_site": "preflight",
                 "prepare_post": "preflight", "readiness_findings": "readiness",
                 "enroll_all": "welcome_report", "outside_the_series": "welcome_report",
                 "welcome_sent": "welcome_report", "welcome_status": "welcome_report",
                 "reading_ahead": "reader_feed", "Reconciled": "reconcile", "no_lookup_note": "reconcile",
                 "posts_in_doubt": "reconcile", "reconcile_posts": "reconcile"}

__all__ = ["EVENT_KINDS", "LEDGER_FILE", "Budget", "DeliveryEvent", "DueRun", "EventStore",
           "Funnel", "Ledger", "LedgerReport", "PostFinder", "RateLimiter",
           "Reconciled", "RetryPolicy", "SendReport", "SiteCheck", "State", "Week",
           "check_images", "check_sendable", "collect_rarely", "check_site", "count_active",
           "count_recipients", "enroll_all", "ledger_counts", "ledger_report",
           "limits_of", "list_history", "no_lookup_note", "open_events",
           "outside_the_series", "parse_time", "post_funnel", "posts_in_doubt",
           "prepare_post", "preview_due", "readiness_findings", "reconcile_posts",
           "recover_dead_runs", "schedule_note", "send_due", "send_post", "send_test",
           "send_with_retries", "settled_states", "since_of", "site_lock",
           "reading_ahead", "state_summary", "status_words", "unfinished_posts", "welcome_sent",
           "welcome_status"]


def __getattr__(name: str):
    if name not in _ON_FIRST_USE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"newsletter.sending.{_ON_FIRST_USE[name]}"), name)
    globals()[name] = value
    return value
