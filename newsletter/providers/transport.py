"""The ``requests`` session API providers send with, and what its transport errors prove:
whether a request can have reached the provider (docs/providers.md#errors-and-retries-all-providers).
"""

from __future__ import annotations

import re
import traceback

import requests
import urllib3
from requests.adapters import HTTPAdapter

from newsletter import __version__

USER_AGENT = f"newsletter/{__version__} requests/{requests.__version__}"


def make_session(pool_size: int) -> requests.Session:
    """A Session that never retries on its own (twine's make_requests_session, minus retries).

    A POST to a send endpoint is not idempotent: urllib3 must not resend it after a read
    error or a dropped connection. Retries are decided in ``newsletter.sending`` by error class.
    """
    session = requests.Session()
    # total=0 with read=False: no retry of any kind, whatever the method.
    no_retries = urllib3.Retry(total=0, connect=0, read=False, redirect=False, status=0,
                               raise_on_status=False)
    adapter = HTTPAdapter(max_retries=no_retries, pool_connections=1, pool_maxsize=pool_size)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    session.verify = True
    return session


def never_connected(exc: requests.ConnectionError) -> bool:
    """True when urllib3 gave up before a connection existed (refused, unknown host, proxy)."""
    cause = exc.args[0] if exc.args else None
    reason = getattr(cause, "reason", None)
    return isinstance(cause, urllib3.exceptions.MaxRetryError) and isinstance(
        reason, (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ProxyError))


def proxy_refusal(exc: requests.ConnectionError) -> str | None:
    """The proxy's answer when it refused to open the tunnel to the provider for a reason that
    every request meets alike (407: it wants a login, 403: its rules forbid the host); else None."""
    cause = exc.args[0] if exc.args else None
    reason = getattr(cause, "reason", None)
    if isinstance(reason, urllib3.exceptions.ProxyError):
        found = re.search(r"Tunnel connection failed: ((?:407|403)\b.*)", str(getattr(reason, "original_error", reason)))
        return found[1].strip() if found else None
    return None


def in_handshake(exc: BaseException) -> bool:
    """True when an error urllib3 wrapped into ``exc`` was raised while ``ssl`` wrapped the
    socket (the handshake, or the connection's check before it): before the request was written."""
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


def body_read(response: requests.Response) -> bool:
    """Read the body of a response sent with ``stream=True``; False when it is cut short (the
    connection dropped or timed out, chunks or compression broken): then it is closed."""
    try:
        response.content  # noqa: B018 - reading it is the point
    except requests.RequestException:
        response.close()
        return False
    return True
