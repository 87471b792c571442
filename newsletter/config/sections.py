"""The sections of newsletter.toml as frozen dataclasses: one field per setting, with its default."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import field
from email.utils import parseaddr
from pathlib import Path
from typing import Mapping
from zoneinfo import ZoneInfo

from newsletter.config.catalogue import STORE_URL_VARIABLE
from newsletter.config.durations import parse_duration
from newsletter.config.redaction import redact
from newsletter.config.site_paths import inside_site
from newsletter.errors import ConfigError
from newsletter.records import record

REQUIRED = object()  # the default of a setting that has none: it must be given


@record(frozen=True)
class Range:
    """The values a numeric setting may take: finite, from ``low`` to ``high`` inclusive."""

    low: float
    high: float
    unit: str = ""

    def __contains__(self, value: float) -> bool:
        return math.isfinite(value) and self.low <= value <= self.high

    def __str__(self) -> str:
        # 100,000,000 rather than 1e+08 or 100,000,000.0; 0.01 as it is
        low, high = (f"{n:,.0f}" if float(n).is_integer() else f"{n:g}" for n in (self.low, self.high))
        return f"from {low} to {high}" + (f" {self.unit}" if self.unit else "")


def ranged(default: float | None, low: float, high: float, unit: str = ""):
    """A numeric setting: its default and the range the loader holds every value to."""
    return field(default=default, metadata={"range": Range(low, high, unit)})


@record(frozen=True)
class SiteSettings:
    """[site]: the blog itself."""

    title: str = REQUIRED  # type: ignore[assignment]
    url: str = REQUIRED  # type: ignore[assignment]
    timezone: str = "UTC"
    language: str = "en"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@record(frozen=True)
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
    feature_image: bool = True  # the post's front-matter image at the top of the email

    @property
    def from_address(self) -> str:
        return parseaddr(self.from_)[1]

    @property
    def from_name(self) -> str:
        return parseaddr(self.from_)[0]

    @property
    def sender_domain(self) -> str:
        return self.from_address.rpartition("@")[2]


@record(frozen=True)
class ProviderSettings:
    """[provider]: which mail provider sends, and how hard to push it."""

    name: str = "outbox"
    api_url: str | None = None
    # None: the provider's own maximum; no provider takes more than 1000 (docs/providers.md)
    batch_size: int | None = ranged(None, 1, 1000, "messages")
    # batches in flight at most; None: as many as the provider's pace allows (sending/pace.py)
    concurrency: int | None = ranged(None, 1, 64, "batches")
    # messages per second; None: as fast as allowed
    rate_limit: float | None = ranged(None, 0.01, 100_000, "messages per second")
    timeout: float = ranged(30.0, 0.1, 600, "seconds")
    # messages in any 24 hours / any hour (a free tier's cap); None: no limit of ours
    daily_limit: int | None = ranged(None, 1, 100_000_000, "messages")
    hourly_limit: int | None = ranged(None, 1, 10_000_000, "messages")
    # share of daily_limit kept for sign-up confirmations, which `serve` sends at any time
    reserve_for_signups: float = ranged(0.1, 0, 0.9)
    test_mode: bool = False
    # provider-specific keys
    message_stream: str = "broadcast"  # postmark
    domain: str | None = None  # mailgun
    host: str = "localhost"  # smtp
    port: int | None = ranged(None, 1, 65535)  # smtp; default by security
    security: str = "starttls"  # smtp: starttls | ssl | none
    directory: str = "outbox"  # outbox: where .eml files go, relative to the site


@record(frozen=True)
class ScheduleSettings:
    """[schedule]: what `send --due` may send."""

    since: dt.datetime | None = None
    max_posts_per_run: int = ranged(2, 1, 100, "posts")


# Secret variables that name someone rather than grant anything: left visible in messages.
USER_NAMES = frozenset({"SMTP_USERNAME", "NEWSLETTER_WEBHOOK_USER"})


@record(frozen=True)
class ImageSettings:
    """[images]: the post's own image files, and how they reach the reader (docs/images.md)."""

    mode: str | None = None  # hosted | inline; unset: preview works, send refuses local images
    # Folders the blog serves at its root; None: the generator's (docs/generators.md)
    static_dirs: tuple[str, ...] | None = None
    publish_dir: str = "static/newsletter"  # hosted: where the prepared files are written
    url: str | None = None  # hosted: the address publish_dir is served at

    def __post_init__(self):
        if self.mode is not None and self.mode not in IMAGE_MODES:
            raise ConfigError(f"images.mode {self.mode!r} is not known", where="newsletter.toml",
                              hint=f"use one of {', '.join(IMAGE_MODES)}")
        if self.url is not None and not self.url.startswith(("https://", "http://")):
            raise ConfigError("images.url must start with https://", where="newsletter.toml")
        if self.mode == "hosted" and not self.url:
            raise ConfigError(
                'images.mode = "hosted" needs images.url', where="newsletter.toml",
                hint=f'add url = "https://your.blog/newsletter" '
                     f"(where {self.publish_dir} is served)")


