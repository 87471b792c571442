"""The readers a mistyped address was probably meant for, for `subscribers remove`.

Only on a list of at most NEAR_LIST_LIMIT readers: past it a near address is as likely another
person's as the one meant, and reading a big list for a hint costs seconds. The hint names the
owner's own readers to the owner, on the command line; ``serve`` never says who is listed.
"""

from __future__ import annotations

from newsletter.addresses import near_addresses
from newsletter.subscribers.rows import LEFT

NEAR_LIST_LIMIT = 10_000


def near_readers(store, address: str) -> list[str]:
    """Up to three addresses of readers still mailed that ``address`` is a typo away from."""
    mailed = []
    for count, reader in enumerate(store.each_reader([]), 1):
        if count > NEAR_LIST_LIMIT:
            return []
        if reader.status not in LEFT:
            mailed.append(reader.address)
    return near_addresses(address, mailed)[:3]
