"""What the rest of newsletter may ask of a subscriber list, whatever store holds it.

``sending``, ``web`` and ``cli`` hold a :class:`ReaderStore` from :func:`open_store` and use
only these methods; the files store (:class:`~newsletter.subscribers.store.SubscriberStore`)
and the PostgreSQL store (:class:`~newsletter.subscribers.postgres_store.PostgresStore`) are
its two implementations. Who is active follows one rule everywhere
(:func:`newsletter.subscribers.rows.suppresses`): any suppressing copy of an address wins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Iterator, Protocol

from newsletter.errors import SubscriberError
from newsletter.subscribers.rows import Status, Subscriber
from newsletter.subscribers.store import SubscriberStore

if TYPE_CHECKING:
    from newsletter.state import postgres


class ReaderStore(Protocol):
    """One site's subscriber list."""

    def active(self, problems: list[SubscriberError] | None = None,
               tags: Iterable[str] | None = None) -> Iterator[Subscriber]:
        """Each reader to send to once, suppression applied; with ``tags``, those holding one
        of them; rows that cannot be used go to ``problems``."""

    def suppressed_addresses(self) -> frozenset[str]:
        """The keys of every reader who must get nothing now (asked before every batch)."""

    def load(self) -> tuple[list[Subscriber], list[SubscriberError]]:
        """Every reader once, with the status they have now, and every problem."""

    def each_reader(self, problems: list[SubscriberError]) -> Iterator[Subscriber]:
        """load()'s readers one at a time, in the same order, memory flat however long the
        list; the problems go to ``problems``."""

    def is_active(self, address: str) -> bool:
        """True if ``address`` is listed, valid and not suppressed."""

    def is_listed(self, address: str) -> bool:
        """True if the list holds ``address``, whatever its status."""

    def add(self, email: str, name: str = "", tags: Iterable[str] = (),
            resubscribe: bool = False) -> str:
        """Make a reader active, with ``name`` if they have none and ``tags``; what changed
        (``adding.ADDED``, ``ACTIVE_AGAIN``, ``UPDATED``, or "" for nothing)."""

    def set_status(self, address: str, status: Status | str, reason: str | None = None) -> bool:
        """Give ``address`` this status; True if it changed."""

    def suppress(self, changes: Iterable[tuple[str, str, str, str]], record_unknown: bool) -> None:
        """Record (key, address, status, reason) suppressions, durable and in effect when this
        returns; ``record_unknown``: keep a record for an address the list does not hold."""

    def wait_for_writes(self) -> None:
        """Return once no change to the list (an import) is under way."""

    def size(self) -> int:
        """How big the list is, in the store's own unit (bytes of files, rows of a table)."""

    def describe(self) -> str:
        """Where the list is, for a report: "2 file(s)", "the PostgreSQL store"."""


def open_store(settings, database: postgres.Database | None = None) -> ReaderStore:
    """The subscriber list of the site ``settings`` describe: in PostgreSQL when the site has
    a store URL (through ``database`` if given: a server shares one pool), else its files."""
    url = settings.store_url
    if not url:
        return SubscriberStore(settings)
    from newsletter.state import postgres  # never loaded for a site on files
    from newsletter.subscribers.postgres_store import PostgresStore

    return PostgresStore(database or postgres.Database(url, site=settings.site.url))
