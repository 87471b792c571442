"""[store] url: where the state lives, and the one rule for its password.

The password never sits in newsletter.toml (a file that is committed and shared): it comes
from PGPASSWORD (read by libpq), or with the whole URL from NEWSLETTER_STORE_URL. No message
here quotes the URL: it may hold the password.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from newsletter.config.catalogue import STORE_URL_VARIABLE
from newsletter.errors import ConfigError

SCHEMES = ("postgresql", "postgres")
STORE_PASSWORD = "NEWSLETTER_STORE_URL password"  # the name its password is hidden under


def url_password(url: str) -> str | None:
    """The password a store URL holds, decoded, or None."""
    try:
        password = urlsplit(url).password
    except ValueError:
        return None
    return unquote(password) if password else None


def check_store(settings, where: str) -> None:
    """store.url names a PostgreSQL database and holds no password; so does the URL from the
    environment (without the password rule: it is a secret)."""
    if settings.store.url is not None:
        check_url(settings.store.url, "store.url", where)
        if url_password(settings.store.url) is not None or "password=" in settings.store.url:
            raise ConfigError(
                "store.url holds a password, and newsletter.toml is no place for one",
                where=where, hint="remove it from the file; set PGPASSWORD in the environment, "
                                  "or the whole URL in NEWSLETTER_STORE_URL")
    from_environment = settings.secrets.get(STORE_URL_VARIABLE)
    if from_environment is not None:
        check_url(from_environment, STORE_URL_VARIABLE, "environment")


def check_url(url: str, name: str, where: str) -> None:
    """A postgresql:// URL naming a database, or ConfigError (never quoting it)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        raise ConfigError(f"{name} is not a URL", where=where,
                          hint="write it as postgresql://user@host:5432/database") from None
    if parts.scheme not in SCHEMES or not parts.path.strip("/"):
        raise ConfigError(f"{name} must be a postgresql:// URL naming a database", where=where,
                          hint="write it as postgresql://user@host:5432/database")

