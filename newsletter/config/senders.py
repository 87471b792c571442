"""The addresses of [email]: who the newsletter is from, where replies and unsubscribes go.

``email.utils`` reads an address generously: it drops the space of ``ann@walks example.org``,
takes the first of two addresses, and makes ``Ann, Walker <ann@...>`` two addresses, the first
one "Ann". Sent as it reads them, the From line would not be the writer's. So each value must
read back as whole addresses, each written as it is in the value, and From as exactly one.
"""

from __future__ import annotations

import re
from email.utils import getaddresses

from newsletter.errors import ConfigError

# One mailbox: a local part and a domain, neither holding a space or a character that ends one.
_MAILBOX = re.compile(r"[^\s<>(),;:\"\[\]\\@]+@[^\s<>(),;:\"\[\]\\@.][^\s<>(),;:\"\[\]\\@]*")
# (setting, how many addresses it may hold, how to write it)
_ADDRESS_SETTINGS = (("from_", 1, '"Your Name <you@example.com>"'),
                     ("reply_to", None, '"you@example.com"'),
                     ("unsubscribe_mailto", 1, '"you@example.com"'))


def check_addresses(email, where: str) -> None:
    """Every address setting of ``email`` (EmailSettings) holds whole, valid addresses."""
    for field, most, example in _ADDRESS_SETTINGS:
        value = getattr(email, field)
        if not value and field != "from_":  # reply_to = "": no Reply-To
            continue
        key = f"email.{field.rstrip('_')}"
        addresses = _addresses(value)
        hint = f"write it as {example}"
        if not addresses:
            problem = "has no address" if "@" not in value else "is not a valid address"
            if "," in value:
                hint += ("; a name holding a comma goes in quotes: "
                         f"""{field.rstrip('_')} = '"Walker, Ann" <ann@example.com>'""")
            raise ConfigError(f"{key} {value!r} {problem}", where=where, hint=hint)
        if most is not None and len(addresses) > most:
            raise ConfigError(f"{key} {value!r} holds {len(addresses)} addresses, not one",
                              where=where, hint=hint)


def _addresses(value: str) -> list[str]:
    """The addresses in ``value``, or none when any part of it is not one."""
    pairs = getaddresses([value])
    addresses = [address for _, address in pairs]
    if not pairs or not all(_MAILBOX.fullmatch(address) and address in value
                            for address in addresses):
        return []
    return addresses