@record(frozen=True)
class PostsSettings:
    """[posts]: where the blog keeps its posts, and which generator builds it (docs/generators.md).

    ``generator`` unset: found again on each run from the blog's files; ``dirs`` unset: the
    generator's own folders (``content`` when none is found).
    """

    generator: str | None = None
    dirs: tuple[str, ...] | None = None  # globs under the site: folders or files
    exclude: tuple[str, ...] = ()  # globs under the site never read
    markdown: str | None = None  # the Markdown dialect posts are written in; None: the generator's

    def __post_init__(self):
        if self.generator is not None and self.generator not in GENERATOR_NAMES:
            raise ConfigError(f"posts.generator {self.generator!r} is not known",
                              where="newsletter.toml",
                              hint=f"use one of {', '.join(GENERATOR_NAMES)}")
        if self.markdown is not None and self.markdown not in MARKDOWN_NAMES:
            raise ConfigError(f"posts.markdown {self.markdown!r} is not known",
                              where="newsletter.toml",
                              hint=f"use one of {', '.join(MARKDOWN_NAMES)}")
        for key in ("dirs", "exclude"):
            for pattern in getattr(self, key) or ():
                if not inside_site(pattern):
                    raise ConfigError(f"posts.{key} {pattern!r} must be a folder or glob inside "
                                      "the site", where="newsletter.toml",
                                      hint='write it relative to the site, e.g. "content/posts"')


@record(frozen=True)
class SignupSettings:
    """[signup]: readers joining from the blog through `newsletter serve` (double opt-in)."""

    enabled: bool = True
    path: str = "/subscribe"  # where `serve` takes the form
    confirm_url: str | None = None  # default: email.unsubscribe_url's server + /confirm/{token}
    allowed_origins: tuple[str, ...] = ()  # pages that may post the form; default: site.url's
    tags: tuple[str, ...] = ()  # tags a reader may pick on the form
    confirm_within: str = "48h"  # how long a confirmation link works
    # A form sent sooner after the page loaded is a bot's.
    min_fill_seconds: float = ranged(2.0, 0, 600, "seconds")
    # Confirmation emails to one inbox per hour (jane+1@ and jane@ are one: web/signup_journal.py).
    max_per_address: int = ranged(3, 1, 100, "emails")
    # Sign-ups from one client (an IPv4 address, an IPv6 /64) per hour.
    max_per_ip: int = ranged(20, 1, 100_000, "sign-ups")
    # Confirmation emails in any 24 hours, to everyone.
    max_per_day: int = ranged(1000, 1, 10_000_000, "emails")
    trusted_proxies: tuple[str, ...] = ("127.0.0.1", "::1")  # whose X-Forwarded-For is believed

    @property
    def confirm_lifetime(self) -> dt.timedelta:
        return parse_duration(self.confirm_within)


@record(frozen=True)
class TrackingSettings:
    """[tracking]: opens and clicks, asked of the provider per message; off unless turned on
    (docs/events.md#tracking-opens-and-clicks)."""

    opens: bool = False
    clicks: bool = False


