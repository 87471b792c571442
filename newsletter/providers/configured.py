"""The provider newsletter.toml names, with only its own module imported: a send needs no
other provider (importing them all, with their suppression fetchers and lookups, is a fair part
of a short send's start). registry.py holds every provider, for what compares or lists them."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from newsletter.config import PROVIDER_NAMES
from newsletter.errors import ConfigError
from newsletter.message import signing_secret
from newsletter.providers.declaration import Declaration, check_catalogue

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.providers.base import Provider


def declaration_of(name: str) -> Declaration:
    """The declaration of the provider called ``name`` (its module has that name too)."""
    if name not in PROVIDER_NAMES:
        raise ConfigError(f"provider {name} is not available", where="newsletter.toml",
                          hint=f"use one of {', '.join(PROVIDER_NAMES)}")
    declaration = importlib.import_module(f"{__package__}.{name}").DECLARATION
    check_catalogue({name: declaration}, complete=False)
    return declaration


def make_provider(settings: Settings) -> Provider:
    """The adapter named by ``provider.name``; a real provider needs NEWSLETTER_SECRET."""
    adapter = declaration_of(settings.provider.name).adapter
    signing_secret(settings)  # a ConfigError before anything is rendered or sent
    return adapter(settings)
