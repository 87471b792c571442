"""The subscriber list: CSV files read as one list, locked atomic edits, and suppressions."""

from newsletter.subscribers.export import export_readers
from newsletter.subscribers.imports import ImportSummary, import_file
from newsletter.subscribers.rows import Status, Subscriber
from newsletter.subscribers.signups import (
    CONSENT_COLUMNS,
    Consent,
    PruneReport,
    Signup,
    Standing,
    confirm_signup,
    prune_unconfirmed,
    record_signups,
)
from newsletter.subscribers.store import SubscriberStore
from newsletter.subscribers.suppressions import Suppression, apply_suppressions

__all__ = ["CONSENT_COLUMNS", "Consent", "ImportSummary", "PruneReport", "Signup", "Standing",
           "Status", "Subscriber", "SubscriberStore", "Suppression", "apply_suppressions",
           "confirm_signup", "export_readers", "import_file", "prune_unconfirmed",
           "record_signups"]
