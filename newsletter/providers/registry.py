"""Every provider, by the name used in newsletter.toml, built from each module's ``DECLARATION``
(declaration.py): a module of this package that declares one is a provider. Importing it imports
every provider module; a send, which needs only its own, asks configured.py instead."""

from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING, Any, Callable, Iterator

from newsletter.providers.base import Provider
from newsletter.providers.declaration import Declaration, check_catalogue

if TYPE_CHECKING:
    from newsletter.providers.http import HttpProvider
    from newsletter.subscribers import Suppression


def _declared() -> dict[str, Declaration]:
    """The declaration of every provider module, by the module's name (check_catalogue
    holds it to the provider's), the outbox (the default) first."""
    package = __name__.rpartition(".")[0]
    found = {}
    for module in pkgutil.iter_modules(importlib.import_module(package).__path__):
        declaration = getattr(importlib.import_module(f"{package}.{module.name}"),
                              "DECLARATION", None)
        if isinstance(declaration, Declaration):
            found[module.name] = declaration
    return dict(sorted(found.items(), key=lambda item: (item[0] != "outbox", item[0])))


DECLARATIONS: dict[str, Declaration] = _declared()
PROVIDERS: dict[str, type[Provider]] = {name: d.adapter for name, d in DECLARATIONS.items()}
# The providers that keep a suppression list `subscribers sync` can read.
FETCHERS: dict[str, Callable[[HttpProvider], Iterator[Suppression]]] = {
    name: d.fetch_suppressions for name, d in DECLARATIONS.items() if d.fetch_suppressions}
# `check --online`: one read-only call that proves the key (providers/key_check.py).
KEY_CHECKS: dict[str, Callable[[Any], str | None]] = {
    name: d.check_key for name, d in DECLARATIONS.items() if d.check_key}
check_catalogue(DECLARATIONS, complete=True)


def check_key(provider: Provider) -> str | None:
    """Ask the provider whether it takes the key (see providers/key_check.py for the answers);
    None for a provider with no key (the outbox)."""
    checker = KEY_CHECKS.get(provider.name)
    return checker(provider) if checker else None
