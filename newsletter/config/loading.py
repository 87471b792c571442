"""Loading newsletter.toml: one pipeline from TOML to checked Settings, secrets from the environment.

One pipeline, :func:`load_settings`: parse TOML, reject unknown keys, check types, apply
defaults, then read secrets from ``environ``. Every failure names the file and the key.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import fields, replace
from pathlib import Path
from typing import Any, Mapping
from zoneinfo import ZoneInfoNotFoundError

from newsletter.config.sections import (
    PROVIDER_NAMES,
    REQUIRED,
    SECTIONS,
    SMTP_SECURITY,
    Secrets,
    Settings,
)
from newsletter.config.signup import checked_signup
from newsletter.errors import ConfigError

SETTINGS_FILE = "newsletter.toml"

# Environment variables holding secrets. Nothing else is read from the environment.
SECRET_VARIABLES = (
    "POSTMARK_SERVER_TOKEN",
    "SENDGRID_API_KEY",
    "MAILGUN_API_KEY",
    "RESEND_API_KEY",
    "SMTP_USERNAME",
    "SMTP_PASSWORD",
    "NEWSLETTER_SECRET",
    # webhook verification (newsletter.web.webhooks)
    "NEWSLETTER_WEBHOOK_USER",
    "NEWSLETTER_WEBHOOK_PASSWORD",
    "SENDGRID_WEBHOOK_PUBLIC_KEY",
    "MAILGUN_WEBHOOK_SIGNING_KEY",
    "RESEND_WEBHOOK_SECRET",
)

def load_settings(site_dir: Path, environ: Mapping[str, str]) -> Settings:
    """Read and validate ``site_dir/newsletter.toml`` and the secrets in ``environ``."""
    path = Path(site_dir) / SETTINGS_FILE
    raw = _read_toml(path)
    where = path.name
    unknown = sorted(set(raw) - set(SECTIONS))
    if unknown:
        raise ConfigError(
            f"unknown section [{unknown[0]}]",
            where=where,
            hint=f"use one of {', '.join(f'[{s}]' for s in SECTIONS)}",
        )
    sections = {}
    for name, cls in SECTIONS.items():
        table = raw.get(name, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{name} must be a table", where=where, hint=f"write it as [{name}]")
        sections[name] = _build_section(cls, name, table, where)
    settings = Settings(
        root=Path(site_dir).resolve(),
        secrets=Secrets({k: environ[k] for k in SECRET_VARIABLES if environ.get(k)}),
        **sections,
    )
    _check_values(settings, where)
    settings = replace(settings, signup=checked_signup(settings, where))
    since = settings.schedule.since
    if since is not None and since.tzinfo is None:
        # Like post dates, a zone-less `since` is read in the site's time zone.
        schedule = replace(settings.schedule, since=since.replace(tzinfo=settings.site.zone))
        settings = replace(settings, schedule=schedule)
    return settings


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(
            "not found",
            where=str(path),
            hint="run newsletter in a site folder or pass --site DIR",
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML ({exc})", where=path.name) from None


def _build_section(cls: type, section: str, table: dict[str, Any], where: str) -> Any:
    known = {f.name.rstrip("_"): f for f in fields(cls)}
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ConfigError(
            f"unknown setting {section}.{unknown[0]}",
            where=where,
            hint=f"check the spelling; [{section}] takes {', '.join(known)}",
        )
    values = {}
    for key, spec in known.items():
        if key not in table:
            if spec.default is REQUIRED:
                raise ConfigError(
                    f"missing required setting {section}.{key}", where=where,
                    hint=f"add {key} = ... under [{section}]",
                )
            continue
        values[spec.name] = _coerce(table[key], spec.type, f"{section}.{key}", where)
    return cls(**values)


_TYPE_NAMES = {
    "str": "a string",
    "str | None": "a string",
    "int": "an integer",
    "int | None": "an integer",
    "float": "a number",
    "float | None": "a number",
    "bool": "true or false",
    "dt.datetime | None": "a date-time such as 2026-11-25T00:00:00Z",
    "tuple[str, ...]": "a list of strings",
}


def _coerce(value: Any, type_name: str, key: str, where: str) -> Any:
    """Check one value against its field's (string) annotation."""
    base = type_name.replace(" | None", "")
    ok = {
        "str": isinstance(value, str),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "float": isinstance(value, (int, float)) and not isinstance(value, bool),
        "bool": isinstance(value, bool),
        "dt.datetime": isinstance(value, (dt.datetime, dt.date, str)),
        "tuple[str, ...]": isinstance(value, list) and all(isinstance(v, str) for v in value),
    }[base]
    if not ok:
        raise ConfigError(
            f"{key} must be {_TYPE_NAMES[type_name]}, not {value!r}", where=where,
        )
    if base == "float":
        return float(value)
    if base == "dt.datetime":
        return _parse_since(value, key, where)
    if base == "tuple[str, ...]":
        return tuple(value)
    return value


def _parse_since(value: Any, key: str, where: str) -> dt.datetime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ConfigError(
                f"{key} must be {_TYPE_NAMES['dt.datetime | None']}, not {value!r}", where=where,
            ) from None
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    return value  # a zone-less value is read in site.timezone by load_settings


def _check_values(settings: Settings, where: str) -> None:
    """Checks that need more than a type: allowed names, URLs, zones, ranges."""
    site, email, provider = settings.site, settings.email, settings.provider
    for key in ("from_", "reply_to", "subject", "unsubscribe_url", "unsubscribe_mailto"):
        value = getattr(email, key)
        if value and any(char in value for char in "\r\n\0"):
            # These values reach message headers, where a line break would start a new header.
            raise ConfigError(f"email.{key.rstrip('_')} must be on one line", where=where)
    if not site.url.startswith(("https://", "http://")):
        raise ConfigError("site.url must start with https://", where=where)
    try:
        site.zone
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"site.timezone {site.timezone!r} is not a known time zone",
            where=where, hint="use a name such as UTC or Europe/Berlin",
        ) from None
    if "@" not in email.from_address:
        raise ConfigError(
            f"email.from {email.from_!r} has no address",
            where=where, hint='write it as "Your Name <you@example.com>"',
        )
    if not email.unsubscribe_url.startswith("https://"):
        raise ConfigError(
            "email.unsubscribe_url must be an https:// URL (RFC 8058 one-click unsubscribe)",
            where=where,
        )
    if provider.name not in PROVIDER_NAMES:
        raise ConfigError(
            f"provider.name {provider.name!r} is not a known provider",
            where=where, hint=f"use one of {', '.join(PROVIDER_NAMES)}",
        )
    if provider.security not in SMTP_SECURITY:
        raise ConfigError(
            f"provider.security {provider.security!r} is not known",
            where=where, hint=f"use one of {', '.join(SMTP_SECURITY)}",
        )
    for key in ("batch_size", "concurrency", "timeout", "rate_limit", "port"):
        value = getattr(provider, key)
        if value is not None and value <= 0:
            raise ConfigError(f"provider.{key} must be greater than 0", where=where)
    if settings.schedule.max_posts_per_run < 1:
        raise ConfigError("schedule.max_posts_per_run must be at least 1", where=where)
