"""The subscriber list: CSV files read as one list, locked atomic edits, and suppressions."""

from newsletter.subscribers.export import export_readers
from newsletter.subscribers.imports import ImportSummary, import_file
from newsletter.subscribers.rows import Status, Subscriber
from newsletter.subscribers.store import SubscriberStore
from newsletter.subscribers.suppressions import Suppression, apply_suppressions

__all__ = ["ImportSummary", "Status", "Subscriber", "SubscriberStore", "Suppression",
           "apply_suppressions", "export_readers", "import_file"]
