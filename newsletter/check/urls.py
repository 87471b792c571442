"""What a URL in an email is: its scheme, its host, and whether a reader could ever reach it."""

from __future__ import annotations

import ipaddress
import re
import socket

from newsletter.urls import split_url

WEB_SCHEMES = frozenset({"http", "https"})
MALFORMED_HINT = "fix the address: [ and ] belong only around an IPv6 address (http://[::1]/)"
SCRIPT_SCHEMES = frozenset({"javascript", "vbscript"})
_C0_CONTROLS_AND_SPACE = "".join(map(chr, range(0x21)))
_IGNORED_BY_BROWSERS = re.compile(r"[\t\n\r]")
# A path on the writer's computer: file:, a Windows drive (C:\ or C:/) or a network share (\\).
_LOCAL_FILE = re.compile(r"^(?:file:|[a-z]:[\\/]|\\\\)", re.IGNORECASE)
# Names that only resolve inside a home or company network (RFC 6761, RFC 8375, common usage).
_PRIVATE_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".corp", ".test")
# A relative link that is really another site written without https://.
_BARE_DOMAIN = re.compile(
    r"^(?:www\d?\.[^/\s]+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|dev|app|co|edu|gov))"
    r"(?:[/?#]|$)", re.IGNORECASE)


def scheme_of(url: str) -> str:
    """``url``'s scheme in lower case ("file" for a local path, "" for a relative URL or one
    that cannot be split).

    Read as a browser reads it (the WHATWG URL standard): control characters and spaces around
    it dropped, tabs and newlines inside it removed, so "java<TAB>script:" is javascript.
    """
    url = _as_browsers_read(url)
    if _LOCAL_FILE.match(url):
        return "file"
    parts = split_url(url)
    return parts.scheme.lower() if parts else ""


def _as_browsers_read(url: str) -> str:
    return _IGNORED_BY_BROWSERS.sub("", url.strip(_C0_CONTROLS_AND_SPACE))


def scheme_problem(url: str, allowed: frozenset[str]) -> str | None:
    """What keeps ``url`` from working in an email: "empty", "malformed" (it cannot be split),
    "script", "data", "file" or "unknown" (a scheme not in ``allowed``); None for a web URL or
    a relative one."""
    scheme = scheme_of(url)
    if not url:
        return "empty"
    if split_url(_as_browsers_read(url)) is None:
        return "malformed"
    if scheme in SCRIPT_SCHEMES:
        return "script"
    if scheme in ("data", "file"):
        return scheme
    return "unknown" if scheme and scheme not in allowed else None


def is_relative(url: str) -> bool:
    """Relative to the page: neither a scheme, nor ``//host``, nor ``/`` from the site's root."""
    return bool(url) and not scheme_of(url) and not url.startswith(("/", "#"))


def looks_like_a_domain(url: str) -> bool:
    """A relative URL that names another site (``www.example.com/x``): https:// is missing."""
    return bool(_BARE_DOMAIN.match(url))


def host_of(url: str) -> str:
    """The host name of a web URL, lower case, without a leading ``www.``; "" if none."""
    parts = split_url(url if "//" in url else f"//{url}")
    return (parts.hostname or "").removeprefix("www.") if parts else ""


def same_site(host: str, other: str) -> bool:
    """``blog.example.com`` and ``example.com`` are one site; ``example.com.evil.net`` is not."""
    return host == other or host.endswith("." + other) or other.endswith("." + host)


def is_private_host(host: str) -> bool:
    """A host only this computer or its network can reach: loopback, private, link-local, in
    any spelling of its address (``127.1``, ``0x7f.0.0.1``: the C library reads them so)."""
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(_PRIVATE_SUFFIXES) or "." not in host and host:
        return True
    try:
        infos = socket.getaddrinfo(host.strip("[]"), None, flags=socket.AI_NUMERICHOST)
    except (OSError, UnicodeError):  # a name, not an address
        return False
    return not all(is_public_address(ipaddress.ip_address(sockaddr[0]))
                   for *_, sockaddr in infos)


# NAT64's well-known prefix (RFC 6052): the last 32 bits are the IPv4 address reached.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether ``address`` is on the internet: not loopback, private, link-local (or IPv6
    site-local), reserved, multicast or unspecified, and for an IPv6 address that carries an
    IPv4 one (IPv4-mapped, 6to4, NAT64, Teredo) not one that leads to such an address either."""
    if address.version == 6:
        embedded = (address.ipv4_mapped or address.sixtofour
                    or (address.teredo[1] if address.teredo else None)
                    or (ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
                        if address in _NAT64 else None))
        if (embedded is not None and not is_public_address(embedded)) or address.is_site_local:
            return False
    return address.is_global and not (
        address.is_loopback or address.is_private or address.is_link_local
        or address.is_reserved or address.is_multicast or address.is_unspecified)
