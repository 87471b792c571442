"""Loading newsletter.toml: one pipeline from TOML to checked Settings, secrets from the environment.

One pipeline, :func:`load_settings`: parse TOML, refuse a secret pasted into the file
(pasted_secrets.py), reject unknown keys, check types, apply defaults, then read secrets from
``environ``. Every failure names the file and the key, and the key's line when the text shows
where it is (lines.py).
"""

from __future__ import annotations

import datetime as dt
import math
import string
from dataclasses import Field, fields, replace
from pathlib import Path
from typing import Any, Mapping
from zoneinfo import ZoneInfoNotFoundError

from newsletter.config.catalogue import PROVIDER_NAMES, SECRET_VARIABLES, STORE_URL_VARIABLE
from newsletter.config.lines import did_you_mean, located, parse_toml, setting_line
from newsletter.config.moments import OUTSIDE_THE_CALENDAR, outside_the_calendar
from newsletter.config.pasted_secrets import refuse_pasted_secrets
from newsletter.config.sections import (
    MOVED,
    REQUIRED,
    SECTIONS,
    SMTP_SECURITY,
    SUBJECT_FIELDS,
    Secrets,
    Settings,
)
from newsletter.config.senders import check_addresses
from newsletter.config.signup import checked_signup
from newsletter.config.site_paths import folder_problem, outbox_problem
from newsletter.config.store import STORE_PASSWORD, check_store, url_secrets
from newsletter.config.url_settings import check_unsubscribe_url, check_urls
from newsletter.config.welcome import check_welcome
from newsletter.errors import ConfigError

SETTINGS_FILE = "newsletter.toml"
MAX_SETTINGS_BYTES = 2**20


def load_settings(site_dir: Path, environ: Mapping[str, str]) -> Settings:
    """Read and validate ``site_dir/newsletter.toml`` and the secrets in ``environ``."""
    path = Path(site_dir) / SETTINGS_FILE
    raw, text = _read_toml(path)
    try:
        return _checked_settings(Path(site_dir), raw, text, environ)
    except ConfigError as error:
        raise located(error, text, SECTIONS) from None


