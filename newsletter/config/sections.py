"""The sections of newsletter.toml as frozen dataclasses: one field per setting, with its default."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from typing import Mapping
from zoneinfo import ZoneInfo

from newsletter.config.durations import parse_duration

REQUIRED = object()  # the default of a setting that has none: it must be given


@dataclass(frozen=True)
class SiteSettings:
    """[site]: the blog itself."""

    title: str = REQUIRED  # type: ignore[assignment]
    url: str = REQUIRED  # type: ignore[assignment]
    timezone: str = "UTC"
    language: str = "en"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class EmailSettings:
    """[email]: what every message says and where its links go."""

    from_: str = REQUIRED  # type: ignore[assignment]
    unsubscribe_url: str = REQUIRED  # type: ignore[assignment]
    postal_address: str = REQUIRED  # type: ignore[assignment]
    reply_to: str | None = None
    subject: str = "{title}"
    cta_text: str = "Get in touch"
    cta_url: str | None = None  # defaults to mailto: the From address
    unsubscribe_mailto: str | None = None

    @property
    def from_address(self) -> str:
        return parseaddr(self.from_)[1]

    @property
    def from_name(self) -> str:
        return parseaddr(self.from_)[0]

    @property
    def sender_domain(self) -> str:
        return self.from_address.rpartition("@")[2]


@dataclass(frozen=True)
class ProviderSettings:
    """[provider]: which mail provider sends, and how hard to push it."""

    name: str = "outbox"
    api_url: str | None = None
    batch_size: int | None = None  # None: the provider's own maximum
    concurrency: int = 4  # batches in flight at once
    rate_limit: float | None = None  # messages per second; None: as fast as allowed
    timeout: float = 30.0
    test_mode: bool = False
    # provider-specific keys
    message_stream: str = "broadcast"  # postmark
    track_opens: bool = False  # postmark, sendgrid, mailgun
    track_links: bool = False  # postmark, sendgrid, mailgun
    domain: str | None = None  # mailgun
    host: str = "localhost"  # smtp
    port: int | None = None  # smtp; default by security
    security: str = "starttls"  # smtp: starttls | ssl | none
    directory: str = "outbox"  # outbox: where .eml files go, relative to the site


@dataclass(frozen=True)
class ScheduleSettings:
    """[schedule]: what `send --due` may send."""

    since: dt.datetime | None = None
    max_posts_per_run: int = 2


@dataclass(frozen=True)
class SignupSettings:
    """[signup]: readers joining from the blog through `newsletter serve` (double opt-in)."""

    enabled: bool = True
    path: str = "/subscribe"  # where `serve` takes the form
    confirm_url: str | None = None  # default: email.unsubscribe_url's server + /confirm/{token}
    allowed_origins: tuple[str, ...] = ()  # pages that may post the form; default: site.url's
    tags: tuple[str, ...] = ()  # tags a reader may pick on the form
    confirm_within: str = "48h"  # how long a confirmation link works
    min_fill_seconds: float = 2.0  # a form sent sooner after the page loaded is a bot's
    max_per_address: int = 3  # confirmation emails to one address per hour
    max_per_ip: int = 20  # sign-ups from one client (an IPv6 /64) per hour
    max_per_day: int = 1000  # confirmation emails in any 24 hours, to everyone
    trusted_proxies: tuple[str, ...] = ("127.0.0.1", "::1")  # whose X-Forwarded-For is believed

    @property
    def confirm_lifetime(self) -> dt.timedelta:
        return parse_duration(self.confirm_within)


@dataclass(frozen=True)
class Secrets:
    """Secrets read from the environment; never printed (see __repr__)."""

    values: Mapping[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str | None:
        return self.values.get(name) or None

    def __repr__(self) -> str:
        return f"Secrets({sorted(self.values)} set, values hidden)"


@dataclass(frozen=True)
class Settings:
    """Everything a command needs to know about one site."""

    root: Path
    site: SiteSettings
    email: EmailSettings
    provider: ProviderSettings
    schedule: ScheduleSettings
    signup: SignupSettings
    secrets: Secrets

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def subscribers_dir(self) -> Path:
        return self.root / "subscribers"

    @property
    def state_dir(self) -> Path:
        return self.root / ".newsletter"


SECTIONS = {
    "site": SiteSettings,
    "email": EmailSettings,
    "provider": ProviderSettings,
    "schedule": ScheduleSettings,
    "signup": SignupSettings,
}
PROVIDER_NAMES = ("outbox", "postmark", "sendgrid", "mailgun", "resend", "smtp")
SMTP_SECURITY = ("starttls", "ssl", "none")


