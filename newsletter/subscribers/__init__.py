"""The subscriber list: CSV files read as one list, locked atomic edits, and suppressions."""

from newsletter.subscribers.rows import Status, Subscriber
from newsletter.subscribers.store import ImportSummary, SubscriberStore
from newsletter.subscribers.suppressions import Suppression, apply_suppressions

__all__ = ["ImportSummary", "Status", "Subscriber", "SubscriberStore", "Suppression",
           "apply_suppressions"]
