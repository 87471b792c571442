"""The providers newsletter.toml may name, and the environment variables that hold secrets.

Each provider module declares its name and its secrets (newsletter/providers/declaration.py);
``newsletter.providers`` sits above config, so it hands them down once, when it is imported,
through :func:`declare_providers`; a script that loads settings before it imports the providers
gets them imported then (by name: config never imports them at its own import). Nothing else of
the environment is ever read.
"""

from __future__ import annotations

import importlib
from typing import Mapping

# Secrets of newsletter itself, whichever provider sends: signing unsubscribe links, and the
# basic auth on `serve`'s webhook URLs.
OWN_SECRETS = ("NEWSLETTER_SECRET", "NEWSLETTER_WEBHOOK_USER", "NEWSLETTER_WEBHOOK_PASSWORD")

PROVIDER_NAMES: list[str] = []  # filled by declare_providers
SECRET_VARIABLES: list[str] = list(OWN_SECRETS)  # extended by declare_providers


def declare_providers(secrets_by_provider: Mapping[str, tuple[str, ...]]) -> None:
    """Learn every provider's name and the environment variables holding its secrets."""
    PROVIDER_NAMES[:] = list(secrets_by_provider)
    variables = [name for secrets in secrets_by_provider.values() for name in secrets]
    SECRET_VARIABLES[:] = list(dict.fromkeys([*OWN_SECRETS, *variables]))


def provider_names() -> list[str]:
    """The declared provider names."""
    _declared()
    return PROVIDER_NAMES


def secret_variables() -> list[str]:
    """Every environment variable that holds a secret, newsletter's own and the providers'."""
    _declared()
    return SECRET_VARIABLES


def _declared() -> None:
    if not PROVIDER_NAMES:
        importlib.import_module("newsletter.providers")  # its registry calls declare_providers
