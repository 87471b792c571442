"""The ledger's schema (deliveries, meta, runs, batches), as the migrations that build it
(:mod:`newsletter.state.migrations`)."""

from __future__ import annotations

import sqlite3

from newsletter.state.migrations import Migration, Schema

RUNNING_PREFIX = "running:"  # meta key + post id: a run of that post may leave `submitting` rows
PENDING_PREFIX = "pending:"  # meta key + post id: readers of that post may be `pending`
DOUBT_PREFIX = "doubt:"  # meta key + post id: readers of that post may be `in_doubt`


def m001_create_deliveries(db: sqlite3.Connection) -> None:
    db.execute("""
        CREATE TABLE deliveries (
            post_id TEXT NOT NULL,
            address TEXT NOT NULL,          -- the reader's key: normalised, lower-cased
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            reason TEXT,
            provider TEXT,
            provider_message_id TEXT,
            message_id TEXT,                -- our Message-ID header
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (post_id, address)
        ) WITHOUT ROWID
    """)
    db.execute("CREATE INDEX deliveries_by_state ON deliveries (state, post_id)")


def m002_create_meta(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def m003_index_only_submitting_rows(db: sqlite3.Connection) -> None:
    # Every claim and every result moved each row inside the (state, post_id) index, the
    # largest part of the ledger's time in a send. Only recover() needs to find rows by state, and only the
    # `submitting` ones, which are few at any moment; per-post queries use the primary key.
    db.execute("DROP INDEX IF EXISTS deliveries_by_state")
    db.execute("CREATE INDEX deliveries_submitting ON deliveries (post_id) "
                "WHERE state = 'submitting'")


def m004_mark_running_posts_instead_of_indexing_rows(db: sqlite3.Connection) -> None:
    # m003's index still took every claimed row in and out again, a cost paid by every reader. A run now marks its post in `meta` while it may leave `submitting` rows
    # (Ledger.running), and recover() searches only the marked posts.
    db.execute("INSERT OR IGNORE INTO meta SELECT DISTINCT ? || post_id, 'before m004' "
               "FROM deliveries WHERE state = 'submitting'", (RUNNING_PREFIX,))
    db.execute("DROP INDEX IF EXISTS deliveries_submitting")


def m005_keep_each_batchs_rows_together(db: sqlite3.Connection) -> None:
    # Rows were stored in (post, address) order, so a batch of readers in signup order wrote to
    # about a thousand scattered pages, twice (claim, then result): on a long list the slowest
    # part of a send. Rows now go in claim order, and only a slim index of addresses
    # is scattered; a batch's result rewrites the pages its claim filled.
    db.execute("""
        CREATE TABLE deliveries_in_claim_order (
            id INTEGER PRIMARY KEY,
            post_id TEXT NOT NULL,
            address TEXT NOT NULL,          -- the reader's key: normalised, lower-cased
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            reason TEXT,
            provider TEXT,
            provider_message_id TEXT,
            message_id TEXT,                -- our Message-ID header
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
    """)
    columns = ("post_id, address, state, attempts, reason, provider, provider_message_id, "
               "message_id, created_at, updated_at")
    db.execute(f"INSERT INTO deliveries_in_claim_order ({columns}) "
               f"SELECT {columns} FROM deliveries ORDER BY post_id, created_at, address")
    db.execute("DROP TABLE deliveries")
    db.execute("ALTER TABLE deliveries_in_claim_order RENAME TO deliveries")
    db.execute("CREATE UNIQUE INDEX deliveries_by_reader ON deliveries (post_id, address)")


def m006_flag_posts_with_pending_rows(db: sqlite3.Connection) -> None:
    # `send --due` counted every post's rows on every run to find readers left pending; with
    # rows in claim order that grew with every list. Posts with pending readers are now flagged
    # in `meta` (Ledger.may_have_pending), so a cron run costs the same however long the lists.
    db.execute("INSERT OR IGNORE INTO meta SELECT DISTINCT ? || post_id, 'before m006' "
               "FROM deliveries WHERE state = 'pending'", (PENDING_PREFIX,))


def m007_record_each_run_and_its_segment(db: sqlite3.Connection) -> None:
    # A run may send to part of the list (send --tag, newsletter_tags); `status` says which
    # part each run was for, and a later run without tags reaches the rest.
    db.execute("""
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            post_id TEXT NOT NULL,
            segment TEXT,                   -- JSON list of tags; NULL: every active reader
            started_at TEXT NOT NULL,
            ended_at TEXT                   -- NULL: still running, or it did not end normally
        )
    """)
    db.execute("CREATE INDEX runs_by_post ON runs (post_id)")


def m008_record_each_batch_and_its_key(db: sqlite3.Connection) -> None:
    # `reconcile` asks the provider about an in-doubt batch: it needs when the batch was
    # claimed (the lookup's time window), its key (Resend's Idempotency-Key, the batch a
    # SendGrid search names) and which readers it covered, all written before the request goes.
    db.execute("""
        CREATE TABLE batches (
            id INTEGER PRIMARY KEY,
            post_id TEXT NOT NULL,
            provider TEXT NOT NULL,
            key TEXT NOT NULL,              -- providers.batch_key: post + readers' Message-IDs
            subject TEXT,                   -- what a search by subject matches (Resend)
            claimed_at TEXT NOT NULL
        )
    """)
    db.execute("ALTER TABLE deliveries ADD COLUMN batch INTEGER")  # its latest claim's batch
    # `send --due` reconciles posts with in-doubt readers first: flagged, like pending ones
    # (m006), so finding them does not read every row.
    db.execute("INSERT OR IGNORE INTO meta SELECT DISTINCT ? || post_id, 'before m008' "
               "FROM deliveries WHERE state = 'in_doubt'", (DOUBT_PREFIX,))


# Percent of each page PostgreSQL fills with new ledger rows: the rest takes the row's
# claimed and settled copies (a written row, about 130 bytes, grows to about 250 once claimed).
PG_FILLFACTOR = 30

# PostgreSQL starts from the shape SQLite reached (rows in claim order, posts marked in meta),
# so most later steps have nothing to do there.
PG_DELIVERIES = ("""CREATE TABLE deliveries (
        id BIGSERIAL PRIMARY KEY,
        post_id TEXT NOT NULL,
        address TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        reason TEXT,
        provider TEXT,
        provider_message_id TEXT,
        message_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (post_id, address)
    )""",)
PG_META = ("CREATE TABLE ledger_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",)
PG_RUNS = ("""CREATE TABLE runs (
        id BIGSERIAL PRIMARY KEY,
        post_id TEXT NOT NULL,
        segment TEXT,
        started_at TEXT NOT NULL,
        ended_at TEXT
    )""", "CREATE INDEX runs_by_post ON runs (post_id)")


def pg_m008_record_each_batch_and_its_key(db) -> None:
    db.execute("""CREATE TABLE batches (
        id BIGSERIAL PRIMARY KEY,
        post_id TEXT NOT NULL,
        provider TEXT NOT NULL,
        key TEXT NOT NULL,
        subject TEXT,
        claimed_at TEXT NOT NULL
    )""")
    db.execute("ALTER TABLE deliveries ADD COLUMN batch BIGINT")
    db.execute("INSERT INTO ledger_meta SELECT DISTINCT %s || post_id, 'before m008' "
               "FROM deliveries WHERE state = 'in_doubt' ON CONFLICT DO NOTHING",
               (DOUBT_PREFIX,))


LEDGER = Schema("ledger", "ledger.db", (
    Migration(m001_create_deliveries.__name__, m001_create_deliveries, PG_DELIVERIES),
    Migration(m002_create_meta.__name__, m002_create_meta, PG_META),
    *(Migration(step.__name__, step) for step in (
        m003_index_only_submitting_rows, m004_mark_running_posts_instead_of_indexing_rows,
        m005_keep_each_batchs_rows_together, m006_flag_posts_with_pending_rows)),
    Migration(m007_record_each_run_and_its_segment.__name__,
              m007_record_each_run_and_its_segment, PG_RUNS),
    Migration(m008_record_each_batch_and_its_key.__name__, m008_record_each_batch_and_its_key,
              pg_m008_record_each_batch_and_its_key),
    # The queue senders sharing a campaign take their batches from (sending/queue_pg.py).
    Migration("m009_index_pending_rows_in_order", None,
              ("CREATE INDEX deliveries_pending ON deliveries (post_id, id) "
               "WHERE state = 'pending'",)),
    # m009's index named `state` in its condition, so every claim and every result (each
    # changes `state`) wrote a new copy of the row with a new entry in every index. Indexed
    # now are only columns no claim or result changes, and pages keep room for the new copies,
    # so both stay on the row's page as heap-only (HOT) updates. The queue walks this index
    # in order (queue_pg.SharedQueue._pending). Its condition holds for every row, and keeps
    # it to queries that name `id`: without statistics, the planner would rather walk every
    # row of a post in it than look up a batch's readers by (post_id, address).
    Migration("m010_keep_updates_off_the_indexes", None, (
        "DROP INDEX IF EXISTS deliveries_pending",
        "CREATE INDEX deliveries_by_post ON deliveries (post_id, id) WHERE id IS NOT NULL",
        f"ALTER TABLE deliveries SET (fillfactor = {PG_FILLFACTOR})",
    )),
))
