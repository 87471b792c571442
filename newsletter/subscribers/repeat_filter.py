"""Which keys of a list may occur more than once, in 2 MB however long the list is (a list's
pass and the store's check for repeated readers)."""

from __future__ import annotations


class RepeatFilter:
    """Which keys of a list may occur more than once, in 2 MB however long the list is.

    Two bitmaps indexed by a slice of the key's hash: "seen" and "seen again". Every repeated
    key finds its slot in "seen again"; a key whose slot is not there occurred once for sure.
    Keys that merely share a slot with another are flagged too (about n / 8 million of them),
    so whoever de-duplicates still compares flagged keys exactly: no repeat is ever missed.
    hash() is salted per process: build and query a filter in the same process.
    """

    BITS = 23  # 8,388,608 slots; two bitmaps of 1 MiB

    def __init__(self) -> None:
        self.mask = (1 << self.BITS) - 1
        self.seen = bytearray(1 << (self.BITS - 3))
        self.again = bytearray(1 << (self.BITS - 3))

    def add(self, key: str) -> bool:
        """Count one occurrence of ``key``; whether it :meth:`may_repeat` now (one hash)."""
        return bool(self.add_all([key]))

    def add_all(self, keys: list[str]) -> list[str]:
        """:meth:`add` of each of ``keys`` in order; those that :meth:`may_repeat` once added
        (one loop a block of a list's rows: a call a row was a tenth of a first read's scan)."""
        mask, seen, again = self.mask, self.seen, self.again
        found = []
        for key in keys:
            slot = hash(key) & mask
            byte, bit = slot >> 3, 1 << (slot & 7)
            if seen[byte] & bit:  # "again" is only ever set where "seen" is
                again[byte] |= bit
                found.append(key)
            else:
                seen[byte] |= bit
        return found

    def may_repeat(self, key: str) -> bool:
        """False only when ``key`` was added at most once."""
        slot = hash(key) & self.mask
        return bool(self.again[slot >> 3] & (1 << (slot & 7)))
