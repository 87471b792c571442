"""The subscriber list in PostgreSQL: the second :class:`~newsletter.subscribers.ReaderStore`.

One row per reader (the ``subscribers`` table, keyed by address key), so "suppression wins" is
the row's status: a suppression only ever moves an active or unconfirmed row
(:data:`WRITABLE`), and a reader who left keeps their status. Every suppression also goes into
``journal_changes`` in the same transaction, so a running send follows them by id instead of
reading the list again before every batch.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Iterable, Iterator

from newsletter.addresses import address_key, normalise_address
from newsletter.errors import SubscriberError
from newsletter.state import JOURNAL, LIST, joined_seconds, postgres
from newsletter.subscribers.folder import LOCK_TIMEOUT
from newsletter.subscribers.journal import now
from newsletter.subscribers.adding import ACTIVE_AGAIN, ADDED, UPDATED, readd_refusal, with_details
from newsletter.subscribers.rows import LEFT, Status, Subscriber, split_tags, suppresses
from newsletter.subscribers.signup_types import timestamp

PAGE = 5000  # readers per query while streaming the list
ACTIVE = (Status.ACTIVE.value, "")
WRITABLE = (Status.ACTIVE.value, Status.UNCONFIRMED.value, "")  # statuses a suppression moves
# Ids are taken before commit, so a change may land below an id already seen: every look at
# the changes goes back this far (the set only grows; seeing one twice does no harm).
LATE_COMMITS = 1000
COLUMNS = "email, address, name, status, tags, subscribed_at, extra"


def _subscriber(row: tuple, columns: Iterable[str] = ()) -> Subscriber:
    """The reader of a row; its extra cells in the order of ``columns`` (list_columns)."""
    email, address, name, status, tags, subscribed_at, extra = row
    ordered = {column: extra[column] for column in columns if column in extra} if extra else {}
    return Subscriber(email=email, address=address, name=name, status=Status(status or "active"),
                      tags=split_tags(tags), subscribed_at=subscribed_at,
                      extra={**ordered, **extra})


class PostgresStore:
    """One site's list in the database at ``url`` (never printed: it may hold the password)."""

    where = postgres.WHERE

    def __init__(self, database: postgres.Database):
        self.database = database
        self._suppressed: set[str] | None = None
        self._seen_through = 0  # the newest journal change read into _suppressed

    def connection(self):
        """A connection of the store's pool, the list's tables migrated."""
        return self.database.connection(LIST, JOURNAL)

    def wait_for_writes(self) -> None:
        """Return once no change to the list is under way (an import commits in one
        transaction): SHARE mode waits for every writing transaction. SubscriberError if one
        lasts past LOCK_TIMEOUT."""
        from psycopg.errors import LockNotAvailable

        with self.connection() as db, db.transaction():
            db.execute(f"SET LOCAL lock_timeout = '{int(LOCK_TIMEOUT * 1000)}ms'")
            try:
                db.execute("LOCK TABLE subscribers IN SHARE MODE")
            except LockNotAvailable:
                raise SubscriberError(f"the subscriber list stayed locked for {LOCK_TIMEOUT:g} s",
                                      where=self.where,
                                      hint="another newsletter command is changing it; try "
                                           "again") from None

    # -- reading -------------------------------------------------------------------------------

    def active(self, problems: list[SubscriberError] | None = None,
               tags: Iterable[str] | None = None) -> Iterator[Subscriber]:
        """Active readers in list order, a page at a time (no transaction held between)."""
        wanted = None if tags is None else frozenset(tag.lower() for tag in tags)
        self.suppressed_addresses()  # what a send checks against from now on
        after = 0
        while True:
            with self.connection() as db:
                rows = db.execute(
                    f"SELECT position, {COLUMNS} FROM subscribers WHERE status = ANY(%s) "
                    "AND position > %s ORDER BY position LIMIT %s", (list(ACTIVE), after, PAGE)
                ).fetchall()
            for position, *row in rows:
                after = position
                reader = _subscriber(tuple(row))
                if wanted is None or not wanted.isdisjoint(t.lower() for t in reader.tags):
                    yield reader
            if len(rows) < PAGE:
                return

    def suppressed_addresses(self) -> frozenset[str]:
        """Every suppressed key: read whole once, then followed through the journal's changes."""
        with self.connection() as db:
            if self._suppressed is None:
                with db.transaction():
                    last = db.execute("SELECT coalesce(max(id), 0) FROM journal_changes"
                                      ).fetchone()[0]
                    self._suppressed = {key for (key,) in db.execute(
                        "SELECT key FROM subscribers WHERE status <> ALL(%s)", (list(ACTIVE),))}
                self._seen_through = last
            else:
                for change_id, key in db.execute(
                        "SELECT id, key FROM journal_changes WHERE id > %s",
                        (max(0, self._seen_through - LATE_COMMITS),)):
                    self._suppressed.add(key)
                    self._seen_through = max(self._seen_through, change_id)
        return frozenset(self._suppressed)

    def suppressed_as_last_read(self) -> frozenset[str]:
        """What :meth:`suppressed_addresses` answered last, without asking the journal again
        (the shared queue, right after the claim that asked it)."""
        return frozenset(self._suppressed or ())

    def follow_suppressions_from_now(self) -> None:
        """Have :meth:`suppressed_addresses` hold only the suppressions recorded from now on,
        for a send that checks each batch's readers against the table as it takes them (the
        shared queue): the earlier ones need no pass over the whole list."""
        with self.connection() as db:
            self._seen_through = db.execute("SELECT coalesce(max(id), 0) FROM journal_changes"
                                            ).fetchone()[0]
        self._suppressed = set()

    def load(self) -> tuple[list[Subscriber], list[SubscriberError]]:
        """Every reader, in list order; the table holds valid rows only, so no problems."""
        return list(self.each_reader([])), []

    def each_reader(self, problems: list[SubscriberError]) -> Iterator[Subscriber]:
        """load()'s readers one at a time, in the same order (the table has no problems)."""
        with self.connection() as db:
            columns = [name for (name,) in db.execute(
                "SELECT name FROM list_columns ORDER BY position")]
            for row in db.execute(f"SELECT {COLUMNS} FROM subscribers ORDER BY position"):
                yield _subscriber(row, columns)

    def _status(self, address: str) -> str | None:
        with self.connection() as db:
            row = db.execute("SELECT status FROM subscribers WHERE key = %s",
                             (address_key(address.strip()),)).fetchone()
        return None if row is None else row[0]

    def statuses(self, addresses: Iterable[str]) -> dict[str, str]:
        """key -> status of those of ``addresses`` the list holds (invalid ones left out)."""
        keys = []
        for address in addresses:
            try:
                keys.append(address_key(normalise_address(address)))
            except SubscriberError:
                continue
        with self.connection() as db:
            return dict(db.execute("SELECT key, status FROM subscribers WHERE key = ANY(%s)",
                                   (keys,)))

    def is_active(self, address: str) -> bool:
        status = self._status(address)
        return status is not None and not suppresses(status)

    def is_listed(self, address: str) -> bool:
        return self._status(address) is not None

    def size(self) -> int:
        """Rows the table has held: its last list position (from the index, where a count
        would be a pass over the table)."""
        with self.connection() as db:
            return db.execute("SELECT coalesce(max(position), 0) FROM subscribers"
                              ).fetchone()[0]

    def describe(self) -> str:
        return self.where

    # -- writing -------------------------------------------------------------------------------

    def add(self, email: str, name: str = "", tags: Iterable[str] = (),
            resubscribe: bool = False) -> str:
        """Add a reader, or make one who left active again with ``resubscribe``; what changed
        (``adding.ADDED`` and the rest). One already listed takes ``name`` if they have none,
        and ``tags``."""
        address = normalise_address(email)
        key = address_key(address)
        with self.connection() as db, db.transaction():
            listed = db.execute("SELECT status, name, tags FROM subscribers WHERE key = %s "
                                "FOR UPDATE", (key,)).fetchone()
            if listed is None:
                insert(db, [Subscriber(email=address, address=address, name=name,
                                       tags=tuple(tags),
                                       subscribed_at=timestamp(dt.datetime.now(dt.timezone.utc)))])
                return ADDED
            status, *before = listed
            if suppresses(status) and not resubscribe:
                raise readd_refusal(address, status, self.where)
            after = with_details(*before, name, tags)
            db.execute("UPDATE subscribers SET status = 'active', name = %s, tags = %s "
                       "WHERE key = %s", (*after, key))
            return ACTIVE_AGAIN if suppresses(status) else UPDATED if after != tuple(before) else ""

    def set_status(self, address: str, status: Status | str, reason: str | None = None) -> bool:
        """Give ``address`` this status; True if it changed. A leaving status goes only to an
        active or unconfirmed reader, and is recorded for an address the list lacks."""
        status = Status(status)
        address = normalise_address(address)
        key = address_key(address)
        if status in LEFT:
            before = self._status(address)
            self.suppress([(key, address, status.value, reason or "")], record_unknown=True)
            return before is None or before in WRITABLE
        with self.connection() as db:
            changed = db.execute("UPDATE subscribers SET status = %s WHERE key = %s "
                                 "AND status <> %s", (status.value, key, status.value))
            return changed.rowcount == 1

    def suppress(self, changes: Iterable[tuple[str, str, str, str]], record_unknown: bool) -> None:
        """Give each (key, address, status, reason) to its reader and journal it, in one
        transaction: durable and in effect when this returns."""
        changes = list(changes)
        if not changes:
            return
        with self.connection() as db:
            suppress_in(db, changes, record_unknown)


