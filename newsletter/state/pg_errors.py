"""What a failure of the PostgreSQL store says: the server's first line, never the URL's
password, and what to do about it (docs/store.md)."""

from __future__ import annotations

from newsletter.config import redact, url_secrets
from newsletter.errors import StoreError

WHERE = "the PostgreSQL store"

# What to do, by the server's words: a user that may only read the tables (or not take the
# next id of their sequences), or not use or
# create in the schema, or not alter the tables (a migration); a schema holding another
# application's tables; a read-only server (a standby); a store too busy for the session's
# lock_timeout or statement_timeout; a database not in UTF-8; a server with no connection
# to spare.
HINTS = (
    (("permission denied for table", "permission denied for sequence"),
     "give the store URL's user the rights on its tables and their sequences (GRANT SELECT, "
     "INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ...; GRANT USAGE ON ALL SEQUENCES IN "
     "SCHEMA ...), or use their owner"),
    # (A user that may use the schema but not create in it, on a store not migrated yet.)
    (("permission denied",),
     "give the store URL's user the rights on its schema (GRANT USAGE, CREATE ON SCHEMA ...), "
     "name a schema it owns in the URL's search_path, or run `newsletter store migrate` as "
     "the schema's owner (after each upgrade of newsletter)"),
    # The search path names no schema that exists, or none the user may use (PostgreSQL
    # skips those): a misspelt or never made schema is as likely as the rights.
    (("no schema has been selected to create in",),
     "the URL's search_path names no schema the store URL's user may use: make it (CREATE "
     "SCHEMA name AUTHORIZATION user), check its spelling, or give the user the rights on it "
     "(GRANT USAGE, CREATE ON SCHEMA ...)"),
    (("must be owner of",), "run `newsletter store migrate` with a store URL naming the "
     "tables' owner (after each upgrade of newsletter), or make the store URL's user their "
     "owner"),
    (("already exists",), "the store's schema holds tables newsletter did not make; give it "
     "a schema of its own (CREATE SCHEMA newsletter, and options=-csearch_path%3Dnewsletter in "
     "the store URL)"),
    # (target_session_attrs=read-write or primary, finding no such server: libpq's words.)
    (("read-only transaction", "session is read-only", "server is in hot standby mode"),
     "the store URL reaches a read-only server (a standby) or session; point it at the "
     "primary (with several hosts, add target_session_attrs=read-write)"),
    (("lock timeout", "statement timeout", "deadlock detected"),
     "the store was busy (another session held its tables too long); run the command again"),
    (("has no equivalent in encoding",),
     "the store's database was made with an encoding other than UTF8, which cannot hold every "
     "name: move the store to one made with ENCODING 'UTF8' (`store copy --to files`, then "
     "`store copy --to` the new one)"),
    (("too many clients", "too many connections", "remaining connection slots"),
     "the server has no connection to spare (its max_connections, or the CONNECTION LIMIT of "
     "the store URL's user or database): each `serve` keeps up to 11, a send 3; raise the "
     "limit, or run the command again when fewer are open"),
)
OTHERWISE = "check that the server runs, and the store URL and PGPASSWORD"


def unusable(error: Exception, url: str | None = None) -> StoreError:
    """One line for a failure of the database (the server's first line, no URL; libpq quotes
    a part of the URL it cannot read, so the password of ``url`` is hidden in every form)."""
    first = (str(error).strip().splitlines() or [type(error).__name__])[0]
    if url:
        first = redact(first, url_secrets(url))
    hint = next((hint for words, hint in HINTS if any(each in first for each in words)),
                OTHERWISE)
    return StoreError(f"cannot be used ({first})", where=WHERE, hint=hint)
