"""The sign-up journal in the PostgreSQL store: :class:`SignupJournal`'s rows and rules, one
table for every host serving the site.

Every host runs a worker that mails confirmations, so a sign-up is claimed for mailing only
while it is still ``received`` (one host gets it), and the limits are counted and applied
under one advisory lock, so two hosts never both take the last email of the day.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

from newsletter.errors import SiteLockedError, StoreError
from newsletter.state import SIGNUPS, postgres
from newsletter.web.signup_journal import (
    COLUMNS,
    DAY,
    HOUR,
    Entry,
    Limits,
    _entry,
    admit_into,
    mailed_to_inbox,
)

LIMITS_LOCK = 0x6E6C7375  # pg_advisory_xact_lock key while counting against the limits
WORKER_LOCK = 0x6E6C7377  # pg_try_advisory_lock key of the worker that has the journal
# A database session, as "pid@start" (the start as a number: its text would follow the
# session's time zone). Each host's journal keeps one open, its mailer's, and names it in the
# sign-ups it claims for mailing: while it lives, that host is alive and mailing them.
SESSION = "a.pid || '@' || extract(epoch FROM a.backend_start)"
MY_SESSION = f"SELECT {SESSION} FROM pg_stat_activity a WHERE a.pid = pg_backend_pid()"
ORPHANS = (f"SELECT {COLUMNS} FROM signups s WHERE state = 'mailing' AND NOT EXISTS "
           f"(SELECT 1 FROM pg_stat_activity a WHERE s.mailer = {SESSION}) ORDER BY id LIMIT %s")


class SignupJournalInPostgres:
    """The sign-up journal of one site, in its PostgreSQL store; safe to use from every thread
    of every host."""

    orphans_any_time = True  # a host's orphans: those of sessions gone, never its own

    def __init__(self, database: postgres.Database):
        self.database = database
        with self._db():  # made or migrated now: a broken store stops the server at once
            pass
        # Not a connection of the pool, which may close one after a claim (idle, or old).
        self._mailer = database.companion()
        self._mailer_lock = threading.Lock()

    def mailer(self) -> str:
        """This host's mailer session, opened again if the server ended it (a restart)."""
        with self._mailer_lock:
            try:
                with self._mailer.connection() as db:
                    return db.execute(MY_SESSION).fetchone()[0]
            except StoreError:
                with self._mailer.connection() as db:  # one ended reopens; else: the error
                    return db.execute(MY_SESSION).fetchone()[0]

    def _db(self):
        return self.database.connection(SIGNUPS)

    @contextmanager
    def turn(self) -> Iterator[None]:
        """One host's worker has the journal for the block (an advisory lock, let go with its
        connection if the host dies); SiteLockedError at once when another host's has it."""
        with self._db() as db:
            taken = db.execute(postgres.advisory("pg_try_advisory_lock"), (WORKER_LOCK,))
            if not taken.fetchone()[0]:
                raise SiteLockedError("busy")
            try:
                yield
            finally:
                db.execute(postgres.advisory("pg_advisory_unlock"), (WORKER_LOCK,))

    def close(self) -> None:
        """The mailer's session ends (what it claimed is then for another host to mail); the
        database is the server's, closed with it."""
        self._mailer.close()

    def admit(self, signup, page: str, client: str, limits: Limits, *,
              trapped: bool = False) -> None:
        with self._db() as db, db.transaction():
            db.execute(postgres.advisory("pg_advisory_xact_lock"), (LIMITS_LOCK,))
            admit_into(db, signup, page, client, limits, trapped, mark="%s")

    def pending(self, limit: int, state: str = "received") -> list[Entry]:
        with self._db() as db:
            rows = db.execute(f"SELECT {COLUMNS} FROM signups WHERE state = %s ORDER BY id "
                              "LIMIT %s", (state, limit)).fetchall()
        return [_entry(row) for row in rows]

    def orphans(self, limit: int) -> list[Entry]:
        """The sign-ups left ``mailing`` by a host that is gone (its session ended): not those
        another host is mailing now."""
        with self._db() as db:
            return [_entry(row) for row in db.execute(ORPHANS, (limit,))]

    def busy(self) -> bool:
        with self._db() as db:
            return db.execute("SELECT EXISTS (SELECT 1 FROM signups "
                              "WHERE state IN ('received', 'mailing'))").fetchone()[0]

    def claim(self, entries: list[Entry], mailable: list[bool], limits: Limits,
              now: float) -> tuple[list[Entry], bool]:
        """As :meth:`SignupJournal.claim`; an entry another host claimed first is left out."""
        claimed, capped, mailer = [], False, self.mailer()
        with self._db() as db, db.transaction():
            db.execute(postgres.advisory("pg_advisory_xact_lock"), (LIMITS_LOCK,))
            (today,) = db.execute("SELECT count(*) FROM signups WHERE mailed_at > %s",
                                  (now - DAY,)).fetchone()
            for entry, wanted in zip(entries, mailable):
                allowed = wanted and today < limits.per_day
                capped = capped or (wanted and not allowed)
                if allowed:
                    recent = mailed_to_inbox(db, entry.signup.address, now - HOUR, "%s")
                    allowed = recent < limits.per_address
                state, mailed = ("mailing", now) if allowed else ("done", None)
                moved = db.execute("UPDATE signups SET state = %s, mailed_at = coalesce(%s, "
                                   "mailed_at), mailer = %s WHERE id = %s AND state = %s",
                                   (state, mailed, mailer, entry.id, entry.state)).rowcount
                if moved and allowed:
                    claimed.append(entry)
                    today += 1
        return claimed, capped

    def finish(self, entries: list[Entry]) -> None:
        with self._db() as db:
            db.execute("UPDATE signups SET state = 'done' WHERE id = ANY(%s)",
                       ([entry.id for entry in entries],))

    def signup(self, signup_id: int, key: str) -> Entry | None:
        with self._db() as db:
            row = db.execute(f"SELECT {COLUMNS} FROM signups WHERE id = %s AND key = %s",
                             (signup_id, key)).fetchone()
        return _entry(row) if row else None

    @contextmanager
    def together(self) -> Iterator[None]:
        """The block's changes to the journal and the list commit as one transaction: a link
        spent by a host killed before it wrote the consent is usable again on any host."""
        with self.database.shared(), self._db() as db, db.transaction():
            yield

    def spend(self, signup_id: int, key: str, now: float) -> bool:
        with self._db() as db, db.transaction():
            unspent = db.execute("SELECT 1 FROM signups WHERE id = %s AND key = %s AND "
                                 "spent_at IS NULL FOR UPDATE", (signup_id, key)).fetchone()
            if unspent:
                db.execute("UPDATE signups SET spent_at = %s WHERE key = %s AND spent_at IS NULL",
                           (now, key))
        return unspent is not None

    def unspend(self, key: str, spent_at: float) -> None:
        with self._db() as db:
            db.execute("UPDATE signups SET spent_at = NULL WHERE key = %s AND spent_at = %s",
                       (key, spent_at))

    def purge(self, before: float) -> int:
        with self._db() as db:
            return db.execute("DELETE FROM signups WHERE state = 'done' AND "
                              "greatest(received_at, coalesce(mailed_at, 0)) < %s",
                              (before,)).rowcount