# Every suppression in one statement (one round trip, one implicit transaction however many
# there are): the readers' statuses, and a journal row for each. A reader asked for twice takes
# the first (later ones would find them gone already); ``{write}`` is one of the two below.
# A reader who has the status already, journalled last, is not journalled again (a one-click
# link posted again and again): that row's time moves on, as in the files' journal.
SUPPRESS = """WITH given AS (
    SELECT * FROM unnest(%(keys)s::text[], %(addresses)s::text[], %(statuses)s::text[],
                         %(reasons)s::text[]) WITH ORDINALITY AS g(key, address, status, reason, n)
), once AS (
    SELECT DISTINCT ON (key) key, address, status FROM given ORDER BY key, n
), moved AS ({write}
), repeated AS (
    UPDATE journal_changes j SET at = %(at)s FROM once, subscribers s
    WHERE j.id = (SELECT max(id) FROM journal_changes WHERE key = once.key)
      AND j.status = once.status AND s.key = once.key AND s.status = once.status
    RETURNING once.key, once.status
)
INSERT INTO journal_changes (key, address, status, reason, record_unknown, at, folded_at)
SELECT key, address, status, reason, %(record_unknown)s, %(at)s, %(at)s FROM given
WHERE (key, status) NOT IN (SELECT key, status FROM repeated) ORDER BY n"""
MOVE_LISTED = ("UPDATE subscribers SET status = once.status FROM once "
               "WHERE subscribers.key = once.key AND subscribers.status = ANY(%(writable)s)")
