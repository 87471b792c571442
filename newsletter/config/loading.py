"""Loading newsletter.toml: one pipeline from TOML to checked Settings, secrets from the environment.

One pipeline, :func:`load_settings`: parse TOML, reject unknown keys, check types, apply
defaults, then read secrets from ``environ``. Every failure names the file and the key.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import string
import tomllib
from dataclasses import Field, fields, replace
from email.utils import parseaddr
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfoNotFoundError

from newsletter.config.catalogue import PROVIDER_NAMES, SECRET_VARIABLES, STORE_URL_VARIABLE
from newsletter.config.sections import (
    MOVED,
    REQUIRED,
    SECTIONS,
    SMTP_SECURITY,
    SUBJECT_FIELDS,
    Secrets,
    Settings,
)
from newsletter.config.signup import checked_signup
from newsletter.config.store import STORE_PASSWORD, check_store, url_secrets
from newsletter.config.welcome import check_welcome
from newsletter.errors import ConfigError
from newsletter.urls import split_url

SETTINGS_FILE = "newsletter.toml"
MAX_SETTINGS_BYTES = 2**20


def load_settings(site_dir: Path, environ: Mapping[str, str]) -> Settings:
    """Read and validate ``site_dir/newsletter.toml`` and the secrets in ``environ``."""
    path = Path(site_dir) / SETTINGS_FILE
    raw = _read_toml(path)
    where = path.name
    unknown = sorted(set(raw) - set(SECTIONS))
    if unknown and not isinstance(raw[unknown[0]], dict):
        raise ConfigError(f"{unknown[0]} is outside any section", where=where,
                          hint="move it under the section it belongs to ([site], [email], ...)")
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
    settings = Settings(root=Path(site_dir).resolve(), secrets=read_secrets(environ), **sections)
    _check_values(settings, where)
    settings = replace(settings, signup=checked_signup(settings, where))
    check_store(settings, where)
    check_welcome(settings.welcome, where)
    since = settings.schedule.since
    if since is not None and since.tzinfo is None:
        # Like post dates, a zone-less `since` is read in the site's time zone.
        schedule = replace(settings.schedule, since=since.replace(tzinfo=settings.site.zone))
        settings = replace(settings, schedule=schedule)
    return settings


def read_secrets(environ: Mapping[str, str]) -> Secrets:
    """The secrets set in ``environ``; nothing else is read from it. The password inside
    NEWSLETTER_STORE_URL is a secret of its own: an error may quote it alone."""
    values = {k: environ[k] for k in SECRET_VARIABLES if environ.get(k)}
    for number, password in enumerate(url_secrets(values.get(STORE_URL_VARIABLE, ""))):
        values[f"{STORE_PASSWORD} {number}"] = password
    return Secrets(values)


def _read_toml(path: Path) -> dict[str, Any]:
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
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\s*\(at line (\d+), column \d+\)$", str(exc))
        problem, line = (str(exc)[:found.start()], f":{found.group(1)}") if found else (exc, "")
        raise ConfigError(f"not valid TOML ({problem})", where=f"{path.name}{line}") from None


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
        try:
            return float(value)
        except OverflowError:  # an integer too large for a float: refused as not finite
            return math.inf
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
    _check_urls_split(settings, where)
    for key in ("from_", "reply_to", "subject", "unsubscribe_url", "unsubscribe_mailto"):
        value = getattr(email, key)
        if value and any(char in value for char in "\r\n\0"):
            # These values reach message headers, where a line break would start a new header.
            raise ConfigError(f"email.{key.rstrip('_')} must be on one line", where=where)
    _check_subject(email.subject, where)
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
    for key in ("reply_to", "unsubscribe_mailto"):  # a provider refuses every message else
        value = getattr(email, key)
        if value and "@" not in parseaddr(value)[1]:
            raise ConfigError(f"email.{key} {value!r} is not an email address", where=where,
                              hint='write it as "you@example.com"')
    _check_unsubscribe_url(email.unsubscribe_url, site.url, where)
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


def _check_urls_split(settings: Settings, where: str) -> None:
    """Every URL setting can be split (:mod:`newsletter.urls`): later checks rely on it."""
    values = [("site.url", settings.site.url), ("email.unsubscribe_url",
               settings.email.unsubscribe_url), ("email.cta_url", settings.email.cta_url),
              ("provider.api_url", settings.provider.api_url), ("images.url", settings.images.url),
              ("signup.confirm_url", settings.signup.confirm_url),
              *(("signup.allowed_origins", origin) for origin in settings.signup.allowed_origins)]
    for key, value in values:
        if value and split_url(value.strip()) is None:
            raise ConfigError(f"{key} {value!r} is not a valid URL", where=where,
                              hint="[ and ] belong only around an IPv6 address, a port is a "
                                   "number up to 65535")


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


def _check_unsubscribe_url(url: str, site_url: str, where: str) -> None:
    """The URL must be https and name each reader by ``{token}`` where the endpoint can read it.

    ``{email}`` is still allowed (links of the old ``?email={email}&token={token}`` kind), but
    the token alone names the reader, and ``newsletter check`` warns about the address in clear.
    """
    example = f"for example {site_url.rstrip('/')}/unsubscribe/{{token}}"
    if not url.startswith("https://"):
        raise ConfigError("email.unsubscribe_url must be an https:// URL (RFC 8058 one-click "
                          "unsubscribe)", where=where, hint=example)
    try:
        url.format(email="e", token="t")
    except (KeyError, IndexError, ValueError) as error:
        raise ConfigError(f"email.unsubscribe_url cannot be filled in ({error!r})", where=where,
                          hint="use only the {token} placeholder; " + example) from None
    if url.count("{token}") != 1:
        raise ConfigError("email.unsubscribe_url must hold {token} once: without it every "
                          "reader would get the same link", where=where, hint=example)
    parts = urlsplit(url)
    in_query_names = any("{" in name for name, _ in parse_qsl(parts.query))
    partial_values = [value for _, value in parse_qsl(parts.query)
                      if "{" in value and value not in ("{email}", "{token}")]
    if "{" in parts.netloc or "{" in parts.fragment or in_query_names or partial_values:
        raise ConfigError("email.unsubscribe_url must put {token} in the path or as a whole "
                          "query value (?t={token})", where=where, hint=example)
