"""A reader's name and address as a header holds them: on one line, quoted where needed, and
checked, one reader at a time or a chunk at once."""

from __future__ import annotations

import re

from newsletter.errors import SubscriberError

MAX_NAME_LENGTH = 200  # keeps the To header far below the 998-octet line limit

# A normalised address with nothing that could end a header or an address list.
_SAFE = r"[^\s<>(),;:\"\[\]\\@]+@[^\s<>(),;:\"\[\]\\@]+"
_SAFE_ADDRESS = re.compile(_SAFE)
# Addresses joined by line breaks (which none of them holds), each one safe.
_SAFE_ADDRESSES = re.compile(rf"(?:{_SAFE}\n)*{_SAFE}")
# Anything that could start a new header line or confuse a reader: controls and line separators.
_LINE_BREAKERS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
_ADDRESS_SPECIALS = re.compile(r"[()<>@,;:\\\".\[\]]")


def one_line(text: str) -> str:
    """``text`` with every control character and line break turned into a space."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        # Most names: a printable text holds no whitespace but " " (str.isprintable), so
        # it is already on one line, single-spaced (a third of a reader's preparing time).
        return text
    return " ".join(_LINE_BREAKERS.sub(" ", text).split())


def checked_recipient(address: str, name: str) -> tuple[str, str]:
    """(name on one line and cut short, To header); SubscriberError for an unusable address."""
    if not _SAFE_ADDRESS.fullmatch(address):
        raise SubscriberError(f"{address!r} cannot be put in a To header")
    name = one_line(name)[:MAX_NAME_LENGTH]
    return name, format_address(name, address)


def checked_recipients(readers: list[tuple[str, str, str]]) -> tuple[list[str], list[str]]:
    """(names, To headers): :func:`checked_recipient` of each (address, name, ...), in order.
    A chunk whose addresses are all safe and whose names all stay as written (printable,
    single-spaced, short, no specials to quote) is told so by a few C calls over the chunk's
    joined text: a third of what a call a reader cost (docs/performance.md, the sixteenth
    round)."""
    addresses = [reader[0] for reader in readers]
    names = [reader[1] for reader in readers]
    joined = "\n".join(names)
    if (readers and _SAFE_ADDRESSES.fullmatch("\n".join(addresses))
            and "".join(names).isprintable() and "  " not in joined
            and " \n" not in joined and "\n " not in joined
            and joined[:1] != " " and joined[-1:] != " "
            and max(map(len, names)) <= MAX_NAME_LENGTH
            and not _ADDRESS_SPECIALS.search(joined)):
        return names, [f"{name} <{address}>" if name else address
                       for address, name in zip(addresses, names)]
    checked = [checked_recipient(address, name) for address, name in zip(addresses, names)]
    return [name for name, _ in checked], [to for _, to in checked]


def format_address(name: str, address: str) -> str:
    """``Name <address>`` with the name quoted when it holds specials (Unicode kept as is)."""
    if not name:
        return address
    if _ADDRESS_SPECIALS.search(name):
        name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{name} <{address}>"
