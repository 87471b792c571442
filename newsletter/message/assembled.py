"""A batch's messages, built when first read: most of a SendGrid batch never needs them.

:meth:`newsletter.message.MessageFactory.assemble_all` returns an :class:`Assembled`: the
batch's prepared readers and what makes each one's :class:`Message`. An adapter that iterates
the batch gets its messages, all built at the first read, as before. One that writes the batch
from its readers (SendGrid's personalizations, joined from the readers' own fields) reads the
first message, stand-ins (:meth:`Assembled.like`) and the readers, and builds none of the rest:
a ``Message`` with its headers was ~0.6 µs a reader on the send's busiest thread, and writing
the personalizations from messages needed their fields read back out of them (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from operator import itemgetter
from typing import TYPE_CHECKING, Callable, Iterator

if TYPE_CHECKING:
    from newsletter.message.compose import Message, Prepared

# The headers that a Prepared reader's own fields make, and the field each one is made of
# (MessageFactory.assemble_all: To, the Message-ID, the unsubscribe link in List-Unsubscribe).
READER_HEADERS = (("To", 2), ("Message-ID", 3), ("List-Unsubscribe", 4))
_VALUE_FIELDS = itemgetter(4, 0)  # the reader's values: their unsubscribe link, their address
_MESSAGE_ID = itemgetter(3)


class Assembled(Sequence):
    """The messages of one :meth:`MessageFactory.assemble_all` call, alike by construction:
    one post, test or not, the same subject, header names in one order and value names; each
    List-Unsubscribe its unsubscribe link between texts JSON writes as they are. An adapter
    may take that as checked (SendGrid's personalizations), and read the batch's readers
    (``readers``, each a :class:`Prepared`) instead of its messages."""

    __slots__ = ("readers", "key", "_make", "_messages", "_first")

    def __init__(self, readers: list[Prepared], make: Callable[[list[Prepared]], list[Message]]):
        self.readers = readers
        # The batch's key, kept by the first who hashes it (providers.key_of: the ledger's
        # claim and SendGrid's request both name the batch by it).
        self.key: str | None = None
        self._make = make  # each reader's Message, the batch's shared headers copied
        self._messages: list[Message] | None = None
        self._first: Message | None = None

    def __len__(self) -> int:
        return len(self.readers)

    def __getitem__(self, index):
        if index == 0 and self._messages is None:  # the batch's first message alone
            if self._first is None:
                self._first = self._make(self.readers[:1])[0]
            return self._first
        return self._all()[index]

    def __iter__(self) -> Iterator[Message]:
        return iter(self._all())

    def __repr__(self) -> str:
        return f"Assembled({len(self)} messages)"

    def _all(self) -> list[Message]:
        if self._messages is None:
            if self._first is None:
                self._messages = self._make(self.readers)
            else:  # the first already read: the same object
                self._messages = [self._first, *self._make(self.readers[1:])]
        return self._messages

    def like(self, reader: Prepared) -> Message:
        """The message this batch would hold for ``reader`` (a stand-in whose fields mark
        where each reader's own go)."""
        return self._make([reader])[0]

    def message_ids(self) -> list[str]:
        """Each message's Message-ID, in order."""
        return list(map(_MESSAGE_ID, self.readers))

    def values_text(self) -> str:
        """Every value of every message, joined (for a search of what they hold)."""
        return "".join(chain.from_iterable(map(_VALUE_FIELDS, self.readers)))

    def own_headers(self) -> set[str]:
        """The names of the headers that differ between the batch's messages (every other
        header is the same in all of them)."""
        readers = self.readers
        own = set()
        for name, field in READER_HEADERS:
            column = map(itemgetter(field), readers)
            first = next(column)
            # Stops at the first that differs: the second reader, in a batch of distinct ones
            # (a list and a count of the whole column were ~0.3 ms of a batch of 1,000).
            if any(value != first for value in column):
                own.add(name)
        return own
