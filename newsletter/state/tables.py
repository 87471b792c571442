"""The schema of every kind of state but the ledger (:mod:`newsletter.state.ledger_schema`):
the subscriber list (PostgreSQL only), the suppression journal, the roster, the sign-ups, the
webhook tokens, the delivery events, the send log and the welcome series.

The first migration of the journal, the sign-ups and the tokens creates only what is missing:
files made before migrations were recorded have those tables already. In PostgreSQL every kind
shares one database, so the tables there carry their kind in their names.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from newsletter.state.migrations import Migration, Schema


def _add_column(db: sqlite3.Connection, table: str, column: str) -> None:
    """ALTER TABLE ADD COLUMN, unless a version from before migrations added it already."""
    if column.split()[0] not in {row[1] for row in db.execute(f"PRAGMA table_info({table})")}:
        db.execute(f"ALTER TABLE {table} ADD COLUMN {column}")

JOURNAL = Schema("journal", "journal.db", (
    Migration("m001_create_changes_and_state", (
        """CREATE TABLE IF NOT EXISTS changes (
            id INTEGER PRIMARY KEY AUTOINCREMENT,   -- never reused: sends follow the journal by id
            key TEXT NOT NULL,                      -- the reader key (addresses.address_key)
            address TEXT NOT NULL,                  -- normalised, for a row added to the list
            status TEXT NOT NULL,                   -- unsubscribed | bounced | complained
            reason TEXT NOT NULL,
            record_unknown INTEGER NOT NULL,        -- 1: add a row if the list lacks the address
            at TEXT NOT NULL,
            folded_at TEXT                          -- NULL until written into the CSV files
        )""",
        "CREATE INDEX IF NOT EXISTS unfolded_changes ON changes (id) WHERE folded_at IS NULL",
        "CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ), (
        # Suppressions are written into the list at once; the changes stay for a running
        # send to follow by id (folded_at is set as they are made).
        """CREATE TABLE journal_changes (
            id BIGSERIAL PRIMARY KEY,
            key TEXT NOT NULL,
            address TEXT NOT NULL,
            status TEXT NOT NULL,
            reason TEXT NOT NULL,
            record_unknown BOOLEAN NOT NULL,
            at TEXT NOT NULL,
            folded_at TEXT
        )""",
    )),
    # A confirmation link asks whether its address left since it was sent (signups.left_since).
    Migration("m002_index_changes_by_key",
              ("CREATE INDEX IF NOT EXISTS changes_by_key ON changes (key, at)",),
              ("CREATE INDEX journal_changes_by_key ON journal_changes (key, at)",)),
))

def joined_seconds(text: str) -> int | None:
    """A reader's ``subscribed_at`` in UTC seconds (a time without a zone is UTC); None when
    it is empty or not a time."""
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return int(moment.timestamp())


def _add_joined(db) -> None:
    # Parsed as the files store parses it (joined_seconds), a chunk at a time from a
    # server-side cursor (migrations run in a transaction): memory for one chunk.
    db.execute("ALTER TABLE subscribers ADD COLUMN joined BIGINT")
    with db.cursor(name="joined") as rows, db.cursor() as cursor:
        rows.execute("SELECT key, subscribed_at FROM subscribers WHERE subscribed_at <> ''")
        while chunk := rows.fetchmany(5000):
            cursor.executemany("UPDATE subscribers SET joined = %s WHERE key = %s",
                               [(joined_seconds(at), key) for key, at in chunk])


# The subscriber list itself, in the PostgreSQL store only (the files store keeps it in
# subscribers/*.csv): the columns of the CSV files, any other column kept in ``extra``, and
# ``position`` for the list's order (the order readers were added, as in a file).
LIST = Schema("list", "", (
    Migration("m001_create_subscribers", None, (
        """CREATE TABLE subscribers (
            position BIGSERIAL PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,       -- addresses.address_key(email)
            email TEXT NOT NULL,            -- as written
            address TEXT NOT NULL,          -- normalised
            name TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'active',  -- a known status only (rows.Status)
            tags TEXT NOT NULL DEFAULT '',  -- as in the CSV: comma-separated
            subscribed_at TEXT NOT NULL DEFAULT '',
            extra JSONB NOT NULL DEFAULT '{}'
        )""",
    )),
    # When each reader joined, in UTC seconds (joined_seconds of ``subscribed_at``),
    # for the welcome series' decision; written with every row (postgres_store.insert).
    Migration("m002_add_joined", None, _add_joined),
    # The names of the ``extra`` columns in the order the list first had them: a JSONB object
    # keeps its keys in an order of its own (shorter first), and `subscribers export` writes
    # the columns as the list wrote them (postgres_store.add_columns).
    Migration("m003_create_list_columns", None, (
        "CREATE TABLE list_columns (position SERIAL PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
        "INSERT INTO list_columns (name) "
        "SELECT DISTINCT jsonb_object_keys(extra) FROM subscribers ORDER BY 1",
    )),
    # The site whose state the store holds (its [site] url; state/owner.py): another site
    # pointed at the same database or schema is refused, never given this one's readers.
    Migration("m004_create_newsletter_site", None, (
        "CREATE TABLE newsletter_site (one BOOLEAN PRIMARY KEY DEFAULT true CHECK (one), "
        "url TEXT NOT NULL)",
    )),
))

# A cache of who is active, rebuilt whole when the list changed (subscribers/roster.py).
ROSTER = Schema("roster", "roster.db", (
    Migration("m001_create_readers_problems_state", (
        # Tags lower-cased between bars, so that "|weekly|" finds one tag exactly; `joined`
        # (seconds) in the index, so that a pass in key order reads no row: the welcome
        # series' decision walks it beside its own table, also in key order.
        "CREATE TABLE readers (key TEXT NOT NULL, tags TEXT NOT NULL, joined INTEGER)",
        "CREATE UNIQUE INDEX readers_by_key ON readers (key, joined)",
        "CREATE TABLE problems (message TEXT, where_ TEXT, hint TEXT)",
        "CREATE TABLE state (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    )),
))

SIGNUPS = Schema("signups", "signups.db", (
    Migration("m001_create_signups", (
        """CREATE TABLE IF NOT EXISTS signups (
            id INTEGER PRIMARY KEY,
            address TEXT NOT NULL,          -- normalised
            key TEXT NOT NULL,              -- address_key(address)
            name TEXT NOT NULL,
            tags TEXT NOT NULL,             -- comma-separated, from signup.tags only
            page TEXT NOT NULL,             -- the page the form was on, for the consent record
            client TEXT NOT NULL,           -- salted hash of the client's network
            received_at REAL NOT NULL,      -- Unix time
            state TEXT NOT NULL,            -- received | mailing | done
            mailed_at REAL                  -- when its confirmation email was handed over
        )""",
        "CREATE INDEX IF NOT EXISTS signups_by_state ON signups (state, id)",
        "CREATE INDEX IF NOT EXISTS signups_by_key ON signups (key, mailed_at)",
        "CREATE INDEX IF NOT EXISTS signups_by_client ON signups (client, received_at)",
        "CREATE INDEX IF NOT EXISTS signups_by_mail ON signups (mailed_at) "
        "WHERE mailed_at IS NOT NULL",
    ), (
        """CREATE TABLE signups (
            id BIGSERIAL PRIMARY KEY,
            address TEXT NOT NULL,
            key TEXT NOT NULL,
            name TEXT NOT NULL,
            tags TEXT NOT NULL,
            page TEXT NOT NULL,
            client TEXT NOT NULL,
            received_at DOUBLE PRECISION NOT NULL,
            state TEXT NOT NULL,
            mailed_at DOUBLE PRECISION
        )""",
        "CREATE INDEX signups_by_state ON signups (state, id)",
        "CREATE INDEX signups_by_key ON signups (key, mailed_at)",
        "CREATE INDEX signups_by_client ON signups (client, received_at)",
    )),
    # When a confirmation of this address used its link up (a link confirms once).
    Migration("m002_add_spent_at", lambda db: _add_column(db, "signups", "spent_at REAL"),
              ("ALTER TABLE signups ADD COLUMN IF NOT EXISTS spent_at DOUBLE PRECISION",)),
    # The database session of the host mailing it (PostgreSQL: several hosts mail).
    Migration("m003_add_mailer", None,
              ("ALTER TABLE signups ADD COLUMN IF NOT EXISTS mailer TEXT",)),
))

WEBHOOK_TOKENS = Schema("webhook_tokens", "webhook-tokens.db", (
    Migration("m001_create_used_tokens", (
        """CREATE TABLE IF NOT EXISTS used_tokens (
            provider TEXT NOT NULL, token TEXT NOT NULL, expires REAL NOT NULL,
            PRIMARY KEY (provider, token)) WITHOUT ROWID""",
    ), (
        """CREATE TABLE used_tokens (
            provider TEXT NOT NULL, token TEXT NOT NULL, expires DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (provider, token))""",
    )),
    # Tokens are kept for Mailgun's 8 hours of retries, hundreds of thousands after a big send:
    # each webhook's clearing of the expired ones read them all (33 ms at 300,000) without it.
    Migration("m002_index_token_expiry",
              ("CREATE INDEX IF NOT EXISTS used_tokens_by_expiry ON used_tokens (expires)",),
              ("CREATE INDEX IF NOT EXISTS used_tokens_by_expiry ON used_tokens (expires)",)),
))

# What the providers' webhooks said happened to each message (sending/events.py): one row per
# provider event, so an event delivered twice is stored once (INSERT ... ON CONFLICT DO NOTHING).
EVENTS = Schema("events", "events.db", (
    Migration("m001_create_events", (
        """CREATE TABLE IF NOT EXISTS events (
            provider TEXT NOT NULL,       -- postmark, sendgrid, mailgun, resend; newsletter: ours
            event_id TEXT NOT NULL,       -- the provider's id of the event
            kind TEXT NOT NULL,           -- one of sending.events.KINDS
            post_id TEXT,                 -- NULL: no post could be found for it
            reader TEXT NOT NULL,         -- the recipient's address_key
            occurred_at DOUBLE PRECISION NOT NULL,  -- Unix seconds
            detail TEXT NOT NULL,
            PRIMARY KEY (provider, event_id))""",
        "CREATE INDEX IF NOT EXISTS events_by_post ON events (post_id, kind, reader)",
    ), (
        """CREATE TABLE events (
            provider TEXT NOT NULL,
            event_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            post_id TEXT,
            reader TEXT NOT NULL,
            occurred_at DOUBLE PRECISION NOT NULL,
            detail TEXT NOT NULL,
            PRIMARY KEY (provider, event_id))""",
        "CREATE INDEX events_by_post ON events (post_id, kind, reader)",
    )),
))

# Messages sent per minute: what provider.daily_limit and hourly_limit count against
# (sending/send_log.py). In PostgreSQL every host's sender counts into the one table.
SEND_LOG = Schema("send_log", "sendlog.db", (
    Migration("m001_create_sends", (
        """CREATE TABLE IF NOT EXISTS sends (
            minute TEXT PRIMARY KEY,      -- UTC, 2026-12-06T17:05
            messages INTEGER NOT NULL
        ) WITHOUT ROWID""",
    ), (
        "CREATE TABLE send_log (minute TEXT PRIMARY KEY, messages INTEGER NOT NULL)",
    )),
))

# The welcome series: each reader's progress through [welcome] posts (sending/welcome_state.py).
WELCOME = Schema("welcome", "welcome.db", (
    Migration("m001_create_meta_progress_sent", (
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE IF NOT EXISTS progress (
            address TEXT PRIMARY KEY,       -- the reader's key (address_key), as in the ledger
            step INTEGER NOT NULL,          -- position in [welcome] posts of the post last given
            post_id TEXT NOT NULL,          -- that post
            at INTEGER NOT NULL,            -- when the run that gave it ran, UTC seconds
            settled INTEGER NOT NULL        -- 1 once the ledger holds it sent, failed or in doubt
        ) WITHOUT ROWID""",
        "CREATE INDEX IF NOT EXISTS progress_unsettled ON progress (post_id) WHERE settled = 0",
        """CREATE TABLE IF NOT EXISTS sent (
            post_id TEXT PRIMARY KEY,
            readers INTEGER NOT NULL        -- the series sent it to them (the ledger says sent)
        )""",
    ), (
        "CREATE TABLE welcome_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE welcome_progress (
            address TEXT PRIMARY KEY,
            step INTEGER NOT NULL,
            post_id TEXT NOT NULL,
            at BIGINT NOT NULL,
            settled INTEGER NOT NULL
        )""",
        "CREATE INDEX welcome_progress_unsettled ON welcome_progress (post_id) "
        "WHERE settled = 0",
        "CREATE TABLE welcome_sent (post_id TEXT PRIMARY KEY, readers INTEGER NOT NULL)",
    )),
    # Readers `subscribers import` added: not new (out of the series) unless it said --welcome.
    Migration("m002_create_arrivals", (
        """CREATE TABLE IF NOT EXISTS arrivals (
            address TEXT PRIMARY KEY,       -- the reader's key, as in progress
            at INTEGER NOT NULL,            -- when the import added them, UTC seconds
            joins INTEGER NOT NULL          -- 1: --welcome, in the series as joined at `at`
        ) WITHOUT ROWID""",
    ), (
        """CREATE TABLE welcome_arrivals (
            address TEXT PRIMARY KEY,
            at BIGINT NOT NULL,
            joins INTEGER NOT NULL
        )""",
    )),
    # When each reader given a post joined (the list's subscribed_at): a reader whose address
    # was changed by hand (the old one gone from the list, a new one there with the same join
    # time) carries on where they were instead of starting again.
    Migration("m003_progress_joined", (
        "ALTER TABLE progress ADD COLUMN joined INTEGER",
    ), (
        "ALTER TABLE welcome_progress ADD COLUMN joined BIGINT",
    )),
))
