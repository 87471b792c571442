"""Which site a PostgreSQL store holds the state of (docs/store.md).

Nothing in a database says whose readers its rows are, so two sites given the same store URL
(a `[store]` table copied from one blog to another) would share one list and one ledger, each
mailing the other's readers. The store therefore records the `[site] url` of the first site
that uses it (``newsletter_site``, one row), and refuses every other; `store copy` writes it
only into an empty store, so it never merges one site's files into another's state.
"""

from __future__ import annotations

from newsletter.errors import StoreError
from newsletter.state.pg_errors import WHERE

READ = "SELECT url FROM newsletter_site"


def site_key(url: str) -> str:
    """A site's address as the store records it: without a final slash, in lower case."""
    return url.strip().rstrip("/").lower()


def recorded(db) -> str | None:
    """The address of the site the store holds, or None when it holds no site's yet (or has
    no table for it yet: a store from before the record, not migrated)."""
    if db.execute("SELECT to_regclass('newsletter_site')").fetchone()[0] is None:
        return None
    found = db.execute(READ).fetchone()
    return None if found is None else found[0]


def record(db, site: str) -> None:
    db.execute("INSERT INTO newsletter_site (url) VALUES (%s) ON CONFLICT DO NOTHING",
               (site_key(site),))


def check(db, site: str | None, record_it: bool = True) -> None:
    """The store is ``site``'s, recorded now if it had no site yet (a store from before the
    record, or a new one) and ``record_it``; StoreError when it holds another site's state.
    A store without the table yet (not migrated) and a read-only server (a standby) record
    nothing; no ``site``: nothing to check."""
    import psycopg

    if site is None:
        return
    if (holder := recorded(db)) is None:
        if not record_it:
            return
        try:
            record(db, site)
        except (psycopg.errors.UndefinedTable, psycopg.errors.ReadOnlySqlTransaction):
            return
        holder = recorded(db)
    refuse_another(holder, site)


def refuse_another(holder: str, site: str) -> None:
    """StoreError when the store's site, ``holder``, is not ``site``."""
    if holder != site_key(site):
        raise StoreError(
            f"holds the state of the site {holder}, not of this one ({site_key(site)})",
            where=WHERE, hint="give each site a store of its own (a database, or a schema: "
            "options=-csearch_path%3Dname in the store URL); if this site moved from that "
            "address, record its new one in the store: UPDATE newsletter_site SET url = "
            f"'{site_key(site)}'")
