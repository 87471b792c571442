"""The HTTP transport providers send with, and what its errors prove: whether a request can
have reached the provider (docs/providers.md#errors-and-retries-all-providers).

A send goes through urllib3, as requests would send it (the same pool settings, headers and
environment, ``http_environment.py``), without importing requests: its import, with the
character-set detectors it loads, was an eighth of a send's instructions before its first
request (docs/performance.md). The read-only calls (lookups, key checks, suppressions) still
use a requests ``Session`` (``make_session``).
"""

from __future__ import annotations

import json
import re
import traceback
from typing import TYPE_CHECKING, Any

import urllib3
from urllib3.exceptions import (ConnectTimeoutError, HTTPError, MaxRetryError,
                                NewConnectionError, ProxyError, ReadTimeoutError)

from newsletter import __version__
from newsletter.errors import AuthError, InDoubtError, NewsletterError, TransientError
from newsletter.providers.http_environment import HttpEnvironment

if TYPE_CHECKING:
    import requests

    from newsletter.providers.http import HttpProvider

USER_AGENT = f"newsletter/{__version__} urllib3/{urllib3.__version__}"
# total=0 with read=False: no retry of any kind, whatever the method. A POST to a send endpoint
# is not idempotent: urllib3 must not resend it after a read error or a dropped connection.
# Retries are decided in ``newsletter.sending`` by error class.
NO_RETRIES = urllib3.Retry(total=0, connect=0, read=False, redirect=False, status=0,
                           raise_on_status=False)
# What requests adds to every request: its Accept-Encoding (the codings urllib3 can decode here)
# and keep-alive.
DEFAULT_HEADERS = {"User-Agent": USER_AGENT,
                   "Accept-Encoding": ", ".join(re.split(r",\s*", urllib3.util.make_headers(
                       accept_encoding=True)["accept-encoding"])),
                   "Connection": "keep-alive"}
PROXY_HINT = "check the proxy settings (HTTPS_PROXY, and the user and password in it)"
TransportError = (HTTPError, OSError)  # whatever urllib3 raises for a request it could not finish


class Answer:
    """A provider's answer, its body read whole: what the providers read of requests' Response."""

    __slots__ = ("status_code", "reason", "headers", "content")

    def __init__(self, status_code: int, reason: str | None, headers, content: bytes):
        self.status_code, self.reason, self.headers, self.content = (status_code, reason,
                                                                     headers, content)

    @property
    def text(self) -> str:
        """The body in the charset its Content-Type names, else UTF-8 (as requests reads JSON)."""
        charset = re.search(r"charset=[\"']?([\w.:-]+)", self.headers.get("Content-Type", ""))
        try:
            return self.content.decode(charset[1] if charset else "utf-8", errors="replace")
        except LookupError:  # a charset Python does not know
            return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        """The body's JSON; ValueError if it is none, or nests too deep to read (json recurses
        once per level: ``[[[[...`` thousands deep raised RecursionError)."""
        try:
            return json.loads(self.text)
        except RecursionError:
            raise ValueError("the answer nests too deeply to read") from None


class Connection:
    """One sending thread's connection to the provider (a pool of one), through the proxy
    the environment names."""

    def __init__(self, environment: HttpEnvironment):
        tls = {"cert_reqs": "CERT_REQUIRED", "ca_certs": environment.ca_certs,
               "ca_cert_dir": environment.ca_cert_dir}
        if environment.proxy is None:
            self.pool = urllib3.PoolManager(num_pools=1, maxsize=1, **tls)
        elif environment.proxy.lower().startswith("socks"):
            from urllib3.contrib.socks import SOCKSProxyManager

            self.pool = SOCKSProxyManager(environment.proxy, num_pools=1, maxsize=1, **tls)
        else:
            self.pool = urllib3.ProxyManager(environment.proxy, num_pools=1, maxsize=1,
                                             proxy_headers=environment.proxy_headers(), **tls)

    def request(self, method: str, url: str, body: bytes | None, headers: dict[str, str],
                timeout: float) -> urllib3.BaseHTTPResponse:
        """Send once, following no redirect; the answer's head, its body still to be read."""
        return self.pool.urlopen(method, url, body=body, headers={**DEFAULT_HEADERS, **headers},
                                 redirect=False, retries=NO_RETRIES, preload_content=False,
                                 timeout=urllib3.Timeout(connect=timeout, read=timeout))

    def close(self) -> None:
        self.pool.clear()


