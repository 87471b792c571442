"""The subscriber list: CSV files read as one list, locked atomic edits, the suppression journal
and imports from other services."""

from newsletter.subscribers.export import export_readers
from newsletter.subscribers.folding import BackgroundFolder, fold_journal
from newsletter.subscribers.imports import ImportOptions, ImportSummary, import_file
from newsletter.subscribers.roster import Roster, fresh_roster
from newsletter.subscribers.rows import LEFT, Status, Subscriber
from newsletter.subscribers.store import SubscriberStore
from newsletter.subscribers.suppressions import (
    Suppression,
    apply_suppressions,
    record_suppressions,
)

__all__ = ["LEFT", "BackgroundFolder", "ImportOptions", "ImportSummary", "Roster", "Status",
           "Subscriber", "SubscriberStore", "Suppression", "apply_suppressions",
           "export_readers", "fold_journal", "fresh_roster", "import_file",
           "record_suppressions"]
