"""Who sent a request: the client's IP address (behind trusted proxies), kept only as a hash.

Behind a reverse proxy every request comes from the proxy, so the client's address is the last
``X-Forwarded-For`` entry that a trusted proxy added; entries further left were written by the
client itself and prove nothing. Addresses are never stored: the sign-up limits key on a salted
hash of the client's network (an IPv4 address, or the /64 an IPv6 host gets from its provider
and can change within at will), the consent record on a salted hash of the address
(docs/signup.md#the-clients-address).
"""

from __future__ import annotations

import hmac
import ipaddress
from typing import Iterable

IPV6_NETWORK = 64
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(proxies: Iterable[str]) -> tuple[Network, ...]:
    """The ``signup.trusted_proxies`` setting as networks (checked when the settings load)."""
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def client_ip(request, trusted: tuple[Network, ...]) -> str:
    """The client's IP address as text ("unknown" when the server gives none), from a
    :class:`newsletter.web.request.Request`."""
    peer = request.remote_addr
    address = _parse(peer)
    if address is None:
        return peer.strip()[:64] or "unknown"
    hops = [hop.strip() for hop in request.headers.get("x-forwarded-for", "").split(",")]
    while hops and any(address in network for network in trusted):
        hop = _parse(hops.pop())
        if hop is None:
            break
        address = hop
    return str(address)


def untrusted_forwarder(request, trusted: tuple[Network, ...]) -> str | None:
    """The peer of a request that carries ``X-Forwarded-For`` from an address outside
    ``trusted``: a proxy left out of ``signup.trusted_proxies`` (in a container, the host's
    bridge address), which makes every reader behind it one client. None otherwise."""
    address = _parse(request.remote_addr)
    if address is None or "x-forwarded-for" not in request.headers:
        return None
    return None if any(address in network for network in trusted) else str(address)


def client_network(ip: str) -> str:
    """What the per-client limit counts: an IPv4 address, or an IPv6 address's /64."""
    address = _parse(ip)
    if not isinstance(address, ipaddress.IPv6Address):
        return ip
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/{IPV6_NETWORK}", strict=False))


def salted_hash(secret: str, purpose: str, value: str) -> str:
    """An HMAC of ``value`` under NEWSLETTER_SECRET: the same input gives the same hash, and
    nobody without the secret can test a guess against it."""
    digest = hmac.digest(secret.encode(), f"{purpose}\n{value}".encode(), "sha256")
    return digest[:16].hex()


def _parse(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address in ``text``, which some proxies write with the client's port
    (``203.0.113.9:50123``, ``[2001:db8::9]:443``); None when it holds none."""
    text = text.strip()
    host, colon, port = text.rpartition(":")
    for candidate in [text] + ([host] if colon and port.isdigit() else []):
        try:
            return ipaddress.ip_address(candidate.strip("[]"))
        except ValueError:
            continue
    return None