def read_answer(response: urllib3.BaseHTTPResponse) -> Answer | None:
    """The answer with its body, or None when the body is cut short (the connection dropped or
    timed out, chunks or compression broken)."""
    try:
        content = response.read(decode_content=True)
    except TransportError:
        return None
    finally:
        response.release_conn()
    return Answer(response.status, response.reason, response.headers, content)


def transport_failure(provider: HttpProvider, exc: BaseException) -> NewsletterError:
        """What a transport error proves: a TLS error or timeout may come after the request was
        written; only one in the handshake (refused certificate, no answer, reset) proves
        nothing was sent."""
        if timed_out_connecting(exc):
            return TransientError(f"{provider.name}: no connection to {provider.api_url} (timed out)")
        if in_handshake(exc):
            return TransientError(f"{provider.name}: TLS handshake with {provider.api_url} failed")
        if isinstance(exc, ReadTimeoutError):
            return InDoubtError(f"{provider.name}: no answer within {provider.timeout:g} s")
        if refusal := proxy_refusal(exc):
            return AuthError(f"{provider.name}: the proxy answered {provider.provider_text(refusal)}; "
                             "nothing was sent", hint=PROXY_HINT)
        if never_connected(exc):
            return TransientError(f"{provider.name}: cannot connect to {provider.api_url}")
        return InDoubtError(f"{provider.name}: connection lost after sending")


def timed_out_connecting(exc: BaseException) -> bool:
    """True when no connection was made within the timeout."""
    reason = getattr(exc, "reason", None)
    return (isinstance(exc, MaxRetryError) and isinstance(reason, ConnectTimeoutError)
            and not isinstance(reason, NewConnectionError))


def never_connected(exc: BaseException) -> bool:
    """True when urllib3 gave up before a connection existed (refused, unknown host, proxy)."""
    reason = getattr(exc, "reason", None)
    return isinstance(exc, MaxRetryError) and isinstance(reason, (NewConnectionError, ProxyError))


def proxy_refusal(exc: BaseException) -> str | None:
    """The proxy's answer when it refused to open the tunnel to the provider for a reason that
    every request meets alike (407: it wants a login, 403: its rules forbid the host); else None."""
    reason = getattr(exc, "reason", None) if isinstance(exc, MaxRetryError) else exc
    if isinstance(reason, ProxyError):
        found = re.search(r"Tunnel connection failed: ((?:407|403)\b.*)",
                          str(getattr(reason, "original_error", reason)))
        return found[1].strip() if found else None
    return None


def in_handshake(exc: BaseException) -> bool:
    """True when an error urllib3 raised (``exc``, or one it wraps) was raised while ``ssl``
    wrapped the socket (the handshake, or the connection's check before it): before the
    request was written."""
    seen, todo = set(), [exc]
    while todo:
        each = todo.pop()
        if isinstance(each, BaseException) and id(each) not in seen:
            seen.add(id(each))
            if any(f.f_code.co_name == "wrap_socket" and f.f_globals.get("__name__") == "ssl"
                   for f, _ in traceback.walk_tb(each.__traceback__)):
                return True
            todo += [each.__cause__, each.__context__, getattr(each, "reason", None), *each.args[:1]]
    return False


def make_session(pool_size: int) -> requests.Session:
    """A requests Session that never retries on its own, for the read-only calls
    (twine's make_requests_session, minus retries)."""
    import requests
    from requests.adapters import HTTPAdapter

    session = requests.Session()
    adapter = HTTPAdapter(max_retries=NO_RETRIES, pool_connections=1, pool_maxsize=pool_size)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    session.verify = True
    return session
