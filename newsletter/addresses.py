"""Email addresses: the normalised form of an address, and the key that names a reader.

Addresses are checked with email-validator (syntax only, never the network). The normalised
form is email-validator's: Unicode-normalised, domain lower-cased, local part kept as written.
Two spellings are the same reader when their normalised addresses match case-insensitively
(:func:`address_key`): RFC 5321 lets a server tell ``Jane@`` from ``jane@``, but real mailboxes
don't, and mailing someone twice is worse than that theoretical miss. The subscriber list, the
ledger and the unsubscribe tokens all use that one key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from types import SimpleNamespace
from typing import Iterable
from urllib.parse import unquote

from newsletter.errors import SubscriberError


def address_key(address: str) -> str:
    """The key of a normalised address: the one name of a reader in lists, ledger and tokens."""
    return address.strip().lower()


def address_keys(addresses: Iterable[str]) -> list[str]:
    """:func:`address_key` of each address, in C loops (a call a reader cost a send's busiest
    thread ~0.3 µs)."""
    return list(map(str.lower, map(str.strip, addresses)))


def normalised_key(email: str) -> str:
    """The key of an address as written (raises SubscriberError when it is not valid)."""
    return address_key(normalise_address(email))


# Limits below email-validator's own (RFC 5321 sizes; 64 also holds in its strict mode).
_FAST_MAX_LOCAL, _FAST_MAX_ADDRESS, _FAST_MAX_LABEL = 64, 254, 63


@lru_cache(maxsize=1)
def _validator() -> SimpleNamespace:
    """email-validator and its patterns, imported at the first address checked: compiling
    them is 17 ms of CPU, which a send's own process (its helper reads the list) never needs."""
    import email_validator
    from email_validator.rfc_constants import (
        CASE_INSENSITIVE_MAILBOX_NAMES,
        DOT_ATOM_TEXT,
        DOT_ATOM_TEXT_HOSTNAME,
    )

    return SimpleNamespace(module=email_validator, dot_atom=DOT_ATOM_TEXT,
                           hostname=DOT_ATOM_TEXT_HOSTNAME,
                           lower_mailbox_names=frozenset(CASE_INSENSITIVE_MAILBOX_NAMES))


def fast_normalised(email: str) -> str | None:
    """email-validator's normalised form of a plain ASCII address, or None to ask it instead.

    email-validator is most of a send's reading time (bench/bench_subscribers.py). For an ASCII
    dot-atom local part and an ASCII letters-digits-hyphens domain its answer is known: the
    local part unchanged, the domain lower-cased (UTS-46 maps only case for such names). This
    accepts a strict subset of what it accepts, using its own patterns and lists; anything
    else (IDNA, ``--`` in the domain, quotes, RFC 2142 names it lower-cases, special-use
    domains, lengths near a limit) returns None. tests/test_address_fast_path.py compares the
    two on many generated and tricky addresses.
    """
    if not email.isascii() or len(email) > _FAST_MAX_ADDRESS or email.count("@") != 1:
        return None
    local, domain = email.split("@")
    validator = _validator()
    if (len(local) > _FAST_MAX_LOCAL or not validator.dot_atom.match(local)
            or local.lower() in validator.lower_mailbox_names):
        return None
    # Read at each call: the list is module state that callers of email-validator may extend.
    domain = _plain_domain(domain, tuple(validator.module.SPECIAL_USE_DOMAIN_NAMES))
    return None if domain is None else f"{local}@{domain}"


@lru_cache(maxsize=4096)  # a list holds many readers of few domains
def _plain_domain(domain: str, special: tuple[str, ...]) -> str | None:
    """``domain`` lower-cased when the fast path may take it, else None."""
    domain = domain.lower()
    if ("." not in domain or "--" in domain or not domain[-1:].isalpha()
            or not _validator().hostname.match(domain)):
        return None
    if max(map(len, domain.split("."))) > _FAST_MAX_LABEL:
        return None
    if domain in special or domain.endswith(tuple("." + name for name in special)):
        return None
    return domain


