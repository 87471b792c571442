"""Sending: campaigns with retries, the ledger that makes them exactly-once, the site lock,
what is due for `send --due`, the preflight check run before anything goes out, and the
accounting `status` and `posts` show.

Every name is imported on first use, with only the modules it needs: `status` and `posts`,
which only count, start without the providers and the renderer (requests, Jinja2, premailer),
and a send without the delivery events, the funnel or the PostgreSQL store of a site on files.
"""

from newsletter import on_first_use

_ON_FIRST_USE = {"count_active": "accounting", "count_recipients": "accounting",
                 "ledger_report": "accounting", "LedgerReport": "accounting",
                 "recover_dead_runs": "accounting", "unfinished_on_site": "accounting",
                 "writable_ledger": "accounting",
                 "send_post": "campaign",
                 "defer_collections": "collector", "fewer_collections": "collector", "DueRun": "due", "preview_due": "due",
                 "send_due": "due", "DeliveryEvent": "events", "EVENT_KINDS": "events",
                 "ONE_CLICK_PROVIDER": "events", "EventStore": "events",
                 "open_events": "events", "PostFinder": "post_finder",
                 "Funnel": "funnel", "post_funnel": "funnel", "no_events_note": "funnel", "check_images": "images",
                 "Ledger": "ledger", "LEDGER_FILE": "ledger", "Budget": "limits",
                 "limits_of": "limits", "list_history": "list_weeks", "Week": "list_weeks",
                 "site_lock": "lock", "check_site": "preflight", "prepare_post": "preflight",
                 "SiteCheck": "preflight", "sendable_by_due": "preflight",
                 "reading_ahead": "reader_feed",
                 "readiness_findings": "readiness", "check_sendable": "recipients",
                 "settled_states": "recipients", "no_lookup_note": "reconcile",
                 "posts_in_doubt": "reconcile", "reconcile_posts": "reconcile",
                 "Reconciled": "reconcile", "RateLimiter": "retry", "RetryPolicy": "retry",
                 "send_with_retries": "retry", "finish_if_walked": "schedule",
                 "parse_time": "schedule", "since_of": "schedule",
                 "resumed_posts": "schedule", "pending_only": "schedule", "mark_sent_by_hand": "schedule",
                 "remember_sent": "schedule", "held_back": "schedule", "GoingOn": "schedule", "SendReport": "send_report",
                 "send_test": "send_to", "State": "states", "left_as_it_ends": "accounting", "enroll_all": "welcome_report",
                 "outside_the_series": "welcome_report", "welcome_sent": "welcome_report",
                 "welcome_status": "welcome_report", "prepare_welcome": "preflight",
                 "import_arrivals": "welcome",
                 "ledger_counts": "words",
                 "schedule_note": "words", "state_summary": "words", "status_words": "words"}

__all__ = ["EVENT_KINDS", "LEDGER_FILE", "Budget", "DeliveryEvent", "DueRun", "EventStore",
           "Funnel", "GoingOn", "Ledger", "LedgerReport", "ONE_CLICK_PROVIDER", "PostFinder",
           "RateLimiter", "Reconciled", "RetryPolicy", "SendReport", "SiteCheck", "State", "Week",
           "check_images", "check_sendable", "check_site", "count_active", "defer_collections",
           "fewer_collections",
           "count_recipients", "enroll_all", "left_as_it_ends", "import_arrivals", "finish_if_walked", "held_back", "ledger_counts", "ledger_report",
           "limits_of", "list_history", "no_events_note", "no_lookup_note", "open_events",
           "outside_the_series", "parse_time", "pending_only", "post_funnel", "posts_in_doubt",
           "prepare_post", "preview_due", "readiness_findings", "reconcile_posts",
           "recover_dead_runs", "schedule_note", "send_due", "send_post", "send_test",
           "send_with_retries", "sendable_by_due", "settled_states", "since_of", "site_lock",
           "unfinished_on_site", "writable_ledger",
           "reading_ahead", "state_summary", "status_words", "resumed_posts",
           "mark_sent_by_hand", "remember_sent", "prepare_welcome", "welcome_sent",
           "welcome_status"]


__getattr__ = on_first_use(__name__, _ON_FIRST_USE)
