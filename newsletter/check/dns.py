"""The sender's DNS records: SPF, DKIM and DMARC for the From domain.

Gmail and Yahoo require all three of bulk senders (docs/email.md#headers): SPF and DKIM prove a
message comes from a server allowed to send for the domain, and DMARC says what receivers do
when neither holds. Each missing record is a warning that says what to publish. DKIM keys are
looked up where the provider's selector is fixed; other providers choose it per domain.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Callable

import dns.exception
import dns.name
import dns.resolver

from newsletter.check.findings import Finding, warning
from newsletter.check.sources import settings_source
from newsletter.errors import InputError

if TYPE_CHECKING:
    from newsletter.check.online import OnlineOptions
    from newsletter.config import Settings

# The DKIM selectors each provider always uses (their domain set-up pages show these records).
DKIM_SELECTORS = {"sendgrid": ("s1", "s2"), "resend": ("resend",)}
DNS_PORT = 53
MAX_PORT = 65535


class LookupFailed(Exception):
    """No DNS server answered: nothing can be said about the records."""


class NotAName(Exception):
    """A name DNS cannot hold (a label over 63 characters, an empty one, over 255 in all)."""


def check_sender_dns(settings: Settings, options: OnlineOptions) -> list[Finding]:
    """A warning for each record the From domain lacks."""
    domain = settings.email.sender_domain
    where = settings_source(settings).setting_where("email", "from")
    lookup = _lookup(make_resolver(options))
    try:
        return [*_spf(domain, lookup, where), *_dkim(settings, domain, lookup, where),
                *_dmarc(domain, lookup, where)]
    except LookupFailed as failure:
        return [warning("dns-lookup", where, f"could not look up the DNS records of {domain} "
                        f"({failure})", "check the network, or name a server with --nameserver")]
    except NotAName as name:
        return [warning("dns-lookup", where, f"{name} cannot be a DNS name (each part at most "
                        "63 characters, 255 in all)", "check the domain of email.from")]


def _spf(domain: str, lookup: Callable[[str], list[str]], where: str) -> list[Finding]:
    if any(record.lower().startswith("v=spf1") for record in lookup(domain)):
        return []
    return [warning("dns-spf", where, f"{domain} has no SPF record",
                    f'publish a TXT record on {domain} such as "v=spf1 include:<your provider> '
                    '~all"; your provider\'s domain settings show the exact value')]


def _dkim(settings: Settings, domain: str, lookup: Callable[[str], list[str]],
          where: str) -> list[Finding]:
    provider = settings.provider.name
    selectors = DKIM_SELECTORS.get(provider, ())
    names = [f"{selector}._domainkey.{domain}" for selector in selectors]
    if not names or any("p=" in record and not record.rstrip(";").endswith("p=")
                        for name in names for record in lookup(name)):
        return []
    return [warning("dns-dkim", where, f"no DKIM key for {provider} at {' or '.join(names)}",
                    f"add the DKIM records that {provider} shows for {domain}")]


def _dmarc(domain: str, lookup: Callable[[str], list[str]], where: str) -> list[Finding]:
    # Without a record of its own, a subdomain falls under its parent's (RFC 7489 section 6.6.3).
    labels = domain.split(".")
    for start in range(max(1, len(labels) - 1)):
        name = "_dmarc." + ".".join(labels[start:])
        if any(record.upper().startswith("V=DMARC1") for record in lookup(name)):
            return []
    return [warning("dns-dmarc", where, f"{domain} has no DMARC record",
                    f'publish a TXT record on _dmarc.{domain}: "v=DMARC1; p=none; '
                    f'rua=mailto:postmaster@{domain}" (p=none only reports; tighten it later)')]


def make_resolver(options: OnlineOptions) -> dns.resolver.Resolver:
    """A resolver that asks ``--nameserver`` (else the system's), waiting ``--timeout``."""
    if options.nameserver is None:
        resolver = dns.resolver.Resolver()
    else:
        address, port = parse_nameserver(options.nameserver)
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = [address]
        resolver.port = port
    resolver.lifetime = options.timeout
    return resolver


def parse_nameserver(text: str) -> tuple[str, int]:
    """(address, port) from ``1.1.1.1``, ``127.0.0.1:5353``, ``::1`` or ``[::1]:5353``."""
    text = text.strip()
    address, port = text, ""
    if text.startswith("["):
        address, bracket, port = text[1:].partition("]")
        port = port.removeprefix(":") if bracket else "no closing bracket"
    elif text.count(":") == 1:
        address, port = text.split(":")
    try:
        ipaddress.ip_address(address)
        number = int(port or DNS_PORT)
        if not 0 < number <= MAX_PORT:
            raise ValueError(number)
        return address, number
    except ValueError:
        raise InputError(f"--nameserver {text!r} is not an IP address (with an optional "
                         "port up to 65535)",
                         hint="for example 1.1.1.1 or 127.0.0.1:5353") from None


def _lookup(resolver: dns.resolver.Resolver) -> Callable[[str], list[str]]:
    def txt_records(name: str) -> list[str]:
        """The TXT records of ``name`` as text ([] when there are none)."""
        try:
            answer = resolver.resolve(name, "TXT")
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return []
        except (dns.resolver.NoNameservers, dns.exception.Timeout) as error:
            raise LookupFailed(type(error).__name__ if not str(error) else str(error)[:120]) from None
        except (dns.name.NameTooLong, dns.name.LabelTooLong, dns.name.EmptyLabel):
            raise NotAName(name) from None
        return [b"".join(record.strings).decode("utf-8", "replace") for record in answer]

    return txt_records
