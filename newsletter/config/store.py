"""[store] url: where the state lives, and the one rule for its password.

The password never sits in newsletter.toml (a file that is committed and shared): it comes
from PGPASSWORD (read by libpq), or with the whole URL from NEWSLETTER_STORE_URL. No message
here quotes the URL: it may hold the password.
"""

from __future__ import annotations

import os
import re
from urllib.parse import parse_qs, unquote, urlsplit

from newsletter.config.catalogue import STORE_URL_VARIABLE
from newsletter.errors import ConfigError

SCHEMES = ("postgresql", "postgres")
STORE_PASSWORD = "NEWSLETTER_STORE_URL password"  # the name its password is hidden under
# What libpq refuses by quoting the part of the URL that holds it (the password, maybe): a
# space, or a % not starting an escape; and a control character (libpq ends the URL at a NUL).
_UNQUOTABLE = re.compile(r"[\s\x00-\x1f\x7f]|%(?![0-9A-Fa-f]{2})")


def url_password(url: str) -> str | None:
    """The password a store URL holds, decoded, or None."""
    written = written_password(url)
    return unquote(written) if written else None


def written_password(url: str) -> str | None:
    """The password a store URL holds, as written in it (escapes and all), or None."""
    try:
        return urlsplit(url).password or None
    except ValueError:
        return None


def url_secrets(url: str) -> tuple[str, ...]:
    """The forms of a store URL's passwords to hide: as written (libpq quotes them so), and
    decoded; the one before the host, and any in a ``password=`` or ``sslpassword=``
    parameter (libpq quotes one holding a %00, say)."""
    written = [written_password(url), *password_parameters(url)]
    return tuple(form for each in written if each for form in (each, unquote(each)))


def password_parameters(url: str) -> list[str]:
    """The values, as written, of the URL's ``password`` and ``sslpassword`` parameters.
    libpq decodes a parameter's name (``pass%77ord=``), and quotes a whole parameter whose
    ``=`` is escaped (``password%3D...``) as it refuses it: both count."""
    try:
        query = urlsplit(url).query
    except ValueError:
        return []
    found = []
    for pair in query.split("&"):
        name, separator, value = pair.partition("=")
        if not separator:
            name, _, value = re.sub("%3[Dd]", "=", pair, count=1).partition("=")
        if unquote(name) in ("password", "sslpassword"):
            found.append(value)
    return found


def check_store(settings, where: str) -> None:
    """store.url names a PostgreSQL database and holds no password; so does the URL from the
    environment (without the password rule: it is a secret)."""
    if settings.store.url is not None:
        check_url(settings.store.url, "store.url", where)
        refuse_password(settings.store.url, "store.url",
                        "newsletter.toml is no place for one", where,
                        "remove it from the file; set PGPASSWORD in the environment, or the "
                        "whole URL in NEWSLETTER_STORE_URL")
    from_environment = settings.secrets.get(STORE_URL_VARIABLE)
    if from_environment is not None:
        check_url(from_environment, STORE_URL_VARIABLE, "environment")


def refuse_password(url: str, name: str, why: str, where: str, hint: str) -> None:
    """ConfigError when ``url`` holds a password (never quoting it)."""
    if url_password(url) is not None or password_parameters(url):
        raise ConfigError(f"{name} holds a password, and {why}", where=where, hint=hint)


def check_url(url: str, name: str, where: str) -> None:
    """A postgresql:// URL naming a database, or ConfigError (never quoting it)."""
    try:
        parts = urlsplit(url)
        cut = _credentials_cut(parts)  # libpq would take the password's first part for a host
        if not cut and not all(_port_fits(h) for h in parts.netloc.rpartition("@")[2].split(",")):
            raise ValueError("a port that is not a number")
    except ValueError:
        raise ConfigError(f"{name} is not a URL", where=where,
                          hint="write it as postgresql://user@host:5432/database") from None
    if _UNQUOTABLE.search(url):
        raise ConfigError(f"{name} holds a space or a control character, or a % that "
                          "starts no %XX escape", where=where,
                          hint="write a space as %20 and a % as %25")
    if parts.netloc.count("@") > 1:  # libpq ends the password at the first: quotes the rest
        raise ConfigError(f"{name} holds an @ in its user name or password", where=where,
                          hint="write it as %40")
    if cut:
        raise ConfigError(f"{name} holds a /, ? or # in its user name or password (or an @ in "
                          "its database name)", where=where,
                          hint="write them as %2F, %3F, %23 (and %40)")
    if parts.scheme not in SCHEMES or not _names_database(parts):
        raise ConfigError(f"{name} must be a postgresql:// URL naming a database", where=where,
                          hint="write it as postgresql://user@host:5432/database")



def _credentials_cut(parts) -> bool:
    """The URL's user name or password holds a /, ? or # (a base64 password, say): the host
    part then ends there, and its @ comes later, before any parameter's =."""
    rest = parts.path + ("?" + parts.query if parts.query else "") + "#" + parts.fragment
    return "@" not in parts.netloc and "@" in rest.split("=", 1)[0]


def _port_fits(host: str) -> bool:
    """One host of the URL (libpq takes several, comma-separated, for a failover) has no port
    or a number for one: ``db``, ``db:5432``, ``[::1]:5432``."""
    port = host.rpartition("]")[2] if host.startswith("[") else host
    port = port.rpartition(":")[2] if ":" in port else ""
    return port == "" or port.isdigit()


def _names_database(parts) -> bool:
    """The URL names its database: in its path, or as libpq also reads it, in ``dbname=`` or
    through a connection service file's ``service=``; or libpq's environment does
    (``PGDATABASE``, or a service in ``PGSERVICE``), as it may for whatever the URL leaves out."""
    query = parse_qs(parts.query)
    return bool(parts.path.strip("/")) or bool(query.get("dbname") or query.get("service")) \
        or bool(os.environ.get("PGDATABASE") or os.environ.get("PGSERVICE"))
