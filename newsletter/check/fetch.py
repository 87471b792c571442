"""One link of `check --online` fetched as a hostile post's link must be: checked, pinned, bounded.

A post may come from a stranger (a guest post, a pull request checked in CI), and its links
must not make the writer's machine send requests into its own network. So each hop of a fetch
resolves its host once (an IP written in any spelling the C library reads, ``127.1`` or
``0x7f.0.0.1``, is read as that library reads it), refuses the host when any of its addresses
is one only this computer or its network can reach (:func:`newsletter.check.urls.
is_public_address`), connects to an address it checked (the request still names the host and
TLS still checks the host's certificate) and follows redirects itself, checking each new host
the same way. The whole link, DNS and every redirect included, has one deadline: a server that
trickles its headers cannot hold a link longer than ``timeout``.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import field
from typing import Callable
from urllib.parse import SplitResult, urljoin

import dns.exception
import dns.resolver
import requests.certs
from requests.utils import requote_uri

from newsletter.check.urls import is_public_address
from newsletter.records import record
from newsletter.urls import WEB_PORTS, split_url

MAX_REDIRECTS = 5
REDIRECTS = frozenset({301, 302, 303, 307, 308})
SILENT_LINKS = 2  # links of a host that ran out of time before it is taken as down
# Links of any host that ran out of time before the rest are not fetched: a post may give each
# link a silent host of its own (names under a wildcard domain, ports of one address).
MAX_EXPIRED_LINKS = 20


@record(frozen=True)
class FetchProblem:
    """What is wrong with a link, said after its URL ("answers 404 Not Found")."""

    text: str
    private: bool = False  # not fetched: it leads to this computer or its network
    unchecked: bool = False  # not fetched: too many links had run out of time


@record(frozen=True)
class Fetcher:
    """How links are fetched: the deadline per link, whom to ask for addresses."""

    timeout: float
    user_agent: str
    resolver: dns.resolver.Resolver | None = None  # None: the system's (getaddrinfo)
    # The addresses a link may lead to (--allow-private: every one).
    reachable: Callable[[ipaddress.IPv4Address | ipaddress.IPv6Address], bool] = is_public_address
    # (host, port) -> why a link's first hop could not look it up or connect to it: the host's
    # other links say the same at once. 2,000 images on a host that never answers took 10 s
    # each, 4 at a time: 83 minutes.
    hosts_down: dict[tuple[str, int], FetchProblem] = field(default_factory=dict, compare=False)
    # (host, port) -> how many first hops it took and never answered within the deadline: a
    # host that accepts connections and stays silent held each of its links the full timeout.
    # One such link may be a slow page; at SILENT_LINKS the host is down for the others.
    silent_links: dict[tuple[str, int], int] = field(default_factory=dict, compare=False)
    images: bool = False  # the last answer must be an image (a hosted image's URL)
    # The links that ran out of time, whatever their host: past MAX_EXPIRED_LINKS, no more
    # are fetched. 2,000 links to as many silent hosts held the check 83 minutes.
    expired_links: list[str] = field(default_factory=list, compare=False)

    def problem(self, url: str) -> FetchProblem | None:
        """What is wrong when fetching ``url``, or None when it answers below 400."""
        if len(self.expired_links) >= MAX_EXPIRED_LINKS:
            return FetchProblem(f"was not fetched: {MAX_EXPIRED_LINKS} links had already run "
                                "out of time", unchecked=True)
        deadline = time.monotonic() + self.timeout
        try:
            return self._follow(url, deadline)
        except _HostDown as down:
            return down.problem
        except _LINK_ERRORS as error:
            if _ran_out(error, deadline):
                self.expired_links.append(url)
            return self._problem_of(error, deadline)

    def _problem_of(self, error: Exception, deadline: float) -> FetchProblem:
        """What one of :data:`_LINK_ERRORS` says of the link."""
        if isinstance(error, _Refused):
            return FetchProblem(str(error), private=True)
        if _ran_out(error, deadline):
            return FetchProblem(f"did not answer within {self.timeout:g} s")
        return FetchProblem(f"cannot be reached ({_reason(error)})")

    def _follow(self, url: str, deadline: float) -> FetchProblem | None:
        for hop in range(MAX_REDIRECTS + 1):
            parts = split_url(url)
            if parts is None or parts.scheme not in WEB_PORTS or not parts.hostname:
                return FetchProblem(f"redirects to {url[:200]}, which is no web address")
            response = self._get(parts, deadline, redirected=hop > 0)
            status, location = response.status, response.getheader("Location")
            if (status not in REDIRECTS or not location) and status >= 400:
                return FetchProblem(f"answers {status} {response.reason}".rstrip())
            if status not in REDIRECTS or not location:
                return self._kind_problem(response)
            try:
                url = urljoin(url, location.strip())
            except ValueError:
                return FetchProblem(f"redirects to {location[:200]}, which is no web address")
        return FetchProblem(f"redirects more than {MAX_REDIRECTS} times")

    def _kind_problem(self, response: http.client.HTTPResponse) -> FetchProblem | None:
        kind = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
        if not self.images or kind.startswith("image/"):
            return None
        return FetchProblem(f"answers {kind or 'without a Content-Type'}, not an image")

    def _get(self, parts: SplitResult, deadline: float, *,
             redirected: bool) -> http.client.HTTPResponse:
        """The answer's status line and headers (its body is never read)."""
        port = parts.port or WEB_PORTS[parts.scheme]
        host = parts.hostname.encode("idna").decode("ascii")  # as DNS, SNI and Host name it
        if (host, port) in self.hosts_down:
            raise _HostDown(self.hosts_down[host, port])
        try:
            addresses = self._addresses(host, port, deadline)
        except _LINK_ERRORS as error:
            self._note_down(host, port, error, deadline, redirected)
            raise
        for address in addresses:
            if not self.reachable(ipaddress.ip_address(address)):
                raise _Refused(parts, address, redirected)
        target = requote_uri((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
        shown_port = f":{parts.port}" if parts.port else ""
        headers = {"Host": (f"[{host}]" if ":" in host else host) + shown_port,
                   "User-Agent": self.user_agent, "Accept": "*/*", "Connection": "close"}
        try:
            sock = _connect(addresses, port, deadline)
        except _LINK_ERRORS as error:
            self._note_down(host, port, error, deadline, redirected)
            raise
        watchdog = _Watchdog(sock, deadline)
        try:
            if parts.scheme == "https":
                sock = _tls_context().wrap_socket(sock, server_hostname=host)
            connection = http.client.HTTPConnection(host, port)
            connection.sock = sock  # connected to the checked address, never resolved again
            connection.request("GET", target, headers=headers)
            response = connection.getresponse()  # the status line and headers; no body
        finally:
            watchdog.stop()
            sock.close()
            if watchdog.fired.is_set():  # whatever the hang-up made http.client raise
                self._note_silent(host, port, redirected)
        if watchdog.fired.is_set():  # http.client takes a cut-off header block as complete
            raise _Expired
        return response

    def _note_down(self, host: str, port: int, error: Exception, deadline: float,
                   redirected: bool) -> None:
        """Remember a host a link's first hop could not reach with the link's whole time (a
        later hop may have had too little left to say)."""
        if not redirected:
            self.hosts_down[host, port] = self._problem_of(error, deadline)

    def _note_silent(self, host: str, port: int, redirected: bool) -> None:
        if not redirected:
            self.silent_links[host, port] = self.silent_links.get((host, port), 0) + 1
            if self.silent_links[host, port] >= SILENT_LINKS:
                self.hosts_down[host, port] = FetchProblem(
                    f"did not answer within {self.timeout:g} s")

    def _addresses(self, host: str, port: int, deadline: float) -> list[str]:
        """Every address of ``host``, asked once; an IP literal in any spelling is itself."""
        try:
            return _addresses_of(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                    flags=socket.AI_NUMERICHOST))
        except socket.gaierror:
            pass  # a name
        found = (self._resolve_with(host, deadline) if self.resolver
                 else _resolve_in_system(host, port, deadline))
        if not found:
            raise _Unreachable(f"{host} has no address")
        return found

    def _resolve_with(self, host: str, deadline: float) -> list[str]:
        found = []
        for kind in ("A", "AAAA"):
            left = max(0.01, deadline - time.monotonic())
            try:
                found += [record.address
                          for record in self.resolver.resolve(host, kind, lifetime=left)]
            except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
                pass
            except dns.exception.Timeout:
                raise _Expired from None
        return found


class _Expired(Exception):
    """The link's deadline passed."""


class _HostDown(Exception):
    """A host an earlier link could not reach: its problem, said again."""

    def __init__(self, problem: FetchProblem):
        super().__init__(problem.text)
        self.problem = problem


class _Unreachable(Exception):
    """No address to connect to."""


class _Refused(Exception):
    """A host that resolves to an address of this computer or its network."""

    def __init__(self, parts: SplitResult, address: str, redirected: bool):
        where = f"redirects to {parts.geturl()[:200]}, at" if redirected else "points to"
        super().__init__(f"{where} {address}, which only your own computer or network can "
                         "reach: not fetched")


# What fetching a link may raise, each a problem of that link (ValueError: a name IDNA cannot
# encode, a bad header).
_LINK_ERRORS = (_Expired, _Refused, _Unreachable, OSError, ValueError, http.client.HTTPException,
                dns.exception.DNSException)


def _ran_out(error: Exception, deadline: float) -> bool:
    """Whether ``error`` came of the link's deadline (the watchdog's hang-up raises anything)."""
    return isinstance(error, _Expired) or time.monotonic() >= deadline


def _resolve_in_system(host: str, port: int, deadline: float) -> list[str]:
    """getaddrinfo, given up at the deadline (it has no timeout of its own)."""
    answer: dict = {}

    def look_up() -> None:
        try:
            answer["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as error:
            answer["error"] = error

    thread = threading.Thread(target=look_up, daemon=True)
    thread.start()
    thread.join(max(0.0, deadline - time.monotonic()))
    if thread.is_alive():
        raise _Expired
    if "error" in answer:
        raise answer["error"]
    return _addresses_of(answer["infos"])


def _addresses_of(infos: list) -> list[str]:
    return list(dict.fromkeys(sockaddr[0] for *_, sockaddr in infos))


def _connect(addresses: list[str], port: int, deadline: float) -> socket.socket:
    """A connection to the first of ``addresses`` that takes one."""
    error: OSError | None = None
    for address in addresses:
        left = deadline - time.monotonic()
        if left <= 0:
            raise _Expired
        try:
            return socket.create_connection((address, port), timeout=left)
        except TimeoutError:
            raise _Expired from None
        except OSError as refused:
            error = refused
    raise error or _Unreachable("no address")


class _Watchdog:
    """At the deadline, ends the connection, so that whatever read is waiting returns now."""

    def __init__(self, sock: socket.socket, deadline: float):
        self.fired = threading.Event()
        self._line = sock.dup()  # its shutdown ends the connection under TLS too
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._hang_up)
        self._timer.start()

    def _hang_up(self) -> None:
        self.fired.set()
        try:
            self._line.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def stop(self) -> None:
        self._timer.cancel()
        self._timer.join()  # a hang-up under way has finished before the line closes
        self._line.close()


_TLS = threading.local()


def _tls_context() -> ssl.SSLContext:
    """The certificates requests trusts (certifi's bundle), one context per thread."""
    if not hasattr(_TLS, "context"):
        _TLS.context = ssl.create_default_context(cafile=requests.certs.where())
    return _TLS.context


def _reason(error: BaseException) -> str:
    """The innermost cause, which names what failed (a refused connection, an unknown host)."""
    while error.__context__ is not None and error.__context__ is not error:
        error = error.__context__
    return str(error).split(": ", 1)[-1][:120] or type(error).__name__