def as_written_pattern(after: str) -> str:
    """A regular expression (text) of ASCII addresses that :func:`fast_normalised` returns as
    written once :func:`unchanged_domain` accepts their domain (group ``domain``), each
    followed by ``after`` (a pattern): a strict subset of the dot-atom addresses it takes,
    with its limits and mailbox names, for a whole block of a list matched in one C call
    (subscribers/plain_pass.py). tests/test_address_fast_path.py compares both."""
    atom = "[A-Za-z0-9_+-]+"
    names = "|".join("".join(f"[{letter.upper()}{letter}]" for letter in name)
                     for name in sorted(_validator().lower_mailbox_names))
    return (f"(?=[A-Za-z0-9_+.-]{{1,{_FAST_MAX_LOCAL}}}@[a-z0-9.-]{{1,"
            f"{_FAST_MAX_ADDRESS - _FAST_MAX_LOCAL - 1}}}(?:{after}))(?!(?:{names})@)"
            rf"{atom}(?:\.{atom})*@(?P<domain>[a-z0-9-]+(?:\.[a-z0-9-]+)+)")


def unchanged_domain(domain: str) -> bool:
    """Whether :func:`fast_normalised` keeps ``domain`` as it is (a lower-case one it takes)."""
    return _plain_domain(domain, tuple(_validator().module.SPECIAL_USE_DOMAIN_NAMES)) == domain


def normalise_address(email: str) -> str:
    """The normalised form of ``email``, or SubscriberError saying what is wrong with it."""
    email = email.strip()
    fast = fast_normalised(email)
    if fast is not None:
        return fast
    email_validator = _validator().module
    try:
        return email_validator.validate_email(email, check_deliverability=False).normalized
    except email_validator.EmailNotValidError as exc:
        raise SubscriberError(f"{email!r} is not a valid address ({exc})",
                              hint="check it for typos") from None


# "Ann <ann@example.com>", "\"Ann, A.\" <...>", "<...>"; a name holding an @ is not one.
_NAMED = re.compile(r'\s*(?:"(?P<quoted>[^"]*)"|(?P<plain>[^<>"@]*?))\s*<(?P<address>[^<>\s]+)>\s*')
_MAILTO = re.compile(r"\s*mailto:(?P<address>[^?\s]+)(?:\?\S*)?\s*", re.IGNORECASE)
# A cell a spreadsheet was told to keep as text by its prefix: 'ann@example.com (typed, or
# left in a copy). Its text formula ="ann@example.com" is every cell's (import_cells.unguard).
_TEXT_PREFIX = re.compile(r"\s*'(?P<prefixed>.*)\s*")


def bare_address(text: str) -> tuple[str, str]:
    """The address in ``text`` as mail clients and web pages write one, and the name written
    with it: ``Ann <ann@example.com>``, ``<ann@example.com>``, ``mailto:ann@example.com``.
    Any other text comes back as it is, with no name. Invisible format characters a copy from
    a web page or chat brings along (a zero-width space, a joiner, a byte order mark) are
    dropped, and a spreadsheet's text prefix (``'ann@example.com``): no address may hold
    one, and the leaver they hid stayed mailed."""
    if not text.isascii():
        text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    if found := _TEXT_PREFIX.fullmatch(text):
        text = found["prefixed"]
    if found := _NAMED.fullmatch(text):
        return found["address"], (found["quoted"] or found["plain"] or "").strip()
    if found := _MAILTO.fullmatch(text):
        return unquote(found["address"]), ""
    return text, ""


def typo_distance(one: str, other: str, most: int) -> int:
    """Letters changed, added, dropped or swapped side by side to make ``other`` of ``one``
    (the optimal string alignment distance); ``most + 1`` once it is past ``most``."""
    if abs(len(one) - len(other)) > most:
        return most + 1
    before, row = None, list(range(len(other) + 1))
    for i, letter in enumerate(one, 1):
        current = [i] + [0] * len(other)
        for j, theirs in enumerate(other, 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (letter != theirs))
            if before is not None and i > 1 and j > 1 and letter == other[j - 2] \
                    and one[i - 2] == theirs:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > most:
            return most + 1
        before, row = row, current
    return min(row[-1], most + 1)


def near_addresses(address: str, addresses: Iterable[str]) -> list[str]:
    """Those of ``addresses`` a typo away from ``address``: the same domain and a local part
    one or two letters off, or the same local part at a domain one or two letters off."""
    local, _, domain = address_key(address).rpartition("@")
    near = []
    for listed in addresses:
        their_local, _, their_domain = address_key(listed).rpartition("@")
        if their_domain == domain and their_local != local:
            off = typo_distance(local, their_local, 2)
        elif their_local == local and their_domain != domain:
            off = typo_distance(domain, their_domain, 2)
        else:
            continue
        if off <= (1 if len(local if their_domain == domain else domain) <= 4 else 2):
            near.append(listed)
    return near
