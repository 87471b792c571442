"""A chunk's recipients checked at once (message/recipient.py checked_recipients) are those
checked one by one: the same names and To headers, or the same error for the same address."""

from __future__ import annotations

import random

import pytest

from newsletter.errors import SubscriberError
from newsletter.message.recipient import MAX_NAME_LENGTH, checked_recipient, checked_recipients

NAMES = ["Ann", "", "Ann Lee", " Ann", "Ann ", "Ann  Lee", "Lee, Ann", 'Ann "A" Lee', "Dr. Ann",
         "Zoë", "Ann\nLee", "Ann\tLee", "Ann\u2028Lee", "a\x00b", "\u00a0Ann", "x" * MAX_NAME_LENGTH,
         "x" * (MAX_NAME_LENGTH + 1), "Ann (work)", "back\\slash", "@ann", "[Ann]"]
ADDRESSES = ["ann@example.com", "Ann.Lee+news@mail.example.org", "dée@exämple.com",
             "ann@example.com\n", "a b@example.com", "<ann@example.com>", "ann", "ann@@x.org"]


def one_by_one(readers: list[tuple[str, str, str]]) -> list | str:
    try:
        checked = [checked_recipient(address, name) for address, name, _ in readers]
        return [name for name, _ in checked], [to for _, to in checked]
    except SubscriberError as error:
        return error.message


def at_once(readers: list[tuple[str, str, str]]) -> list | str:
    try:
        return checked_recipients(readers)
    except SubscriberError as error:
        return error.message


@pytest.mark.parametrize("seed", range(40))
def test_a_chunk_checked_at_once_is_checked_as_one_by_one(seed):
    rng = random.Random(seed)
    plain = seed % 2  # half the chunks mostly plain, so the chunk's own path is taken too
    readers = [(rng.choice(ADDRESSES[:2] if plain and rng.random() < 0.97 else ADDRESSES),
                rng.choice(NAMES[:3] if plain and rng.random() < 0.95 else NAMES), "token")
               for _ in range(rng.randrange(1, 40))]
    assert at_once(readers) == one_by_one(readers)


@pytest.mark.parametrize("name", NAMES)
def test_each_name_alone_and_among_plain_ones(name):
    for readers in ([("ann@example.com", name, "t")],
                    [("ann@example.com", "Ann", "t"), ("bob@example.com", name, "t"),
                     ("cid@example.com", "", "t")]):
        assert at_once(readers) == one_by_one(readers)


def test_no_readers():
    assert checked_recipients([]) == ([], [])
