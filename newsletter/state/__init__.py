"""The site's state, whichever store holds it: the schema of every kind (the ledger and its
runs, the suppression journal, the roster, the sign-ups, the webhook tokens, the delivery
events, the send log, the welcome series), described once, and the one migrations mechanism
that builds and upgrades it.

The stores are modules: ``from newsletter.state import sqlite`` (or ``postgres``) imports the
one asked for, so a site on files never loads the PostgreSQL store. Copying a site into
PostgreSQL, migrating every kind and the group commit are imported on first use.
"""

from newsletter import on_first_use
from newsletter.state.ledger_schema import DOUBT_PREFIX, LEDGER, PENDING_PREFIX, RUNNING_PREFIX
from newsletter.state.migrations import Migration, Schema
from newsletter.state.tables import (
    EVENTS,
    JOURNAL,
    LIST,
    ROSTER,
    SEND_LOG,
    SIGNUPS,
    WEBHOOK_TOKENS,
    WELCOME,
    joined_seconds,
)

_ON_FIRST_USE = {"Copied": "copying", "claim_for_copy": "copying", "copy_tables": "copying",
                 "copy_back": "copying_back", "move_in": "copying_back",
                 "refuse_own_state": "copying_back",
                 "GroupCommit": "group_commit", "Migrated": "site", "migrate_postgresql": "site",
                 "migrate_site": "site", "connect_ledger": "ledger_file",
                 "ledger_on_disk": "ledger_file",
                 "scratch_or": "scratch", "writable_folder": "scratch"}

__all__ = ["DOUBT_PREFIX", "EVENTS", "JOURNAL", "LEDGER", "LIST", "PENDING_PREFIX", "ROSTER",
           "RUNNING_PREFIX", "SEND_LOG", "SIGNUPS", "WEBHOOK_TOKENS", "WELCOME", "Copied",
           "GroupCommit", "Migrated", "Migration", "Schema", "claim_for_copy", "copy_back",
           "connect_ledger", "copy_tables", "joined_seconds", "ledger_on_disk", "move_in",
           "migrate_postgresql", "migrate_site", "postgres", "refuse_own_state", "scratch_or",
           "sqlite", "writable_folder"]

__getattr__ = on_first_use(__name__, _ON_FIRST_USE)