def _checked_settings(site_dir: Path, raw: dict[str, Any], text: str,
                      environ: Mapping[str, str]) -> Settings:
    where = SETTINGS_FILE
    refuse_pasted_secrets(raw, text, SECTIONS, where)
    unknown = sorted(set(raw) - set(SECTIONS))
    if unknown and not isinstance(raw[unknown[0]], dict):
        line = setting_line(text, None, unknown[0])
        raise ConfigError(f"{unknown[0]} is outside any section",
                          where=f"{where}:{line}" if line else where,
                          hint="move it under the section it belongs to ([site], [email], ...)")
    if unknown:
        line = setting_line(text, unknown[0])
        raise ConfigError(
            f"unknown section [{unknown[0]}]",
            where=f"{where}:{line}" if line else where,
            hint=did_you_mean(unknown[0], SECTIONS, "[{}]")
            + f"use one of {', '.join(f'[{s}]' for s in SECTIONS)}",
        )
    sections = {}
    for name, cls in SECTIONS.items():
        table = raw.get(name, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{name} must be a table", where=where, hint=f"write it as [{name}]")
        sections[name] = _build_section(cls, name, table, where)
    settings = Settings(root=site_dir.resolve(), secrets=read_secrets(environ), **sections)
    _check_values(settings, where)
    settings = replace(settings, signup=checked_signup(settings, where))
    check_store(settings, where)
    check_welcome(settings.welcome, where)
    if (since := settings.schedule.since) is not None:
        # Like post dates, a zone-less `since` is read in the site's time zone, and shown in it.
        since = since if since.tzinfo else since.replace(tzinfo=settings.site.zone)
        if outside_the_calendar(since, settings.site.zone):
            raise ConfigError(f"schedule.since {since} {OUTSIDE_THE_CALENDAR}", where=where,
                              hint="check the year")
        settings = replace(settings, schedule=replace(settings.schedule, since=since))
    return settings


def read_secrets(environ: Mapping[str, str]) -> Secrets:
    """The secrets set in ``environ``; nothing else is read from it. The password inside
    NEWSLETTER_STORE_URL is a secret of its own: an error may quote it alone."""
    values = {k: environ[k] for k in SECRET_VARIABLES if environ.get(k)}
    for number, password in enumerate(url_secrets(values.get(STORE_URL_VARIABLE, ""))):
        values[f"{STORE_PASSWORD} {number}"] = password
    return Secrets(values)


def _read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """The parsed file and its text."""
    try:
        if path.exists() and not path.is_file():  # a FIFO's read waits forever, /dev/zero's fills
            raise ConfigError("is not a regular file (a FIFO, a device or a folder)",
                              where=str(path), hint="put the site's settings file there")
        if path.exists() and (size := path.stat().st_size) > MAX_SETTINGS_BYTES:
            raise ConfigError(f"is {size / 2**20:.1f} MB; a settings file over 1 MB is refused",
                              where=str(path))
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError("not found", where=str(path), hint=_where_the_site_is(path.parent)) from None
    except OSError as exc:
        raise ConfigError(f"cannot be read ({exc.strerror})", where=str(path)) from None
    try:
        text = data.decode("utf-8-sig")  # TOML is UTF-8; Windows editors may add a BOM
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ConfigError(f"not UTF-8 text (byte 0x{data[exc.start]:02x})",
                          where=f"{path.name}:{line}", hint="save the file as UTF-8") from None
    return parse_toml(text, path.name), text


def site_above(folder: Path) -> Path | None:
    """The nearest folder above ``folder`` that is a site (holds newsletter.toml), if any."""
    return next((above for above in folder.resolve().parents
                 if (above / SETTINGS_FILE).is_file()), None)


def _where_the_site_is(folder: Path) -> str:
    """What to do when ``folder`` holds no newsletter.toml: go to the site above it, if one is,
    else make this folder one."""
    here = folder.resolve()
    if (site := site_above(here)) is not None:
        return f"the site is {site}: run newsletter there or pass --site {site}"
    return (f"{here} is not a site yet: make it one with `newsletter init`, "
            "or pass --site DIR to name the site folder")


def _build_section(cls: type, section: str, table: dict[str, Any], where: str) -> Any:
    known = {f.name.rstrip("_"): f for f in fields(cls)}
    unknown = sorted(set(table) - set(known))
    moved = next((MOVED[section, key] for key in unknown if (section, key) in MOVED), None)
    if moved:
        raise ConfigError(f"{section}.{unknown[0]} has moved", where=where,
                          hint=f"write it as {moved}")
    if unknown:
        raise ConfigError(
            f"unknown setting {section}.{unknown[0]}",
            where=where,
            hint=did_you_mean(unknown[0], known, "{}")
            + f"[{section}] takes {', '.join(known)}",
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
        _check_number(values[spec.name], spec, f"{section}.{key}", where)
    return cls(**values)


def _check_number(value: Any, spec: Field, key: str, where: str) -> None:
    """Every number finite (TOML allows nan and inf); one with a declared Range inside it."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return
    allowed = spec.metadata.get("range")
    if allowed is not None and value not in allowed:
        raise ConfigError(f"{key} must be {allowed}, not {value!r}", where=where)
    if not math.isfinite(value):
        raise ConfigError(f"{key} must be a finite number, not {value!r}", where=where)


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
    "tuple[str, ...] | None": "a list of strings",
    "str | tuple[str, ...]": "a string or a list of strings",
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
        "str | tuple[str, ...]": isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value)),
    }[base]
    if not ok:
        raise ConfigError(
            f"{key} must be {_TYPE_NAMES[type_name]}, not {value!r}", where=where,
        )
    if base == "float":
        try:
            return float(value)
        except OverflowError:  # an integer too large for a float: refused as not finite
            return math.inf
    if base == "dt.datetime":
        return _parse_since(value, key, where)
    if base.endswith("tuple[str, ...]") and isinstance(value, list):
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
    check_urls(settings, where)
    for key in ("from_", "reply_to", "subject", "unsubscribe_url", "unsubscribe_mailto"):
        value = getattr(email, key)
        if value and any(char in value for char in "\r\n\0"):
            # These values reach message headers, where a line break would start a new header.
            raise ConfigError(f"email.{key.rstrip('_')} must be on one line", where=where)
    _check_subject(email.subject, where)
    if not site.url.startswith(("https://", "http://")):
        raise ConfigError("site.url must start with https://", where=where,
                          hint=f'write it as "https://{site.url.strip().split("://")[-1]}"'
                          if site.url.strip() else "write your blog's address there")
    for key, value in (("site.title", site.title), ("email.postal_address",
                       email.postal_address), ("email.subject", email.subject),
                       ("provider.message_stream", provider.message_stream),
                       ("provider.host", provider.host)):
        if not value.strip():
            raise ConfigError(f"{key} is empty", where=where,
                              hint=_WANTED[key])
    try:
        site.zone
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"site.timezone {site.timezone!r} is not a known time zone",
            where=where, hint="use a name such as UTC or Europe/Berlin",
        ) from None
    check_addresses(email, where)  # a provider refuses every message else
    check_unsubscribe_url(email.unsubscribe_url, site.url, where)
    if provider.name not in PROVIDER_NAMES:
        raise ConfigError(
            f"provider.name {provider.name!r} is not a known provider",
            where=where, hint=f"use one of {', '.join(PROVIDER_NAMES)}",
        )
    folders = [("provider.directory", provider.directory, outbox_problem(provider.directory)),
               ("images.publish_dir", settings.images.publish_dir,
                folder_problem(settings.images.publish_dir)),
               *(("images.static_dirs", folder, folder_problem(folder, root_ok=True))
                 for folder in settings.images.static_dirs or ())]
    for key, folder, problem in folders:
        if problem is not None:
            raise ConfigError(f"{key} {folder!r} {problem}", where=where, hint="write a folder "
                              f'under the site, e.g. {key.split(".")[1]} = {_FOLDER[key]}')
    if provider.security not in SMTP_SECURITY:
        raise ConfigError(
            f"provider.security {provider.security!r} is not known",
            where=where, hint=f"use one of {', '.join(SMTP_SECURITY)}",
        )


# An example of each folder setting.
_FOLDER = {"provider.directory": '"outbox"', "images.publish_dir": '"static/newsletter"',
           "images.static_dirs": '["static"]'}
# What to write in a setting that must not be empty.
_WANTED = {"site.title": "write your blog's name there",
           "email.subject": 'write the pattern of every subject there, such as "{title}"',
           "email.postal_address": "write the postal address the law requires in every "
                                   "newsletter there",
           "provider.message_stream": 'write your Postmark message stream there, such as '
                                      '"broadcast"',
           "provider.host": 'write the SMTP server there, such as "smtp.example.com"'}


def _check_subject(pattern: str, where: str) -> None:
    """email.subject names only the post's fields: no attributes, indexes or conversions."""
    hint = "use the fields {" + "}, {".join(SUBJECT_FIELDS) + "}, e.g. {date:%B %d}"
    try:
        parts = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise ConfigError(f"email.subject {pattern!r} is not a valid pattern ({exc})",
                          where=where, hint="write a literal brace as {{ or }}") from None
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if (name not in SUBJECT_FIELDS or conversion or "{" in spec
                or (spec and name != "date")):
            used = "{" + name + (f"!{conversion}" if conversion else "") + (
                f":{spec}" if spec else "") + "}"
            raise ConfigError(f"email.subject may not use {used}", where=where, hint=hint)
