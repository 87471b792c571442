"""The site's state, whichever store holds it: the schema of every kind (the ledger and its
runs, the suppression journal, the roster, the sign-ups, the webhook tokens), described once,
and the one migrations mechanism that builds and upgrades it."""

from newsletter.state import sqlite
from newsletter.state.ledger_schema import LEDGER, PENDING_PREFIX, RUNNING_PREFIX
from newsletter.state.migrations import Migration, Schema
from newsletter.state.site import Migrated, migrate_files
from newsletter.state.tables import JOURNAL, ROSTER, SIGNUPS, WEBHOOK_TOKENS

__all__ = ["JOURNAL", "LEDGER", "PENDING_PREFIX", "ROSTER", "RUNNING_PREFIX", "SIGNUPS",
           "WEBHOOK_TOKENS", "Migrated", "Migration", "Schema", "migrate_files", "sqlite"]
