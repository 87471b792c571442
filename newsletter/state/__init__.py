"""The site's state, whichever store holds it: the schema of every kind (the ledger and its
runs, the suppression journal, the roster, the sign-ups, the webhook tokens, the delivery
events, the send log, the welcome series), described once, and the one migrations mechanism
that builds and upgrades it."""

from newsletter.state import postgres, sqlite
from newsletter.state.copying import Copied, copy_tables
from newsletter.state.group_commit import GroupCommit
from newsletter.state.ledger_schema import DOUBT_PREFIX, LEDGER, PENDING_PREFIX, RUNNING_PREFIX
from newsletter.state.migrations import Migration, Schema
from newsletter.state.site import Migrated, migrate_postgresql, migrate_site
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

__all__ = ["DOUBT_PREFIX", "EVENTS", "JOURNAL", "LEDGER", "LIST", "PENDING_PREFIX", "ROSTER",
           "RUNNING_PREFIX", "SEND_LOG", "SIGNUPS", "WEBHOOK_TOKENS", "WELCOME", "Copied",
           "GroupCommit", "Migrated", "Migration", "Schema",
           "copy_tables", "joined_seconds", "migrate_postgresql", "migrate_site", "postgres",
           "sqlite"]
