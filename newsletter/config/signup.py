"""The [signup] settings checked, and their defaults taken from the rest of the site."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import replace
from urllib.parse import urlsplit

from newsletter.config.durations import parse_duration
from newsletter.config.sections import Settings, SignupSettings
from newsletter.config.url_settings import HEALTH_PATH
from newsletter.errors import ConfigError
from newsletter.urls import WEB_PORTS

CONFIRM_PATH = "/confirm/{token}"  # after email.unsubscribe_url's server, by default
MAX_CONFIRM_WITHIN_DAYS = 30


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL as a browser sends it as Origin: lower-case, the host
    in ASCII (an internationalised one in punycode, by Python's IDNA codec as `check` names
    hosts), no user, no port when it is the scheme's default."""
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), parts.hostname or ""
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            pass  # no name a browser can reach: it matches nothing a browser sends
    try:
        port = parts.port
    except ValueError:
        port = None
    shown_port = f":{port}" if port is not None and port != WEB_PORTS.get(scheme) else ""
    return f"{scheme}://{f'[{host}]' if ':' in host else host}{shown_port}"


def checked_signup(settings: Settings, where: str) -> SignupSettings:
    """[signup] with its defaults filled in; ConfigError naming the first bad value."""
    signup = settings.signup
    origins = tuple(dict.fromkeys(_origin(value, where) for value in signup.allowed_origins))
    confirm_url = signup.confirm_url or origin_of(settings.email.unsubscribe_url) + CONFIRM_PATH
    signup = replace(signup, allowed_origins=origins or (origin_of(settings.site.url),),
                     confirm_url=confirm_url)
    if not signup.path.startswith("/") or any(char in signup.path for char in "{}?# \t"):
        raise ConfigError(f"signup.path {signup.path!r} must be a URL path such as /subscribe",
                          where=where)
    _check_confirm_url(signup, settings, where)
    try:
        lifetime = parse_duration(signup.confirm_within)
    except ValueError as error:
        raise ConfigError(f"signup.confirm_within: {error}", where=where) from None
    if not lifetime or lifetime.days > MAX_CONFIRM_WITHIN_DAYS:
        raise ConfigError(f"signup.confirm_within must be between 1s and "
                          f"{MAX_CONFIRM_WITHIN_DAYS}d", where=where)
    for tag in signup.tags:
        if not tag.strip() or any(char in tag for char in ",;|\r\n"):
            raise ConfigError(f"signup.tags: {tag!r} is not a tag", where=where,
                              hint="a tag is a word or two, without , ; or |")
    for proxy in signup.trusted_proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise ConfigError(f"signup.trusted_proxies: {proxy!r} is not an IP address or "
                              "network", where=where,
                              hint="for example 127.0.0.1 or 10.0.0.0/8") from None
    return signup


def _origin(value: str, where: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.path not in ("", "/"):
        raise ConfigError(f"signup.allowed_origins: {value!r} is not an origin", where=where,
                          hint="write scheme and host only, such as https://blog.example.com")
    return origin_of(value)


def _check_confirm_url(signup: SignupSettings, settings: Settings, where: str) -> None:
    url = signup.confirm_url
    parts = urlsplit(url)
    if parts.scheme != "https" or url.count("{token}") != 1 or "{token}" not in parts.path:
        raise ConfigError(
            "signup.confirm_url must be an https:// URL with {token} in its path", where=where,
            hint="for example https://blog.example.com/confirm/{token}")
    if any(char in url for char in "\r\n\0 "):
        raise ConfigError("signup.confirm_url must be on one line, without spaces", where=where)
    unsubscribe_path = urlsplit(settings.email.unsubscribe_url).path
    confirm_prefix = parts.path.split("{token}")[0]
    # The sign-up routes are served first: a confirmation path that takes an unsubscribe
    # link's (/unsubscribe/{token} for both) refused every one-click as a forged confirmation.
    link = re.sub(r"\{(?:token|email)\}", "x", unsubscribe_path)
    if (signup.path == unsubscribe_path or confirm_prefix in (unsubscribe_path, signup.path)
            or confirm_token(link, parts.path) is not None
            or any(path.startswith("/webhooks/") for path in (signup.path, confirm_prefix))
            or HEALTH_PATH in (signup.path.rstrip("/"), confirm_prefix.rstrip("/"))
            or confirm_token(HEALTH_PATH, parts.path) is not None):
        raise ConfigError("signup.path and signup.confirm_url must not share a path with the "
                          f"unsubscribe URL, each other, {HEALTH_PATH} or /webhooks/",
                          where=where,
                          hint="for example /subscribe and https://blog.example.com/confirm/"
                               "{token}, beside /unsubscribe/{token}")


def confirm_token(path: str, confirm_path: str) -> str | None:
    """The token in ``path`` when it is the path of a confirmation link, ``confirm_path``
    (signup.confirm_url's, with its ``{token}``) with the token as text without a ``/``."""
    prefix, suffix = confirm_path.split("{token}")
    if not (path.startswith(prefix) and path.endswith(suffix)
            and len(path) > len(prefix) + len(suffix)):
        return None
    token = path[len(prefix):len(path) - len(suffix)]
    return None if "/" in token else token