@record(frozen=True)
class WelcomeSettings:
    """[welcome]: a series of the blog's best posts for each new reader (docs/welcome.md)."""

    enabled: bool = False
    posts: tuple[str, ...] = ()  # post ids or names, in the order readers get them
    # between two posts of the series; a list: after the first, the second... (the last repeats)
    every: str | tuple[str, ...] = "3d"
    first_after: str = "0"  # from joining to the first post; 0: the next cron run
    intro: str | None = None  # a line above each post: "You joined {site} ..."

    @property
    def gaps(self) -> tuple[dt.timedelta, ...]:
        """The time after each post of the series before the next (the last for the rest)."""
        return tuple(parse_duration(text) for text in (
            (self.every,) if isinstance(self.every, str) else self.every))

    @property
    def delay(self) -> dt.timedelta:
        return dt.timedelta(0) if self.first_after.strip() == "0" else parse_duration(
            self.first_after)


@record(frozen=True)
class StoreSettings:
    """[store]: where the state lives. No url: subscribers/*.csv and SQLite files in
    .newsletter/; a postgresql:// url (without its password): everything in that database."""

    url: str | None = None


@record(frozen=True)
class Secrets:
    """Secrets read from the environment; never printed (see __repr__)."""

    values: Mapping[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str | None:
        return self.values.get(name) or None

    def redact(self, text: str, limit: int | None = None) -> str:
        """``text`` with every secret hidden in every form it travels in, then cut to ``limit``;
        for anything from outside that is printed, logged or stored."""
        hidden = tuple(value for name, value in sorted(self.values.items())
                       if name not in USER_NAMES)
        return redact(text, hidden, limit)

    def __repr__(self) -> str:
        return f"Secrets({sorted(self.values)} set, values hidden)"


@record(frozen=True)
class Settings:
    """Everything a command needs to know about one site."""

    root: Path
    site: SiteSettings
    email: EmailSettings
    provider: ProviderSettings
    schedule: ScheduleSettings
    signup: SignupSettings
    secrets: Secrets
    images: ImageSettings = ImageSettings()
    posts: PostsSettings = PostsSettings()
    tracking: TrackingSettings = TrackingSettings()
    welcome: WelcomeSettings = WelcomeSettings()
    store: StoreSettings = StoreSettings()

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def subscribers_dir(self) -> Path:
        return self.root / "subscribers"

    @property
    def state_dir(self) -> Path:
        return self.root / ".newsletter"

    @property
    def store_url(self) -> str | None:
        """The PostgreSQL store's URL (NEWSLETTER_STORE_URL wins over store.url), or None for
        the files store. A secret: it may hold the password; never print it."""
        return self.secrets.get(STORE_URL_VARIABLE) or self.store.url


SECTIONS = {
    "site": SiteSettings,
    "email": EmailSettings,
    "provider": ProviderSettings,
    "schedule": ScheduleSettings,
    "images": ImageSettings,
    "signup": SignupSettings,
    "posts": PostsSettings,
    "tracking": TrackingSettings,
    "welcome": WelcomeSettings,
    "store": StoreSettings,
}
# Settings that moved: (section, key) -> where they are now.
MOVED = {("provider", "track_opens"): "opens under [tracking]",
         ("provider", "track_links"): "clicks under [tracking]"}
SMTP_SECURITY = ("starttls", "ssl", "none")
# The post fields email.subject may name; only {date} takes a format (strftime codes).
SUBJECT_FIELDS = ("title", "description", "slug", "url", "date", "site")
IMAGE_MODES = ("hosted", "inline")
# The static site generators whose layouts newsletter knows (docs/generators.md); "none": read
# content/ the generic way.
GENERATOR_NAMES = ("hugo", "jekyll", "eleventy", "astro", "zola", "pelican", "gatsby", "hexo",
                   "docusaurus", "mkdocs", "contentlayer", "bridgetown",
                   "nikola", "vitepress", "nextjs", "nextjs-mdx", "none")
# [posts] markdown: the dialects posts may be rendered in (docs/email.md#markdown-dialects);
# unset, the generator's own.
MARKDOWN_NAMES = ("commonmark", "kramdown", "python-markdown")


