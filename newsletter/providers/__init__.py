"""Every provider adapter, by the name used in newsletter.toml (``[provider] name``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsletter.errors import ConfigError
from newsletter.message.compose import signing_secret
from newsletter.providers.base import Provider
from newsletter.providers.mailgun import MailgunProvider
from newsletter.providers.outbox import OutboxProvider
from newsletter.providers.postmark import PostmarkProvider
from newsletter.providers.resend import ResendProvider
from newsletter.providers.sendgrid import SendGridProvider
from newsletter.providers.smtp import SmtpProvider

if TYPE_CHECKING:
    from newsletter.config import Settings

PROVIDERS: dict[str, type[Provider]] = {
    "outbox": OutboxProvider,
    "postmark": PostmarkProvider,
    "sendgrid": SendGridProvider,
    "mailgun": MailgunProvider,
    "resend": ResendProvider,
    "smtp": SmtpProvider,
}


def make_provider(settings: Settings) -> Provider:
    """The adapter named by ``provider.name``; a real provider needs NEWSLETTER_SECRET."""
    name = settings.provider.name
    cls = PROVIDERS.get(name)
    if cls is None:
        raise ConfigError(f"provider {name} is not available", where="newsletter.toml",
                          hint=f"use one of {', '.join(PROVIDERS)}")
    signing_secret(settings)  # a ConfigError before anything is rendered or sent
    return cls(settings)
