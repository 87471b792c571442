"""Mail providers: one module per provider, declaring everything about it (declaration.py), over
the shared contract in :mod:`newsletter.providers.base`.

A send needs only the provider it sends with (``make_provider``, configured.py): the names
below that need other modules, requests or every provider (the registry) are imported on first
use.
"""

from newsletter import on_first_use
from newsletter.providers.base import TEST_COPY, Provider, Result, batch_key, key_of

_ON_FIRST_USE = {"make_provider": "configured", "DECLARATIONS": "registry",
                 "FETCHERS": "registry", "PROVIDERS": "registry", "check_key": "registry",
                 "KeyUnchecked": "key_check", "InDoubtBatch": "lookup", "Lookup": "lookup",
                 "LookupFailed": "lookup", "POSTMARK_REASONS": "postmark",
                 "SyncReport": "sync", "sync_suppressions": "sync"}

__all__ = ["DECLARATIONS", "FETCHERS", "POSTMARK_REASONS", "PROVIDERS", "InDoubtBatch",
           "KeyUnchecked", "Lookup", "LookupFailed", "Provider", "Result", "SyncReport",
           "TEST_COPY", "batch_key", "check_key", "key_of", "make_provider", "sync_suppressions"]


__getattr__ = on_first_use(__name__, _ON_FIRST_USE)
