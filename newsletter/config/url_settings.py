"""The URL settings: each can be split and names its host, and the unsubscribe URL names each
reader by ``{token}`` where `serve` reads it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

from newsletter.errors import ConfigError
from newsletter.urls import split_url

if TYPE_CHECKING:
    from newsletter.config.sections import Settings


def check_urls(settings: Settings, where: str) -> None:
    """Every URL setting can be split (:mod:`newsletter.urls`): later checks rely on it."""
    values = [("site.url", settings.site.url), ("email.unsubscribe_url",
               settings.email.unsubscribe_url), ("email.cta_url", settings.email.cta_url),
              ("provider.api_url", settings.provider.api_url), ("images.url", settings.images.url),
              ("signup.confirm_url", settings.signup.confirm_url),
              *(("signup.allowed_origins", origin) for origin in settings.signup.allowed_origins)]
    api_url = settings.provider.api_url
    if api_url is not None and not api_url.startswith(("https://", "http://")):
        raise ConfigError("provider.api_url must start with https://", where=where,
                          hint="write the provider's API address whole (e.g. "
                               "https://api.eu.sendgrid.com), or leave it out to use the "
                               "provider's own")
    for key, value in values:
        parts = split_url(value.strip()) if value else None
        if value and parts is None:
            raise ConfigError(f"{key} {value!r} is not a valid URL", where=where,
                              hint="[ and ] belong only around an IPv6 address, a port is a "
                                   "number up to 65535")
        if parts and parts.scheme in ("http", "https") and (
                not parts.hostname or not parts.netloc.strip() or " " in parts.netloc):
            hint = ("write the whole address (https://host/), or leave provider.api_url out "
                    "to use the provider's own" if key == "provider.api_url"
                    else "write the whole address, e.g. https://blog.example.org/")
            raise ConfigError(f"{key} {value!r} names no host", where=where, hint=hint)


# Where `serve` answers load balancers and uptime monitors (newsletter/web/routes.py): no
# unsubscribe or sign-up path may take it.
HEALTH_PATH = "/health"


def check_unsubscribe_url(url: str, site_url: str, where: str) -> None:
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
    except KeyError as error:
        raise ConfigError(f"email.unsubscribe_url has {{{error.args[0]}}}, which is no "
                          "placeholder", where=where, hint="write {token}, in lower case and "
                          "without spaces; " + example) from None
    except (IndexError, ValueError) as error:
        raise ConfigError(f"email.unsubscribe_url cannot be filled in ({error})", where=where,
                          hint="use only the {token} placeholder; " + example) from None
    if url.format(email="", token="\0").count("\0") != 1:  # {{token}} is a literal {token}
        raise ConfigError("email.unsubscribe_url must hold {token} once: without it every "
                          "reader would get the same link", where=where, hint=example)
    parts = urlsplit(url)
    in_query_names = any("{" in name for name, _ in parse_qsl(parts.query))
    partial_values = [value for _, value in parse_qsl(parts.query)
                      if "{" in value and value not in ("{email}", "{token}")]
    if "{" in parts.netloc or "{" in parts.fragment or in_query_names or partial_values:
        raise ConfigError("email.unsubscribe_url must put {token} in the path or as a whole "
                          "query value (?t={token})", where=where, hint=example)
    if re.sub(r"/?\{(email|token)\}", "", parts.path).rstrip("/") == HEALTH_PATH:
        raise ConfigError(f"email.unsubscribe_url must not be under {HEALTH_PATH}: `serve` "
                          "answers health checks there, not unsubscribes", where=where,
                          hint=example)