# record_unknown: an address the list lacks gets a row with its status (a later import cannot
# mail it).
MOVE_OR_RECORD = ("INSERT INTO subscribers (key, email, address, status, subscribed_at, joined) "
                  "SELECT key, address, address, status, %(at)s, %(joined)s FROM once "
                  "ON CONFLICT (key) DO UPDATE SET status = EXCLUDED.status "
                  "WHERE subscribers.status = ANY(%(writable)s)")
SUPPRESS_LISTED = SUPPRESS.format(write=MOVE_LISTED)
SUPPRESS_OR_RECORD = SUPPRESS.format(write=MOVE_OR_RECORD)


def suppress_in(db, changes: list[tuple[str, str, str, str]], record_unknown: bool) -> None:
    """:meth:`PostgresStore.suppress` on ``db``: in the caller's transaction if one is open,
    else one of its own."""
    stamp = now()
    keys, addresses, statuses, reasons = (list(column) for column in zip(*changes))
    db.execute(SUPPRESS_OR_RECORD if record_unknown else SUPPRESS_LISTED, {
        "keys": keys, "addresses": addresses, "statuses": statuses,
        "reasons": postgres.storable(reasons),  # a provider's words: maybe a NUL
        "record_unknown": record_unknown, "at": stamp, "joined": joined_seconds(stamp),
        "writable": list(WRITABLE)})


def insert(db, readers: list[Subscriber]) -> int:
    """Add readers the table lacks (by key), in order, in the caller's transaction; the number
    added."""
    add_columns(db, [name for r in readers for name in r.extra])
    with db.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO subscribers (key, {COLUMNS}, joined) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (key) DO NOTHING",
            [(r.key, r.email, r.address, r.name, r.status.value, ",".join(r.tags),
              r.subscribed_at, json.dumps(r.extra), joined_seconds(r.subscribed_at))
             for r in readers])
        return max(cursor.rowcount, 0)


def add_columns(db, names: Iterable[str]) -> None:
    """Record extra column names the list did not have yet, after the others, in the
    caller's transaction."""
    if names := list(dict.fromkeys(names)):
        db.execute("INSERT INTO list_columns (name) SELECT unnest(%s::text[]) "
                   "ON CONFLICT (name) DO NOTHING", (names,))
