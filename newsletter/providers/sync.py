"""`subscribers sync`: pull the provider's suppression lists and apply them to the list."""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING

from newsletter.errors import ConfigError
from newsletter.providers import registry  # read when called: the registry imports this module
from newsletter.records import record
from newsletter.subscribers import Suppression, apply_suppressions, open_store

if TYPE_CHECKING:
    from newsletter.config import Settings


@record
class SyncReport:
    """What `subscribers sync` found at the provider and what it changed."""

    provider: str
    listed: int = 0  # suppressions the provider listed
    changes: list[Suppression] = field(default_factory=list)


def sync_suppressions(settings: Settings) -> SyncReport:
    """Pull the provider's suppression lists and apply them to the subscriber list."""
    name = settings.provider.name
    fetch = registry.FETCHERS.get(name)
    if fetch is None:
        raise ConfigError(
            f"provider {name!r} keeps no suppression list to sync", where="provider.name",
            hint=f"sync works with {', '.join(registry.FETCHERS)}",
        )
    provider = registry.PROVIDERS[name](settings)
    try:
        # Reasons are the provider's words, kept in the subscriber files: secrets hidden.
        suppressions = [Suppression(s.address, s.status, provider.provider_text(s.reason))
                        for s in fetch(provider)]
    finally:
        provider.close()
    report = SyncReport(provider=name, listed=len(suppressions))
    report.changes = apply_suppressions(open_store(settings), suppressions)
    return report
