"""Mail providers: one adapter module per provider (sending, suppression fetcher, reason
tables) over the shared contract in :mod:`newsletter.providers.base`."""

from newsletter.providers.base import Provider, Result
from newsletter.providers.key_check import KeyUnchecked
from newsletter.providers.postmark import POSTMARK_REASONS
from newsletter.providers.registry import FETCHERS, PROVIDERS, check_key, make_provider
from newsletter.providers.sync import SyncReport, sync_suppressions

__all__ = ["FETCHERS", "POSTMARK_REASONS", "PROVIDERS", "KeyUnchecked", "Provider", "Result",
           "SyncReport", "check_key", "make_provider", "sync_suppressions"]
