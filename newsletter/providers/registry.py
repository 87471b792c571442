"""Every provider adapter, and every suppression-list fetcher, by the name used in newsletter.toml."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterator

from newsletter.errors import ConfigError
from newsletter.message import signing_secret
from newsletter.providers import mailgun, postmark, resend, sendgrid, smtp
from newsletter.providers.base import Provider
from newsletter.providers.outbox import OutboxProvider
from newsletter.providers.smtp import SmtpProvider

if TYPE_CHECKING:
    from newsletter.config import Settings
    from newsletter.providers.http import HttpProvider
    from newsletter.subscribers import Suppression

PROVIDERS: dict[str, type[Provider]] = {
    "outbox": OutboxProvider,
    "postmark": postmark.PostmarkProvider,
    "sendgrid": sendgrid.SendGridProvider,
    "mailgun": mailgun.MailgunProvider,
    "resend": resend.ResendProvider,
    "smtp": SmtpProvider,
}

# The providers that keep a suppression list `subscribers sync` can read.
FETCHERS: dict[str, Callable[[HttpProvider], Iterator[Suppression]]] = {
    "postmark": postmark.fetch_suppressions,
    "sendgrid": sendgrid.fetch_suppressions,
    "mailgun": mailgun.fetch_suppressions,
    "resend": resend.fetch_suppressions,
}

# `check --online`: one read-only call that proves the key (providers/key_check.py).
KEY_CHECKS: dict[str, Callable[[Any], str | None]] = {
    "postmark": postmark.check_key,
    "sendgrid": sendgrid.check_key,
    "mailgun": mailgun.check_key,
    "resend": resend.check_key,
    "smtp": smtp.check_key,
}


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
