"""The subscriber list: CSV files read as one list, locked atomic edits, the suppression journal,
imports from other services and sign-ups."""

from newsletter.subscribers.copying import ListCopy, copy_list
from newsletter.subscribers.export import export_readers
from newsletter.subscribers.folding import BackgroundFolder, fold_journal
from newsletter.subscribers.imports import ImportOptions, ImportSummary, import_file
from newsletter.subscribers.interface import ReaderStore, open_store
from newsletter.subscribers.postgres_store import PostgresStore
from newsletter.subscribers.roster import Roster, current_roster, fresh_roster
from newsletter.subscribers.rows import LEFT, Status, Subscriber
from newsletter.subscribers.signups import (
    CONSENT_COLUMNS,
    Consent,
    PruneReport,
    Signup,
    Standing,
    confirm_signup,
    left_since,
    prune_unconfirmed,
    record_signups,
)
from newsletter.subscribers.store import SubscriberStore
from newsletter.subscribers.suppressions import (
    Suppression,
    apply_suppressions,
    record_suppressions,
)

__all__ = ["CONSENT_COLUMNS", "LEFT", "BackgroundFolder", "Consent", "ImportOptions",
           "ImportSummary", "ListCopy", "PostgresStore", "PruneReport",
           "ReaderStore", "Roster", "Signup",
           "Standing", "Status", "Subscriber", "SubscriberStore", "Suppression",
           "apply_suppressions", "confirm_signup", "copy_list", "current_roster",
           "left_since",
           "export_readers", "fold_journal", "fresh_roster", "import_file", "open_store",
           "prune_unconfirmed", "record_signups", "record_suppressions"]
