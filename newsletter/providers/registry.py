"""Every provider, by the name used in newsletter.toml, built from each module's ``DECLARATION``
(declaration.py): a module of this package that declares one is a provider."""

from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING, Any, Callable, Iterator

from newsletter.config import PROVIDER_SECRETS
from newsletter.errors import ConfigError
from newsletter.message import signing_secret
from newsletter.providers.base import Provider
from newsletter.providers.declaration import Declaration

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.providers.http import HttpProvider
    from newsletter.subscribers import Suppression


def _declared() -> dict[str, Declaration]:
    """The declaration of every provider module, the outbox (the default) first."""
    package = __name__.rpartition(".")[0]
    found = []
    for module in pkgutil.iter_modules(importlib.import_module(package).__path__):
        declaration = getattr(importlib.import_module(f"{package}.{module.name}"),
                              "DECLARATION", None)
        if isinstance(declaration, Declaration):
            found.append(declaration)
    found.sort(key=lambda d: (d.name != "outbox", d.name))
    return {declaration.name: declaration for declaration in found}


DECLARATIONS: dict[str, Declaration] = _declared()
PROVIDERS: dict[str, type[Provider]] = {name: d.adapter for name, d in DECLARATIONS.items()}
# The providers that keep a suppression list `subscribers sync` can read.
FETCHERS: dict[str, Callable[[HttpProvider], Iterator[Suppression]]] = {
    name: d.fetch_suppressions for name, d in DECLARATIONS.items() if d.fetch_suppressions}
# `check --online`: one read-only call that proves the key (providers/key_check.py).
KEY_CHECKS: dict[str, Callable[[Any], str | None]] = {
    name: d.check_key for name, d in DECLARATIONS.items() if d.check_key}

# config keeps the names and secret variables for commands that never import providers
# (config/catalogue.py): a declaration it does not know is refused here, by name.
_unknown = {name: d.secrets for name, d in DECLARATIONS.items()
            if PROVIDER_SECRETS.get(name) != d.secrets}
if _unknown or set(PROVIDER_SECRETS) != set(DECLARATIONS):
    raise ImportError(f"config/catalogue.py PROVIDER_SECRETS must list exactly the declared "
                      f"providers and their secrets: {_unknown or sorted(DECLARATIONS)}")


def check_key(provider: Provider) -> str | None:
    """Ask the provider whether it takes the key (see providers/key_check.py for the answers);
    None for a provider with no key (the outbox)."""
    checker = KEY_CHECKS.get(provider.name)
    return checker(provider) if checker else None


def make_provider(settings: Settings) -> Provider:
    """The adapter named by ``provider.name``; a real provider needs NEWSLETTER_SECRET."""
    name = settings.provider.name
    cls = PROVIDERS.get(name)
    if cls is None:
        raise ConfigError(f"provider {name} is not available", where="newsletter.toml",
                          hint=f"use one of {', '.join(PROVIDERS)}")
    signing_secret(settings)  # a ConfigError before anything is rendered or sent
    return cls(settings)
