"""Mail providers: one module per provider, declaring everything about it (declaration.py), over
the shared contract in :mod:`newsletter.providers.base`."""

from newsletter.providers.base import TEST_COPY, Provider, Result, batch_key, key_of
from newsletter.providers.key_check import KeyUnchecked
from newsletter.providers.lookup import InDoubtBatch, Lookup, LookupFailed
from newsletter.providers.postmark import POSTMARK_REASONS
from newsletter.providers.registry import (
    DECLARATIONS,
    FETCHERS,
    PROVIDERS,
    check_key,
    make_provider,
)
from newsletter.providers.sync import SyncReport, sync_suppressions

__all__ = ["DECLARATIONS", "FETCHERS", "POSTMARK_REASONS", "PROVIDERS", "InDoubtBatch",
           "KeyUnchecked", "Lookup", "LookupFailed", "Provider", "Result", "SyncReport",
           "TEST_COPY", "batch_key", "check_key", "key_of", "make_provider", "sync_suppressions"]
